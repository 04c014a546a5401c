using System.Security.Claims;
using System.Text.Encodings.Web;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Security;

/// <summary>Authenticates an establishment by its <c>X-Api-Key</c> header. Unknown, malformed and revoked keys get 401.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LuuTruDb db,
    EstablishmentDirectory directory,
    TimeProvider clock,
    IOptions<AuthOptions> authOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values)) return AuthenticateResult.NoResult();
        if (!ApiKeyFormat.TryParse(values.ToString(), out var parts)) return AuthenticateResult.Fail("malformed API key");

        // From memory when fresh, so intake keeps working while PostgreSQL is down (EstablishmentDirectory).
        var key = await directory.KeyAsync(parts.Prefix, Context.RequestAborted);
        if (key is null || !ApiKeyFormat.Matches(parts.Secret, key.SecretHash)) return AuthenticateResult.Fail("unknown API key");
        if (key.Revoked) return AuthenticateResult.Fail("revoked API key");
        var establishment = await directory.EstablishmentAsync(key.EstablishmentId, Context.RequestAborted);

        // Last use is kept to the minute, not written on every request: intake traffic must not turn into key updates.
        var now = clock.GetUtcNow();
        var resolution = TimeSpan.FromSeconds(authOptions.Value.ApiKeyLastUsedResolutionSeconds);
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value >= resolution)
        {
            try
            {
                await db.ApiKeys.Where(k => k.Prefix == parts.Prefix).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
                directory.Touched(parts.Prefix, now);
            }
            catch (Exception e) when (Transient.Is(e)) { /* PostgreSQL down: last use can wait */ }
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(LuuTruClaims.Subject, "key:" + parts.Prefix),
                new Claim(LuuTruClaims.ApiKeyPrefix, parts.Prefix),
                new Claim(LuuTruClaims.Establishment, key.EstablishmentId.ToString()),
                new Claim(LuuTruClaims.EstablishmentStatus, (establishment?.Status ?? EstablishmentStatus.Suspended).ToString()),
            ],
            SchemeName, LuuTruClaims.Subject, LuuTruClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A key was sent but did not authenticate: say so precisely, so integrators know to look at the key.
        if (Request.Headers.ContainsKey(HeaderName))
            return new ProblemResult(StatusCodes.Status401Unauthorized, "invalid-api-key").ExecuteAsync(Context);
        return base.HandleChallengeAsync(properties);
    }
}
