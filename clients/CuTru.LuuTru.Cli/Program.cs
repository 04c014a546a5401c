using CuTru.LuuTru.Contracts;
using System.Globalization;
using System.Net;
using System.Text;
using CuTru.LuuTru.Cli;
using CuTru.LuuTru.Client;
using Refit;

// luutru: the command line of CuTru.LuuTru. Exit codes scripts can rely on (ExitCodes), --help on every command.
Console.OutputEncoding = Encoding.UTF8;
var commands = new Dictionary<string, (string Summary, string Help, Func<Args, Task<int>> Run)>(StringComparer.Ordinal)
{
    ["login"] = ("sign in and remember the server", Commands.LoginHelp, Commands.LoginAsync),
    ["notify"] = ("notify one stay (flags or a JSON file)", Commands.NotifyHelp, Commands.NotifyAsync),
    ["upload"] = ("send a CSV or XLSX file of guests, with a per-row report", Commands.UploadHelp, Upload.RunAsync),
    ["status"] = ("a receipt's status", Commands.StatusHelp, Commands.StatusAsync),
    ["checkout"] = ("check out a stay or some of its guests", Commands.CheckoutHelp, Commands.CheckoutAsync),
    ["watch"] = ("tail a commune's arrivals live", Commands.WatchHelp, Commands.WatchAsync),
    ["report"] = ("download a commune's report as csv, xlsx or pdf", Commands.ReportHelp, Commands.ReportAsync),
};

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine($"""
        luutru — thông báo lưu trú từ dòng lệnh / stay notifications from the command line

        usage: luutru <command> [options]      luutru <command> --help

        commands:
        {string.Join("\n", commands.Select(c => $"  {c.Key,-10} {c.Value.Summary}"))}

        common options: --server URL (or LUUTRU_SERVER), --api-key KEY (or LUUTRU_API_KEY), --lang vi|en
        settings are kept in {Config.DefaultPath()} (LUUTRU_CONFIG overrides the path)

        exit codes: 0 done · 1 failed · 2 wrong usage · 3 rejected by the rules (some or all) · 4 not signed in or not allowed
                    5 not found · 6 server unavailable
        """);
    return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
}
if (args[0] is "--version") { Console.WriteLine(typeof(Commands).Assembly.GetName().Version); return ExitCodes.Ok; }
if (!commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine($"luutru: unknown command '{args[0]}' (luutru --help)");
    return ExitCodes.Usage;
}
var parsed = Args.Parse(args.Skip(1).ToArray());
if (parsed.Flag("help") || parsed.Flag("h"))
{
    Console.WriteLine(command.Help);
    return ExitCodes.Ok;
}
try
{
    return await command.Run(parsed);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"luutru {args[0]}: {e.Message}");
    Console.Error.WriteLine($"(luutru {args[0]} --help)");
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

namespace CuTru.LuuTru.Cli
{
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

    /// <summary>--name value, --flag, repeated options, positionals.</summary>
    public sealed class Args
    {
        private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
        private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
        public List<string> Positional { get; } = [];

        private static readonly HashSet<string> FlagNames = ["help", "h", "yes", "y", "preview", "validate", "json", "password-stdin"];

        public static Args Parse(string[] args)
        {
            var result = new Args();
            for (var i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (a.StartsWith("--", StringComparison.Ordinal) || (a.StartsWith('-') && a.Length == 2))
                {
                    var name = a.TrimStart('-');
                    string? value = null;
                    var eq = name.IndexOf('=');
                    if (eq > 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                    if (value is null && FlagNames.Contains(name)) { result._flags.Add(name); continue; }
                    if (value is null)
                    {
                        if (i + 1 >= args.Length) throw new UsageException($"--{name} needs a value");
                        value = args[++i];
                    }
                    if (!result._options.TryGetValue(name, out var list)) result._options[name] = list = [];
                    list.Add(value);
                }
                else result.Positional.Add(a);
            }
            return result;
        }

        public bool Flag(string name) => _flags.Contains(name);
        public string? Get(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;
        public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var v) ? v : [];
        public string Require(string name) => Get(name) ?? throw new UsageException($"--{name} is required");
        public string At(int index, string what) => index < Positional.Count ? Positional[index] : throw new UsageException($"{what} is missing");
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
    }
}
