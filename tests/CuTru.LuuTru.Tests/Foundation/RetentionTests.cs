using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Retention;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>Nothing personal is kept past its retention (issue 16): the purge deletes a register older than
/// LuuTru:Retention:RegisterYears after its stay ended (guests, history, live events and report with it), the audit
/// trail past AuditYears, the live feed's events past LiveEventDays, reports past ReportYears, dead letters past
/// LuuTru:Intake:DeadLetterRetentionDays (issue 19); what is younger stays; the purge leaves its counts.</summary>
public sealed class RetentionTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00091";

    [Fact]
    public async Task The_purge_deletes_what_is_past_its_retention_and_keeps_the_rest()
    {
        // Two dead letters (a stream id starts with its time): one set aside 2026-10-01, past the 30 days the purge
        // below (2026-11-22) keeps; one of 2026-11-20, within them.
        var buffer = server.Services.GetRequiredService<CuTru.LuuTru.Server.Intake.IntakeBuffer>();
        var redis = server.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        foreach (var at in new[] { "2026-10-01T12:00", "2026-11-20T12:00" })
            await redis.StreamAddAsync(buffer.DeadLetterKey, "reason", "test", messageId: $"{Vn(at).ToUnixTimeMilliseconds()}-0");
        server.Clock.Set(Vn("2020-03-01T20:00"));
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2020-03-01T19:00"), "001090090001"), LuuTruServerFactory.Json);
        var old = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, old.Id);
        await Expect.Status(await hotel.PostAsJsonAsync($"/api/v1/notifications/{old.Id}/extend", new ExtendRequest(Vn("2020-03-03T12:00")), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        server.Clock.Set(Vn("2020-03-01T23:00"));
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await Expect.Status(await officer.GetAsync($"/api/v1/notifications/{old.Id}"), HttpStatusCode.OK); // an audited read in 2020
        await Expect.Status(await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2020-03-01/rebuild", null), HttpStatusCode.Created);

        server.Clock.Set(Vn("2026-11-22T20:00"));
        sent = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-22T19:00"), "001090090002"), LuuTruServerFactory.Json);
        var recent = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, recent.Id);

        using var admin = await server.SignInAsAdminAsync();
        var run = await admin.PostAsync("/api/v1/admin/retention/run", null);
        await Expect.Status(run, HttpStatusCode.OK);
        var purged = (await run.Content.ReadFromJsonAsync<RetentionResult>(LuuTruServerFactory.Json))!;
        Assert.True(purged.Notifications >= 1 && purged.Reports >= 1 && purged.AuditEntries >= 1 && purged.LiveEvents >= 1, purged.ToString());
        Assert.Equal(1, purged.DeadLetters);
        Assert.Equal($"{Vn("2026-11-20T12:00").ToUnixTimeMilliseconds()}-0", (string?)Assert.Single(await redis.StreamRangeAsync(buffer.DeadLetterKey)).Id);

        var left = await server.WithDbAsync(async db => (
            Old: await db.Notifications.AnyAsync(n => n.Id == old.Id),
            Guests: await db.NotificationGuests.AnyAsync(g => g.NotificationId == old.Id),
            History: await db.NotificationChanges.AnyAsync(c => c.NotificationId == old.Id),
            Events: await db.CommuneEvents.AnyAsync(e => e.NotificationId == old.Id),
            Report: await db.Reports.AnyAsync(r => r.CommuneCode == Commune && r.Day == new DateOnly(2020, 3, 1)),
            OldAudit: await db.AuditLog.AnyAsync(a => a.At < Vn("2021-01-01T00:00")),
            Recent: await db.Notifications.AnyAsync(n => n.Id == recent.Id),
            RecentEvents: await db.CommuneEvents.AnyAsync(e => e.NotificationId == recent.Id)));
        Assert.Equal((false, false, false, false, false, false, true, true), left);

        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=retention.purge&limit=5", LuuTruServerFactory.Json))!.Items;
        var line = System.Text.Json.JsonDocument.Parse(Assert.Single(trail).Details!).RootElement;
        Assert.Equal(purged.Notifications, line.GetProperty("notifications").GetInt32());

        var again = (await (await admin.PostAsync("/api/v1/admin/retention/run", null)).Content.ReadFromJsonAsync<RetentionResult>(LuuTruServerFactory.Json))!;
        Assert.Equal(0, again.Notifications + again.Reports + again.AuditEntries + again.LiveEvents + again.DeadLetters);
    }
}
