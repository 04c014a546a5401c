using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>A relay server whose upstream's tokens last 60 seconds: from the moment they are issued, within the minute before expiry.</summary>
public sealed class ShortTokenRelayServerFactory : LuuTruServerFactory
{
    public KbttStandIn Upstream { get; } = new([$"{RelayServerFactory.Account}:{RelayServerFactory.AccountPassword}:101:101900070"], tokenSeconds: 60);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Kbtt:UpstreamBaseUrl"] = Upstream.BaseAddress.ToString(),
        ["LuuTru:Kbtt:RelayPollMilliseconds"] = "100",
    };

    /// <summary>Everything the server logs, at every level.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Upstream.Dispose();
    }
}

/// <summary>The relay's session with upstream: a token with less than 60 seconds left is refreshed before it is used,
/// not replaced by a new login.</summary>
public sealed class RelayTokenTests(ShortTokenRelayServerFactory server) : IClassFixture<ShortTokenRelayServerFactory>
{
    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_before_the_next_filing_instead_of_logging_in_again()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Làm Mới");
        var (_, staff) = await server.CreateStaffAsync(hotel.Id);
        await Expect.Status(await staff.PutAsJsonAsync($"/api/v1/establishments/{hotel.Id}/kbtt-link",
            new KbttLinkRequest(RelayServerFactory.Account, RelayServerFactory.AccountPassword), LuuTruServerFactory.Json), HttpStatusCode.OK);
        using var key = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var before = await server.Upstream.CallsAsync();

        var arrival = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 3; i++)
        {
            await Expect.Status(await key.PostAsJsonAsync("/api/v1/notifications", Stays.One(arrival, $"00109006610{i}"), LuuTruServerFactory.Json),
                HttpStatusCode.Accepted);
            await Eventually.UntilAsync(() => server.WithDbAsync(db => db.KbttRelay.CountAsync(r => r.EstablishmentId == hotel.Id && r.State == RelayState.Sent)),
                c => c == i + 1, TimeSpan.FromSeconds(20));
        }
        var after = await server.Upstream.CallsAsync();
        // The link's check logged in once; the relay's first filing logs in once; each later one finds its token within the
        // minute before expiry and refreshes it.
        Assert.Equal(1, after.GetValueOrDefault("token") - before.GetValueOrDefault("token"));
        Assert.Equal(2, after.GetValueOrDefault("refresh") - before.GetValueOrDefault("refresh"));
        Assert.Equal(3, (await server.Upstream.FilingsAsync()).Count(f => f.Document.StartsWith("00109006610", StringComparison.Ordinal)));
        // Refresh tokens travel in upstream's query strings: no log line of any level carries one, nor the account's password.
        Assert.DoesNotContain(server.Logs.Lines, l => l.Message.Contains("refresh_token=", StringComparison.Ordinal)
            || l.Message.Contains(RelayServerFactory.AccountPassword, StringComparison.Ordinal));
        Assert.Contains(server.Logs.Lines, l => l.Category.Contains("KbttRelayWorker", StringComparison.Ordinal)); // the capture did capture
    }
}
