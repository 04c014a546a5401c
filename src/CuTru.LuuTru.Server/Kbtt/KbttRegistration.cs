using System.Text.Json;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Refit;

namespace CuTru.LuuTru.Server.Kbtt;

public static class KbttRegistration
{
    /// <summary>The KBTT-compatible paths' token store, and the relay: its Refit client of the national system, its sessions,
    /// its outbox and worker; Data Protection (what encrypts the linked accounts' passwords) with its keys in PostgreSQL.</summary>
    public static IServiceCollection AddLuuTruKbtt(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("CuTru.LuuTru").PersistKeysToDbContext<LuuTruDb>();
        services.AddSingleton<KbttOutbox>();
        services.AddSingleton<KbttUpstream>();
        services.AddRefitGeneratedClient<IKbttApi>(new RefitSettings(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            })))
            .ConfigureHttpClient((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<KbttOptions>>().Value;
                // No upstream set: the client exists but is never called (the relay does not start, links are refused).
                http.BaseAddress = new Uri(o.UpstreamConfigured ? o.UpstreamBaseUrl!.TrimEnd('/') : "http://kbtt-upstream.invalid");
                http.Timeout = TimeSpan.FromSeconds(o.RequestTimeoutSeconds + 5);
            })
            // Upstream's refresh and revoke carry their token in the query string: no request of this client is logged
            // (the default HttpClient logging writes every URL). The relay logs what it needs itself, without secrets.
            .RemoveAllLoggers()
            // The relay's services are singletons holding this client: connections are renewed, not the client.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHostedService<KbttRelayWorker>();
        return services;
    }
}
