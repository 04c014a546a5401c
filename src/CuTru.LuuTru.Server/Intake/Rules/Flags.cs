using System.Globalization;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>A flag as the rules raise it: a stable code, the guest it concerns, and the facts its message needs.
/// Messages are rendered in the reader's language when answered.</summary>
public sealed record Flag(string Code, int? GuestIndex = null, DateTimeOffset? Deadline = null, int? MinutesLate = null);

public static class FlagCodes
{
    public const string Late = "late";
    public const string ForeignerLate = "foreigner-late";
    public const string Stay30DaysOrMore = "stay-30-days-or-more";
    public const string IdGenderMismatch = "id-gender-mismatch";
    public const string IdBirthYearMismatch = "id-birth-year-mismatch";
    public const string ChildWithoutId = "child-without-id";
    public const string StayingElsewhere = "staying-elsewhere";

    public static string Message(Flag flag, bool english)
    {
        var deadline = flag.Deadline is { } d ? Deadlines.ToVietnam(d).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "";
        var late = Duration(flag.MinutesLate ?? 0, english);
        return (flag.Code, english) switch
        {
            (Late, false) => $"Thông báo muộn {late} so với hạn {deadline}.",
            (Late, true) => $"Notified {late} after the deadline of {deadline}.",
            (ForeignerLate, false) => $"Khai báo tạm trú người nước ngoài quá 12 giờ kể từ khi đến (hạn {deadline}).",
            (ForeignerLate, true) => $"A foreign guest was declared more than 12 hours after arrival (deadline {deadline}).",
            (Stay30DaysOrMore, false) => "Lưu trú từ 30 ngày trở lên: người này cần đăng ký tạm trú.",
            (Stay30DaysOrMore, true) => "A stay of 30 days or more: temporary residence must be registered.",
            (IdGenderMismatch, false) => "Giới tính không khớp với chữ số thứ 4 của số định danh cá nhân.",
            (IdGenderMismatch, true) => "The gender does not match digit 4 of the personal ID number.",
            (IdBirthYearMismatch, false) => "Năm sinh không khớp với số định danh cá nhân (chữ số 4–6).",
            (IdBirthYearMismatch, true) => "The birth year does not match the personal ID number (digits 4-6).",
            (ChildWithoutId, false) => "Trẻ em dưới 14 tuổi chưa có số định danh cá nhân, đi cùng người lớn.",
            (ChildWithoutId, true) => "A child under 14 without a personal ID number, travelling with an adult.",
            (StayingElsewhere, false) => "Giấy tờ này đang lưu trú tại một nơi khác, chưa trả phòng.",
            (StayingElsewhere, true) => "This document is staying at another place and has not checked out.",
            _ => flag.Code,
        };
    }

    private static string Duration(int minutes, bool english)
    {
        var h = minutes / 60;
        var m = minutes % 60;
        if (english) return h > 0 ? (m > 0 ? $"{h} h {m} min" : $"{h} h") : $"{m} min";
        return h > 0 ? (m > 0 ? $"{h} giờ {m} phút" : $"{h} giờ") : $"{m} phút";
    }
}
