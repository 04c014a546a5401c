using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>An establishment applies online without an account; it stays pending (its staff cannot notify) until an
/// officer of its commune approves it; officers elsewhere cannot.</summary>
public sealed class ApplicationTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task An_online_application_makes_an_account_that_sees_its_state_and_notifies_once_approved()
    {
        server.Clock.Set(DateTimeOffset.UtcNow);
        using var anonymous = server.CreateClient();
        var bad = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new EstablishmentApplicationRequest("", null, "99999", "", "", "12", "not-an-email", "short"), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(bad, HttpStatusCode.BadRequest, "validation-failed");
        foreach (var path in new[] { "name", "kind", "communeCode", "address", "managerName", "phone", "email", "password" })
            Assert.True(problem.Errors!.ContainsKey(path), path); // every error at once, the account's with the establishment's

        var email = $"mai.{Guid.NewGuid():N}@homestay.vn";
        var response = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new EstablishmentApplicationRequest("Homestay Phố Cổ", EstablishmentKind.Homestay, "00070", "12 Hàng Bè", "Đỗ Thị Mai", "0903 111 222",
                email, "hang-be-homestay-2026"), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Created);
        var applied = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(EstablishmentStatus.Pending, applied.Status);
        var again = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new EstablishmentApplicationRequest("Homestay Khác", EstablishmentKind.Homestay, "00070", "1 Hàng Bè", "Đỗ Thị Mai", "0903 111 223",
                email, "hang-be-homestay-2026"), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(again, HttpStatusCode.Conflict, "conflict"), "email", "email-taken");

        // Signed in at once: the application's state, and no notifying yet.
        using var applicant = await server.SignInAsync(email, "hang-be-homestay-2026");
        var own = (await applicant.GetFromJsonAsync<EstablishmentDto>($"/api/v1/establishments/{applied.Id}", LuuTruServerFactory.Json))!;
        Assert.Equal(EstablishmentStatus.Pending, own.Status);
        var early = await applicant.PostAsJsonAsync("/api/v1/notifications", Intake.Stays.One(DateTimeOffset.UtcNow.AddHours(-1), "001090070501"), LuuTruServerFactory.Json);
        await Expect.Problem(early, HttpStatusCode.Forbidden, "forbidden");

        var (_, elsewhere) = await server.CreateOfficerAsync("00004");
        var (_, officer) = await server.CreateOfficerAsync("00070");
        var pending = (await officer.GetFromJsonAsync<Page<EstablishmentDto>>("/api/v1/establishments?communeCode=00070&status=pending",
            LuuTruServerFactory.Json))!;
        Assert.Contains(pending.Items, e => e.Id == applied.Id);
        Assert.NotEqual(HttpStatusCode.OK, (await elsewhere.PostAsync($"/api/v1/establishments/{applied.Id}/approve", null)).StatusCode);

        await Expect.Status(await officer.PostAsync($"/api/v1/establishments/{applied.Id}/approve", null), HttpStatusCode.OK);
        // The same account now notifies.
        var sent = await applicant.PostAsJsonAsync("/api/v1/notifications", Intake.Stays.One(DateTimeOffset.UtcNow.AddHours(-1), "001090070501"), LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        await Expect.Problem(await officer.PostAsJsonAsync($"/api/v1/establishments/{applied.Id}/reject", new RejectEstablishmentRequest("Muộn"), LuuTruServerFactory.Json),
            HttpStatusCode.Conflict, "invalid-state");

        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=establishment.apply&limit=50", LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.EntityId == applied.Id.ToString() && a.ActorKind == "anonymous");
    }

    [Fact]
    public async Task A_turned_down_application_shows_its_reason_to_the_applicant()
    {
        server.Clock.Set(DateTimeOffset.UtcNow);
        using var anonymous = server.CreateClient();
        var email = $"tu.{Guid.NewGuid():N}@nhatro.vn";
        var response = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new EstablishmentApplicationRequest("Nhà trọ Không Phép", EstablishmentKind.Motel, "00070", "3 Hàng Bạc", "Lý Văn Tú", "0903 222 333",
                email, "hang-bac-nha-tro-2026"), LuuTruServerFactory.Json);
        var applied = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        var (_, officer) = await server.CreateOfficerAsync("00070");
        var blank = await officer.PostAsJsonAsync($"/api/v1/establishments/{applied.Id}/reject", new RejectEstablishmentRequest(" "), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(blank, HttpStatusCode.BadRequest, "validation-failed"), "reason", "required");
        await Expect.Status(await officer.PostAsJsonAsync($"/api/v1/establishments/{applied.Id}/reject",
            new RejectEstablishmentRequest("Chưa có giấy phép kinh doanh"), LuuTruServerFactory.Json), HttpStatusCode.OK);

        using var applicant = await server.SignInAsync(email, "hang-bac-nha-tro-2026");
        var own = (await applicant.GetFromJsonAsync<EstablishmentDto>($"/api/v1/establishments/{applied.Id}", LuuTruServerFactory.Json))!;
        Assert.Equal((EstablishmentStatus.Rejected, "Chưa có giấy phép kinh doanh"), (own.Status, own.RejectionReason));
    }
}
