namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>When a notification is due, in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year).</summary>
public static class Deadlines
{
    public static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
    public static readonly TimeOnly NightCutoff = new(23, 0);
    public static readonly TimeOnly MorningDeadline = new(8, 0);
    public static readonly TimeSpan ForeignerWindow = TimeSpan.FromHours(12);

    public static DateTimeOffset ToVietnam(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Vietnam);

    /// <summary>Before 23:00 on the day the stay begins; for an arrival at 23:00 or later, 08:00 the next day.</summary>
    public static DateTimeOffset General(DateTimeOffset arrival)
    {
        var local = ToVietnam(arrival);
        var day = DateOnly.FromDateTime(local.DateTime);
        var arrivedAfterCutoff = TimeOnly.FromDateTime(local.DateTime) >= NightCutoff;
        return arrivedAfterCutoff ? At(day.AddDays(1), MorningDeadline) : At(day, NightCutoff);
    }

    /// <summary>Foreign guests: within 12 hours of arrival.</summary>
    public static DateTimeOffset Foreigner(DateTimeOffset arrival) => arrival + ForeignerWindow;

    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, Vietnam.GetUtcOffset(local));
    }

    /// <summary>The day a time falls on in Vietnam.</summary>
    public static DateOnly VietnamDay(DateTimeOffset t) => DateOnly.FromDateTime(ToVietnam(t).DateTime);
}
