using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The hub speaking the national system's API under <c>/kbtt</c>, at the same paths as upstream: software written
/// for KBTT switches by changing its base URL, with an API key as its account (username: the key's prefix, password: the
/// whole key). What the hub adds: receipts, status, corrections and cancels through the hub's own API, every arrival
/// judged and shown to the police at once.</summary>
public static class KbttEndpoints
{
    public const string Prefix = "/kbtt";

    public static RouteGroupBuilder MapKbtt(this IEndpointRouteBuilder app)
    {
        var kbtt = app.MapGroup(Prefix).WithTags("National system (KBTT-compatible)");

        var oauth = kbtt.MapGroup("/authorization-service/oauth").AllowAnonymous();
        oauth.MapPost("/token", Token).Accepts<IFormCollection>("application/x-www-form-urlencoded")
            .WithSummary("KBTT API 1: a token pair for an API key (form: username = the key's prefix, password = the whole key, grant-type = api_cslt)");
        oauth.MapPost("/refresh-token", RefreshToken).WithSummary("KBTT API 2: a new pair for a refresh token (?refresh_token=…); the old one is spent");
        oauth.MapDelete("/revoke", Revoke).WithSummary("KBTT API 3: end an access token (?access_token=…)");

        var client = kbtt.MapGroup("/client-service").RequireAuthorization(Policies.Authenticated);
        client.MapPost("/kbtt-vn/kbtt-3th", KbttFiling.Vietnamese).Accepts<List<KbttVietnameseGuest>>("application/json")
            .WithSummary("KBTT API 5: Vietnamese guests (a JSON array); guests sharing room, arrival, departure and reason are one stay; all or nothing")
            .WithDescription("Success: 200 {code:\"200\"} with each element's receipt in X-LuuTru-Receipts (and in data with X-LuuTru-Extensions: receipts). "
                + "An identical resend answers the same receipts.");
        client.MapPost("/kbtt/kbtt-3th", KbttFiling.Foreign).Accepts<List<KbttForeignGuest>>("application/json")
            .WithSummary("KBTT API 4: foreign guests (a JSON array); as API 5, visa and entry details optional, no reason: other");
        client.MapPost("/kbtt-vn/kbtt-3th/doi-ngay-tra-phong", KbttFiling.DepartureChanges).Accepts<List<KbttDepartureChange>>("application/json")
            .WithSummary("KBTT API 12: TS (left early: checked out now) or GH (extended to thoiGianStr, at most 30 days from the arrival) of guests staying");
        client.MapPost("/kbtt/kbtt-3th/doi-ngay-tra-phong", KbttFiling.DepartureChanges).Accepts<List<KbttDepartureChange>>("application/json")
            .WithSummary("The same (the path of the document's curl example)");

        var catalogue = kbtt.MapGroup("/cms-backend/public").AllowAnonymous()
            .AddEndpointFilter(async (ctx, next) =>
            {
                ctx.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
                return await next(ctx);
            });
        catalogue.MapGet("/dm-qt/3th/get-all", (HttpContext http) =>
            KbttAnswers.Ok(KbttCodes.Nationalities.Select(n => new KbttNationalityItem(n.Code, n.NameVi, n.NameEn)).ToList(), http))
            .WithSummary("KBTT API 6: nationalities");
        catalogue.MapGet("/dm-tinh-tp/get-all", (HttpContext http) =>
            KbttAnswers.Ok(KbttCodes.Provinces.Select(p => new KbttProvinceItem(p.Code, p.Name, p.NameEn, p.Abbrev)).ToList(), http))
            .WithSummary("KBTT API 7: provinces (police codes: Hà Nội 101)");
        catalogue.MapGet("/dm-phuong-xa", (HttpContext http, string? trucThuocTinh) =>
            KbttAnswers.Ok(KbttCodes.Communes.Where(c => trucThuocTinh is null || c.ProvinceCode == trucThuocTinh)
                .Select(c => new KbttCommuneItem(c.Code, c.Name, c.NameEn, c.ProvinceCode)).ToList(), http))
            .WithSummary("KBTT API 8: communes of a province (?trucThuocTinh=101); 9-digit codes, looked up, never computed");
        catalogue.MapGet("/ly-do-cu-tru/get-all", (HttpContext http) =>
            KbttAnswers.Ok(KbttCodes.Reasons.Select(r => new KbttCodeItem(r.Code, r.Name)).ToList(), http)).WithSummary("KBTT API 9: stay reasons 1-20");
        catalogue.MapGet("/loai-giay-to/get-all", (HttpContext http) =>
            KbttAnswers.Ok(KbttCodes.DocumentTypes.Select(d => new KbttCodeItem(d.Code, d.Name)).ToList(), http)).WithSummary("KBTT API 10: document types");
        catalogue.MapGet("/noi-cu-tru/get-all", (HttpContext http) =>
            KbttAnswers.Ok(KbttCodes.ResidenceKinds.Select(d => new KbttCodeItem(d.Code, d.Name)).ToList(), http)).WithSummary("KBTT API 11: residence kinds");
        return kbtt;
    }

    /// <summary>What the token endpoints work with, bound by [AsParameters].</summary>
    internal sealed record TokenServices(HttpContext Http, LuuTruDb Db, ApiKeyAuthenticator Keys, KbttTokens Tokens, EstablishmentDirectory Directory,
        RedisRateLimiter Limiter, IOptions<AuthOptions> Auth, CancellationToken Ct);

    internal static async Task<IResult> Token([AsParameters] TokenServices s)
    {
        var http = s.Http;
        // Limited as the sign-in is: per address, and per account (the key's prefix).
        var (addressAllowed, _) = await s.Limiter.TryAcquireAsync("kbtt-token-ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            s.Auth.Value.LoginAttemptsPerMinute, TimeSpan.FromMinutes(1));
        if (!addressAllowed) return KbttAnswers.Error(StatusCodes.Status429TooManyRequests, "rate-limited");
        if (!http.Request.HasFormContentType) return KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-invalid-credentials");
        var form = await http.Request.ReadFormAsync(s.Ct);
        var grant = form["grant-type"].FirstOrDefault() ?? form["grant_type"].FirstOrDefault();
        if (grant != "api_cslt") return KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-invalid-grant");
        var username = form["username"].FirstOrDefault() ?? "";
        var password = form["password"].FirstOrDefault() ?? "";
        if (username.Length is > 0 and <= 64)
        {
            var (accountAllowed, _) = await s.Limiter.TryAcquireAsync("kbtt-token-account:" + username,
                s.Auth.Value.LoginAttemptsPerAccountPer15Minutes, TimeSpan.FromMinutes(15));
            if (!accountAllowed) return KbttAnswers.Error(StatusCodes.Status429TooManyRequests, "rate-limited");
        }
        // The key's prefix as the username, the whole key as the password; every failure alike.
        if (!ApiKeyFormat.TryParse(password, out var parts) || parts.Prefix != username)
            return KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-invalid-credentials");
        var (principal, _) = await s.Keys.AuthenticateAsync(password, KbttAuthenticationHandler.SchemeName, s.Ct);
        if (principal is null) return KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-invalid-credentials");
        return await IssueAsync(parts.Prefix, principal, s);
    }

    internal static async Task<IResult> RefreshToken(string? refresh_token, [AsParameters] TokenServices s)
    {
        string? prefix;
        try { prefix = await s.Tokens.SpendRefreshAsync(refresh_token ?? ""); }
        catch (Exception e) when (e is RedisException or TimeoutException) { return KbttAnswers.Error(StatusCodes.Status503ServiceUnavailable, "kbtt-unavailable"); }
        if (prefix is null) return KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-invalid-refresh-token");
        var (principal, _) = await s.Keys.PrincipalOfAsync(prefix, KbttAuthenticationHandler.SchemeName, s.Ct);
        if (principal is null) return KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-invalid-refresh-token");
        return await IssueAsync(prefix, principal, s);
    }

    internal static async Task<IResult> Revoke(string? access_token, HttpContext http, KbttTokens tokens)
    {
        try { await tokens.RevokeAsync(access_token ?? ""); }
        catch (Exception e) when (e is RedisException or TimeoutException) { return KbttAnswers.Error(StatusCodes.Status503ServiceUnavailable, "kbtt-unavailable"); }
        return KbttAnswers.Ok<object>(null, http); // as upstream: success whether or not it was live
    }

    /// <summary>A new pair, answered with the establishment's national codes (province, commune) and whether it is a main
    /// establishment, as upstream's token answer carries them.</summary>
    private static async Task<IResult> IssueAsync(string prefix, System.Security.Claims.ClaimsPrincipal principal, TokenServices s)
    {
        var caller = Caller.From(principal);
        var establishment = await s.Directory.EstablishmentAsync(caller.EstablishmentId!.Value, s.Ct);
        if (establishment is null) return KbttAnswers.Error(StatusCodes.Status401Unauthorized, "kbtt-invalid-credentials");
        bool main;
        try { main = await s.Db.Establishments.AsNoTracking().Where(e => e.Id == establishment.Id).Select(e => e.MainEstablishmentId == null).FirstAsync(s.Ct); }
        catch (Exception e) when (Transient.Is(e)) { main = true; }
        KbttTokens.Issued issued;
        try { issued = await s.Tokens.IssueAsync(prefix); }
        catch (Exception e) when (e is RedisException or TimeoutException) { return KbttAnswers.Error(StatusCodes.Status503ServiceUnavailable, "kbtt-unavailable"); }
        return KbttAnswers.Ok(new KbttTokenData(issued.AccessToken, issued.RefreshToken, "bearer", issued.ExpiresAt.ToUnixTimeSeconds(),
            ["kbtt:create-3th", "CLIENT_API_CSLT"], 0, "CSLT", establishment.Id.ToString(), 0, 0,
            KbttCodes.ProvinceOfGso(establishment.ProvinceCode)?.Code ?? "", KbttCodes.CommuneOfGso(establishment.CommuneCode)?.Code ?? "", main), s.Http);
    }
}
