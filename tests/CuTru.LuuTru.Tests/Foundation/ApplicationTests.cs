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
    public async Task An_online_application_is_pending_until_an_officer_of_its_commune_approves_it()
    {
        server.Clock.Set(DateTimeOffset.UtcNow);
        using var anonymous = server.CreateClient();
        var bad = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new CreateEstablishmentRequest("", null, "99999", "", "", "12"), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(bad, HttpStatusCode.BadRequest, "validation-failed");
        foreach (var path in new[] { "name", "kind", "communeCode", "address", "managerName", "phone" })
            Assert.True(problem.Errors!.ContainsKey(path), path);

        var response = await anonymous.PostAsJsonAsync("/api/v1/establishment-applications",
            new CreateEstablishmentRequest("Homestay Phố Cổ", EstablishmentKind.Homestay, "00070", "12 Hàng Bè", "Đỗ Thị Mai", "0903 111 222"),
            LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Created);
        var applied = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(EstablishmentStatus.Pending, applied.Status);

        var (_, elsewhere) = await server.CreateOfficerAsync("00004");
        var (_, officer) = await server.CreateOfficerAsync("00070");
        var pending = (await officer.GetFromJsonAsync<Page<EstablishmentDto>>("/api/v1/establishments?communeCode=00070&status=pending",
            LuuTruServerFactory.Json))!;
        Assert.Contains(pending.Items, e => e.Id == applied.Id);
        Assert.NotEqual(HttpStatusCode.OK, (await elsewhere.PostAsync($"/api/v1/establishments/{applied.Id}/approve", null)).StatusCode);

        await Expect.Status(await officer.PostAsync($"/api/v1/establishments/{applied.Id}/approve", null), HttpStatusCode.OK);
        var approved = (await officer.GetFromJsonAsync<EstablishmentDto>($"/api/v1/establishments/{applied.Id}", LuuTruServerFactory.Json))!;
        Assert.Equal(EstablishmentStatus.Approved, approved.Status);

        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=establishment.apply&limit=50", LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.EntityId == applied.Id.ToString() && a.ActorKind == "anonymous");
    }
}
