using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Net;
using System.Text;
using CuTru.LuuTru.Cli;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;
using Refit;

// luutru: the command line of CuTru.LuuTru. Exit codes scripts can rely on (ExitCodes), --help on every command.
// Parsing is System.CommandLine's: options are typed, and anything it cannot read is a usage error (exit 2).
Console.OutputEncoding = Encoding.UTF8;

var server = new Option<string?>("--server") { Description = "the server's URL (or LUUTRU_SERVER; saved by luutru login)", Recursive = true };
var apiKey = new Option<string?>("--api-key") { Description = "an establishment's API key (or LUUTRU_API_KEY)", Recursive = true };
var lang = new Option<string?>("--lang") { Description = "vi (default) or en: the language of the server's messages", Recursive = true };
var root = new RootCommand("luutru — thông báo lưu trú từ dòng lệnh / stay notifications from the command line") { server, apiKey, lang };
var helps = new Dictionary<string, string>(StringComparer.Ordinal);

Add("login", "sign in and remember the server", Commands.LoginHelp, Commands.LoginAsync, [],
    Text("--email"), Flag("--password-stdin"));
Add("notify", "notify one stay (flags or a JSON file)", Commands.NotifyHelp, Commands.NotifyAsync, [],
    Text("--file"), Text("--arrival"), Text("--departure"), Text("--reason"), Text("--reason-detail"), Text("--room"), Text("--ref"),
    new Option<string[]>("--guest") { Description = "name|date of birth|gender|document type|number[|nationality], once per guest" },
    Flag("--validate"));
Add("upload", "send a CSV or XLSX file of guests, with a per-row report", Commands.UploadHelp, Upload.RunAsync, ["file"],
    Flag("--preview"), Flag("--yes", "-y"), Whole("--chunk", "stays per call (default 200)"));
Add("status", "a receipt's status", Commands.StatusHelp, Commands.StatusAsync, ["receipt"], Text("--phone"));
Add("checkout", "check out a stay or some of its guests", Commands.CheckoutHelp, Commands.CheckoutAsync, ["id"],
    new Option<int[]>("--guest") { Description = "a guest's index, once per guest" }, Text("--at"));
Add("watch", "tail a commune's arrivals live", Commands.WatchHelp, Commands.WatchAsync, [],
    Text("--commune"), Whole("--count", "stop after N arrivals"),
    Seconds("--timeout", "stop after this many seconds"));
Add("admin", "admin tasks: the dead letters of the intake", Commands.AdminHelp, Commands.AdminAsync, ["what", "action", "id"]);
Add("report", "download a commune's report as csv, xlsx or pdf", Commands.ReportHelp, Commands.ReportAsync, ["code", "date"],
    Text("--format"), Text("--kind"), Whole("--version", "a stored version (default the latest)"), Text("--out"));

// A command's --help starts with its own text (usage lines with examples), then System.CommandLine's list of options.
var helpOption = root.Options.OfType<HelpOption>().Single();
helpOption.Action = new CommandHelp((SynchronousCommandLineAction)helpOption.Action!, helps);

if (args.Length == 0)
{
    await root.Parse(["--help"]).InvokeAsync();
    Console.WriteLine(Footer());
    return ExitCodes.Usage;
}
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    var name = parsed.CommandResult.Command is RootCommand ? "luutru" : "luutru " + parsed.CommandResult.Command.Name;
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"{name}: {error.Message}");
    Console.Error.WriteLine($"({name} --help)");
    return ExitCodes.Usage;
}
var exit = await parsed.InvokeAsync();
if (args is ["--help" or "-h" or "-?"]) Console.WriteLine(Footer());
return exit;

static string Footer() => $"""

    common options: --server URL (or LUUTRU_SERVER), --api-key KEY (or LUUTRU_API_KEY), --lang vi|en
    settings are kept in {Config.DefaultPath()} (LUUTRU_CONFIG overrides the path)

    exit codes: 0 done · 1 failed · 2 wrong usage · 3 rejected by the rules (some or all) · 4 not signed in or not allowed
                5 not found · 6 server unavailable
    """;

static Option<string?> Text(string name) => new(name);

// Numbers are read here, with a message that says what is wanted (not a .NET type name).
static Option<int?> Whole(string name, string description, int min = 1) => new(name)
{
    Description = description,
    CustomParser = r =>
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min) return v;
        r.AddError($"{name} takes a whole number from {min} ('{text}' is not one)");
        return null;
    },
};

static Option<double?> Seconds(string name, string description) => new(name)
{
    Description = description,
    CustomParser = r =>
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v > 0) return v;
        r.AddError($"{name} takes a number of seconds above 0 ('{text}' is not one)");
        return null;
    },
};

static Option<bool> Flag(string name, params string[] aliases) => new(name, aliases);

void Add(string name, string summary, string help, Func<Args, Task<int>> run, string[] arguments, params Option[] options)
{
    var command = new Command(name, summary);
    helps[name] = help.TrimEnd();
    var positional = arguments.Select(a => new Argument<string>(a) { Arity = ArgumentArity.ZeroOrOne }).ToList();
    foreach (var a in positional) command.Arguments.Add(a);
    foreach (var o in options) command.Options.Add(o);
    var byName = options.Concat([server, apiKey, lang]).ToDictionary(o => o.Name.TrimStart('-'));
    command.SetAction(async (ParseResult result, CancellationToken _) => await RunAsync(name, run, new Args(result, byName, positional)));
    root.Subcommands.Add(command);
}

static async Task<int> RunAsync(string name, Func<Args, Task<int>> run, Args a)
{
    try
    {
        return await run(a);
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"luutru {name}: {e.Message}");
        Console.Error.WriteLine($"(luutru {name} --help)");
        return ExitCodes.Usage;
    }
    catch (ApiException e)
    {
        return Output.Problem(e);
    }
    catch (HttpRequestException e)
    {
        Console.Error.WriteLine($"luutru: cannot reach the server: {e.Message}");
        return ExitCodes.Unavailable;
    }
    catch (TaskCanceledException)
    {
        Console.Error.WriteLine("luutru: the server did not answer in time");
        return ExitCodes.Unavailable;
    }
}

namespace CuTru.LuuTru.Cli
{
    /// <summary>--help: the command's own text first (when it has one), then the generated help.</summary>
    public sealed class CommandHelp(SynchronousCommandLineAction generated, IReadOnlyDictionary<string, string> texts) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            if (texts.TryGetValue(parseResult.CommandResult.Command.Name, out var text)) Console.WriteLine(text + Environment.NewLine);
            return generated.Invoke(parseResult);
        }
    }

    public static class ExitCodes
    {
        public const int Ok = 0, Failed = 1, Usage = 2, Rejected = 3, Denied = 4, NotFound = 5, Unavailable = 6;

        public static int For(HttpStatusCode status) => status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge => Rejected,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Denied,
            HttpStatusCode.NotFound => NotFound,
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => Unavailable,
            _ => Failed,
        };
    }

    public sealed class UsageException(string message) : Exception(message);

    /// <summary>What a command was given, as System.CommandLine parsed it (types checked there: a bad number is a usage
    /// error, exit 2). Options and arguments by name, so the commands read as before.</summary>
    public sealed class Args(ParseResult parsed, IReadOnlyDictionary<string, Option> options, IReadOnlyList<Argument<string>> arguments)
    {
        private T? Value<T>(string name) => options.TryGetValue(name, out var o) && o is Option<T> typed ? parsed.GetValue(typed) : default;

        public bool Flag(string name) => Value<bool>(name);
        public string? Get(string name) => Value<string?>(name);
        public int? Int(string name) => Value<int?>(name);
        public double? Number(string name) => Value<double?>(name);
        public IReadOnlyList<string> All(string name) => Value<string[]>(name) ?? [];
        public IReadOnlyList<int> Ints(string name) => Value<int[]>(name) ?? [];
        public string Require(string name) => Get(name) ?? throw new UsageException($"--{name} is required");
        public string At(int index, string what) =>
            index < arguments.Count && parsed.GetValue(arguments[index]) is { Length: > 0 } v ? v : throw new UsageException($"{what} is missing");
    }

    public static class Output
    {
        /// <summary>A problem answer printed as the server said it (Vietnamese by default), field by field.</summary>
        public static int Problem(ApiException e)
        {
            var problem = Parse(e.Content);
            Console.Error.WriteLine($"luutru: {(int)e.StatusCode} {problem?.Title ?? e.ReasonPhrase}");
            if (problem?.Errors is { } errors)
                foreach (var (path, list) in errors)
                    foreach (var item in list) Console.Error.WriteLine($"  {path}: {item.Message}");
            return ExitCodes.For(e.StatusCode);
        }

        public static Contracts.ProblemResponse? Parse(string? content)
        {
            if (string.IsNullOrWhiteSpace(content)) return null;
            try { return System.Text.Json.JsonSerializer.Deserialize<Contracts.ProblemResponse>(content, Contracts.LuuTruJson.CreateOptions()); }
            catch (System.Text.Json.JsonException) { return null; }
        }

        public static string Time(DateTimeOffset t) =>
            VietnamTime.ToVietnam(t).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

        /// <summary>A deadline, or that there is none (a stay that need not be notified).</summary>
        public static string Time(DateTimeOffset? t) => t is { } v ? Time(v) : "không có / none";
    }
}
