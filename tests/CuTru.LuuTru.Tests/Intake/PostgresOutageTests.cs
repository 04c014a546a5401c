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

    private async Task WaitForModeAsync(string mode)
    {
        using var anonymous = server.Anonymous();
        var report = await Eventually.UntilAsync(
            async () => (await (await anonymous.GetAsync("/health/ready")).Content.ReadFromJsonAsync<HealthReportDto>(LuuTruServerFactory.Json))!,
            r => r.Checks["intake"].Description == mode, TimeSpan.FromSeconds(20), 200);
        Assert.Equal(mode, report.Checks["intake"].Description);
    }
}
