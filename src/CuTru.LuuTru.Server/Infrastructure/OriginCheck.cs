using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>A signed-in browser session is used only from the hub's own pages (or the origins an operator allows): the
/// live feed (<c>/hubs</c>) and every change made with the session cookie (not with an API key or a bearer token, which a
/// foreign page cannot send) must come with no Origin or an allowed one. A page of a sibling site cannot then open the
/// live feed or post an upload with the officer's cookie. Answered 403 <c>forbidden</c>.</summary>
public static class OriginCheck
{
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app)
    {
        // Read on the first request, after the settings were validated at start (not while the pipeline is put together).
        var settings = new Lazy<(string Cookie, HashSet<string> Allowed)>(() => (
            app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.CookieName,
            new HashSet<string>(app.ApplicationServices.GetRequiredService<IOptions<NetworkOptions>>().Value.AllowedOrigins, StringComparer.OrdinalIgnoreCase)));
        return app.Use(async (http, next) =>
        {
            var (cookie, allowed) = settings.Value;
            var request = http.Request;
            var origin = request.Headers.Origin.ToString();
            if (origin.Length > 0 && Guarded(request, cookie) && !allowed.Contains(origin)
                && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            {
                await Problems.Forbidden().ExecuteAsync(http);
                return;
            }
            await next(http);
        });
    }

    /// <summary>The live feed, and changes that ride on the session cookie alone.</summary>
    private static bool Guarded(HttpRequest request, string cookie) =>
        request.Path.StartsWithSegments("/hubs")
        || (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Cookies.ContainsKey(cookie) && string.IsNullOrEmpty(request.Headers.Authorization) && !request.Headers.ContainsKey("X-Api-Key"));
}
