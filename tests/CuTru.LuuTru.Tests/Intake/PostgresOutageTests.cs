using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>A server on the chaos PostgreSQL, which the test stops and starts.</summary>
public sealed class ChaosServer : LuuTruServerFactory
{
    protected override string BasePostgres => TestEnvironment.ChaosPostgresConnectionString;
}

public sealed class PostgresOutageTests(ChaosServer server) : IClassFixture<ChaosServer>
{
    [Fact]
    public async Task With_postgres_down_notifications_are_accepted_into_redis_and_recorded_once_it_returns()
    {
        server.Clock.Set(DateTimeOffset.UtcNow);
        using var client = await Stays.HotelClientAsync(server);
        var arrival = DateTimeOffset.UtcNow.AddHours(-1);
        var before = (await (await client.SendAsync(Stays.Post(Stays.One(arrival, "001090070000"), null))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(client, before.Id);

        var receipts = new List<NotificationReceiptDto>();
        await TestEnvironment.InfraAsync("pg-down", "chaos");
        try
        {
            await WaitForModeAsync("buffering-in-redis");
            for (var i = 1; i <= 5; i++)
            {
                var response = await client.SendAsync(Stays.Post(Stays.One(arrival, $"00109007000{i}"), $"outage-{i}"));
                await Expect.Status(response, HttpStatusCode.Accepted);
                receipts.Add((await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!);
            }
            Assert.All(receipts, r => Assert.Equal(NotificationStatus.Accepted, r.Status));
            var readBack = await client.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{receipts[0].Id}", LuuTruServerFactory.Json);
            Assert.Equal(NotificationStatus.Accepted, readBack!.Status);
        }
        finally
        {
            await TestEnvironment.InfraAsync("pg-up", "chaos");
        }

        foreach (var r in receipts) await IntakeTests.WaitRecordedAsync(client, r.Id, TimeSpan.FromSeconds(60));
        var ids = receipts.Select(r => r.Id).ToList();
        Assert.Equal(5, await server.WithDbAsync(db => db.Notifications.CountAsync(n => ids.Contains(n.Id))));
        await WaitForModeAsync("normal");
    }

    [Fact]
    public async Task A_postgres_restart_under_load_loses_no_acknowledged_notification_and_stores_none_twice()
    {
        server.Clock.Set(DateTimeOffset.UtcNow);
        using var client = await Stays.HotelClientAsync(server);
        var arrival = DateTimeOffset.UtcNow.AddHours(-1);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Document, Guid Id)>();
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        var counter = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var document = $"0010900{Interlocked.Increment(ref counter) + 71000:00000}";
                try
                {
                    using var response = await client.SendAsync(Stays.Post(Stays.One(arrival, document), "restart-" + document));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                        acknowledged.Add((document, (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id));
                    else refused.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException e) { refused.Add(e.Message); }
                await Task.Delay(20);
            }
        })).ToList();

        await Task.Delay(1500);
        await TestEnvironment.InfraAsync("pg-down", "chaos");
        try { await Task.Delay(2000); }
        finally { await TestEnvironment.InfraAsync("pg-up", "chaos"); }
        await Task.Delay(1500);
        stop.Cancel();
        await Task.WhenAll(load);

        // Answered or refused with a problem: nothing in between, and most of the load answered through the restart.
        Assert.True(acknowledged.Count > counter / 2, $"{acknowledged.Count} of {counter} acknowledged; refused: {string.Join(" | ", refused.Take(3))}");
        var ids = acknowledged.Select(a => a.Id).ToList();
        var stored = await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => ids.Contains(n.Id))),
            n => n == ids.Count, TimeSpan.FromSeconds(60), 200);
        Assert.Equal(ids.Count, stored);
        var documents = acknowledged.Select(a => a.Document).ToList();
        var twice = await server.WithDbAsync(db => db.Set<CuTru.LuuTru.Server.Storage.NotificationGuest>()
            .Where(g => documents.Contains(g.DocumentNumber!)).GroupBy(g => g.DocumentNumber).CountAsync(g => g.Count() > 1));
        Assert.Equal(0, twice);
        using var admin = await server.SignInAsAdminAsync();
        Assert.Empty((await admin.GetFromJsonAsync<List<DeadLetterDto>>("/api/v1/admin/dead-letters", LuuTruServerFactory.Json))!);
        await WaitForModeAsync("normal");
    }

    private async Task WaitForModeAsync(string mode)
    {
        using var anonymous = server.Anonymous();
        var report = await Eventually.UntilAsync(
            async () => (await (await anonymous.GetAsync("/health/ready")).Content.ReadFromJsonAsync<HealthReportDto>(LuuTruServerFactory.Json))!,
            r => r.Checks["intake"].Description == mode, TimeSpan.FromSeconds(20), 200);
        Assert.Equal(mode, report.Checks["intake"].Description);
    }
}
