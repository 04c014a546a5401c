using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Npgsql;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>kill -9 under load: every notification that got a 202 is in PostgreSQL exactly once, and a request whose
/// answer was lost in the crash, sent again with its Idempotency-Key, gets its receipt and is still stored once.</summary>
public sealed class CrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string DemoKey = "lt_demo0001_DemoKeyForLocalUseOnly0000000000";
    private readonly ProcessDatabase _database = new("crash");
    private Dictionary<string, string> _env = [];

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        // The restarted process takes over what the killed one had read but not acknowledged.
        _env = _database.Environment(("LuuTru__Intake__DrainClaimIdleSeconds", "2"));
    }

    public Task DisposeAsync() => _database.DropAsync();

    /// <summary>The server as its own process on a free port, and a client with the demo establishment's key.</summary>
    private async Task<(int Port, Process Server, HttpClient Http)> StartAsync(TimeSpan requestTimeout)
    {
        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartReadyAsync(_env, port, TimeSpan.FromSeconds(60));
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = requestTimeout };
        http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        return (port, server, http);
    }

    private sealed record Sent(string Key, NotificationRequest Body, NotificationReceiptDto? Receipt);

    [Fact]
    public async Task Killing_the_server_under_load_loses_nothing_that_was_acknowledged()
    {
        var (port, first, http) = await StartAsync(TimeSpan.FromSeconds(5));
        using var _http = http;

        var sent = new ConcurrentBag<Sent>();
        var counter = 0;
        using var stop = new CancellationTokenSource();
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && counter < 5000)
            {
                var i = Interlocked.Increment(ref counter);
                var body = Stays.One(arrival, $"0010900{i:00000}");
                var key = $"crash-{i}";
                sent.Add(new Sent(key, body, await TrySendAsync(http, key, body)));
            }
        })).ToList();

        // Kill once the load is well under way (a cold server on a busy machine answers its first requests slowly).
        var underWay = DateTime.UtcNow.AddSeconds(30);
        while (sent.Count(s => s.Receipt is not null) < 100 && DateTime.UtcNow < underWay) await Task.Delay(50);
        first.Kill(entireProcessTree: true); // SIGKILL: no graceful shutdown, no flush
        await first.WaitForExitAsync();
        stop.Cancel();
        await Task.WhenAll(load);

        var acknowledged = sent.Where(s => s.Receipt is not null).ToList();
        var lost = sent.Where(s => s.Receipt is null).ToList();
        Assert.True(acknowledged.Count > 50, $"the load should have got some answers before the kill ({acknowledged.Count})");
        output.WriteLine($"before the kill: {acknowledged.Count} acknowledged, {lost.Count} without an answer");

        var second = await ServerProcess.StartReadyAsync(_env, port, TimeSpan.FromSeconds(60));
        try
        {
            // The lost answers, asked again with the same keys; and some answered ones too: the same receipt comes back.
            var resent = new List<(Sent Original, NotificationReceiptDto Receipt)>();
            foreach (var s in lost.Concat(acknowledged.Take(20)))
            {
                var again = await TrySendAsync(http, s.Key, s.Body);
                Assert.NotNull(again);
                if (s.Receipt is not null) Assert.Equal((s.Receipt.Id, s.Receipt.ReceiptNumber), (again.Id, again.ReceiptNumber));
                resent.Add((s, again));
            }

            var expected = acknowledged.Select(a => a.Receipt!.Id).Concat(resent.Select(r => r.Receipt.Id)).ToHashSet();
            var documents = sent.Where(s => s.Receipt is not null || lost.Contains(s)).Select(s => s.Body.Guests![0]!.Document!.Number!).ToList();
            await using var conn = new NpgsqlConnection(_database.ConnectionString);
            await conn.OpenAsync();
            var until = DateTime.UtcNow.AddSeconds(60);
            long recorded;
            do
            {
                await Task.Delay(200);
                await using var cmd = new NpgsqlCommand("select count(*) from notifications where id = any(@ids)", conn);
                cmd.Parameters.AddWithValue("ids", expected.ToArray());
                recorded = (long)(await cmd.ExecuteScalarAsync())!;
            } while (recorded < expected.Count && DateTime.UtcNow < until);
            Assert.Equal(expected.Count, recorded);

            await using var dup = new NpgsqlCommand(
                "select count(*) from (select document_number from notification_guests where document_number = any(@docs) group by document_number having count(*) > 1) d", conn);
            dup.Parameters.AddWithValue("docs", documents.ToArray());
            Assert.Equal(0L, (long)(await dup.ExecuteScalarAsync())!);
            await using var all = new NpgsqlCommand("select count(*) from notifications", conn);
            Assert.Equal((long)expected.Count, (long)(await all.ExecuteScalarAsync())!);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Killing_the_draining_process_in_the_middle_of_its_COPY_loses_nothing_and_stores_nothing_twice()
    {
        var (port, first, http) = await StartAsync(TimeSpan.FromSeconds(10));
        using var _http = http;
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var connectionString = _database.ConnectionString;
        var acknowledged = new List<NotificationReceiptDto>();
        for (var i = 0; i < 5; i++) acknowledged.Add((await TrySendAsync(http, $"copy-before-{i}", Stays.One(arrival, $"00109011{i:0000}")))!);

        // The notifications table held in SHARE mode: the drain's next COPY starts and waits inside its transaction.
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await new NpgsqlCommand("lock table notifications in share mode", holder, hold).ExecuteNonQueryAsync();
        for (var i = 0; i < 30; i++)
        {
            var receipt = await TrySendAsync(http, $"copy-during-{i}", Stays.One(arrival, $"00109012{i:0000}"));
            Assert.NotNull(receipt); // the intake needs Redis only
            acknowledged.Add(receipt);
        }
        await using (var watch = new NpgsqlConnection(connectionString))
        {
            await watch.OpenAsync();
            var copying = await Eventually.UntilAsync(async () =>
            {
                await using var cmd = new NpgsqlCommand(
                    "select count(*) from pg_stat_activity where datname = current_database() and query ilike 'copy notifications %' and wait_event_type = 'Lock'", watch);
                return (long)(await cmd.ExecuteScalarAsync())!;
            }, n => n > 0, TimeSpan.FromSeconds(30), 100);
            Assert.True(copying > 0, "the drain should be in the middle of a COPY, waiting for the table");
        }
        first.Kill(entireProcessTree: true); // SIGKILL in the middle of the COPY
        await first.WaitForExitAsync();
        await hold.RollbackAsync();

        var second = await ServerProcess.StartReadyAsync(_env, port, TimeSpan.FromSeconds(60));
        try
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            var ids = acknowledged.Select(a => a.Id).ToArray();
            var recorded = await Eventually.UntilAsync(async () =>
            {
                await using var cmd = new NpgsqlCommand("select count(*) from notifications where id = any(@ids)", conn);
                cmd.Parameters.AddWithValue("ids", ids);
                return (long)(await cmd.ExecuteScalarAsync())!;
            }, n => n >= ids.Length, TimeSpan.FromSeconds(60), 200);
            Assert.Equal(ids.Length, recorded);
            await using var all = new NpgsqlCommand("select count(*), count(distinct g.document_number) from notifications n join notification_guests g on g.notification_id = n.id", conn);
            await using var reader = await all.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((ids.Length, ids.Length), ((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private static async Task<NotificationReceiptDto?> TrySendAsync(HttpClient http, string key, NotificationRequest body)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications")
            {
                Content = JsonContent.Create(body, options: LuuTruServerFactory.Json),
                Headers = { { "Idempotency-Key", key } },
            };
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted) return null;
            return await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
        {
            return null;
        }
    }
}
