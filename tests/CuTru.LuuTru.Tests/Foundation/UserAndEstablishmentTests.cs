using System.Net;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Tests.Foundation;

public sealed class UserAndEstablishmentTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task An_admin_creates_each_role_with_its_scope_and_the_password_is_only_stored_hashed()
    {
        var hotel = await server.CreateEstablishmentAsync("00070");
        var (officer, officerClient) = await server.CreateOfficerAsync("00070", "00004");
        var (supervisor, _) = await server.CreateSupervisorAsync("01");
        var (staff, _) = await server.CreateStaffAsync(hotel.Id);

        Assert.Equal(["00004", "00070"], officer.CommuneCodes);
        Assert.Equal("01", supervisor.ProvinceCode);
        Assert.Equal(hotel.Id, staff.EstablishmentId);

        var me = await officerClient.GetFromJsonAsync<MeResponse>("/api/v1/me", LuuTruServerFactory.Json);
        Assert.Equal(Role.CommuneOfficer, me!.Role);
        Assert.Equal(["00004", "00070"], me.CommuneCodes);

        var stored = await server.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == officer.Id));
        Assert.DoesNotContain(LuuTruServerFactory.Password, stored.PasswordHash);
        Assert.StartsWith("AQAAAA", stored.PasswordHash); // ASP.NET Core Identity v3 hash format

        using var admin = await server.SignInAsAdminAsync();
        var listed = await admin.GetFromJsonAsync<Page<UserDto>>("/api/v1/users?role=commune-officer&limit=200", LuuTruServerFactory.Json);
        Assert.Contains(listed!.Items, u => u.Id == officer.Id);
        Assert.All(listed.Items, u => Assert.Equal(Role.CommuneOfficer, u.Role));
    }

    [Fact]
    public async Task A_province_supervisor_manages_the_officers_and_staff_of_their_province_and_nobody_else()
    {
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        var mine = await supervisor.PostAsJsonAsync("/api/v1/users", new CreateUserRequest($"xa.{Guid.NewGuid():N}@congan.vn", "truc-ban-phuong-2026",
            Role.CommuneOfficer, CommuneCodes: ["00070"]), LuuTruServerFactory.Json);
        await Expect.Status(mine, HttpStatusCode.Created);
        var officer = (await mine.Content.ReadFromJsonAsync<UserDto>(LuuTruServerFactory.Json))!;
        // Not another province's commune, not a supervisor or an admin.
        await Expect.Problem(await supervisor.PostAsJsonAsync("/api/v1/users", new CreateUserRequest($"hcm.{Guid.NewGuid():N}@congan.vn", "truc-ban-phuong-2026",
            Role.CommuneOfficer, CommuneCodes: ["25747"]), LuuTruServerFactory.Json), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await supervisor.PostAsJsonAsync("/api/v1/users", new CreateUserRequest($"ad.{Guid.NewGuid():N}@congan.vn", "truc-ban-phuong-2026",
            Role.Admin), LuuTruServerFactory.Json), HttpStatusCode.Forbidden, "forbidden");

        var (elsewhere, _) = await server.CreateOfficerAsync("25747");
        var listed = (await supervisor.GetFromJsonAsync<Page<UserDto>>("/api/v1/users?limit=200", LuuTruServerFactory.Json))!.Items;
        Assert.Contains(listed, u => u.Id == officer.Id);
        Assert.DoesNotContain(listed, u => u.Id == elsewhere.Id || u.Role is Role.Admin or Role.ProvinceSupervisor);
        await Expect.Status(await supervisor.PostAsync($"/api/v1/users/{officer.Id}/disable", null), HttpStatusCode.OK);
        await Expect.Problem(await supervisor.PostAsync($"/api/v1/users/{elsewhere.Id}/disable", null), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await supervisor.PostAsJsonAsync($"/api/v1/users/{elsewhere.Id}/password", new ResetPasswordRequest("mot-mat-khau-moi-2026"),
            LuuTruServerFactory.Json), HttpStatusCode.NotFound, "not-found");
        var (_, officerClient) = await server.CreateOfficerAsync("00070");
        await Expect.Problem(await officerClient.GetAsync("/api/v1/users"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_supervisor_assigns_an_officers_communes_within_the_province_and_the_officer_works_in_them_after_signing_in_again()
    {
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        var (officer, officerClient) = await server.CreateOfficerAsync("00070");
        await Expect.Problem(await officerClient.GetAsync("/api/v1/communes/00082/dashboard"), HttpStatusCode.Forbidden, "forbidden");

        var listed = (await supervisor.GetFromJsonAsync<Page<UserDto>>("/api/v1/users?limit=200", LuuTruServerFactory.Json))!.Items;
        Assert.Equal("Phường Hoàn Kiếm", listed.Single(u => u.Id == officer.Id).AreaName); // the screen says where in words

        var set = await supervisor.PutAsJsonAsync($"/api/v1/users/{officer.Id}/communes", new UserCommunesRequest(["00082", "00070"]), LuuTruServerFactory.Json);
        await Expect.Status(set, HttpStatusCode.OK);
        var changed = (await set.Content.ReadFromJsonAsync<UserDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(["00070", "00082"], changed.CommuneCodes);
        Assert.Equal("Phường Hoàn Kiếm, Phường Cửa Nam", changed.AreaName);
        // The old session carried the old communes: it has ended; signed in again, the officer works in both.
        await Expect.Status(await officerClient.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        using var again = await server.SignInAsync(officer.Email, LuuTruServerFactory.Password);
        await Expect.Status(await again.GetAsync("/api/v1/communes/00082/dashboard"), HttpStatusCode.OK);
        Assert.Equal(1, await server.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == "user.communes" && a.EntityId == officer.Id.ToString())));

        // Not a commune of another province, not nothing, not an unknown code, not for someone who is not an officer.
        await Expect.Problem(await supervisor.PutAsJsonAsync($"/api/v1/users/{officer.Id}/communes", new UserCommunesRequest(["00070", "25747"]),
            LuuTruServerFactory.Json), HttpStatusCode.Forbidden, "forbidden");
        Expect.Field(await Expect.Problem(await supervisor.PutAsJsonAsync($"/api/v1/users/{officer.Id}/communes", new UserCommunesRequest([]),
            LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed"), "communeCodes", "required");
        Expect.Field(await Expect.Problem(await supervisor.PutAsJsonAsync($"/api/v1/users/{officer.Id}/communes", new UserCommunesRequest(["00070", "99999"]),
            LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed"), "communeCodes[1]", "unknown-commune");
        var hotel = await server.CreateEstablishmentAsync("00070");
        var (staff, _) = await server.CreateStaffAsync(hotel.Id);
        Expect.Field(await Expect.Problem(await supervisor.PutAsJsonAsync($"/api/v1/users/{staff.Id}/communes", new UserCommunesRequest(["00070"]),
            LuuTruServerFactory.Json), HttpStatusCode.BadRequest, "validation-failed"), "communeCodes", "not-for-role");
        var (elsewhere, _) = await server.CreateOfficerAsync("25747");
        await Expect.Problem(await supervisor.PutAsJsonAsync($"/api/v1/users/{elsewhere.Id}/communes", new UserCommunesRequest(["00070"]),
            LuuTruServerFactory.Json), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(["25747"], (await server.WithDbAsync(db => db.UserCommunes.Where(c => c.UserId == elsewhere.Id).Select(c => c.CommuneCode).ToListAsync())));
    }

    [Fact]
    public async Task Every_problem_of_a_new_user_is_reported_at_once_by_field_path()
    {
        using var admin = await server.SignInAsAdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest("not-an-email", "short", Role.CommuneOfficer, CommuneCodes: ["00070", "99999"], ProvinceCode: "01"), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "email", "invalid-email");
        Expect.Field(problem, "password", "too-short");
        Expect.Field(problem, "communeCodes[1]", "unknown-commune");
        Expect.Field(problem, "provinceCode", "not-for-role");
        Assert.False(problem.Errors!.ContainsKey("communeCodes[0]"));
    }

    [Fact]
    public async Task Enums_are_kebab_case_on_the_wire_and_an_unknown_one_names_the_field()
    {
        using var admin = await server.SignInAsAdminAsync();
        var ok = await admin.PostAsync("/api/v1/users", new StringContent(
            """{"email":"sup.kebab@test.luutru.vn","password":"long-enough-pass","role":"province-supervisor","provinceCode":"79"}""",
            Encoding.UTF8, "application/json"));
        await Expect.Status(ok, HttpStatusCode.Created);
        Assert.Contains("\"role\":\"province-supervisor\"", await ok.Content.ReadAsStringAsync());

        var bad = await admin.PostAsync("/api/v1/users", new StringContent(
            """{"email":"x@test.luutru.vn","password":"long-enough-pass","role":"superuser"}""", Encoding.UTF8, "application/json"));
        var problem = await Expect.Problem(bad, HttpStatusCode.BadRequest, "validation-failed"); // JSON, with a value that is no role
        Assert.Contains("province-supervisor", Expect.Field(problem, "role", "invalid-choice").Message);

        var notJson = await admin.PostAsync("/api/v1/users", new StringContent("{ this is not json", Encoding.UTF8, "application/json"));
        var notJsonProblem = await Expect.Problem(notJson, HttpStatusCode.BadRequest, "malformed-json");
        Assert.DoesNotContain("Exception", notJsonProblem.Detail ?? "");
    }

    [Fact]
    public async Task A_second_account_with_the_same_email_is_a_conflict()
    {
        using var admin = await server.SignInAsAdminAsync();
        var request = new CreateUserRequest("dup@test.luutru.vn", LuuTruServerFactory.Password, Role.Admin);
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/users", request, LuuTruServerFactory.Json), HttpStatusCode.Created);
        var problem = await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/users", request with { Email = "DUP@test.luutru.vn" }, LuuTruServerFactory.Json),
            HttpStatusCode.Conflict, "conflict");
        Expect.Field(problem, "email", "email-taken");
    }

    [Fact]
    public async Task A_registered_establishment_is_stored_clean_and_pending_until_approved()
    {
        var (_, officer) = await server.CreateOfficerAsync("00235");
        var decomposedName = "  Nhà   nghỉ Đống Đa ".Normalize(NormalizationForm.FormD);
        var response = await officer.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            decomposedName, EstablishmentKind.Guesthouse, "00235", "5 Ngõ Thử", "Phạm Thị Chủ", "024.3851.2345", "0109999999"), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("Nhà nghỉ Đống Đa", created.Name);
        Assert.Equal(EstablishmentStatus.Pending, created.Status);
        Assert.Equal("02438512345", created.Phone);
        Assert.Equal("01", created.ProvinceCode);
        Assert.Equal("Phường Đống Đa", created.CommuneName);
        Assert.Equal($"/api/v1/establishments/{created.Id}", response.Headers.Location?.OriginalString);

        var found = await officer.GetFromJsonAsync<Page<EstablishmentDto>>("/api/v1/establishments?q=nha%20nghi%20dong%20da&status=pending", LuuTruServerFactory.Json);
        Assert.Contains(found!.Items, e => e.Id == created.Id);

        var suspended = await officer.PostAsJsonAsync($"/api/v1/establishments/{created.Id}/suspend", new SuspendEstablishmentRequest("Chưa đủ điều kiện"), LuuTruServerFactory.Json);
        await Expect.Status(suspended, HttpStatusCode.OK);
        Assert.Equal(EstablishmentStatus.Suspended, (await suspended.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!.Status);

        var trail = await server.WithDbAsync(db => db.AuditLog.Where(a => a.EntityId == created.Id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["establishment.create", "establishment.suspend"], trail);
    }

    [Fact]
    public async Task Every_problem_of_a_new_establishment_is_reported_at_once()
    {
        using var admin = await server.SignInAsAdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            "", null, "12345", " ", "", "abc", MainEstablishmentId: Guid.NewGuid()), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(response, HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "name", "required");
        Expect.Field(problem, "kind", "required");
        Expect.Field(problem, "communeCode", "unknown-commune");
        Expect.Field(problem, "address", "required");
        Expect.Field(problem, "managerName", "required");
        Expect.Field(problem, "phone", "invalid-phone");
        Expect.Field(problem, "mainEstablishmentId", "unknown-establishment");
    }

    [Fact]
    public async Task A_branch_points_to_its_main_establishment_and_a_branch_cannot_be_a_main()
    {
        var main = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Chính");
        using var admin = await server.SignInAsAdminAsync();
        var branchResponse = await admin.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            "Khách sạn Chính - Chi nhánh", EstablishmentKind.Hotel, "00004", "9 Phố Thử", "Ngô Văn Nhánh", "0911111111", MainEstablishmentId: main.Id), LuuTruServerFactory.Json);
        await Expect.Status(branchResponse, HttpStatusCode.Created);
        var branch = (await branchResponse.Content.ReadFromJsonAsync<EstablishmentDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(main.Id, branch.MainEstablishmentId);

        var problem = await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            "Chi nhánh của chi nhánh", EstablishmentKind.Hotel, "00004", "9 Phố Thử", "Ngô Văn Nhánh", "0911111111", MainEstablishmentId: branch.Id), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "mainEstablishmentId", "branch-of-branch");

        // An officer links a branch only to an establishment of their own area.
        var (_, officer) = await server.CreateOfficerAsync("00004");
        var foreign = await officer.PostAsJsonAsync("/api/v1/establishments", new CreateEstablishmentRequest(
            "Nhánh lạ", EstablishmentKind.Hotel, "00004", "11 Phố Thử", "Ngô Văn Lạ", "0911111112", MainEstablishmentId: main.Id), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(foreign, HttpStatusCode.Forbidden, "forbidden"), "mainEstablishmentId", "outside-your-area");
    }

    [Fact]
    public async Task An_api_keys_last_use_is_recorded_at_most_once_a_minute()
    {
        var hotel = await server.CreateEstablishmentAsync("00070");
        var key = await server.CreateApiKeyAsync(hotel.Id);
        using var client = server.WithApiKey(key.ApiKey);
        var t0 = server.Clock.GetUtcNow();

        await Expect.Status(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal(t0, await LastUsed());

        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await Expect.Status(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal(t0, await LastUsed());

        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await Expect.Status(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal(t0.AddSeconds(61), await LastUsed());

        Task<DateTimeOffset?> LastUsed() => server.WithDbAsync(db => db.ApiKeys.Where(k => k.Prefix == key.Prefix).Select(k => k.LastUsedAt).SingleAsync());
    }

    [Fact]
    public async Task The_secret_of_an_api_key_is_never_stored()
    {
        var hotel = await server.CreateEstablishmentAsync("00070");
        var key = await server.CreateApiKeyAsync(hotel.Id);
        var secret = key.ApiKey.Split('_')[2];
        var stored = await server.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Prefix == key.Prefix));
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(secret, Convert.ToBase64String(stored.SecretHash));
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(stored.SecretHash));

        using var admin = await server.SignInAsAdminAsync();
        var listed = await admin.GetStringAsync($"/api/v1/establishments/{hotel.Id}/api-keys");
        Assert.DoesNotContain(secret, listed);
    }
}
