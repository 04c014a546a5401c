using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>Who reaches what: officers their communes, supervisors their province, an establishment's staff and
/// keys only that establishment. Every refusal is a problem-details body.</summary>
public sealed class AuthorizationMatrixTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string CommuneA = "00070";   // Phường Hoàn Kiếm, Hà Nội
    private const string CommuneB = "00004";   // Phường Ba Đình, Hà Nội
    private const string CommuneHcm = "25747"; // Phường Thủ Dầu Một, TP Hồ Chí Minh

    [Fact]
    public async Task An_officer_of_commune_A_cannot_read_or_approve_an_establishment_of_commune_B()
    {
        var inB = await server.CreateEstablishmentAsync(CommuneB, approve: false);
        var (_, officerA) = await server.CreateOfficerAsync(CommuneA);

        await Expect.Problem(await officerA.GetAsync($"/api/v1/establishments/{inB.Id}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officerA.PostAsync($"/api/v1/establishments/{inB.Id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officerA.PostAsJsonAsync($"/api/v1/establishments/{inB.Id}/suspend", new SuspendEstablishmentRequest("x"), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officerA.GetAsync($"/api/v1/establishments?communeCode={CommuneB}"), HttpStatusCode.Forbidden, "forbidden");

        var stillPending = await server.WithDbAsync(db => Task.FromResult(db.Establishments.Single(e => e.Id == inB.Id).Status));
        Assert.Equal(EstablishmentStatus.Pending, stillPending);
    }

    [Fact]
    public async Task An_officer_approves_an_establishment_of_their_own_commune()
    {
        var inA = await server.CreateEstablishmentAsync(CommuneA, approve: false);
        var (officer, client) = await server.CreateOfficerAsync(CommuneA);

        var response = await client.PostAsync($"/api/v1/establishments/{inA.Id}/approve", null);
        await Expect.Status(response, HttpStatusCode.OK);
        var approved = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(EstablishmentStatus.Approved, approved.Status);
        Assert.Equal(officer.Id, approved.ApprovedBy);
        Assert.Equal(server.Clock.GetUtcNow(), approved.ApprovedAt);

        var audit = await server.WithDbAsync(db => Task.FromResult(db.AuditLog.Single(a => a.Action == "establishment.approve" && a.EntityId == inA.Id.ToString())));
        Assert.Equal(officer.Id.ToString(), audit.ActorId);
        Assert.Equal(CommuneA, audit.CommuneCode);
    }

    [Fact]
    public async Task A_supervisor_sees_their_province_and_is_refused_elsewhere()
    {
        var inHanoi = await server.CreateEstablishmentAsync(CommuneB);
        var inHcm = await server.CreateEstablishmentAsync(CommuneHcm);
        var (_, hanoiSupervisor) = await server.CreateSupervisorAsync("01");
        var (_, hcmSupervisor) = await server.CreateSupervisorAsync("79");

        await Expect.Status(await hanoiSupervisor.GetAsync($"/api/v1/establishments/{inHanoi.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await hcmSupervisor.GetAsync($"/api/v1/establishments/{inHanoi.Id}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await hcmSupervisor.PostAsJsonAsync($"/api/v1/establishments/{inHanoi.Id}/suspend", new SuspendEstablishmentRequest("kiểm tra"), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");

        var listed = await hcmSupervisor.GetFromJsonAsync<Page<EstablishmentDto>>("/api/v1/establishments?limit=200", LuuTruServerFactory.Json);
        Assert.Contains(listed!.Items, e => e.Id == inHcm.Id);
        Assert.All(listed.Items, e => Assert.Equal("79", e.ProvinceCode));
    }

    [Fact]
    public async Task Police_cannot_register_an_establishment_outside_their_area()
    {
        var (_, officerA) = await server.CreateOfficerAsync(CommuneA);
        var response = await officerA.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            "Nhà nghỉ Ba Đình", EstablishmentKind.Guesthouse, CommuneB, "2 Phố Thử", "Lê Văn Chủ", "0987654321"), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(response, HttpStatusCode.Forbidden, "forbidden");
        Expect.Field(problem, "communeCode", "outside-your-area");
    }

    [Fact]
    public async Task A_revoked_api_key_gets_401_and_a_live_one_works()
    {
        var hotel = await server.CreateEstablishmentAsync(CommuneA);
        var live = await server.CreateApiKeyAsync(hotel.Id, "PMS one");
        var revoked = await server.CreateApiKeyAsync(hotel.Id, "PMS two");
        using var admin = await server.SignInAsAdminAsync();
        await Expect.Status(await admin.DeleteAsync($"/api/v1/establishments/{hotel.Id}/api-keys/{revoked.Prefix}"), HttpStatusCode.NoContent);

        using var liveClient = server.WithApiKey(live.ApiKey);
        var me = await liveClient.GetFromJsonAsync<MeResponse>("/api/v1/me", LuuTruServerFactory.Json);
        Assert.Equal("api-key", me!.Kind);
        Assert.Equal(hotel.Id, me.EstablishmentId);
        Assert.Equal(live.Prefix, me.ApiKeyPrefix);

        using var revokedClient = server.WithApiKey(revoked.ApiKey);
        await Expect.Problem(await revokedClient.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "invalid-api-key");

        // A right prefix with a wrong secret is no key at all.
        using var forged = server.WithApiKey($"lt_{live.Prefix}_{new string('x', 40)}");
        await Expect.Problem(await forged.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "invalid-api-key");
        using var malformed = server.WithApiKey("not-a-key");
        await Expect.Problem(await malformed.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "invalid-api-key");
    }

    [Fact]
    public async Task Staff_of_one_establishment_cannot_touch_another()
    {
        var mine = await server.CreateEstablishmentAsync(CommuneA, name: "Khách sạn Của Tôi");
        var theirs = await server.CreateEstablishmentAsync(CommuneA, name: "Khách sạn Hàng Xóm");
        var theirKey = await server.CreateApiKeyAsync(theirs.Id);
        var (_, staff) = await server.CreateStaffAsync(mine.Id);

        await Expect.Status(await staff.GetAsync($"/api/v1/establishments/{mine.Id}"), HttpStatusCode.OK);
        // Another establishment's existence is none of their business: 404, not 403.
        await Expect.Problem(await staff.GetAsync($"/api/v1/establishments/{theirs.Id}"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await staff.PostAsJsonAsync($"/api/v1/establishments/{theirs.Id}/api-keys", new CreateApiKeyRequest("x"), LuuTruServerFactory.Json),
            HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await staff.DeleteAsync($"/api/v1/establishments/{theirs.Id}/api-keys/{theirKey.Prefix}"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await staff.PostAsync($"/api/v1/establishments/{theirs.Id}/approve", null), HttpStatusCode.Forbidden, "forbidden");

        var listed = await staff.GetFromJsonAsync<Page<EstablishmentDto>>("/api/v1/establishments", LuuTruServerFactory.Json);
        Assert.Equal(mine.Id, Assert.Single(listed!.Items).Id);

        var stillLive = await server.WithDbAsync(db => Task.FromResult(db.ApiKeys.Single(k => k.Prefix == theirKey.Prefix).RevokedAt));
        Assert.Null(stillLive);
    }

    [Fact]
    public async Task Staff_manage_their_own_keys_but_a_key_cannot_mint_keys()
    {
        var hotel = await server.CreateEstablishmentAsync(CommuneA);
        var (_, staff) = await server.CreateStaffAsync(hotel.Id);

        var created = await staff.PostAsJsonAsync($"/api/v1/establishments/{hotel.Id}/api-keys", new CreateApiKeyRequest("Opera PMS"), LuuTruServerFactory.Json);
        await Expect.Status(created, HttpStatusCode.Created);
        var key = (await created.Content.ReadFromJsonAsync<ApiKeyCreatedResponse>(LuuTruServerFactory.Json))!;
        Assert.StartsWith($"lt_{key.Prefix}_", key.ApiKey);

        var listed = await staff.GetFromJsonAsync<List<ApiKeyDto>>($"/api/v1/establishments/{hotel.Id}/api-keys", LuuTruServerFactory.Json);
        Assert.Contains(listed!, k => k.Prefix == key.Prefix && k.Name == "Opera PMS" && k.RevokedAt is null);

        using var keyClient = server.WithApiKey(key.ApiKey);
        await Expect.Problem(await keyClient.PostAsJsonAsync($"/api/v1/establishments/{hotel.Id}/api-keys", new CreateApiKeyRequest("sneaky"), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Only_admins_create_users()
    {
        var (_, officer) = await server.CreateOfficerAsync(CommuneA);
        var response = await officer.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest("new.officer@test.luutru.vn", LuuTruServerFactory.Password, Role.CommuneOfficer, CommuneCodes: [CommuneB]), LuuTruServerFactory.Json);
        await Expect.Problem(response, HttpStatusCode.Forbidden, "forbidden");

        var hotel = await server.CreateEstablishmentAsync(CommuneA);
        using var keyClient = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        await Expect.Problem(await keyClient.GetAsync("/api/v1/users"), HttpStatusCode.Forbidden, "forbidden");
    }
}
