using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Officers enter notifications received in person or by phone: for a household or an establishment of their
/// commune, recorded with the officer channel and the officer as submitter, audited with how it came in.</summary>
public sealed class OfficerEntryTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private static GuestDto Guest(string name, string id) => new(name, new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, id));

    [Fact]
    public async Task An_officer_enters_a_phoned_in_household_notification_and_one_for_an_establishment()
    {
        server.Clock.Set(Vn("2026-11-15T20:00"));
        var (officerUser, officer) = await server.CreateOfficerAsync("00070");
        var (_, elsewhere) = await server.CreateOfficerAsync("00004");
        var stay = new StayDto(Vn("2026-11-15T19:00"), Vn("2026-11-17T10:00"), StayReason.VisitingFamily, Address: "3 Hàng Đào");
        var household = new OfficerNotificationRequest(null, new HostDto("Lý Thị Chủ", "0912000111", new DocumentDto(DocumentType.PersonalId, "001180033333")),
            stay, [Guest("Lý Văn Khách", "001090030140")], "phone");

        var missing = await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications", household with { ReceivedBy = null, Host = null },
            LuuTruServerFactory.Json);
        var problem = await Expect.Problem(missing, HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.Errors!.ContainsKey("receivedBy") && problem.Errors.ContainsKey("host.fullName") && problem.Errors.ContainsKey("host.phone"));
        await Expect.Problem(await elsewhere.PostAsJsonAsync("/api/v1/communes/00070/notifications", household, LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");
        var validated = await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications/validate", household, LuuTruServerFactory.Json);
        await Expect.Status(validated, HttpStatusCode.OK);

        var sent = await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications", household, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.StartsWith("00070-", receipt.ReceiptNumber);
        var recorded = await IntakeTests.WaitRecordedAsync(officer, receipt.Id);
        Assert.Equal("officer", recorded.Channel);
        Assert.Equal("3 Hàng Đào", recorded.Address);
        Assert.Null(recorded.EstablishmentId);

        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Gọi Điện");
        var forHotel = new OfficerNotificationRequest(hotel.Id, null, stay with { Address = null }, [Guest("Đào Văn Gọi", "001090030141")], "in-person");
        var second = await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications", forHotel, LuuTruServerFactory.Json);
        await Expect.Status(second, HttpStatusCode.Accepted);
        var secondReceipt = (await second.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var secondRecorded = await IntakeTests.WaitRecordedAsync(officer, secondReceipt.Id);
        Assert.Equal(hotel.Id, secondRecorded.EstablishmentId);
        Assert.Equal("officer", secondRecorded.Channel);

        var otherHotel = await server.CreateEstablishmentAsync("00004", name: "Khách sạn Xã Khác");
        await Expect.Problem(await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications", forHotel with { EstablishmentId = otherHotel.Id },
            LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");

        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=notification.officer-entry&limit=50", LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.EntityId == receipt.Id.ToString() && a.ActorId == officerUser.Id.ToString());
    }

    [Fact]
    public async Task A_phone_call_is_judged_by_when_it_came_in_not_when_the_officer_typed_it()
    {
        // Worked example: call received 2026-11-14 22:30, typed in 2026-11-15 06:10, arrival 20:00: on time.
        server.Clock.Set(Vn("2026-11-15T06:10"));
        var (_, officer) = await server.CreateOfficerAsync("00025");
        var hotel = await server.CreateEstablishmentAsync("00025", name: "Khách sạn Gọi Tối");
        var stay = new StayDto(Vn("2026-11-14T20:00"), Vn("2026-11-16T10:00"), StayReason.Tourism);
        var call = new OfficerNotificationRequest(hotel.Id, null, stay, [Guest("Tạ Văn Đêm", "001090030150")], "phone", ReceivedAt: Vn("2026-11-14T22:30"));

        var sent = await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications", call, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.False(receipt.Late);
        Assert.Equal(Vn("2026-11-14T22:30"), receipt.ReceivedAt);
        var recorded = await IntakeTests.WaitRecordedAsync(officer, receipt.Id);
        Assert.Equal((false, Vn("2026-11-14T23:00"), Vn("2026-11-14T22:30"), "phone"),
            (recorded.Late, recorded.DeadlineAt, recorded.ReceivedAt, recorded.ReceivedBy));

        // The same call typed without its time is judged as received now: late.
        var typedNow = await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications/validate", call with { ReceivedAt = null }, LuuTruServerFactory.Json);
        Assert.True((await typedNow.Content.ReadFromJsonAsync<ValidationResultDto>(LuuTruServerFactory.Json))!.Late);

        // Not in the future, not more than a day before the arrival; email is a way in.
        var future = await Expect.Problem(await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications",
            call with { ReceivedAt = Vn("2026-11-15T07:00") }, LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(future, "receivedAt", "in-future");
        var early = await Expect.Problem(await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications",
            call with { ReceivedAt = Vn("2026-11-13T19:00") }, LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(early, "receivedAt", "received-before-arrival");
        var email = await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications/validate", call with { ReceivedBy = "email" }, LuuTruServerFactory.Json);
        await Expect.Status(email, HttpStatusCode.OK);
    }
}
