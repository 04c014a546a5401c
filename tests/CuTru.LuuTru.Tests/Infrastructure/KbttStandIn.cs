using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>The national system's stand-in (tests/CuTru.LuuTru.KbttStandIn) in its own process on a loopback port: the
/// relay's upstream in tests. Accounts as "user:password:maTT:maPX".</summary>
public sealed class KbttStandIn : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control;
    public Uri BaseAddress { get; }

    public sealed record Filing(string User, string Kind, string Document, DateTimeOffset At);

    public KbttStandIn(IEnumerable<string> accounts, int tokenSeconds = 3600)
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "CuTru.LuuTru.KbttStandIn", "bin", ServerProcess.Configuration, "net10.0",
            "CuTru.LuuTru.KbttStandIn.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the stand-in first (it builds with the tests)", dll);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(BaseAddress.ToString());
        psi.Environment["KBTT_STANDIN_ACCOUNTS"] = string.Join(";", accounts);
        psi.Environment["KBTT_STANDIN_TOKEN_SECONDS"] = tokenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _control = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { if (_control.GetAsync("/_standin/health").GetAwaiter().GetResult().IsSuccessStatusCode) break; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("the KBTT stand-in did not start");
            Thread.Sleep(100);
        }
    }

    /// <summary>The next <paramref name="count"/> filing requests fail this way (timeout, error-500, drop-after-accept,
    /// http200-code400, expire-tokens).</summary>
    public async Task FailAsync(string mode, int count = 1) =>
        (await _control.PostAsJsonAsync("/_standin/fail", new { mode, count })).EnsureSuccessStatusCode();

    public async Task<List<Filing>> FilingsAsync() => (await _control.GetFromJsonAsync<List<Filing>>("/_standin/filings"))!;

    /// <summary>How often the token and refresh calls were made.</summary>
    public async Task<Dictionary<string, int>> CallsAsync() => (await _control.GetFromJsonAsync<Dictionary<string, int>>("/_standin/calls"))!;

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
        _control.Dispose();
    }
}
