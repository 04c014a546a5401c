using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>The dashboard read is the register of a duty day (D 08:00 to D+1 08:00, the two reports of D): lines by
/// reception, as they now are, and counters counted from those lines.</summary>
public sealed class DashboardApiTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00136";

    private async Task<NotificationReceiptDto> SendAsync(HttpClient hotel, string arrival, string document)
    {
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn(arrival), document), LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
        return receipt;
    }

    [Fact]
    public async Task A_duty_day_lists_what_was_received_in_it_as_it_now_is_and_counts_from_those_lines()
    {
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        server.Clock.Set(Vn("2026-11-21T08:00")); // the last moment of the 20th's duty day
        var night = await SendAsync(hotel, "2026-11-21T01:00", "001090136001");
        server.Clock.Set(Vn("2026-11-21T08:00:01"));
        var morning = await SendAsync(hotel, "2026-11-21T07:30", "001090136002");
        var cancelled = await SendAsync(hotel, "2026-11-21T07:45", "001090136003");
        await Expect.Status(await hotel.PostAsJsonAsync($"/api/v1/notifications/{cancelled.Id}/cancel", new CancelRequest("Nhầm"), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        var (_, officer) = await server.CreateOfficerAsync(Commune);

        var today = (await officer.GetFromJsonAsync<CommuneDashboardDto>($"/api/v1/communes/{Commune}/dashboard", LuuTruServerFactory.Json))!;
        Assert.Equal((new DateOnly(2026, 11, 21), Vn("2026-11-21T08:00"), Vn("2026-11-22T08:00")), (today.Day, today.WindowStart, today.WindowEnd));
        Assert.Equal([cancelled.ReceiptNumber, morning.ReceiptNumber], today.Rows.Select(r => r.ReceiptNumber).Order().Reverse().ToArray());
        Assert.Equal(NotificationStatus.Cancelled, today.Rows.Single(r => r.NotificationId == cancelled.Id).Status);
        Assert.Equal((1, 1, 1), (today.Counters.Arrivals, today.Counters.Guests, today.Counters.Cancelled));
        Assert.Equal(today.Rows.Count(r => r.Status != NotificationStatus.Cancelled), today.Counters.Arrivals);
        Assert.Equal(1, today.ArrivalsPerHour.Sum());

        var yesterday = (await officer.GetFromJsonAsync<CommuneDashboardDto>($"/api/v1/communes/{Commune}/dashboard?day=2026-11-20", LuuTruServerFactory.Json))!;
        Assert.Equal([night.Id], yesterday.Rows.Select(r => r.NotificationId).ToArray());
        Assert.Equal(1, yesterday.Counters.Arrivals);
    }
}
