using System.Net;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>A server that checks live connections every second and trusts a cached session for a second.</summary>
public sealed class QuickSweepServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Auth:LiveSessionCheckSeconds"] = "1",
        ["LuuTru:Auth:SessionStampCacheSeconds"] = "1",
    };
}

/// <summary>A live connection lasts no longer than the session it was opened with (issue 16, 11): signing out, a token
/// that expires, or a session ended by another process closes the dashboard's feed, and the old token cannot reopen it.</summary>
public sealed class LiveSessionTests(QuickSweepServer server) : IClassFixture<QuickSweepServer>
{
    private const string Commune = "00070";

    private static async Task<bool> ClosesAsync(Dashboard dashboard, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (dashboard.Connection.State != HubConnectionState.Disconnected && DateTime.UtcNow < until) await Task.Delay(50);
        return dashboard.Connection.State == HubConnectionState.Disconnected;
    }

    [Fact]
    public async Task Signing_out_closes_the_live_feed_at_once_and_its_token_cannot_reopen_it()
    {
        server.Clock.Set(Vn("2026-11-22T20:00"));
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        var token = officer.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var live = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);
        await using var bystander = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, (await server.CreateOfficerAsync(Commune)).Client);

        await Expect.Status(await officer.PostAsync("/api/v1/auth/logout", null), HttpStatusCode.NoContent);
        Assert.True(await ClosesAsync(live, TimeSpan.FromSeconds(5)), "the signed-out officer's feed is still open");
        Assert.Equal(HubConnectionState.Connected, bystander.Connection.State); // another officer's feed is not touched
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, token));
    }

    [Fact]
    public async Task A_feed_closes_when_its_token_expires_by_the_servers_clock()
    {
        server.Clock.Set(Vn("2026-11-22T08:00"));
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await using var live = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);
        server.Clock.Advance(TimeSpan.FromHours(7));
        await Task.Delay(2500); // two sweeps: a token with an hour left stays open
        Assert.Equal(HubConnectionState.Connected, live.Connection.State);
        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.True(await ClosesAsync(live, TimeSpan.FromSeconds(5)), "the feed outlived its token");
    }

    [Fact]
    public async Task A_session_ended_by_another_process_closes_the_feed_within_the_check_interval()
    {
        server.Clock.Set(Vn("2026-11-22T20:00"));
        var (user, officer) = await server.CreateOfficerAsync(Commune);
        await using var live = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);
        // Another server process disabled the account: the database changed, this process was not told.
        await using (var conn = new NpgsqlConnection(server.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("update users set disabled_at = now(), security_stamp = 'ended-elsewhere' where id = @id", conn);
            cmd.Parameters.AddWithValue("id", user.Id);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        Assert.True(await ClosesAsync(live, TimeSpan.FromSeconds(6)), "the feed of a disabled account is still open");
    }
}
