using System.Globalization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>A recorded guest as the national system's API takes it (the reverse of what <see cref="KbttFiling"/> reads), or
/// why it cannot be sent (what upstream requires and the hub does not).</summary>
public static class KbttPayloads
{
    public static string Time(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string? Gender(Gender? g) => g switch { Contracts.Gender.Male => "M", Contracts.Gender.Female => "F", _ => null };

    /// <summary>The document type code upstream takes (1–8): the document shown when known, else what the number is.</summary>
    public static int? DocumentCode(NotificationGuest g) => g.DocumentKind switch
    {
        { } k when (int)k is >= 1 and <= 8 => (int)k,
        _ => g.DocumentType switch
        {
            DocumentType.PersonalId => (int)DocumentKind.Cccd,
            DocumentType.Cmnd => (int)DocumentKind.Cmnd,
            DocumentType.Passport => (int)DocumentKind.Passport,
            _ => null,
        },
    };

    public static (KbttVietnameseGuest? Guest, string? Missing) Vietnamese(Notification n, NotificationGuest g)
    {
        if (g.DocumentNumber is null) return (null, "Khách chưa có giấy tờ (trẻ em): hệ thống quốc gia yêu cầu số giấy tờ");
        if (DocumentCode(g) is not { } document) return (null, "Loại giấy tờ không có trong danh mục của hệ thống quốc gia");
        if (Gender(g.Gender) is not { } gender) return (null, "Thiếu giới tính, hệ thống quốc gia yêu cầu");
        if (g.DateOfBirth is not { } born) return (null, "Thiếu ngày sinh, hệ thống quốc gia yêu cầu");
        var residence = g.ResidenceCommuneCode is { } rc ? KbttCodes.CommuneOfGso(rc) : null;
        var reason = n.ReasonCode ?? KbttCodes.ReasonCodeOf(n.Reason);
        return (new KbttVietnameseGuest
        {
            HoTen = g.FullName, GioiTinh = gender, SoDienThoai = g.Phone, NgayThangNamSinhStr = Date(born),
            NoiCuTru = g.ResidenceKind is { } k ? (long)k : null, MaTT = residence?.ProvinceCode, MaPX = residence?.Code, DiaChi = g.PermanentAddress,
            NgayDenCsltStr = Time(n.ArrivalAt), NgayDiDuKienStr = Time(n.DepartureAt), SoPhong = n.Room, LyDoCuTru = reason,
            LyDoChiTiet = reason == 20 ? n.ReasonDetail : null, LoaiGiayTo = document, SoGiayTo = g.DocumentNumber,
        }, null);
    }

    public static (KbttForeignGuest? Guest, string? Missing) Foreign(Notification n, NotificationGuest g)
    {
        if (g.DocumentNumber is null) return (null, "Thiếu số hộ chiếu");
        if (Gender(g.Gender) is not { } gender) return (null, "Thiếu giới tính, hệ thống quốc gia yêu cầu");
        if (g.DateOfBirth is not { } born) return (null, "Thiếu ngày sinh, hệ thống quốc gia yêu cầu");
        if (g.VisaValidUntil is not { } until) return (null, "Thiếu thời hạn tạm trú (thị thực hoặc miễn thị thực), hệ thống quốc gia yêu cầu");
        return (new KbttForeignGuest
        {
            HoTen = g.FullName, QuocTich = KbttCodes.KbttNationalityOf(g.Nationality), SoHoChieu = g.DocumentNumber, GioiTinh = gender,
            LoaiNgayThangNamSinh = g.DateOfBirthYearOnly ? "Y" : "D", NgayThangNamSinhStr = Date(g.DateOfBirthYearOnly ? new DateOnly(born.Year, 1, 1) : born),
            NgayDenCsltStr = Time(n.ArrivalAt), NgayDiDuKienStr = Time(n.DepartureAt), SoPhong = n.Room,
            ThoiHanTamTruStr = Time(VietnamTime.At(until, new TimeOnly(23, 59, 59))),
        }, null);
    }

    public static (KbttDepartureChange? Change, string? Missing) Departure(NotificationGuest g, bool early, DateTimeOffset? until)
    {
        if (g.DocumentNumber is null || DocumentCode(g) is not { } document) return (null, "Khách không có giấy tờ theo danh mục của hệ thống quốc gia");
        return (new KbttDepartureChange { Loai = early ? "TS" : "GH", SoGiayTo = g.DocumentNumber, LoaiGiayTo = document,
            ThoiGianStr = early || until is not { } u ? null : Time(u) }, null);
    }
}
