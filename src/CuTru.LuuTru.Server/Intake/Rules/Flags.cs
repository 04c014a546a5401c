using System.Globalization;
using System.Text.Json;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>A flag as the rules raise it: a stable code, the guest it concerns, and the facts its message needs.
/// Messages are rendered in the reader's language when answered.</summary>
public sealed record Flag(string Code, int? GuestIndex = null, DateTimeOffset? Deadline = null, int? MinutesLate = null);

/// <summary>The one place flags are stored, read back and rendered: the register keeps them as JSON (code, guestIndex,
/// deadline, minutesLate); answers show each with its message in the reader's language.</summary>
public static class Flags
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored form of a notification's flags.</summary>
    public static string ToJson(IEnumerable<Flag> flags) => JsonSerializer.Serialize(flags as IReadOnlyList<Flag> ?? flags.ToList(), Json);

    public static IReadOnlyList<Flag> FromJson(string json) => JsonSerializer.Deserialize<List<Flag>>(json, Json) ?? [];

    /// <summary>The staying-elsewhere flags of the guests the staying check found (their indexes).</summary>
    public static IEnumerable<Flag> StayingElsewhere(IEnumerable<int> guestIndexes) => guestIndexes.Select(i => new Flag(FlagCodes.StayingElsewhere, i));

    /// <summary>Stored flags with the staying-elsewhere flags found at append added.</summary>
    public static string WithStayingElsewhere(string json, IReadOnlyList<int> guestIndexes) =>
        guestIndexes.Count == 0 ? json : ToJson([.. FromJson(json), .. StayingElsewhere(guestIndexes)]);

    /// <summary>Flags as a submitter is answered (receipts, validation, the establishment's own reads): code, message in
    /// the reader's language, guest; never the police-only ones (<see cref="FlagCodes.PoliceOnly"/>).</summary>
    public static List<FlagDto> Render(IEnumerable<Flag> flags, bool english) =>
        flags.Where(f => !FlagCodes.PoliceOnly(f.Code)).Select(f => new FlagDto(f.Code, FlagCodes.Message(f, english), f.GuestIndex)).ToList();

    public static List<FlagDto> Render(string json, bool english) => Render(FromJson(json), english);

    /// <summary>Every flag, for the police.</summary>
    public static List<FlagDto> RenderForPolice(string json, bool english) =>
        FromJson(json).Select(f => new FlagDto(f.Code, FlagCodes.Message(f, english), f.GuestIndex)).ToList();
}

public static class FlagCodes
{
    public const string Late = "late";
    public const string ForeignerLate = "foreigner-late";
    public const string Stay30DaysOrMore = "stay-30-days-or-more";
    public const string IdGenderMismatch = "id-gender-mismatch";
    public const string IdBirthYearMismatch = "id-birth-year-mismatch";
    public const string ChildWithoutId = "child-without-id";
    public const string StayingElsewhere = "staying-elsewhere";
    public const string CorrectedAfterReceipt = "corrected-after-receipt";
    public const string UnaccompaniedMinor = "unaccompanied-minor";
    public const string NotOvernight = "not-overnight";
    public const string ForeignDetailsMissing = "foreign-details-missing";

    public static string Message(Flag flag, bool english)
    {
        var deadline = flag.Deadline is { } d ? VietnamTime.ToVietnam(d).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "";
        var late = Duration(flag.MinutesLate ?? 0, english);
        return (flag.Code, english) switch
        {
            (Late, false) => $"Thông báo muộn {late} so với hạn {deadline}.",
            (Late, true) => $"Notified {late} after the deadline of {deadline}.",
            (ForeignerLate, false) => $"Khai báo tạm trú người nước ngoài muộn {late} so với hạn {deadline} (12 giờ kể từ khi đến, 24 giờ ở xã vùng sâu, vùng xa).",
            (ForeignerLate, true) => $"A foreign guest was declared {late} after the deadline of {deadline} (12 hours from arrival, 24 in a remote commune).",
            (Stay30DaysOrMore, false) => "Lưu trú từ 30 ngày trở lên: người này cần đăng ký tạm trú.",
            (Stay30DaysOrMore, true) => "A stay of 30 days or more: temporary residence must be registered.",
            (IdGenderMismatch, false) => "Giới tính không khớp với chữ số thứ 4 của số định danh cá nhân.",
            (IdGenderMismatch, true) => "The gender does not match digit 4 of the personal ID number.",
            (IdBirthYearMismatch, false) => "Năm sinh không khớp với số định danh cá nhân (chữ số 4–6).",
            (IdBirthYearMismatch, true) => "The birth year does not match the personal ID number (digits 4-6).",
            (ChildWithoutId, false) => "Trẻ em dưới 14 tuổi chưa có số định danh cá nhân.",
            (ChildWithoutId, true) => "A child under 14 without a personal ID number.",
            (UnaccompaniedMinor, false) => "Trẻ em dưới 14 tuổi không có người lớn đi cùng trong thông báo này.",
            (UnaccompaniedMinor, true) => "A child under 14 with no adult in this notification.",
            (NotOvernight, false) => "Lưu trú không qua đêm (không có giờ nào từ 23:00 đến 05:00): không bắt buộc thông báo, không tính hạn.",
            (NotOvernight, true) => "Not an overnight stay (no part of 23:00-05:00): notification not required, no deadline.",
            (ForeignDetailsMissing, false) => "Thiếu thông tin thị thực (hoặc miễn thị thực), ngày hoặc cửa khẩu nhập cảnh của người nước ngoài.",
            (ForeignDetailsMissing, true) => "A foreign guest's visa (or visa exemption), entry date or entry port is missing.",
            (StayingElsewhere, false) => "Giấy tờ này đang lưu trú tại một nơi khác, chưa trả phòng.",
            (StayingElsewhere, true) => "This document is staying at another place and has not checked out.",
            (CorrectedAfterReceipt, false) => "Đã sửa thời điểm đến hoặc số giấy tờ sau khi tiếp nhận; hạn và việc trễ hạn vẫn tính như lúc tiếp nhận.",
            (CorrectedAfterReceipt, true) => "The arrival or a document number was corrected after reception; the deadline and lateness stay as first judged.",
            _ => flag.Code,
        };
    }

    /// <summary>A flag in a few words, for a report's column (the full message is for the detail view).</summary>
    public static string Label(string code, bool english = false) => (code, english) switch
    {
        (Late, false) => "Trễ hạn",
        (Late, true) => "Late",
        (ForeignerLate, false) => "Người nước ngoài trễ hạn",
        (ForeignerLate, true) => "Foreign guest late",
        (Stay30DaysOrMore, false) => "Từ 30 ngày: cần đăng ký tạm trú",
        (Stay30DaysOrMore, true) => "30 days or more: temporary residence",
        (IdGenderMismatch, false) => "Giới tính không khớp số định danh",
        (IdGenderMismatch, true) => "Gender does not match the ID",
        (IdBirthYearMismatch, false) => "Năm sinh không khớp số định danh",
        (IdBirthYearMismatch, true) => "Birth year does not match the ID",
        (ChildWithoutId, false) => "Trẻ em chưa có số định danh",
        (ChildWithoutId, true) => "Child without ID",
        (UnaccompaniedMinor, false) => "Trẻ em không có người lớn đi cùng",
        (UnaccompaniedMinor, true) => "Unaccompanied child",
        (NotOvernight, false) => "Không qua đêm",
        (NotOvernight, true) => "Not overnight",
        (ForeignDetailsMissing, false) => "Thiếu thông tin thị thực, nhập cảnh",
        (ForeignDetailsMissing, true) => "Visa or entry details missing",
        (StayingElsewhere, false) => "Đang lưu trú nơi khác",
        (StayingElsewhere, true) => "Staying elsewhere",
        (CorrectedAfterReceipt, false) => "Sửa sau khi tiếp nhận",
        (CorrectedAfterReceipt, true) => "Corrected after reception",
        _ => code,
    };

    /// <summary>Flags the police see and submitters never do: whether a document is staying at another place would tell
    /// anyone who can notify where a person is staying.</summary>
    public static bool PoliceOnly(string code) => code == StayingElsewhere;

    /// <summary>Every code, for the tests that hold each one to a label.</summary>
    public static readonly string[] All =
        [Late, ForeignerLate, Stay30DaysOrMore, IdGenderMismatch, IdBirthYearMismatch, ChildWithoutId, StayingElsewhere, CorrectedAfterReceipt,
         UnaccompaniedMinor, NotOvernight, ForeignDetailsMissing];

    private static string Duration(int minutes, bool english)
    {
        var h = minutes / 60;
        var m = minutes % 60;
        if (english) return h > 0 ? (m > 0 ? $"{h} h {m} min" : $"{h} h") : $"{m} min";
        return h > 0 ? (m > 0 ? $"{h} giờ {m} phút" : $"{h} giờ") : $"{m} phút";
    }
}
