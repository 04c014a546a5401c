using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authorization;

namespace CuTru.LuuTru.Server.Security;

/// <summary>The authorization policies. Role gates go on route groups; resource checks go through
/// <see cref="IAuthorizationService"/> with the record in hand.</summary>
public static class Policies
{
    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
    /// <summary>Admins, province supervisors and commune officers.</summary>
    public const string Police = "police";
    /// <summary>Anyone signed in or holding a valid API key.</summary>
    public const string Authenticated = "authenticated";
    /// <summary>Read one establishment: police of its area, its staff, its keys.</summary>
    public const string EstablishmentRead = "establishment-read";
    /// <summary>Approve or suspend: police of its area.</summary>
    public const string EstablishmentApprove = "establishment-approve";
    /// <summary>Create or revoke its API keys: its staff (not a key) and admins.</summary>
    public const string EstablishmentKeys = "establishment-keys";
    /// <summary>Act in a commune or a province: police of its area (see <see cref="AreaAccess"/>).</summary>
    public const string CommuneAccess = "commune-access";

    public static IServiceCollection AddLuuTruAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, EstablishmentAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, CommuneAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, ProvinceAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireClaim(LuuTruClaims.Role, RoleNames.Admin))
            .AddPolicy(Police, p => p.RequireAuthenticatedUser().RequireClaim(LuuTruClaims.Role, RoleNames.Admin, RoleNames.ProvinceSupervisor, RoleNames.CommuneOfficer))
            .AddPolicy(Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(EstablishmentRead, p => p.AddRequirements(new EstablishmentRequirement(EstablishmentOperation.Read)))
            .AddPolicy(EstablishmentApprove, p => p.AddRequirements(new EstablishmentRequirement(EstablishmentOperation.Approve)))
            .AddPolicy(EstablishmentKeys, p => p.AddRequirements(new EstablishmentRequirement(EstablishmentOperation.ManageKeys)))
            .AddPolicy(CommuneAccess, p => p.AddRequirements(new CommuneRequirement()));
        return services;
    }
}

public enum EstablishmentOperation { Read, Approve, ManageKeys }

public sealed record EstablishmentRequirement(EstablishmentOperation Operation) : IAuthorizationRequirement;

/// <summary>A commune as an authorization resource.</summary>
public sealed record CommuneRef(string CommuneCode, string ProvinceCode);

public sealed class CommuneRequirement : IAuthorizationRequirement;

internal sealed class CommuneAccessHandler : AuthorizationHandler<CommuneRequirement, CommuneRef>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CommuneRequirement requirement, CommuneRef resource)
    {
        if (Caller.From(context.User).CanSeeCommune(resource.CommuneCode, resource.ProvinceCode)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>A province as an authorization resource: its records across communes.</summary>
public sealed record ProvinceRef(string ProvinceCode);

internal sealed class ProvinceAccessHandler : AuthorizationHandler<CommuneRequirement, ProvinceRef>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CommuneRequirement requirement, ProvinceRef resource)
    {
        if (Caller.From(context.User).CanSeeProvince(resource.ProvinceCode)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

internal sealed class EstablishmentAccessHandler : AuthorizationHandler<EstablishmentRequirement, Establishment>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EstablishmentRequirement requirement, Establishment resource)
    {
        var caller = Caller.From(context.User);
        var police = caller.CanSeeCommune(resource.CommuneCode, resource.ProvinceCode);
        var own = caller.EstablishmentId == resource.Id;
        var allowed = requirement.Operation switch
        {
            EstablishmentOperation.Read => police || own,
            EstablishmentOperation.Approve => police,
            EstablishmentOperation.ManageKeys => caller.IsAdmin || (own && caller.Kind == Caller.UserKind),
            _ => false,
        };
        if (allowed) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
