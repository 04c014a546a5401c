using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>Behind a reverse proxy every connection is the proxy: the client's address (rate limits, the audit log) and
/// scheme (secure cookies, HSTS) are taken from X-Forwarded-For/-Proto/-Host, but only when the connection comes from a
/// proxy named in <see cref="NetworkOptions.KnownProxies"/> or <see cref="NetworkOptions.KnownNetworks"/>: anyone else
/// could write those headers. None named (the default): the headers are believed from no one.</summary>
public static class ForwardedFromProxies
{
    /// <summary>The middleware's options, made from LuuTru:Network when first needed (after the settings were validated).</summary>
    public static IServiceCollection AddForwardedFromProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((options, network) =>
        {
            // With no proxy named the middleware would believe everyone (it checks the lists only when one is not empty):
            // then it reads nothing at all.
            var any = network.Value.KnownProxies.Length > 0 || network.Value.KnownNetworks.Length > 0;
            options.ForwardedHeaders = any
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
                : ForwardedHeaders.None;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear(); // the defaults believe loopback: only the proxies named here are believed
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the older list still holds its loopback default and is still consulted
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in network.Value.KnownProxies) options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            foreach (var cidr in network.Value.KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
        });
        return services;
    }
}
