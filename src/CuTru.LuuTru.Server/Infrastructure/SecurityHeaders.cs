namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>The headers every answer carries: no sniffing, no referrer; the pages a content security policy without
/// inline script and no framing; personal data (the API, the live feed) never cached; HSTS once served over HTTPS.</summary>
public static class SecurityHeaders
{
    /// <summary>Scripts only from the hub itself (the built bundle has no inline script); styles may be set by script
    /// (the chart); the live feed is same-origin; nothing may frame the pages.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
            headers.CacheControl = "no-store"; // JSON, CSV, XLSX, PDF: personal data stays out of caches
        else
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }
        return next(http);
    });
}
