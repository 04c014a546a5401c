using System.Security.Claims;
using System.Text.Encodings.Web;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Security;

/// <summary>Who an API key is: the one check of a key (known, secret matching, not revoked) and the principal it
/// becomes, shared by the <c>X-Api-Key</c> header and the KBTT-compatible paths (a key as their bearer token, or the
/// key behind one of their tokens).</summary>
public sealed class ApiKeyAuthenticator(LuuTruDb db, EstablishmentDirectory directory, TimeProvider clock, IOptions<AuthOptions> authOptions)
{
    /// <summary>The key's principal, or why not (malformed, unknown, revoked).</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Failure)> AuthenticateAsync(string rawKey, string scheme, CancellationToken ct)
    {
        if (!ApiKeyFormat.TryParse(rawKey, out var parts)) return (null, "malformed API key");
        // From memory when fresh, so intake keeps working while PostgreSQL is down (EstablishmentDirectory).
        var key = await directory.KeyAsync(parts.Prefix, ct);
        if (key is null || !ApiKeyFormat.Matches(parts.Secret, key.SecretHash)) return (null, "unknown API key");
        return await PrincipalOfAsync(parts.Prefix, scheme, ct);
    }

    /// <summary>The principal of a key known by its prefix alone (a KBTT token stands for it), if it is still valid.</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Failure)> PrincipalOfAsync(string prefix, string scheme, CancellationToken ct)
    {
        var key = await directory.KeyAsync(prefix, ct);
        if (key is null) return (null, "unknown API key");
        if (key.Revoked) return (null, "revoked API key");
        var establishment = await directory.EstablishmentAsync(key.EstablishmentId, ct);

        // Last use is kept to the minute, not written on every request: intake traffic must not turn into key updates.
        var now = clock.GetUtcNow();
        var resolution = TimeSpan.FromSeconds(authOptions.Value.ApiKeyLastUsedResolutionSeconds);
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value >= resolution)
        {
            try
            {
                await db.ApiKeys.Where(k => k.Prefix == prefix).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
                directory.Touched(prefix, now);
            }
            catch (Exception e) when (Transient.Is(e)) { /* PostgreSQL down: last use can wait */ }
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(LuuTruClaims.Subject, "key:" + prefix),
                new Claim(LuuTruClaims.ApiKeyPrefix, prefix),
                new Claim(LuuTruClaims.Establishment, key.EstablishmentId.ToString()),
                new Claim(LuuTruClaims.EstablishmentStatus, (establishment?.Status ?? EstablishmentStatus.Suspended).ToString()),
            ],
            scheme, LuuTruClaims.Subject, LuuTruClaims.Role);
        return (new ClaimsPrincipal(identity), null);
    }
}

/// <summary>Authenticates an establishment by its <c>X-Api-Key</c> header. Unknown, malformed and revoked keys get 401.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values)) return AuthenticateResult.NoResult();
        var (principal, failure) = await keys.AuthenticateAsync(values.ToString(), SchemeName, Context.RequestAborted);
        return principal is null ? AuthenticateResult.Fail(failure!) : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A key was sent but did not authenticate: say so precisely, so integrators know to look at the key.
        if (Request.Headers.ContainsKey(HeaderName))
            return new ProblemResult(StatusCodes.Status401Unauthorized, "invalid-api-key").ExecuteAsync(Context);
        return base.HandleChallengeAsync(properties);
    }
}
