using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Police;

/// <summary>The police's live side: the SignalR hub (with the Redis backplane, so an arrival recorded by one process
/// reaches dashboards connected to another), the feed that pushes stored events, search, the watchlist and the audit trail.</summary>
public static class PoliceRegistration
{
    public static IServiceCollection AddLuuTruPolice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PoliceEvents>();
        services.AddSingleton<PoliceFeed>();
        services.AddSingleton<LiveSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveSessions>());
        var signalR = services.AddSignalR(o => o.EnableDetailedErrors = false)
            .AddJsonProtocol(o => LuuTruJson.Configure(o.PayloadSerializerOptions));
        if (!configuration.GetValue(Infrastructure.RedisOptions.Section + ":" + nameof(Infrastructure.RedisOptions.Backplane), true)) return services;
        signalR.AddStackExchangeRedis();
        // The backplane gets its own connection (it closes it on shutdown) to the same Redis, under the key prefix.
        // Read from the raw configuration: MapHub builds the backplane before start, when a missing setting must not
        // crash the process but be reported by the options validation, with its name (Startup.RunOrExplainAsync).
        services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>()
            .Configure<IConfiguration>((backplane, config) =>
            {
                var ours = new Infrastructure.RedisOptions();
                config.GetSection(Infrastructure.RedisOptions.Section).Bind(ours);
                if (string.IsNullOrWhiteSpace(ours.ConnectionString)) return;
                try { backplane.Configuration = ConfigurationOptions.Parse(ours.ConnectionString); }
                catch (ArgumentException) { return; }
                backplane.Configuration.AbortOnConnectFail = false;
                backplane.Configuration.ClientName ??= "cutru-luutru-signalr";
                backplane.Configuration.ChannelPrefix = RedisChannel.Literal(ours.KeyPrefix + "signalr");
            });
        return services;
    }

    public static IEndpointRouteBuilder MapPolice(this IEndpointRouteBuilder app)
    {
        app.MapHub<PoliceHubServer>(PoliceHub.Path);
        app.MapPoliceApi();
        app.MapDashboard();
        return app;
    }
}
