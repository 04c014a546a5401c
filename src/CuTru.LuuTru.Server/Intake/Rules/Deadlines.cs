using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>When a notification is due, in Vietnam time (<see cref="VietnamTime"/>).</summary>
public static class Deadlines
{
    public static readonly TimeOnly NightCutoff = new(23, 0);
    public static readonly TimeOnly MorningDeadline = new(8, 0);
    public static readonly TimeSpan ForeignerWindow = TimeSpan.FromHours(12);
    public static readonly TimeSpan RemoteForeignerWindow = TimeSpan.FromHours(24);

    /// <summary>Before 23:00 on the day the stay begins; for an arrival at 23:00 or later, 08:00 the next day.</summary>
    public static DateTimeOffset General(DateTimeOffset arrival)
    {
        var day = VietnamTime.DayOf(arrival);
        var arrivedAfterCutoff = VietnamTime.TimeOf(arrival) >= NightCutoff;
        return arrivedAfterCutoff ? VietnamTime.At(day.AddDays(1), MorningDeadline) : VietnamTime.At(day, NightCutoff);
    }

    /// <summary>Foreign guests: within 12 hours of arrival, 24 hours in a commune marked remote.</summary>
    public static DateTimeOffset Foreigner(DateTimeOffset arrival, bool remote = false) => arrival + (remote ? RemoteForeignerWindow : ForeignerWindow);
}
