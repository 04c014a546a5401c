using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>Fixed-window counters in Redis, so a limit holds across every server process. If Redis is down the
/// request is let through (the intake falls back to PostgreSQL then; refusing families would be worse).</summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, IOptions<RedisOptions> options, TimeProvider clock, LuuTruMetrics metrics, ILogger<RedisRateLimiter> logger)
{
    /// <summary>Counts one more use of <paramref name="bucket"/>; false once the window's limit is passed.
    /// <paramref name="retryAfter"/> tells when the window ends.</summary>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> TryAcquireAsync(string bucket, int limit, TimeSpan window)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var size = (long)window.TotalSeconds;
        var windowStart = now - now % size;
        RedisKey key = $"{options.Value.KeyPrefix}rate:{bucket}:{windowStart}";
        try
        {
            var db = redis.GetDatabase();
            var count = await db.StringIncrementAsync(key);
            if (count == 1) await db.KeyExpireAsync(key, window + TimeSpan.FromSeconds(5));
            if (count > limit) metrics.RateLimited.Add(1, new KeyValuePair<string, object?>("limit", bucket.Split(':')[0])); // the kind, never the address
            return (count <= limit, TimeSpan.FromSeconds(windowStart + size - now));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Rate limit {Bucket} not checked: Redis unavailable", bucket.Split(':')[0]);
            return (true, TimeSpan.Zero);
        }
    }
}
