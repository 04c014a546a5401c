using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Tests.Foundation;

public sealed class AuthTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task The_bootstrap_admin_is_created_on_first_start_and_can_sign_in()
    {
        var admins = await server.WithDbAsync(db => db.Users.Where(u => u.Role == Role.Admin).ToListAsync());
        var admin = Assert.Single(admins);
        Assert.Equal(LuuTruServerFactory.AdminEmail, admin.Email);
        Assert.DoesNotContain(LuuTruServerFactory.AdminPassword, admin.PasswordHash);

        using var client = server.Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("  ADMIN@test.luutru.vn ", LuuTruServerFactory.AdminPassword), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.OK);
        var login = (await response.Content.ReadFromJsonAsync<LoginResponse>(LuuTruServerFactory.Json))!;
        Assert.Equal(Role.Admin, login.User.Role);
        Assert.True(login.ExpiresAt > server.Clock.GetUtcNow());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        var me = await client.GetFromJsonAsync<MeResponse>("/api/v1/me", LuuTruServerFactory.Json);
        Assert.Equal("user", me!.Kind);
        Assert.Equal(Role.Admin, me.Role);
        Assert.Equal(LuuTruServerFactory.AdminEmail, me.Email);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        using var client = server.Anonymous();
        var wrongPassword = await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(LuuTruServerFactory.AdminEmail, "not-the-password"), LuuTruServerFactory.Json),
            HttpStatusCode.Unauthorized, "invalid-credentials");
        var unknownEmail = await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("nobody@test.luutru.vn", "not-the-password"), LuuTruServerFactory.Json),
            HttpStatusCode.Unauthorized, "invalid-credentials");

        Assert.Equal(wrongPassword.Title, unknownEmail.Title);
        Assert.Equal(wrongPassword.Detail, unknownEmail.Detail);
        Assert.Equal("Email hoặc mật khẩu không đúng.", wrongPassword.Title);
        Assert.DoesNotContain("nobody", unknownEmail.Title!);

        var failures = await server.WithDbAsync(db => db.AuditLog.CountAsync(a => a.Action == "auth.login-failed"));
        Assert.True(failures >= 2);
    }

    [Fact]
    public async Task Missing_fields_are_reported_by_path_in_Vietnamese_or_English_on_request()
    {
        using var vi = server.Anonymous();
        var problem = await Expect.Problem(
            await vi.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("", ""), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("Trường này là bắt buộc.", Expect.Field(problem, "email", "required").Message);
        Expect.Field(problem, "password", "required");

        using var en = server.Anonymous("en-US");
        var english = await Expect.Problem(
            await en.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("", "x"), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("This field is required.", Expect.Field(english, "email", "required").Message);
    }

    [Fact]
    public async Task The_browser_cookie_signs_the_session_in_and_logout_clears_it()
    {
        using var client = server.CreateClient(server.ClientOptionsFor(cookies: true));
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword), LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.OK);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        // No Authorization header: the cookie alone authenticates.
        await Expect.Status(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        await Expect.Status(await client.PostAsync("/api/v1/auth/logout", null), HttpStatusCode.NoContent);
        await Expect.Problem(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_tampered_or_expired_token_is_refused()
    {
        using var admin = await server.SignInAsAdminAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;

        using var tampered = server.Anonymous();
        tampered.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA");
        await Expect.Problem(await tampered.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");

        // A token issued two days ago (on the server's clock) has expired by now.
        server.Clock.Set(DateTimeOffset.UtcNow.AddDays(-2));
        HttpClient old;
        try { old = await server.SignInAsAdminAsync(); }
        finally { server.Clock.Set(DateTimeOffset.UtcNow); }
        using (old)
            await Expect.Problem(await old.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Signing_out_a_password_change_a_reset_or_disabling_ends_every_token_issued_before()
    {
        var (person, first) = await server.CreateOfficerAsync("00070");
        using var second = await server.SignInAsync(person.Email, LuuTruServerFactory.Password);
        await Expect.Status(await first.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        // Signing out ends the token itself, not only the cookie: a copy of it is of no use afterwards.
        await Expect.Status(await first.PostAsync("/api/v1/auth/logout", null), HttpStatusCode.NoContent);
        await Expect.Problem(await first.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.Problem(await second.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");

        // A password change: the current one must be given, the new one not common; the other sessions end.
        using var third = await server.SignInAsync(person.Email, LuuTruServerFactory.Password);
        using var fourth = await server.SignInAsync(person.Email, LuuTruServerFactory.Password);
        var wrong = await third.PostAsJsonAsync("/api/v1/auth/password", new ChangePasswordRequest("not-my-password", "a long new phrase of mine"), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(wrong, HttpStatusCode.BadRequest, "validation-failed"), "currentPassword", "wrong-password");
        var common = await third.PostAsJsonAsync("/api/v1/auth/password", new ChangePasswordRequest(LuuTruServerFactory.Password, "qwertyuiop123456"), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(common, HttpStatusCode.BadRequest, "validation-failed"), "newPassword", "password-too-common");
        var changed = await third.PostAsJsonAsync("/api/v1/auth/password", new ChangePasswordRequest(LuuTruServerFactory.Password, "a long new phrase of mine"), LuuTruServerFactory.Json);
        await Expect.Status(changed, HttpStatusCode.OK);
        await Expect.Problem(await fourth.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var renewed = server.Anonymous();
        renewed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await changed.Content.ReadFromJsonAsync<LoginResponse>(LuuTruServerFactory.Json))!.AccessToken);
        await Expect.Status(await renewed.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        // An admin disables the person: every token ends and no sign-in works until enabled again.
        using var admin = await server.SignInAsAdminAsync();
        await Expect.Status(await admin.PostAsync($"/api/v1/users/{person.Id}/disable", null), HttpStatusCode.OK);
        await Expect.Problem(await renewed.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var anonymous = server.Anonymous();
        await Expect.Problem(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(person.Email, "a long new phrase of mine"), LuuTruServerFactory.Json),
            HttpStatusCode.Unauthorized, "invalid-credentials");
        await Expect.Status(await admin.PostAsync($"/api/v1/users/{person.Id}/enable", null), HttpStatusCode.OK);
        using var back = await server.SignInAsync(person.Email, "a long new phrase of mine");

        // An admin sets a new password: the person's sessions end, the new password works.
        await Expect.Status(await admin.PostAsJsonAsync($"/api/v1/users/{person.Id}/password", new ResetPasswordRequest("reset by the admin today"),
            LuuTruServerFactory.Json), HttpStatusCode.NoContent);
        await Expect.Problem(await back.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var afterReset = await server.SignInAsync(person.Email, "reset by the admin today");
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>($"/api/v1/audit?entityId={person.Id}&limit=50", LuuTruServerFactory.Json));
        Assert.NotNull(trail);
    }

    [Theory]
    [InlineData("1234567890", "too-short")]
    [InlineData("12345678901234", "password-too-common")]
    [InlineData("Password123456", "password-too-common")]
    [InlineData("qwertyuiop!!!!", "password-too-common")]
    [InlineData("aaaaaaaaaaaaaa", "password-too-common")]
    public async Task A_new_password_is_twelve_characters_or_more_and_not_a_common_one(string password, string code)
    {
        using var admin = await server.SignInAsAdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest($"weak.{Guid.NewGuid():N}@test.luutru.vn", password, Role.CommuneOfficer, CommuneCodes: ["00070"]), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(response, HttpStatusCode.BadRequest, "validation-failed"), "password", code);
        Assert.True(CuTru.LuuTru.Server.Accounts.PasswordRules.CommonCount > 5000);
    }

    [Fact]
    public async Task Anonymous_callers_get_a_401_problem()
    {
        using var client = server.Anonymous();
        await Expect.Problem(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.Problem(await client.GetAsync("/api/v1/establishments"), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

/// <summary>A server whose sign-in limit is small enough to hit.</summary>
public sealed class TightLoginLimitServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Auth:LoginAttemptsPerMinute"] = "3" };
}

public sealed class LoginRateLimitTests(TightLoginLimitServer server) : IClassFixture<TightLoginLimitServer>
{
    [Fact]
    public async Task Guessing_passwords_is_slowed_down_per_address()
    {
        using var client = server.Anonymous();
        for (var i = 0; i < 3; i++)
            await Expect.Problem(await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(LuuTruServerFactory.AdminEmail, $"guess-{i}"), LuuTruServerFactory.Json),
                HttpStatusCode.Unauthorized, "invalid-credentials");

        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword), LuuTruServerFactory.Json);
        await Expect.Problem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(limited.Headers.RetryAfter is not null || limited.Headers.Contains("Retry-After"));
    }
}

/// <summary>A server behind a (pretend) reverse proxy on loopback, with a small per-account sign-in limit.</summary>
public sealed class BehindProxyServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Network:KnownProxies:0"] = "127.0.0.1",
        ["LuuTru:Network:KnownProxies:1"] = "::1",
        ["LuuTru:Auth:LoginAttemptsPerMinute"] = "100",
        ["LuuTru:Auth:LoginAttemptsPerAccountPer15Minutes"] = "3",
    };
}

public sealed class BehindProxyTests(BehindProxyServer server) : IClassFixture<BehindProxyServer>
{
    private async Task<HttpResponseMessage> LoginAsync(string email, string password, string? forwardedFor = null)
    {
        using var client = server.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new LoginRequest(email, password)) };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_client_is_the_forwarded_address_and_an_account_is_not_guessed_from_many_addresses()
    {
        var (staff, _) = await server.CreateOfficerAsync("00070");
        await Expect.Status(await LoginAsync(staff.Email, LuuTruServerFactory.Password, "203.0.113.7"), HttpStatusCode.OK);
        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>($"/api/v1/audit?action=auth.login&actorId={staff.Id}&limit=10", LuuTruServerFactory.Json))!;
        Assert.Equal("203.0.113.7", trail.Items[0].RemoteAddress);

        // Its third attempt within 15 minutes (signed in when created, then above), from a third address, is the last;
        // the fourth waits whatever the address, while another account does not.
        await Expect.Problem(await LoginAsync(staff.Email, "wrong-password", "198.51.100.1"), HttpStatusCode.Unauthorized, "invalid-credentials");
        await Expect.Problem(await LoginAsync(staff.Email, LuuTruServerFactory.Password, "198.51.100.9"), HttpStatusCode.TooManyRequests, "rate-limited");
        await Expect.Status(await LoginAsync(LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword, "198.51.100.9"), HttpStatusCode.OK);
    }
}

public sealed class NoProxyTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task Without_a_known_proxy_a_forwarded_address_is_not_believed()
    {
        using var client = server.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new LoginRequest(LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword)),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.8");
        await Expect.Status(await client.SendAsync(request), HttpStatusCode.OK);
        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=auth.login&limit=50", LuuTruServerFactory.Json))!;
        Assert.True(!trail.Items.Any(a => a.RemoteAddress == "203.0.113.8"), string.Join(",", trail.Items.Select(a => a.ActorId + "@" + a.RemoteAddress)));
        Assert.Contains(trail.Items, a => a.RemoteAddress is "127.0.0.1" or "::1" or "::ffff:127.0.0.1");
    }
}
