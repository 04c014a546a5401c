using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Reports;

/// <summary>A server that builds a night's reports one commune at a time (LuuTru:Reports:BuildChunkNotifications = 1).</summary>
public sealed class OneCommunePerGroupServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Reports:BuildChunkNotifications"] = "1",
    };
}

/// <summary>Issue 19: the night's reports are built a group of communes at a time, so the build's memory is bounded by
/// a group, not the night. Cut into the smallest groups, every commune still gets the report a build of that commune
/// alone gives: the same lines, nothing lost or counted twice, communes with establishments and no arrivals included.</summary>
public sealed class ReportChunkTests(OneCommunePerGroupServer server) : IClassFixture<OneCommunePerGroupServer>
{
    [Fact]
    public async Task Built_a_commune_at_a_time_every_commune_gets_the_report_of_its_own_build()
    {
        server.Clock.Set(Vn("2026-11-16T08:30"));
        var posted = new Dictionary<string, List<string>>();
        foreach (var (commune, guests) in new[] { ("00004", 2), ("00008", 1), ("00025", 1) })
        {
            using var hotel = await Stays.HotelClientAsync(server, commune);
            for (var i = 0; i < guests; i++)
            {
                var response = await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-16T08:00"), $"00109003{commune[3..]}{i}{guests}"), null));
                await Expect.Status(response, HttpStatusCode.Accepted);
                var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
                await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
                (posted.TryGetValue(commune, out var list) ? list : posted[commune] = []).Add(receipt.ReceiptNumber);
                server.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        var quiet = await server.CreateEstablishmentAsync("00091", name: "Nhà nghỉ Chưa Có Khách"); // approved, no arrivals: still a report

        server.Clock.Set(Vn("2026-11-16T23:30"));
        using var admin = await server.SignInAsAdminAsync();
        var response2 = await admin.PostAsync("/api/v1/reports/2026-11-16/rebuild?kind=nightly", null);
        await Expect.Status(response2, HttpStatusCode.OK);
        var run = (await response2.Content.ReadFromJsonAsync<ReportRunDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(4, run.Notifications);
        Assert.True(run.Communes >= 4, $"{run.Communes} communes");

        foreach (var commune in posted.Keys.Append("00091"))
        {
            var (_, officer) = await server.CreateOfficerAsync(commune);
            var night = (await officer.GetFromJsonAsync<CommuneReportDto>($"/api/v1/communes/{commune}/reports/2026-11-16", LuuTruServerFactory.Json))!;
            var alone = (await (await officer.PostAsync($"/api/v1/communes/{commune}/reports/2026-11-16/rebuild", null))
                .Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;
            var expected = posted.GetValueOrDefault(commune) ?? [];
            Assert.Equal(expected.Order(), night.Register.Select(e => e.ReceiptNumber).Order());
            Assert.Equal(alone.Register.Select(e => e.ReceiptNumber), night.Register.Select(e => e.ReceiptNumber));
            Assert.Equal(alone.Totals, night.Totals);
            Assert.Equal(alone.ByEstablishment, night.ByEstablishment);
            if (commune == "00091") Assert.Contains(night.ByEstablishment, e => e.Id == quiet.Id && e.Notifications == 0);
        }
    }
}
