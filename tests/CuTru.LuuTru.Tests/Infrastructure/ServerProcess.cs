using System.Diagnostics;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>Runs the built server (src/CuTru.LuuTru.Server/bin/...) as its own process.</summary>
public static class ServerProcess
{
    /// <summary>The build configuration of these tests, which the processes they start were built with too.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string ServerDll
    {
        get
        {
            var dll = Path.Combine(TestEnvironment.RepositoryRoot, "src", "CuTru.LuuTru.Server", "bin", Configuration, "net10.0", "CuTru.LuuTru.Server.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("build the server first", dll);
            return dll;
        }
    }

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string urls = "http://127.0.0.1:0")
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerDll)!,
        };
        psi.ArgumentList.Add(ServerDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(urls);
        // Only what the test says: nothing inherited from `make test`'s own settings.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("LuuTru__", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Starts the server and waits for it to exit on its own (it must, within the timeout).</summary>
    public static async Task<(int ExitCode, string Stderr)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(environment))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the server did not stop by itself within {timeout}; stdout: {await stdout}");
        }
        await stdout;
        return (process.ExitCode, await stderr);
    }

    /// <summary>Starts the server and waits until /health/ready answers 200.</summary>
    public static async Task<Process> StartReadyAsync(IReadOnlyDictionary<string, string> environment, int port, TimeSpan timeout)
    {
        var process = Process.Start(StartInfo(environment, $"http://127.0.0.1:{port}"))!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return process;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the server was not ready in time");
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
