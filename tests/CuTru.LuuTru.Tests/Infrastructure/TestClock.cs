using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>A clock the tests set. Starts at the real time; never moves unless told (set, advanced, or told to follow
/// the machine's clock). Whole milliseconds, so times read back from PostgreSQL (microseconds) compare equal.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = Truncate(DateTimeOffset.UtcNow);
    private volatile bool _followsRealTime;
    public override DateTimeOffset GetUtcNow() => _followsRealTime ? Truncate(DateTimeOffset.UtcNow) : _now;
    public void Set(DateTimeOffset now) { _now = Truncate(now); _followsRealTime = false; }
    public void Advance(TimeSpan by) { _now = GetUtcNow() + by; _followsRealTime = false; }
    /// <summary>Runs with the machine's clock until the next Set or Advance: for tests where a browser or a separate
    /// process fills in "now" from its own clock (a frozen server clock would then lag behind it).</summary>
    public void FollowRealTime() => _followsRealTime = true;
    private static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
    public override TimeZoneInfo LocalTimeZone => VietnamTime.Zone;
}
