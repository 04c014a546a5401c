using System.Globalization;
using System.Net;
using System.Text.Json;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace CuTru.LuuTru.Cli;

/// <summary>Where the CLI keeps the server and the credentials: a JSON file only its owner can read.</summary>
public sealed class Config
{
    public string? Server { get; set; }
    public string? ApiKey { get; set; }
    public string? AccessToken { get; set; }
    public string? Email { get; set; }

    public static string DefaultPath() => Environment.GetEnvironmentVariable("LUUTRU_CONFIG")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "luutru", "config.json");

    public static Config Load()
    {
        var path = DefaultPath();
        return File.Exists(path) ? JsonSerializer.Deserialize<Config>(File.ReadAllText(path)) ?? new Config() : new Config();
    }

    public void Save()
    {
        var path = DefaultPath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Flags first, then the environment, then the saved file.</summary>
    public static (LuuTruClientOptions Options, Config Saved) Resolve(Args a)
    {
        var saved = Load();
        var server = a.Get("server") ?? Environment.GetEnvironmentVariable("LUUTRU_SERVER") ?? saved.Server
            ?? throw new UsageException("no server: luutru login --server URL …, or --server, or LUUTRU_SERVER");
        var key = a.Get("api-key") ?? Environment.GetEnvironmentVariable("LUUTRU_API_KEY");
        // The saved key or token goes only to the server it was saved for.
        var savedHere = saved.Server is not null && string.Equals(saved.Server.TrimEnd('/'), server.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
        var options = new LuuTruClientOptions
        {
            BaseAddress = new Uri(server.TrimEnd('/') + "/"),
            ApiKey = key ?? (savedHere ? saved.ApiKey : null),
            AccessToken = key is null && savedHere ? saved.AccessToken : null,
            Language = a.Get("lang") ?? "vi",
        };
        return (options, saved);
    }
}

public static class Commands
{
    private static ILuuTruApi Api(Args a) => LuuTruClient.Create(Config.Resolve(a).Options);

    public const string LoginHelp = """
        luutru login --server URL --email EMAIL [--password-stdin]      sign in as a person (staff, officer, admin)
        luutru login --server URL --api-key KEY                          use an establishment's API key

        The password is read from the terminal without echo, or from standard input with --password-stdin.
        Saved for the next commands (see luutru --help for the file). Exit 4 when the server refuses.
        """;

    public static async Task<int> LoginAsync(Args a)
    {
        var server = a.Get("server") ?? Environment.GetEnvironmentVariable("LUUTRU_SERVER") ?? Config.Load().Server
            ?? throw new UsageException("--server is required");
        var config = new Config { Server = server.TrimEnd('/') };
        var options = new LuuTruClientOptions { BaseAddress = new Uri(config.Server + "/"), Language = a.Get("lang") ?? "vi" };
        if (a.Get("api-key") is { } key)
        {
            options.ApiKey = key;
            var me = await LuuTruClient.Create(options).MeAsync();
            config.ApiKey = key;
            config.Save();
            Console.WriteLine($"OK: API key {me.ApiKeyPrefix} of establishment {me.EstablishmentId}");
            return ExitCodes.Ok;
        }
        var email = a.Require("email");
        var password = a.Flag("password-stdin") || Console.IsInputRedirected ? Console.In.ReadLine() ?? "" : ReadSecret("Mật khẩu / Password: ");
        var login = await LuuTruClient.Create(options).LoginAsync(new LoginRequest(email, password));
        config.AccessToken = login.AccessToken;
        config.Email = email;
        config.Save();
        options.AccessToken = login.AccessToken;
        var who = await LuuTruClient.Create(options).MeAsync();
        Console.WriteLine($"OK: {email} ({(who.Role is { } r ? JsonNamingPolicy.KebabCaseLower.ConvertName(r.ToString()) : who.Kind)})");
        return ExitCodes.Ok;
    }

    private static string ReadSecret(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter) break;
            if (k.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            text.Append(k.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }

    public const string NotifyHelp = """
        luutru notify --file stay.json [--validate]
        luutru notify --arrival "2026-11-22 14:00" --departure "2026-11-24 12:00" --reason tourism [--room 204] [--ref BK-1]
                      --guest "Họ tên|1990-03-04|male|personal-id|001090012345[|VNM]" [--guest …] [--validate]

        The JSON file is the API's body (stay, guests). Times without an offset are Vietnam time. Document types:
        personal-id, passport, cmnd, other, none (a child without a number: leave the number empty).
        --validate judges by the same rules and stores nothing. Prints the receipt; exit 3 when rejected.
        """;

    public static async Task<int> NotifyAsync(Args a)
    {
        var json = LuuTruJson.CreateOptions();
        NotificationRequest request;
        if (a.Get("file") is { } file)
            request = JsonSerializer.Deserialize<NotificationRequest>(await File.ReadAllTextAsync(file), json) ?? throw new UsageException("empty file");
        else
        {
            var guests = a.All("guest").Select(ParseGuest).ToList();
            if (guests.Count == 0) throw new UsageException("at least one --guest, or --file");
            var reason = ParseEnum<StayReason>(a.Require("reason"), "--reason");
            request = new NotificationRequest(new StayDto(Time(a.Require("arrival")), Time(a.Require("departure")), reason, a.Get("reason-detail"), a.Get("room")),
                guests, a.Get("ref"));
        }
        var api = Api(a);
        if (a.Flag("validate"))
        {
            var v = await api.ValidateNotificationAsync(request);
            Console.WriteLine($"hợp lệ / valid · hạn / deadline {Output.Time(v.DeadlineAt)}{(v.Late ? " · TRỄ HẠN / LATE" : "")}");
            foreach (var f in v.Flags) Console.WriteLine($"  ! {f.Code}: {f.Message}");
            return ExitCodes.Ok;
        }
        var receipt = await api.SubmitNotificationAsync(request);
        Console.WriteLine(receipt.ReceiptNumber);
        Console.Error.WriteLine($"id {receipt.Id} · hạn / deadline {Output.Time(receipt.DeadlineAt)}{(receipt.Late ? " · TRỄ HẠN / LATE" : " · đúng hạn / on time")}");
        foreach (var f in receipt.Flags) Console.Error.WriteLine($"  ! {f.Code}: {f.Message}");
        return ExitCodes.Ok;
    }

    private static GuestDto ParseGuest(string text)
    {
        var p = text.Split('|');
        if (p.Length < 5) throw new UsageException($"--guest \"{text}\": name|date of birth|gender|document type|number[|nationality]");
        if (!DateOnly.TryParseExact(p[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
            throw new UsageException($"--guest: '{p[1]}' is not a date (yyyy-mm-dd)");
        return new GuestDto(p[0], dob, ParseEnum<Gender>(p[2], "gender"),
            new DocumentDto(ParseEnum<DocumentType>(p[3], "document type"), string.IsNullOrWhiteSpace(p[4]) ? null : p[4]),
            p.Length > 5 && p[5].Length > 0 ? p[5] : null);
    }

    private static T ParseEnum<T>(string value, string what) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
            if (JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) == value.Trim().ToLowerInvariant()) return v;
        throw new UsageException($"{what}: '{value}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString())))}");
    }

    private static DateTimeOffset Time(string value) =>
        VietnamDateTimeOffsetConverter.TryParse(value.Replace(' ', 'T'), out var t) ? t : throw new UsageException($"'{value}' is not a time (yyyy-mm-dd hh:mm)");

    public const string AdminHelp = """
        luutru admin dead-letters list            intake entries the drain could not store: id, receipt, commune, why
        luutru admin dead-letters show ID         one of them with the notification it carries (audited)
        luutru admin dead-letters replay ID       put it back into the intake once the cause is fixed (audited)
        luutru admin dead-letters drop ID         drop it for good (audited)

        Admins only (sign in with luutru login). Exit 5 when the id is not found.
        """;

    public static async Task<int> AdminAsync(Args a)
    {
        if (a.At(0, "what to manage (dead-letters)") != "dead-letters") throw new UsageException("only dead-letters can be managed here");
        var api = Api(a);
        switch (a.At(1, "list, show, replay or drop"))
        {
            case "list":
                var letters = await api.ListDeadLettersAsync();
                foreach (var l in letters)
                    Console.WriteLine($"{l.Id}\t{l.ReceiptNumber}\t{l.CommuneCode}\t{(l.FailedAt is { } at ? Output.Time(at) : "")}\t{l.Reason}");
                Console.Error.WriteLine($"{letters.Count} thư chết / dead letters");
                return ExitCodes.Ok;
            case "show":
                var shown = await api.GetDeadLetterAsync(a.At(2, "the dead letter's id"));
                Console.WriteLine($"{shown.Letter.Id} · {shown.Letter.ReceiptNumber} · {shown.Letter.Reason}");
                if (shown.Notification is { } n)
                    foreach (var g in n.Guests) Console.WriteLine($"  {g.Index}: {g.FullName} · {g.DocumentNumber}");
                else Console.WriteLine(shown.RawPayload);
                return ExitCodes.Ok;
            case "replay":
                var replayed = await api.ReplayDeadLetterAsync(a.At(2, "the dead letter's id"));
                Console.WriteLine($"{replayed.ReceiptNumber}: gửi lại / replayed");
                return ExitCodes.Ok;
            case "drop":
                await api.DropDeadLetterAsync(a.At(2, "the dead letter's id"));
                Console.WriteLine("đã bỏ / dropped");
                return ExitCodes.Ok;
            default:
                throw new UsageException("the action is list, show, replay or drop");
        }
    }

    public const string StatusHelp = """
        luutru status RECEIPT --phone PHONE     a household's receipt (no sign-in needed)
        luutru status RECEIPT                   one of your establishment's notifications (signed in or with a key)

        Prints the status: accepted (buffered), recorded, checked-out or cancelled. Exit 5 when not found.
        """;

    public static async Task<int> StatusAsync(Args a)
    {
        var receipt = a.At(0, "the receipt number");
        var api = Api(a);
        if (a.Get("phone") is { } phone)
        {
            var s = await api.LookupReceiptAsync(new ReceiptLookupRequest(receipt, phone));
            Console.WriteLine(JsonNamingPolicy.KebabCaseLower.ConvertName(s.Status.ToString()));
            Console.Error.WriteLine($"{s.ReceiptNumber} · {s.CommuneName} · đến / arrival {Output.Time(s.ArrivalAt)} · {s.GuestCount} khách / guests");
            return ExitCodes.Ok;
        }
        var page = await api.ListNotificationsAsync(receiptNumber: receipt, limit: 1);
        if (page.Items.Count == 0)
        {
            Console.Error.WriteLine($"luutru status: no notification {receipt} (a just-sent one is listed once recorded, in a second)");
            return ExitCodes.NotFound;
        }
        var n = page.Items[0];
        Console.WriteLine(JsonNamingPolicy.KebabCaseLower.ConvertName(n.Status.ToString()));
        Console.Error.WriteLine($"{n.ReceiptNumber} · id {n.Id} · đến / arrival {Output.Time(n.ArrivalAt)} · đi / departure {Output.Time(n.DepartureAt)}");
        foreach (var g in n.Guests) Console.Error.WriteLine($"  {g.Index}: {g.FullName}{(g.CheckedOutAt is { } o ? $" (trả phòng / out {Output.Time(o)})" : "")}");
        return ExitCodes.Ok;
    }

    public const string CheckoutHelp = """
        luutru checkout ID [--guest INDEX …] [--at "2026-11-24 11:30"]

        Checks out the whole stay, or the listed guests (their index as shown by luutru status). --at defaults to now.
        """;

    public static async Task<int> CheckoutAsync(Args a)
    {
        if (!Guid.TryParse(a.At(0, "the notification id"), out var id)) throw new UsageException("the notification id is a GUID (luutru status RECEIPT shows it)");
        var guests = a.Ints("guest").ToList();
        var n = await Api(a).CheckoutAsync(id, new CheckoutRequest(a.Get("at") is { } at ? Time(at) : null, guests.Count > 0 ? guests : null));
        Console.WriteLine(JsonNamingPolicy.KebabCaseLower.ConvertName(n.Status.ToString()));
        return ExitCodes.Ok;
    }

    public const string WatchHelp = """
        luutru watch --commune CODE [--count N] [--timeout SECONDS]

        Prints the commune's arrivals as they are recorded (police accounts; luutru login first), one line each:
        time, receipt, place, guests, flags. Runs until Ctrl+C, or until N arrivals or the timeout (exit 0 / 1).
        """;

    public static async Task<int> WatchAsync(Args a)
    {
        var commune = a.Require("commune");
        var count = a.Int("count") ?? int.MaxValue;
        var timeout = a.Number("timeout") is { } t ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;
        var (options, _) = Config.Resolve(a);
        if (options.AccessToken is null) throw new UsageException("watching needs a police account: luutru login --email …");
        var seen = 0;
        var done = new TaskCompletionSource();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(options.BaseAddress, PoliceHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(options.AccessToken))
            .AddJsonProtocol(o => LuuTruJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect()
            .Build();
        hub.On<ArrivalEvent>(nameof(IPoliceClient.Arrival), e =>
        {
            if (e.CommuneCode != commune) return;
            Console.WriteLine($"{Output.Time(e.ArrivalAt)}  {e.ReceiptNumber}  {e.PlaceName}  {e.GuestCount} khách{(e.Flags.Count > 0 ? "  ! " + string.Join(",", e.Flags) : "")}");
            if (++seen >= count) done.TrySetResult();
        });
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
        await hub.StartAsync(cancel.Token);
        Console.Error.WriteLine($"luutru watch: {commune}, đang chờ / waiting (Ctrl+C to stop)");
        var finished = await Task.WhenAny(done.Task, Task.Delay(timeout));
        return finished == done.Task ? ExitCodes.Ok : ExitCodes.Failed;
    }

    public const string ReportHelp = """
        luutru report CODE DATE [--format csv|xlsx|pdf] [--kind nightly|morning] [--version N] [--out FILE]

        Downloads the commune's report of DATE (yyyy-mm-dd): the 23:00 one (nightly, default) or the 08:00 follow-up.
        Without --out, the file gets the server's name in the current folder. Prints the file's path.
        """;

    public static async Task<int> ReportAsync(Args a)
    {
        var code = a.At(0, "the commune code");
        var date = a.At(1, "the date (yyyy-mm-dd)");
        var format = a.Get("format") ?? "pdf";
        if (format is not ("csv" or "xlsx" or "pdf")) throw new UsageException("--format is csv, xlsx or pdf");
        using var response = await Api(a).GetReportFileAsync(code, date, format, a.Get("kind"),
            a.Int("version"));
        if (!response.IsSuccessStatusCode)
        {
            var problem = Output.Parse(await response.Content.ReadAsStringAsync());
            Console.Error.WriteLine($"luutru report: {(int)response.StatusCode} {problem?.Title}");
            return ExitCodes.For(response.StatusCode);
        }
        var name = a.Get("out") ?? response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
            ?? $"bao-cao-{code}-{date}.{format}";
        await using (var file = File.Create(name)) await response.Content.CopyToAsync(file);
        Console.WriteLine(Path.GetFullPath(name));
        return ExitCodes.Ok;
    }

    public const string UploadHelp = """
        luutru upload FILE.csv|FILE.xlsx [--preview] [--yes] [--chunk STAYS]

        One row per guest, Vietnamese headers (the template: GET /api/v1/notifications/upload/template.csv or .xlsx);
        rows with the same "Nhóm" are one stay. First a preview: every row's problem, with its row and column; nothing
        is sent. Then, if some rows have problems, the valid stays are sent only after you confirm (or with --yes);
        --preview stops after the preview. Large CSV files go in chunks of --chunk stays (default 200) with a progress
        bar. Prints a line per stay: rows, status, receipt or problem. Sending the same file again answers the same
        receipts. Exit 0 when every row went, 3 when some were rejected.
        """;
}
