using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Accounts;

public static class AuthEndpoints
{

    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");

        group.MapPost("/login", Login)
            .AllowAnonymous()
            .WithSummary("Sign in with email and password")
            .WithDescription("Returns a bearer token and also sets it as an HttpOnly cookie for the browser app. "
                + "A wrong email and a wrong password get the same answer.");

        group.MapPost("/logout", Logout).AllowAnonymous().WithSummary("Sign out: clear the session cookie and end every token of the caller");
        group.MapPost("/password", ChangePassword).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Change one's own password (12+ characters, not a common one); every other session ends");

        app.MapGet("/api/v1/me", Me).RequireAuthorization(Policies.Authenticated).WithTags("Auth")
            .WithSummary("Who the caller is: a signed-in person or an establishment's API key");
        return group;
    }

    /// <summary>What a sign-in works with, bound by [AsParameters].</summary>
    internal sealed record SignInServices(HttpContext Http, LuuTruDb Db, TokenService Tokens, IPasswordHasher<User> Hasher, AuditWriter Audit,
        TimeProvider Clock, IOptions<AuthOptions> Options, RedisRateLimiter Limiter, Intake.Pseudonyms Pseudonyms, CancellationToken Ct);

    internal static async Task<Results<Ok<LoginResponse>, ProblemResult>> Login(LoginRequest request, [AsParameters] SignInServices s)
    {
        var (http, db, tokens, hasher, audit, clock, options, limiter, pseudonyms, ct) = s;
        // Held in Redis, so every server process counts the same attempts: per address, and per account from anywhere.
        var (addressAllowed, addressRetry) = await limiter.TryAcquireAsync("login-ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            options.Value.LoginAttemptsPerMinute, TimeSpan.FromMinutes(1));
        if (!addressAllowed) return Problems.RateLimited(http, addressRetry);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Email)) errors.Add("email", "required");
        else if (request.Email.Length > EmailAddress.MaxLength) errors.Add("email", "too-long", EmailAddress.MaxLength);
        if (string.IsNullOrEmpty(request.Password)) errors.Add("password", "required");
        else if (request.Password.Length > PasswordRules.MaxLength) errors.Add("password", "too-long", PasswordRules.MaxLength);
        if (errors.Any) return Problems.Validation(errors);

        var email = EmailAddress.Normalize(request.Email);
        var (accountAllowed, accountRetry) = await limiter.TryAcquireAsync("login-account:" + pseudonyms.Of(email),
            options.Value.LoginAttemptsPerAccountPer15Minutes, TimeSpan.FromMinutes(15));
        if (!accountAllowed) return Problems.RateLimited(http, accountRetry);
        var user = await db.Users.Include(u => u.Communes).FirstOrDefaultAsync(u => u.Email == email, ct);

        // Verify a hash even for an unknown email, so timing does not tell which emails exist.
        var verification = hasher.VerifyHashedPassword(user ?? DummyUser, user?.PasswordHash ?? DummyUser.PasswordHash, request.Password);
        if (user is null || user.DisabledAt is not null || verification == PasswordVerificationResult.Failed)
        {
            audit.Record(Caller.AnonymousKind, user?.Id.ToString(), "auth.login-failed", "user", user?.Id.ToString(), null, null, http);
            await db.SaveChangesAsync(ct);
            return Problems.InvalidCredentials();
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, request.Password);
        user.LastLoginAt = clock.GetUtcNow();
        audit.Record(Caller.UserKind, user.Id.ToString(), "auth.login", "user", user.Id.ToString(), null, null, http);
        await db.SaveChangesAsync(ct);

        return TypedResults.Ok(StartSession(http, tokens, options.Value, user));
    }

    /// <summary>A fresh token for the person, also set as the browser's HttpOnly session cookie (Secure once served over
    /// HTTPS, as a known proxy says).</summary>
    private static LoginResponse StartSession(HttpContext http, TokenService tokens, AuthOptions options, User user)
    {
        var (token, expiresAt) = tokens.Issue(user);
        http.Response.Cookies.Append(options.CookieName, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", Expires = expiresAt,
        });
        return new LoginResponse(token, expiresAt, user.ToDto());
    }

    /// <summary>Signs out: the cookie is cleared and, for a signed-in person, every token issued to them ends (a copied
    /// token is of no use after sign-out).</summary>
    internal static async Task<NoContent> Logout(HttpContext http, IOptions<AuthOptions> options, LuuTruDb db, SessionStamps stamps, AuditWriter audit,
        CancellationToken ct)
    {
        http.Response.Cookies.Delete(options.Value.CookieName, new CookieOptions { Path = "/" });
        if (http.Caller().UserId is { } id && await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) is { } user)
        {
            SessionStamps.EndSessions(user);
            audit.Record(http.Caller(), "auth.logout", "user", id.ToString(), null, null, http);
            await db.SaveChangesAsync(ct);
            stamps.Forget(id);
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<LoginResponse>, ProblemResult>> ChangePassword(ChangePasswordRequest request, [AsParameters] SignInServices s,
        SessionStamps stamps)
    {
        var (http, db, tokens, hasher, audit, _, options, _, _, ct) = s;
        if (http.Caller().UserId is not { } id || await db.Users.Include(u => u.Communes).FirstOrDefaultAsync(u => u.Id == id, ct) is not { } user)
            return Problems.Forbidden();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors.Add("currentPassword", "required");
        else if (hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword) == PasswordVerificationResult.Failed)
            errors.Add("currentPassword", "wrong-password");
        if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "required");
        else if (PasswordRules.Problem(request.NewPassword, user.Email) is { } weak)
            errors.Add("newPassword", weak, weak == "too-long" ? PasswordRules.MaxLength : PasswordRules.MinLength);
        if (errors.Any) return Problems.Validation(errors);
        user.PasswordHash = hasher.HashPassword(user, request.NewPassword!);
        SessionStamps.EndSessions(user);
        audit.Record(http.Caller(), "auth.password-change", "user", id.ToString(), null, null, http);
        await db.SaveChangesAsync(ct);
        stamps.Forget(id);
        // This session goes on with a fresh token; the others have ended.
        return TypedResults.Ok(StartSession(http, tokens, options.Value, user));
    }

    internal static async Task<Ok<MeResponse>> Me(HttpContext http, LuuTruDb db, CancellationToken ct)
    {
        var c = http.Caller();
        string? email = null;
        if (c.UserId is { } id) email = await db.Users.Where(u => u.Id == id).Select(u => u.Email).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new MeResponse(c.Kind, c.UserId, email, c.Role, c.ProvinceCode,
            c.CommuneCodes.Order(StringComparer.Ordinal).ToList(), c.EstablishmentId, c.ApiKeyPrefix));
    }

    private static readonly User DummyUser = new()
    {
        Email = "nobody@invalid",
        PasswordHash = new PasswordHasher<User>().HashPassword(null!, Guid.NewGuid().ToString()),
    };
}
