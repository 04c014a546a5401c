using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Npgsql;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>LuuTru:Roles (issue 19): a process of role api takes notifications but stores nothing itself; a process of
/// the other roles on the same PostgreSQL and Redis serves no API (health only) and drains what the first took. Real
/// processes of the built server.</summary>
public sealed class RolesTests : IAsyncLifetime
{
    private const string DemoKey = "lt_demo0001_DemoKeyForLocalUseOnly0000000000";
    private readonly ProcessDatabase _database = new("roles");

    private Dictionary<string, string> Env(string roles) => _database.Environment(("LuuTru__Roles", roles));

    public Task InitializeAsync() => _database.CreateAsync();
    public Task DisposeAsync() => _database.DropAsync();

    private Task<long> StoredAsync() => _database.ScalarAsync<long>("select count(*) from notifications");

    [Fact]
    public async Task An_api_process_takes_notifications_and_a_worker_process_without_api_stores_them()
    {
        var apiPort = ServerProcess.FreePort();
        var api = await ServerProcess.StartReadyAsync(Env("api"), apiPort, TimeSpan.FromSeconds(60));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
            http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
            var sent = await http.PostAsJsonAsync("/api/v1/notifications", Stays.One(DateTimeOffset.UtcNow.AddMinutes(-10), "001090055511"), LuuTruServerFactory.Json);
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            await Task.Delay(2000);
            Assert.Equal(0, await StoredAsync()); // taken, buffered: no drain in an api process

            var workerPort = ServerProcess.FreePort();
            var worker = await ServerProcess.StartReadyAsync(Env("drain,scheduler,relay"), workerPort, TimeSpan.FromSeconds(60));
            try
            {
                using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{workerPort}") };
                Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/health/ready")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/api/v1/reasons")).StatusCode); // no API here
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (await StoredAsync() == 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
                Assert.Equal(1, await StoredAsync());
            }
            finally
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }
}

/// <summary>LuuTru:Logging:Json: the log as one JSON object per line, for a collector.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task With_json_logging_every_line_the_server_writes_is_a_json_object()
    {
        var port = ServerProcess.FreePort();
        var psi = ServerProcess.StartInfo(new Dictionary<string, string>
        {
            ["LuuTru__Database__ConnectionString"] = TestEnvironment.PostgresConnectionString,
            ["LuuTru__Redis__ConnectionString"] = TestEnvironment.RedisConnectionString,
            ["LuuTru__Redis__KeyPrefix"] = $"jsonlog:{Guid.NewGuid():N}:",
            ["LuuTru__Auth__SigningKey"] = "json-log-signing-key-0123456789-abcdefghijk",
            ["LuuTru__Logging__Json"] = "true",
            ["LuuTru__Roles"] = "api", // no scheduler on the shared test database
        }, $"http://127.0.0.1:{port}");
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
            var until = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < until && !lines.Any(l => l.Contains("Now listening", StringComparison.Ordinal))) await Task.Delay(100);
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                using var json = System.Text.Json.JsonDocument.Parse(line); // throws if a line is not JSON
                Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
            }
            Assert.Contains(lines, l => l.Contains("Now listening", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
