using System.Security.Claims;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Security;

/// <summary>Claim names carried by access tokens and API-key identities.</summary>
public static class LuuTruClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Email = "email";
    public const string Province = "province";
    public const string Commune = "commune";
    public const string Establishment = "establishment";
    public const string EstablishmentStatus = "establishment_status";
    public const string ApiKeyPrefix = "api_key";
    /// <summary>The person's security stamp when the token was issued.</summary>
    public const string Stamp = "stamp";
}

/// <summary>Who is calling and what they may reach, read once from the claims.</summary>
public sealed record Caller(
    string Kind,
    Guid? UserId,
    Role? Role,
    string? ProvinceCode,
    IReadOnlySet<string> CommuneCodes,
    Guid? EstablishmentId,
    string? ApiKeyPrefix)
{
    public const string UserKind = "user";
    public const string ApiKeyKind = "api-key";
    public const string AnonymousKind = "anonymous";

    public bool IsAdmin => Role == Contracts.Role.Admin;
    public bool IsPolice => Role is Contracts.Role.Admin or Contracts.Role.ProvinceSupervisor or Contracts.Role.CommuneOfficer;
    /// <summary>Acts for one establishment: its staff or one of its API keys.</summary>
    public bool IsEstablishmentActor => EstablishmentId is not null && (Kind == ApiKeyKind || Role == Contracts.Role.EstablishmentStaff);

    /// <summary>The actor id written to the audit log: a user id or an API key prefix.</summary>
    public string? AuditId => UserId?.ToString() ?? ApiKeyPrefix;

    /// <summary>Admins see everything, a supervisor their province, an officer their communes.</summary>
    public bool CanSeeCommune(string communeCode, string provinceCode) => Role switch
    {
        Contracts.Role.Admin => true,
        Contracts.Role.ProvinceSupervisor => ProvinceCode == provinceCode,
        Contracts.Role.CommuneOfficer => CommuneCodes.Contains(communeCode),
        _ => false,
    };

    /// <summary>A whole province: admins, and the supervisor of that province.</summary>
    public bool CanSeeProvince(string provinceCode) => IsAdmin || (Role == Contracts.Role.ProvinceSupervisor && ProvinceCode == provinceCode);

    public static Caller From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
            return new Caller(AnonymousKind, null, null, null, new HashSet<string>(), null, null);
        var prefix = principal.FindFirstValue(LuuTruClaims.ApiKeyPrefix);
        var sub = principal.FindFirstValue(LuuTruClaims.Subject);
        var role = RoleNames.Parse(principal.FindFirstValue(LuuTruClaims.Role));
        var est = principal.FindFirstValue(LuuTruClaims.Establishment);
        return new Caller(
            prefix is null ? UserKind : ApiKeyKind,
            prefix is null && Guid.TryParse(sub, out var uid) ? uid : null,
            role,
            principal.FindFirstValue(LuuTruClaims.Province),
            principal.FindAll(LuuTruClaims.Commune).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            Guid.TryParse(est, out var eid) ? eid : null,
            prefix);
    }
}

/// <summary>Role names on the wire and in tokens: kebab-case, as the JSON enums.</summary>
public static class RoleNames
{
    public const string Admin = "admin";
    public const string ProvinceSupervisor = "province-supervisor";
    public const string CommuneOfficer = "commune-officer";
    public const string EstablishmentStaff = "establishment-staff";

    public static string Of(Role role) => role switch
    {
        Role.Admin => Admin,
        Role.ProvinceSupervisor => ProvinceSupervisor,
        Role.CommuneOfficer => CommuneOfficer,
        Role.EstablishmentStaff => EstablishmentStaff,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Role? Parse(string? name) => name switch
    {
        Admin => Role.Admin,
        ProvinceSupervisor => Role.ProvinceSupervisor,
        CommuneOfficer => Role.CommuneOfficer,
        EstablishmentStaff => Role.EstablishmentStaff,
        _ => null,
    };
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(Caller), out var cached) && cached is Caller c) return c;
        var caller = Security.Caller.From(context.User);
        context.Items[typeof(Caller)] = caller;
        return caller;
    }
}
