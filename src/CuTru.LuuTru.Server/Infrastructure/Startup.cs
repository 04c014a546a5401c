using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

public static class Startup
{
    /// <summary>Runs the server. A configuration problem stops it with one line that names the setting, and exit code 1.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (Explain(e) is { } message)
        {
            Console.Error.WriteLine($"luutru: cannot start: {message}");
            return 1;
        }
    }

    internal static string? Explain(Exception e) => e switch
    {
        OptionsValidationException o => string.Join(" ", o.Failures),
        StartupException s => s.Message,
        AggregateException a => a.InnerExceptions.Select(Explain).FirstOrDefault(m => m is not null),
        _ => null,
    };
}
