using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Accounts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Demo;
using CuTru.LuuTru.Server.ReferenceData;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>The building blocks Program.cs lists, one method each.</summary>
public static class ServiceRegistration
{
    public const string SmartScheme = "LuuTru";

    /// <summary>PostgreSQL through one shared NpgsqlDataSource; EF Core with retries and snake_case names; the start-up initializer.</summary>
    public static IServiceCollection AddLuuTruStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(o.ConnectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "cutru-luutru";
            return builder.Build();
        });
        // Pooled: the options are built once and contexts are reused, instead of both per request.
        services.AddDbContextPool<LuuTruDb>((sp, b) =>
        {
            var o = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            b.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql
                    .EnableRetryOnFailure(o.MaxRetryCount)
                    .CommandTimeout(o.CommandTimeoutSeconds)
                    .MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention();
        });
        services.AddScoped<ReferenceDataSeeder>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<AuditWriter>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }

    /// <summary>One multiplexer for the process. It does not abort when Redis is down at start: it keeps reconnecting.</summary>
    public static IServiceCollection AddLuuTruRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var config = ConfigurationOptions.Parse(o.ConnectionString);
            config.AbortOnConnectFail = false;
            config.ClientName ??= "cutru-luutru";
            // The .NET thread pool instead of the library's own dedicated threads: on a machine with few cores
            // those extra threads compete with the request threads for the same CPUs.
            config.SocketManager = SocketManager.ThreadPool;
            // While Redis is unreachable a command fails at once instead of waiting in a backlog: every caller has a
            // fallback (intake writes to PostgreSQL, reads go to PostgreSQL), and a notification must not wait 5 s for it.
            config.BacklogPolicy = BacklogPolicy.FailFast;
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton<RedisRateLimiter>();
        return services;
    }

    /// <summary>People: signed JWTs in the Authorization header or the session cookie. Establishments: X-Api-Key.</summary>
    public static IServiceCollection AddLuuTruAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<TokenService>();
        services.AddMemoryCache();
        services.AddSingleton<SessionStamps>();
        services.AddSingleton<EstablishmentDirectory>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "API key or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments(Kbtt.KbttEndpoints.Prefix) ? Kbtt.KbttAuthenticationHandler.SchemeName
                : ctx.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName
                : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, Kbtt.KbttAuthenticationHandler>(Kbtt.KbttAuthenticationHandler.SchemeName, null);
        services.AddSingleton<Kbtt.KbttTokens>();

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, TimeProvider>((jwt, auth, clock) =>
        {
            var a = auth.Value;
            var skew = TimeSpan.FromSeconds(30);
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = a.Issuer,
                ValidAudience = TokenService.Audience,
                IssuerSigningKey = TokenService.KeyFrom(a),
                NameClaimType = LuuTruClaims.Subject,
                RoleClaimType = LuuTruClaims.Role,
                ClockSkew = skew,
                // Lifetimes are judged on the server's TimeProvider, like every other time rule.
                LifetimeValidator = (notBefore, expires, _, _) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value <= now + skew) && expires is not null && expires.Value > now - skew;
                },
            };
            jwt.Events = new JwtBearerEvents
            {
                // The browser app sends the token as an HttpOnly cookie instead of a header.
                OnMessageReceived = ctx =>
                {
                    if (string.IsNullOrEmpty(ctx.Request.Headers.Authorization) && ctx.Request.Cookies.TryGetValue(a.CookieName, out var cookie))
                        ctx.Token = cookie;
                    // SignalR clients without the cookie pass the token in the query string (browsers cannot set
                    // headers on a WebSocket); only on the hub's path.
                    else if (ctx.Request.Path.StartsWithSegments(PoliceHub.Path) && ctx.Request.Query["access_token"] is { Count: > 0 } token)
                        ctx.Token = token.ToString();
                    return Task.CompletedTask;
                },
                // A token ends early when its person's security stamp changed (signed out, password changed, disabled).
                OnTokenValidated = async ctx =>
                {
                    if (!Guid.TryParse(ctx.Principal?.FindFirst(LuuTruClaims.Subject)?.Value, out var user)) { ctx.Fail("no subject"); return; }
                    var stamp = ctx.Principal!.FindFirst(LuuTruClaims.Stamp)?.Value ?? "";
                    var stamps = ctx.HttpContext.RequestServices.GetRequiredService<SessionStamps>();
                    if (!await stamps.IsCurrentAsync(user, stamp, ctx.HttpContext.RequestAborted)) ctx.Fail("session ended");
                },
            };
        });
        return services;
    }

    /// <summary>JSON conventions, OpenAPI, rate limits and the clock.</summary>
    public static IServiceCollection AddLuuTruApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddForwardedFromProxies();
        services.ConfigureHttpJsonOptions(o =>
        {
            LuuTruJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Converters.Add(new StorableStringConverter());
            o.SerializerOptions.Converters.Add(new BoundedDateOnlyConverter());
        });
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "CuTru.LuuTru API";
            doc.Info.Description = "Stay notifications (thông báo lưu trú) for Vietnam's commune police. Errors are RFC 9457 problem details with a stable `code`.";
            return Task.CompletedTask;
        }));
        return services;
    }
}
