using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

public sealed class LifecycleTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private static NotificationRequest Pair(DateTimeOffset arrival) => new(
        new StayDto(arrival, arrival.AddDays(3), StayReason.Tourism),
        [
            new GuestDto("Hoàng Văn Nam", new DateOnly(1988, 8, 8), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001088000101")),
            new GuestDto("Hoàng Thị Nữ", new DateOnly(1990, 9, 9), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001190000102")),
        ]);

    private async Task<(HttpClient Client, NotificationDto Notification)> RecordedPairAsync()
    {
        server.Clock.Set(Vn("2026-11-19T15:00"));
        var client = await Stays.HotelClientAsync(server);
        var receipt = (await (await client.SendAsync(Stays.Post(Pair(Vn("2026-11-19T14:00")), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        return (client, await IntakeTests.WaitRecordedAsync(client, receipt.Id));
    }

    private static string? StatusIn(string? json) =>
        System.Text.Json.JsonDocument.Parse(json!).RootElement.GetProperty("status").GetString();

    private static async Task<NotificationDto> Ok(HttpResponseMessage response)
    {
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<NotificationDto>(LuuTruServerFactory.Json))!;
    }

    [Fact]
    public async Task Guests_check_out_one_by_one_and_the_stay_closes_with_the_last_and_history_is_kept()
    {
        var (client, n) = await RecordedPairAsync();
        var one = await Ok(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/checkout",
            new CheckoutRequest(Vn("2026-11-19T14:30"), [1]), LuuTruServerFactory.Json));
        Assert.Equal(NotificationStatus.Recorded, one.Status);
        Assert.Null(one.Guests[0].CheckedOutAt);
        Assert.Equal(Vn("2026-11-19T14:30"), one.Guests[1].CheckedOutAt);

        var all = await Ok(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json));
        Assert.Equal(NotificationStatus.CheckedOut, all.Status);
        Assert.Equal(server.Clock.GetUtcNow(), all.CheckedOutAt);
        Assert.Equal(Vn("2026-11-19T14:30"), all.Guests[1].CheckedOutAt); // the earlier checkout stands

        var history = await client.GetFromJsonAsync<List<NotificationChangeDto>>($"/api/v1/notifications/{n.Id}/history", LuuTruServerFactory.Json);
        Assert.Equal(["checkout", "checkout"], history!.Select(h => h.Action).ToList());
        Assert.Equal("api-key", history![0].ActorKind);
        Assert.Equal("recorded", StatusIn(history[1].Before));
        Assert.Equal("checked-out", StatusIn(history[1].After));
        Assert.Equal(2, await server.WithDbAsync(db => db.AuditLog.CountAsync(a => a.EntityId == n.Id.ToString() && a.Action == "notification.checkout")));

        var problem = await Expect.Problem(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/checkout",
            new CheckoutRequest(Vn("2026-11-19T10:00")), LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "departedAt", "departure-before-arrival");
    }

    [Fact]
    public async Task Extending_moves_the_departure_later_and_raises_the_30_day_flag_when_it_applies()
    {
        var (client, n) = await RecordedPairAsync();
        var earlier = await Expect.Problem(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/extend",
            new ExtendRequest(n.DepartureAt.AddDays(-1)), LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(earlier, "departureAt", "not-later");

        var extended = await Ok(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/extend",
            new ExtendRequest(n.ArrivalAt.AddDays(40)), LuuTruServerFactory.Json));
        Assert.Equal(n.ArrivalAt.AddDays(40), extended.DepartureAt);
        Assert.Contains(extended.Flags, f => f.Code == "stay-30-days-or-more");
    }

    [Fact]
    public async Task A_correction_is_judged_by_the_rules_and_keeps_the_old_values_in_history()
    {
        var (client, n) = await RecordedPairAsync();
        Assert.Contains(n.Flags, f => f.Code == "id-gender-mismatch" && f.GuestIndex == 1); // typed male by mistake

        var bad = await Expect.Problem(await client.PatchAsJsonAsync($"/api/v1/notifications/{n.Id}",
            new NotificationPatch(Guests: [new GuestPatch(0, Document: new DocumentDto(DocumentType.PersonalId, "003088000101"))]), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(bad, "guests[0].document.number", "unknown-id-province");
        Expect.Field(bad, "reason", "required"); // a correction says why

        var fixedOne = await Ok(await client.PatchAsJsonAsync($"/api/v1/notifications/{n.Id}",
            new NotificationPatch(Guests: [new GuestPatch(1, FullName: "Hoàng Thị Ngọc", Gender: Gender.Female)], Reason: "Nhập nhầm giới tính"),
            LuuTruServerFactory.Json));
        Assert.Equal("Hoàng Thị Ngọc", fixedOne.Guests[1].FullName);
        Assert.DoesNotContain(fixedOne.Flags, f => f.Code == "id-gender-mismatch");
        Assert.Equal(n.ReceiptNumber, fixedOne.ReceiptNumber);
        Assert.Equal(n.Late, fixedOne.Late);

        var history = await client.GetFromJsonAsync<List<NotificationChangeDto>>($"/api/v1/notifications/{n.Id}/history", LuuTruServerFactory.Json);
        var change = Assert.Single(history!);
        Assert.Equal(("correct", "Nhập nhầm giới tính"), (change.Action, change.Reason));
        Assert.Contains("Hoàng Thị Nữ", change.Before!);
        Assert.Contains("Hoàng Thị Ngọc", change.After!);
        var key = await server.WithDbAsync(db => db.NotificationGuests.Where(g => g.NotificationId == n.Id && g.Index == 1).Select(g => g.NameKey).SingleAsync());
        Assert.Equal("hoang thi ngoc", key);
    }

    [Fact]
    public async Task A_foreign_guests_visa_and_entry_details_are_corrected_whole_and_the_missing_details_flag_goes()
    {
        server.Clock.Set(Vn("2026-11-19T15:00"));
        var client = await Stays.HotelClientAsync(server);
        var request = new NotificationRequest(new StayDto(Vn("2026-11-19T14:00"), Vn("2026-11-21T12:00"), StayReason.Tourism),
            [new GuestDto("Kim Min Jun", new DateOnly(1988, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M55509876"), "KOR")]);
        var receipt = (await (await client.SendAsync(Stays.Post(request, null))).Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var n = await IntakeTests.WaitRecordedAsync(client, receipt.Id);
        Assert.Contains(n.Flags, f => f.Code == "foreign-details-missing");

        var corrected = await Ok(await client.PatchAsJsonAsync($"/api/v1/notifications/{n.Id}",
            new NotificationPatch(Guests: [new GuestPatch(0, Foreign: new ForeignDetailsDto(null, new DateOnly(2026, 12, 3), new DateOnly(2026, 11, 18), "noi bai", VisaExempt: true))],
                Reason: "Bổ sung thông tin nhập cảnh"), LuuTruServerFactory.Json));
        var f = corrected.Guests[0].Foreign!;
        Assert.Equal((true, new DateOnly(2026, 11, 18), "Cảng hàng không quốc tế Nội Bài"), (f.VisaExempt, f.EntryDate, f.EntryPort));
        Assert.DoesNotContain(corrected.Flags, x => x.Code == "foreign-details-missing");
        var change = Assert.Single((await client.GetFromJsonAsync<List<NotificationChangeDto>>($"/api/v1/notifications/{n.Id}/history", LuuTruServerFactory.Json))!);
        Assert.Contains("Nội Bài", change.After!);

        var later = await Expect.Problem(await client.PatchAsJsonAsync($"/api/v1/notifications/{n.Id}",
            new NotificationPatch(Guests: [new GuestPatch(0, Foreign: new ForeignDetailsDto("DL123", null, new DateOnly(2026, 11, 20), null))], Reason: "Ngày nhập cảnh"),
            LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(later, "guests[0].foreign.entryDate", "entry-after-arrival");
    }

    [Fact]
    public async Task A_correction_never_changes_the_lateness_judged_at_reception_and_a_moved_arrival_is_marked()
    {
        // Worked example: notified 2026-11-15 00:30 for an arrival at 20:00 (late); corrected to 23:30 the next morning.
        server.Clock.Set(Vn("2026-11-15T00:30"));
        var client = await Stays.HotelClientAsync(server);
        var receipt = (await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-14T20:00"), "001090000131"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var n = await IntakeTests.WaitRecordedAsync(client, receipt.Id);
        Assert.True(n.Late);

        server.Clock.Set(Vn("2026-11-15T09:00"));
        var corrected = await Ok(await client.PatchAsJsonAsync($"/api/v1/notifications/{n.Id}",
            new NotificationPatch(new StayPatch(ArrivalAt: Vn("2026-11-14T23:30")), Reason: "Giờ đến thực tế"), LuuTruServerFactory.Json));
        Assert.Equal((true, n.DeadlineAt, Vn("2026-11-14T23:30")), (corrected.Late, corrected.DeadlineAt, corrected.ArrivalAt)); // would be on time now
        Assert.Contains(corrected.Flags, f => f.Code == "late");
        Assert.Contains(corrected.Flags, f => f.Code == "corrected-after-receipt");

        // A correction of something else marks nothing.
        var (other, pair) = await RecordedPairAsync();
        var renamed = await Ok(await other.PatchAsJsonAsync($"/api/v1/notifications/{pair.Id}",
            new NotificationPatch(Guests: [new GuestPatch(0, FullName: "Hoàng Văn Nam Anh")], Reason: "Tên đầy đủ"), LuuTruServerFactory.Json));
        Assert.DoesNotContain(renamed.Flags, f => f.Code == "corrected-after-receipt");
    }

    [Fact]
    public async Task A_cancelled_notification_needs_a_reason_and_cannot_be_extended()
    {
        var (client, n) = await RecordedPairAsync();
        var noReason = await Expect.Problem(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/cancel", new CancelRequest(" "), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(noReason, "reason", "required");

        var cancelled = await Ok(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/cancel", new CancelRequest("Khách không đến"), LuuTruServerFactory.Json));
        Assert.Equal(NotificationStatus.Cancelled, cancelled.Status);
        await Expect.Problem(await client.PostAsJsonAsync($"/api/v1/notifications/{n.Id}/extend", new ExtendRequest(n.DepartureAt.AddDays(1)), LuuTruServerFactory.Json),
            HttpStatusCode.Conflict, "invalid-state");
    }

    [Fact]
    public async Task An_establishment_lists_its_own_filings_page_by_page_and_peers_cannot_touch_them()
    {
        server.Clock.Set(Vn("2026-11-19T18:00"));
        using var client = await Stays.HotelClientAsync(server);
        using var peer = await Stays.HotelClientAsync(server);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var r = await (await client.SendAsync(Stays.Post(Stays.One(Vn("2026-11-19T17:00"), $"0010900300{i:00}"), null)))
                .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json);
            ids.Add(r!.Id);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        foreach (var id in ids) await IntakeTests.WaitRecordedAsync(client, id);

        var page1 = await client.GetFromJsonAsync<Page<NotificationDto>>("/api/v1/notifications?limit=2&status=recorded", LuuTruServerFactory.Json);
        var page2 = await client.GetFromJsonAsync<Page<NotificationDto>>($"/api/v1/notifications?limit=2&cursor={page1!.NextCursor}", LuuTruServerFactory.Json);
        Assert.Equal(ids.AsEnumerable().Reverse(), page1.Items.Concat(page2!.Items).Select(n => n.Id));
        Assert.Null(page2.NextCursor);

        var peerList = await peer.GetFromJsonAsync<Page<NotificationDto>>("/api/v1/notifications", LuuTruServerFactory.Json);
        Assert.Empty(peerList!.Items);
        await Expect.Problem(await peer.PostAsJsonAsync($"/api/v1/notifications/{ids[0]}/cancel", new CancelRequest("x"), LuuTruServerFactory.Json),
            HttpStatusCode.NotFound, "not-found");
    }
}
