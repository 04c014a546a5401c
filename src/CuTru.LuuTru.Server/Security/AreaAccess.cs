using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Security;

/// <summary>The one way a request is let into a commune's or a province's records. On a route group whose path holds
/// <c>{code}</c>, <see cref="RequireCommuneAccess{TBuilder}"/> or <see cref="RequireProvinceAccess{TBuilder}"/> resolves
/// the area (404 when unknown) and asks the <see cref="Policies.CommuneAccess"/> policy (403 when not the caller's);
/// handlers then read the commune with <see cref="Commune(HttpContext)"/>. A record reached by id (a notification) asks
/// the same policy with <see cref="MaySeeAsync"/>.</summary>
public static class AreaAccess
{
    private const string RouteKey = "code";
    private static readonly object CommuneItem = new();

    public static TBuilder RequireCommuneAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var code = http.GetRouteValue(RouteKey) as string;
            var db = http.RequestServices.GetRequiredService<LuuTruDb>();
            var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == code, http.RequestAborted);
            if (commune is null) return Problems.NotFound();
            if (!await MaySeeAsync(http, commune.Code, commune.ProvinceCode)) return Problems.Forbidden();
            http.Items[CommuneItem] = commune;
            return await next(context);
        });

    public static TBuilder RequireProvinceAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var code = http.GetRouteValue(RouteKey) as string;
            var db = http.RequestServices.GetRequiredService<LuuTruDb>();
            if (!await db.Provinces.AnyAsync(p => p.Code == code, http.RequestAborted)) return Problems.NotFound();
            var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
            if (!(await authorization.AuthorizeAsync(http.User, new ProvinceRef(code!), Policies.CommuneAccess)).Succeeded) return Problems.Forbidden();
            return await next(context);
        });

    /// <summary>The commune of the route, as the filter found it.</summary>
    public static Commune Commune(this HttpContext http) =>
        http.Items[CommuneItem] as Commune ?? throw new InvalidOperationException("The route group does not RequireCommuneAccess().");

    /// <summary>May the caller see the records of this commune (police of its area)?</summary>
    public static async Task<bool> MaySeeAsync(HttpContext http, string communeCode, string provinceCode) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>()
            .AuthorizeAsync(http.User, new CommuneRef(communeCode, provinceCode), Policies.CommuneAccess)).Succeeded;
}
