using System.Collections.Concurrent;
using CuTru.LuuTru.Server.Accounts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Police;

/// <summary>The live connections of this process and the session each stands on. A connection ends when its token
/// expires (judged on the server's <see cref="TimeProvider"/>, like every token) or when its person's session is ended
/// (signed out, password changed, disabled): at once in the process that ended it, within
/// <c>LuuTru:Auth:LiveSessionCheckSeconds</c> plus the stamp cache's 30 seconds in the others.</summary>
public sealed class LiveSessions : BackgroundService
{
    private sealed record Live(HubCallerContext Context, Guid User, string Stamp, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Live> _connections = new();
    private readonly SessionStamps _stamps;
    private readonly TimeProvider _clock;
    private readonly IOptions<AuthOptions> _options;
    private readonly ILogger<LiveSessions> _logger;

    public LiveSessions(SessionStamps stamps, TimeProvider clock, IOptions<AuthOptions> options, ILogger<LiveSessions> logger)
    {
        (_stamps, _clock, _options, _logger) = (stamps, clock, options, logger);
        stamps.Ended += user => End(u => u.User == user, "session ended");
    }

    public int Count => _connections.Count;

    /// <summary>Called by the hub on connect: the token's person, stamp and expiry. A connection without them (which the
    /// hub's policy does not let in) is closed.</summary>
    public void Add(HubCallerContext context)
    {
        var user = context.User;
        if (!Guid.TryParse(user?.FindFirst(LuuTruClaims.Subject)?.Value, out var id)
            || !long.TryParse(user!.FindFirst("exp")?.Value, out var exp))
        {
            context.Abort();
            return;
        }
        _connections[context.ConnectionId] = new Live(context, id, user.FindFirst(LuuTruClaims.Stamp)?.Value ?? "", DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    private int End(Func<Live, bool> which, string why)
    {
        var ended = 0;
        foreach (var (id, live) in _connections)
        {
            if (!which(live) || !_connections.TryRemove(id, out _)) continue;
            live.Context.Abort();
            ended++;
        }
        if (ended > 0) _logger.LogInformation("Closed {Count} live connections: {Why}", ended, why);
        return ended;
    }

    /// <summary>One sweep: expired tokens, then sessions ended elsewhere.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        End(l => l.ExpiresAt <= now, "token expired");
        foreach (var live in _connections.Values.DistinctBy(l => (l.User, l.Stamp)).ToList())
            if (!await _stamps.IsCurrentAsync(live.User, live.Stamp, ct))
                End(l => l.User == live.User && l.Stamp == live.Stamp, "session ended");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(_options.Value.LiveSessionCheckSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _logger.LogWarning(e, "The sweep of live connections failed; trying again in {Seconds} s", every.TotalSeconds);
            }
        }
    }
}
