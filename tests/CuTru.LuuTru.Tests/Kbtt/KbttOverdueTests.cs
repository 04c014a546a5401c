using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Kbtt;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>Guests not on the national system by 20:00 the day after their arrival (issue 18): the commune's dashboard
/// shows them from 20:00 on, not before, with the establishment and its phone; the 20:00 job tells the commune's
/// dashboards (a stored event). The server's clock decides, not the machine's.</summary>
public sealed class KbttOverdueTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task A_guest_not_filed_upstream_by_20_00_the_next_day_is_shown_to_the_commune_and_pushed_at_20_00()
    {
        const string commune = "00070";
        server.Clock.Set(Vn("2026-11-20T15:00"));
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn Chưa Gửi");
        // Linked (the upstream of this server is unset: nothing is ever sent, the guest stays pending).
        await server.WithDbAsync(async db =>
        {
            db.KbttLinks.Add(new KbttLink { EstablishmentId = hotel.Id, Username = "ks-test", ProtectedPassword = "-", LinkedAt = server.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
        using var key = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var sent = await key.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-20T14:00"), "001090011184"), LuuTruServerFactory.Json);
        await IntakeTests.WaitRecordedAsync(key, (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
        await Eventually.UntilAsync(() => server.WithDbAsync(db => db.KbttRelay.CountAsync(r => r.EstablishmentId == hotel.Id)), c => c == 1, intervalMs: 100);

        server.Clock.Set(Vn("2026-11-21T19:59"));
        var (_, officer) = await server.CreateOfficerAsync(commune); // signed in on the evening's shift
        async Task<IReadOnlyList<UpstreamOverdueDto>> OverdueAsync() =>
            (await officer.GetFromJsonAsync<CommuneDashboardDto>($"/api/v1/communes/{commune}/dashboard", LuuTruServerFactory.Json))!.UpstreamOverdue ?? [];
        Assert.Empty(await OverdueAsync());
        server.Clock.Set(Vn("2026-11-21T20:01"));
        var overdue = Assert.Single(await OverdueAsync());
        Assert.Equal((hotel.Id, "Khách sạn Chưa Gửi", 1, Vn("2026-11-20T14:00")), (overdue.EstablishmentId, overdue.PlaceName, overdue.Guests, overdue.OldestArrivalAt));
        Assert.NotNull(overdue.Phone);

        // The 20:00 job: one stored event for the commune, which every dashboard of it receives (now or on reconnecting).
        await using (var scope = server.Services.CreateAsyncScope())
            Assert.True(await KbttOverdue.PublishAsync(scope.ServiceProvider.GetRequiredService<LuuTruDb>(),
                scope.ServiceProvider.GetRequiredService<CuTru.LuuTru.Server.Police.PoliceFeed>(), server.Clock.GetUtcNow(), default) >= 1);
        Assert.Equal(1, await server.WithDbAsync(db => db.CommuneEvents.CountAsync(e => e.CommuneCode == commune && e.Kind == "upstream-overdue")));

        // Filed (here: marked sent) and it is no longer overdue.
        await server.WithDbAsync(db => db.KbttRelay.Where(r => r.EstablishmentId == hotel.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RelayState.Sent)));
        Assert.Empty(await OverdueAsync());
    }
}
