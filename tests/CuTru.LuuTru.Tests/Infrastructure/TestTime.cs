namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>Vietnam time for tests (<c>using static</c>), stated on its own (UTC+7) so that tests check the product's
/// <see cref="VietnamTime"/> instead of repeating it.</summary>
public static class TestTime
{
    public static readonly TimeSpan VnOffset = TimeSpan.FromHours(7);

    /// <summary>A wall-clock time in Vietnam: <c>Vn("2026-11-21T23:00")</c>.</summary>
    public static DateTimeOffset Vn(string local) =>
        new(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), VnOffset);

    /// <summary>Now, in Vietnam time.</summary>
    public static DateTimeOffset VnNow() => DateTimeOffset.UtcNow.ToOffset(VnOffset);
}
