using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CuTru.LuuTru.Contracts;

/// <summary>Vietnam time (Asia/Ho_Chi_Minh, UTC+07:00 all year, no daylight saving): the one definition the server,
/// its SQL, the SDK and the command line use for days, deadlines and display.</summary>
public static class VietnamTime
{
    /// <summary>The IANA zone, also handed to PostgreSQL (<c>at time zone</c>) and Quartz.</summary>
    public const string ZoneId = "Asia/Ho_Chi_Minh";

    /// <summary>UTC+7 all year.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    /// <summary>The same instant shown in Vietnam time.</summary>
    public static DateTimeOffset ToVietnam(DateTimeOffset t) => t.ToOffset(Offset);

    /// <summary>The day an instant falls on in Vietnam.</summary>
    public static DateOnly DayOf(DateTimeOffset t) => DateOnly.FromDateTime(ToVietnam(t).DateTime);

    /// <summary>The time of day an instant falls on in Vietnam.</summary>
    public static TimeOnly TimeOf(DateTimeOffset t) => TimeOnly.FromDateTime(ToVietnam(t).DateTime);

    /// <summary>A wall-clock time of a Vietnam day as an instant.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    /// <summary>00:00 of a Vietnam day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The years the hub takes a date or a time in (1900–2199): anything else is a typing error, and years near
    /// 9999 overflow the day arithmetic of deadlines, windows and indexes.</summary>
    public const int FirstYear = 1900, LastYear = 2199;

    public static bool InRange(DateOnly day) => day.Year is >= FirstYear and <= LastYear;
    public static bool InRange(DateTimeOffset t) => t.Year is >= FirstYear and <= LastYear;
}

/// <summary>Reads ISO 8601 times; one without an offset is Vietnam time (UTC+07:00, no daylight saving).
/// Writes every time in Vietnam time with its offset (<c>2026-11-14T23:00:00+07:00</c>).</summary>
public sealed class VietnamDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = LuuTruJson.ReadString(ref reader);
        if (string.IsNullOrWhiteSpace(text)) throw new JsonException("A time is required.");
        return TryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not an ISO 8601 time.");
    }

    /// <summary>An ISO 8601 time; without an offset, Vietnam time.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (HasOffset(text)) return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out value) && VietnamTime.InRange(value);
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var local) || local.Year is < VietnamTime.FirstYear or > VietnamTime.LastYear)
            return false;
        value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), VietnamTime.Offset);
        return true;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToOffset(VietnamTime.Offset)); // ISO 8601, fraction trimmed, +07:00; no string allocated

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        if (t.EndsWith('Z') || t.EndsWith('z')) return true;
        var timeStart = t.IndexOf('T');
        if (timeStart < 0) timeStart = t.IndexOf(' ');
        if (timeStart < 0) return false;
        var time = t[timeStart..];
        return time.Contains('+') || time.LastIndexOf('-') > 0;
    }
}
