using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Reports;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Reports;

/// <summary>Issue 19: the first report build after a start is not the slow one. A process of role scheduler rehearses a
/// build at start (ReportWarmUp): the register's own queries over made-up rows that stand in for its tables, written
/// into a report kept nowhere. It must read none of the register and keep nothing.</summary>
public sealed class ReportWarmUpTests(ReportWarmUpTests.SoonServer server) : IClassFixture<ReportWarmUpTests.SoonServer>
{
    /// <summary>The rehearsal a second after the start instead of a minute.</summary>
    public sealed class SoonServer : LuuTruServerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Reports:WarmUpDelaySeconds"] = "1" };
    }

    [Fact]
    public async Task The_reports_rehearsal_reads_its_made_up_register_not_the_real_one_and_keeps_nothing()
    {
        // A real notification in the rehearsal's window (tonight's, by the server's clock): a rehearsal that read the
        // register would count it.
        server.Clock.Set(Vn("2026-11-18T10:00"));
        using var hotel = await Stays.HotelClientAsync(server, "00025");
        var sent = await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-18T09:30"), "001090020098"), null));
        await IntakeTests.WaitRecordedAsync(hotel, (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var (notifications, guests, bytes) = await scope.ServiceProvider.GetRequiredService<ReportBuilder>()
                .RehearseAsync(300, CancellationToken.None);
            // Every made-up notification, and its two guests arranged under it, through the register's queries into a report.
            Assert.Equal((300, 600), (notifications, guests));
            Assert.True(bytes > 300 * 200, $"{bytes} bytes of report");
        }
        // The one at start (in the background, a second after it here) went the same way, with the default count.
        var warmUp = server.Services.GetServices<IHostedService>().OfType<ReportWarmUp>().Single();
        Assert.Equal((2_000, 4_000), await Eventually.UntilAsync(() => Task.FromResult(warmUp.Rehearsed), r => r.Notifications > 0, TimeSpan.FromSeconds(30)));
        var kept = await server.WithDbAsync(async db => (await db.Reports.CountAsync(), await db.Notifications.CountAsync(n => n.CommuneCode == "99999")));
        Assert.Equal((0, 0), kept);
    }
}
