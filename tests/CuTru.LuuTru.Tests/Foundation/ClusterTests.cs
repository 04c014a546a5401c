using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Npgsql;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The hub as `make cluster` runs it (issue 19): HAProxy with deploy/haproxy/haproxy.cfg in front of two
/// <c>api</c> processes, one process for the drain, scheduler and relay, one PostgreSQL and one Redis; all real
/// processes. Under a steady load through HAProxy one api process is killed (kill -9), then the worker in the middle
/// of its batches, then both start again: every notification answered 202 is stored exactly once, and dashboards
/// connected through the surviving process, or reconnected to it, receive every arrival.</summary>
[Collection(CuTru.LuuTru.Tests.Reports.RunsAlone.Name)] // several servers and a steady load: not beside other tests on two cores
public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string DemoKey = "lt_demo0001_DemoKeyForLocalUseOnly0000000000";
    private readonly ProcessDatabase _database = new("cluster");
    private readonly List<Process> _processes = [];

    private Dictionary<string, string> Env(string roles) => _database.Environment(
        ("LuuTru__Roles", roles),
        ("LuuTru__Network__KnownProxies__0", "127.0.0.1"),
        // A killed worker's unacknowledged entries are claimed by its successor after this long.
        ("LuuTru__Intake__DrainClaimIdleSeconds", "3"));

    public Task InitializeAsync() => _database.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var p in _processes.Where(p => !p.HasExited)) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
        await _database.DropAsync();
    }

    private async Task<Process> StartAsync(string roles, int port)
    {
        var p = await ServerProcess.StartReadyAsync(Env(roles), port, TimeSpan.FromSeconds(90));
        _processes.Add(p);
        return p;
    }

    /// <summary>SIGKILL (what Process.Kill sends on Linux): no graceful shutdown, no flush.</summary>
    private static void Kill9(Process p)
    {
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
    }

    /// <summary>HAProxy in the foreground (-db), with the deployment's own configuration file.</summary>
    private Process StartHaproxy(int port, int api1, int api2)
    {
        var binary = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("HAProxy is not installed: make test installs it (scripts/infra.sh, LUUTRU_NEED_HAPROXY)");
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-db", "-f", Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "haproxy", "haproxy.cfg") }) psi.ArgumentList.Add(a);
        psi.Environment["LUUTRU_LISTEN"] = $"127.0.0.1:{port}";
        psi.Environment["LUUTRU_API1"] = $"127.0.0.1:{api1}";
        psi.Environment["LUUTRU_API2"] = $"127.0.0.1:{api2}";
        var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        _processes.Add(p);
        return p;
    }

    private async Task<List<(Guid Id, int Copies)>> StoredAsync()
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, count(*) over (partition by external_ref)::int from notifications where external_ref like 'cluster-%'", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<(Guid, int)>();
        while (await r.ReadAsync()) rows.Add((r.GetGuid(0), r.GetInt32(1)));
        return rows;
    }

    [Fact]
    public async Task Killing_an_api_process_and_then_the_worker_under_load_loses_nothing_stores_nothing_twice_and_dashboards_see_every_arrival()
    {
        var (front, api1Port, api2Port, workerPort) = (ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort());
        // The worker first: it migrates and seeds the demo data before the api processes start (as make cluster does).
        var worker = await StartAsync("drain,scheduler,relay", workerPort);
        var api1 = await StartAsync("api", api1Port);
        await StartAsync("api", api2Port);
        StartHaproxy(front, api1Port, api2Port);
        var baseAddress = new Uri($"http://127.0.0.1:{front}/");
        using var anonymous = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            try { return (await anonymous.GetAsync("/health/ready")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; }
        }, ok => ok, TimeSpan.FromSeconds(20)), "HAProxy answers with a ready api process behind it");

        // The commune's officer, signed in through HAProxy; one dashboard kept on api2 (the survivor) by HAProxy's
        // cookie, one on api1 (killed below).
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("canbo@demo.luutru.vn", "demo-matkhau-2026"), LuuTruServerFactory.Json);
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>(LuuTruServerFactory.Json))!.AccessToken;
        Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> On(string node) =>
            o => o.Cookies.Add(new Cookie("luutru-node", node, "/", "127.0.0.1"));
        await using var survivor = await Dashboard.ConnectAsync(baseAddress, token, On("a2"));
        var victim = await Dashboard.ConnectAsync(baseAddress, token, On("a1"));
        var victimClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        victim.Connection.Closed += _ => { victimClosed.TrySetResult(); return Task.CompletedTask; };

        // A steady load: four front desks, each posting one check-in after another, retrying what got no answer with
        // the same Idempotency-Key (as a PMS does). Only a 202 counts as acknowledged.
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var refusedForGood = 0;
        var retried = 0;
        using var stop = new CancellationTokenSource();
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var sequence = 0;
        async Task FrontDeskAsync()
        {
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref sequence);
                var body = Stays.One(arrival, $"0010900{n:D5}") with { ExternalRef = $"cluster-{n}" };
                var key = $"cluster-{n}";
                var done = false;
                for (var attempt = 0; attempt < 40 && !done; attempt++)
                {
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = JsonContent.Create(body, options: LuuTruServerFactory.Json) };
                        request.Headers.Add("Idempotency-Key", key);
                        using var response = await http.SendAsync(request);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
                            Assert.True(acknowledged.TryAdd(receipt.Id, key) || acknowledged[receipt.Id] == key);
                            done = true;
                        }
                        else if ((int)response.StatusCode < 500) { Interlocked.Increment(ref refusedForGood); done = true; }
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    if (!done) { Interlocked.Increment(ref retried); await Task.Delay(250); }
                }
                await Task.Delay(20);
            }
        }
        var desks = Enumerable.Range(0, 4).Select(_ => Task.Run(FrontDeskAsync)).ToList();

        await Task.Delay(3000);
        var beforeKill = acknowledged.Count;
        Kill9(api1);
        await victimClosed.Task.WaitAsync(TimeSpan.FromSeconds(30)); // its dashboard lost its connection
        await Task.Delay(3000);
        Assert.True(acknowledged.Count > beforeKill + 10, $"the intake went on through api2 ({beforeKill} → {acknowledged.Count})");

        // The worker, killed while it drains the load (its read entries stay unacknowledged in Redis).
        Kill9(worker);
        var whileNoWorker = acknowledged.Count;
        await Task.Delay(3000);
        Assert.True(acknowledged.Count > whileNoWorker + 10, "the intake goes on while nothing drains (buffered)");
        await StartAsync("drain,scheduler,relay", workerPort);
        await StartAsync("api", api1Port);
        await Task.Delay(3000);
        stop.Cancel();
        await Task.WhenAll(desks);
        Assert.Equal(0, refusedForGood);
        output.WriteLine($"{acknowledged.Count} notifications acknowledged, {retried} attempts retried; " +
            $"{beforeKill} before api1 was killed, {whileNoWorker} before the worker was");

        // Every acknowledged notification stored, and none twice (one row per external reference).
        var ids = acknowledged.Keys.ToHashSet();
        var stored = await Eventually.UntilAsync(StoredAsync, s => ids.IsSubsetOf(s.Select(x => x.Id)), TimeSpan.FromSeconds(60));
        Assert.Empty(ids.Except(stored.Select(s => s.Id)));
        Assert.All(stored, s => Assert.Equal(1, s.Copies));
        Assert.Equal(stored.Count, stored.Select(s => s.Id).Distinct().Count());

        // The dashboard on the survivor saw every arrival live; the one whose process died reconnects (to the survivor:
        // its cookie's process is gone) and catches up from the last event it had.
        var missedLive = await Eventually.UntilAsync(() => Task.FromResult(ids.Except(survivor.All<ArrivalEvent>().Select(a => a.NotificationId)).Count()),
            n => n == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(0, missedLive);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, survivor.Connection.State); // never dropped
        var seen = victim.All<ArrivalEvent>().ToList();
        await victim.DisposeAsync();
        await using var back = await Dashboard.ConnectAsync(baseAddress, token, On("a1"));
        var commune = survivor.All<ArrivalEvent>().First().CommuneCode;
        await back.ResumeAsync(new() { [commune] = seen.Count == 0 ? 0 : seen.Max(a => a.Sequence) });
        var missedAfterResume = await Eventually.UntilAsync(() => Task.FromResult(
            ids.Except(seen.Concat(back.All<ArrivalEvent>()).Select(a => a.NotificationId)).Count()), n => n == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(0, missedAfterResume);
    }
}
