using System.Text.Encodings.Web;
using CuTru.LuuTru.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>Who calls the KBTT-compatible paths: <c>Authorization: Bearer</c> with a token of <c>/kbtt/…/oauth/token</c>,
/// or with the API key itself (or the key in <c>X-Api-Key</c>). Either way the caller is that API key, checked on every
/// call (a revoked key ends its tokens at once). Refusals are answered in KBTT's envelope.</summary>
public sealed class KbttAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyAuthenticator keys, KbttTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Kbtt";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var ct = Context.RequestAborted;
        string? credential = null;
        if (Request.Headers.TryGetValue(ApiKeyAuthenticationHandler.HeaderName, out var key)) credential = key.ToString();
        else if (Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            credential = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(credential)) return AuthenticateResult.NoResult();

        var (principal, failure) = (default(System.Security.Claims.ClaimsPrincipal), default(string));
        if (credential.StartsWith("lt_", StringComparison.Ordinal))
            (principal, failure) = await keys.AuthenticateAsync(credential, SchemeName, ct);
        else
        {
            string? prefix;
            try { prefix = await tokens.KeyOfAsync(credential); }
            catch (Exception e) when (e is RedisException or TimeoutException) { return AuthenticateResult.Fail("token store unavailable"); }
            if (prefix is null) return AuthenticateResult.Fail("unknown or expired token");
            (principal, failure) = await keys.PrincipalOfAsync(prefix, SchemeName, ct);
        }
        return principal is null ? AuthenticateResult.Fail(failure!) : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-unauthorized").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        KbttAnswers.Error(StatusCodes.Status403Forbidden, "kbtt-forbidden").ExecuteAsync(Context);
}
