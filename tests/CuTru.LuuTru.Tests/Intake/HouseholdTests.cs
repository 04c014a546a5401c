using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>A server whose household limits are small enough to reach.</summary>
public sealed class TightHouseholdLimitServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Household:PerPhonePerHour"] = "2",
        ["LuuTru:Household:PerAddressPerHour"] = "100",
        ["LuuTru:Household:LookupsPerReceiptPerHour"] = "5",
    };
}

public sealed class HouseholdTests(TightHouseholdLimitServer server) : IClassFixture<TightHouseholdLimitServer>
{
    private static HouseholdNotificationRequest Visit(string phone, string guestId = "001090050001") => new(
        new HostDto("Phạm Thị Chủ Nhà", phone, new DocumentDto(DocumentType.PersonalId, "001180000001")),
        new StayDto(Vn("2026-11-21T18:00"), Vn("2026-11-23T08:00"), StayReason.VisitingFamily, Address: "Số 5 ngõ 10 Hàng Bạc", CommuneCode: "00070"),
        [new GuestDto("Phạm Văn Cháu", new DateOnly(2000, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, guestId))]);

    [Fact]
    public async Task A_family_extends_and_ends_the_stay_it_notified_with_its_receipt_number_and_phone_in_any_form()
    {
        server.Clock.Set(Vn("2026-11-21T19:00"));
        using var client = server.Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0912 000 009", "001200050009"), LuuTruServerFactory.Json);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == receipt.Id)));

        var wrong = await client.PostAsJsonAsync("/api/v1/receipts/extend", new HouseholdStayChange(receipt.ReceiptNumber, "0912000008",
            DepartureAt: Vn("2026-11-25T08:00")), LuuTruServerFactory.Json);
        await Expect.Problem(wrong, HttpStatusCode.NotFound, "not-found"); // someone else's phone: as if there were no such receipt
        var extended = await client.PostAsJsonAsync("/api/v1/receipts/extend", new HouseholdStayChange(receipt.ReceiptNumber, "+84912000009",
            DepartureAt: Vn("2026-11-25T08:00")), LuuTruServerFactory.Json); // the same number written the international way
        await Expect.Status(extended, HttpStatusCode.OK);
        Assert.Equal(Vn("2026-11-25T08:00"), (await extended.Content.ReadFromJsonAsync<ReceiptStatusDto>(LuuTruServerFactory.Json))!.DepartureAt);

        server.Clock.Set(Vn("2026-11-22T10:00"));
        var ended = await client.PostAsJsonAsync("/api/v1/receipts/checkout", new HouseholdStayChange(receipt.ReceiptNumber, "84912000009"), LuuTruServerFactory.Json);
        await Expect.Status(ended, HttpStatusCode.OK);
        Assert.Equal(NotificationStatus.CheckedOut, (await ended.Content.ReadFromJsonAsync<ReceiptStatusDto>(LuuTruServerFactory.Json))!.Status);
        var history = await server.WithDbAsync(db => db.NotificationChanges.Where(c => c.NotificationId == receipt.Id).Select(c => c.Action).ToListAsync());
        Assert.Equal(["extend", "checkout"], history.ToArray());
    }

    [Fact]
    public async Task A_family_notifies_without_an_account_and_finds_its_receipt_with_its_phone()
    {
        server.Clock.Set(Vn("2026-11-21T19:00"));
        using var client = server.Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0912 000 001", "001200050001"), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Matches(@"^00070-261121-\d{4}$", receipt.ReceiptNumber);
        Assert.False(receipt.Late);

        async Task<HttpResponseMessage> LookupAsync(string number, string phone) =>
            await client.PostAsJsonAsync("/api/v1/receipts/lookup", new ReceiptLookupRequest(number, phone), LuuTruServerFactory.Json);
        var found = await LookupAsync(receipt.ReceiptNumber, "0912000001");
        await Expect.Status(found, HttpStatusCode.OK);
        var status = await found.Content.ReadFromJsonAsync<ReceiptStatusDto>(LuuTruServerFactory.Json);
        Assert.Equal("Phường Hoàn Kiếm", status!.CommuneName);
        Assert.Equal(1, status.GuestCount);

        // A wrong phone gets the same answer as a wrong receipt number.
        await Expect.Problem(await LookupAsync(receipt.ReceiptNumber, "0912000002"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await LookupAsync("00070-261121-9999", "0912000001"), HttpStatusCode.NotFound, "not-found");
        // The phone never travels in a URL: a phone in the query of the receipt's address opens nothing (it needs a sign-in).
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/receipts/{receipt.ReceiptNumber}?phone=0912000001")).StatusCode);

        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.Id == receipt.Id)));
        var stored = await server.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Id == receipt.Id));
        Assert.Equal(("Phạm Thị Chủ Nhà", "0912000001", "Số 5 ngõ 10 Hàng Bạc"), (stored.HostName, stored.HostPhone, stored.Address));
        Assert.Null(stored.EstablishmentId);
        Assert.Equal(CuTru.LuuTru.Server.Storage.Channel.Household, stored.Channel);
        var recorded = await (await LookupAsync(receipt.ReceiptNumber, "0912000001")).Content.ReadFromJsonAsync<ReceiptStatusDto>(LuuTruServerFactory.Json);
        Assert.Equal(NotificationStatus.Recorded, recorded!.Status);
        // Guessing the phone of a receipt is slowed to nothing: the sixth lookup of one number within the hour waits.
        await Expect.Problem(await LookupAsync(receipt.ReceiptNumber, "0912000003"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await LookupAsync(receipt.ReceiptNumber, "0912000004"), HttpStatusCode.NotFound, "not-found");
        var limited = await LookupAsync(receipt.ReceiptNumber, "0912000001");
        await Expect.Problem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(limited.Headers.RetryAfter);

        // The police see who notified.
        var (_, officer) = await server.CreateOfficerAsync(stored.CommuneCode);
        var seen = await officer.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{receipt.Id}", LuuTruServerFactory.Json);
        Assert.Equal(new NotifierDto("Phạm Thị Chủ Nhà", "0912000001", false), seen!.Notifier);
    }

    [Fact]
    public async Task The_host_the_address_and_the_commune_are_checked_with_the_guests()
    {
        server.Clock.Set(Vn("2026-11-21T19:00"));
        using var client = server.Anonymous();
        var bad = Visit("12") with
        {
            Host = new HostDto("", "12", new DocumentDto(DocumentType.PersonalId, "003180000001")),
            Stay = Visit("x").Stay! with { Address = null, CommuneCode = "99999" },
        };
        var problem = await Expect.Problem(await client.PostAsJsonAsync("/api/v1/household-notifications", bad, LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "host.fullName", "required");
        Expect.Field(problem, "host.phone", "invalid-phone");
        Expect.Field(problem, "host.document.number", "invalid-personal-id");
        Expect.Field(problem, "stay.address", "required");
        Expect.Field(problem, "stay.communeCode", "unknown-commune");
    }

    [Fact]
    public async Task Notifications_from_one_phone_are_limited_per_hour()
    {
        server.Clock.Set(Vn("2026-11-21T20:00"));
        using var client = server.Anonymous();
        for (var i = 0; i < 2; i++)
            await Expect.Status(await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0988 777 666", $"00109005100{i}"), LuuTruServerFactory.Json),
                HttpStatusCode.Accepted);
        var limited = await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0988 777 666", "001090051009"), LuuTruServerFactory.Json);
        await Expect.Problem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(limited.Headers.RetryAfter);

        // Another family is not held back, and the next hour the first one can notify again.
        await Expect.Status(await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0988 777 000", "001090051010"), LuuTruServerFactory.Json), HttpStatusCode.Accepted);
        server.Clock.Advance(TimeSpan.FromHours(1));
        await Expect.Status(await client.PostAsJsonAsync("/api/v1/household-notifications", Visit("0988 777 666", "001090051011"), LuuTruServerFactory.Json), HttpStatusCode.Accepted);
    }
}
