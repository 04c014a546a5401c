using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Health;

/// <summary>Whether PostgreSQL answers, checked every second (2 s timeout); it is taken as down after two failed
/// pings in a row, so one slow answer on a busy machine does not count. Paths that can do without PostgreSQL
/// (intake into Redis) ask this first, so an outage costs them nothing instead of EF's retry delays.</summary>
public sealed class DatabaseProbe(NpgsqlDataSource dataSource, ILogger<DatabaseProbe> logger) : BackgroundService
{
    private volatile bool _available = true;
    public bool Available => _available;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var failures = 0;
        do
        {
            failures = await PingAsync(ct) ? 0 : failures + 1;
            var ok = failures < 2;
            if (ok != _available) logger.LogWarning(ok ? "PostgreSQL is back" : "PostgreSQL does not answer: intake keeps accepting into Redis");
            _available = ok;
        } while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    private async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var cmd = dataSource.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return ct.IsCancellationRequested;
        }
    }
}

/// <summary>The intake's mode, as readiness reports it.</summary>
public static class IntakeMode
{
    public static string Of(bool postgres, bool redis) => (postgres, redis) switch
    {
        (true, true) => "normal",
        (true, false) => "direct-to-postgresql",
        (false, true) => "buffering-in-redis",
        _ => "unavailable",
    };

    public static bool RedisUp(IConnectionMultiplexer redis) => redis.IsConnected;
}
