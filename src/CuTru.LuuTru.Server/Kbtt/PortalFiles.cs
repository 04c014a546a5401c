using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using MiniExcelLibs;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The national system's portal files (shared/domain/kbtt-api.md §10): the Vietnamese-guest XLSX template (sheet
/// <c>DS_KHACH_VIET_NAM_LUU_TRU</c>, rows 1–4 fixed, data from row 5, columns A–S by position, "code - label" cells, dates
/// <c>dd/MM/yyyy</c>) and the foreign-guest XML (<c>KHAI_BAO_TAM_TRU</c>). Read into the hub's upload rows (the upload then
/// judges, previews and sends them as any file), and written from a day's guests for filing by hand on the portal.</summary>
public static class PortalFiles
{
    public const string VietnameseSheet = "DS_KHACH_VIET_NAM_LUU_TRU";
    public const string ForeignRoot = "KHAI_BAO_TAM_TRU";
    public const int FirstDataRow = 5;

    /// <summary>The portal carries dates only: an arrival or a planned departure is taken at noon of its day (said so in
    /// the README); a cell with a time keeps it.</summary>
    private static readonly TimeOnly Noon = new(12, 0);

    public static bool IsVietnameseXlsx(byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K') return false;
        try { using var s = new MemoryStream(bytes); return MiniExcel.GetSheetNames(s).Contains(VietnameseSheet); }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or XmlException) { return false; }
    }

    public static bool IsForeignXml(byte[] bytes)
    {
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512));
        return head.Contains("<" + ForeignRoot, StringComparison.Ordinal);
    }

    /// <summary>"1 - Thẻ CCCD" → "1"; a bare code stays as it is.</summary>
    private static string Code(string? cell) => (cell ?? "").Split(" - ", 2)[0].Trim();

    /// <summary>The template's rows from row 5 on, as the hub's upload rows (its headers), numbered as in the file.</summary>
    public static IEnumerable<(int, Dictionary<string, string>)> ReadVietnameseXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var number = FirstDataRow - 1;
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, sheetName: VietnameseSheet, startCell: $"A{FirstDataRow}"))
        {
            number++;
            string C(string column) => row.TryGetValue(column, out var v) ? v switch
            {
                null => "",
                DateTime d => d.ToString(d.TimeOfDay == TimeSpan.Zero ? "dd/MM/yyyy" : "dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
                double n => n.ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "",
            } : "";
            if ("BCDEFHNOQ".All(c => C(c.ToString()).Length == 0)) continue; // an empty row
            var commune = KbttCodes.CommuneOf(Code(C("L")));
            var cells = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Thời điểm đến"] = WithTime(C("N")),
                ["Dự kiến đi"] = WithTime(C("O")),
                ["Lý do"] = "",
                ["Mã lý do KBTT"] = Code(C("Q")),
                ["Ghi rõ lý do"] = C("R"),
                ["Phòng"] = C("P"),
                ["Họ và tên"] = C("B"),
                ["Ngày sinh"] = C("C"),
                ["Giới tính"] = Code(C("D")),
                ["Loại giấy tờ"] = "",
                ["Loại giấy tờ KBTT"] = Code(C("F")),
                ["Số giấy tờ"] = C("H"),
                ["Quốc tịch"] = Code(C("E")) is { Length: > 0 } nat ? KbttCodes.HubNationalityOf(nat) ?? nat : "",
                ["Điện thoại"] = C("I"),
                ["Nơi cư trú"] = Code(C("J")),
                ["Mã xã nơi cư trú"] = commune?.GsoCode ?? (Code(C("L")) is { Length: > 0 } l ? "?" + l : ""),
                ["Địa chỉ thường trú"] = C("M"),
            };
            // Guests sharing room, arrival, departure and reason are one stay, as for the API.
            cells[Csv.GroupHeader] = string.Join("|", cells["Phòng"], cells["Thời điểm đến"], cells["Dự kiến đi"], cells["Mã lý do KBTT"], cells["Ghi rõ lý do"]);
            yield return (number, cells);
        }
    }

    /// <summary>Each <c>THONG_TIN_KHACH</c> as an upload row (numbered by its <c>so_thu_tu</c>, else its position).</summary>
    public static List<(int, Dictionary<string, string>)> ReadForeignXml(byte[] bytes)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 50_000_000 };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        var root = XDocument.Load(reader).Root;
        if (root is null || root.Name.LocalName != ForeignRoot) throw new FormatException("not a KHAI_BAO_TAM_TRU file");
        var rows = new List<(int, Dictionary<string, string>)>();
        var position = 0;
        foreach (var guest in root.Elements().Where(e => e.Name.LocalName == "THONG_TIN_KHACH"))
        {
            position++;
            string E(string name) => guest.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? "";
            var number = int.TryParse(E("so_thu_tu"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : position;
            var nationality = E("ma_quoc_tich");
            var cells = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Thời điểm đến"] = WithTime(E("ngay_den")),
                ["Dự kiến đi"] = WithTime(E("ngay_di_du_kien")),
                ["Lý do"] = "Khác",
                ["Ghi rõ lý do"] = KbttFiling.ForeignReasonDetail,
                ["Phòng"] = E("so_phong"),
                ["Họ và tên"] = E("ho_ten"),
                ["Ngày sinh"] = E("ngay_sinh"),
                ["Chỉ biết năm sinh"] = E("ngay_sinh_dung_den") == "Y" ? "x" : "",
                ["Giới tính"] = E("gioi_tinh"),
                ["Loại giấy tờ"] = "Hộ chiếu",
                ["Số giấy tờ"] = E("so_ho_chieu"),
                ["Quốc tịch"] = nationality.Length > 0 ? KbttCodes.HubNationalityOf(nationality) ?? nationality : "",
                ["Thị thực đến ngày"] = E("thoi_han_tam_tru"),
            };
            cells[Csv.GroupHeader] = string.Join("|", cells["Phòng"], cells["Thời điểm đến"], cells["Dự kiến đi"]);
            rows.Add((number, cells));
        }
        return rows;
    }

    /// <summary>A portal date (<c>dd/MM/yyyy</c>) at noon; a date with a time as it is.</summary>
    private static string WithTime(string cell) => cell.Length is > 0 and <= 10 ? $"{cell} {Noon:HH\\:mm}" : cell;

    private static string Date(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
    private static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A day's Vietnamese guests in the template's layout (sheets of provinces and communes beside, as the
    /// official template has them).</summary>
    public static byte[] WriteVietnameseXlsx(IReadOnlyList<(Notification Stay, NotificationGuest Guest)> guests)
    {
        string[] columns = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S"];
        Dictionary<string, object?> Row(params string?[] cells) => columns.Select((c, i) => (c, i < cells.Length ? cells[i] : null))
            .ToDictionary(x => x.c, x => (object?)x.Item2);
        var documents = KbttCodes.DocumentTypes.ToDictionary(d => d.Code, d => $"{d.Code} - {d.Name}");
        var reasons = KbttCodes.Reasons.ToDictionary(r => r.Code, r => $"{r.Code} - {r.Name}");
        var residences = KbttCodes.ResidenceKinds.ToDictionary(r => r.Code, r => $"{r.Code} - {r.Name}");
        var rows = new List<Dictionary<string, object?>>
        {
            Row("DANH SÁCH KHÁCH VIỆT NAM LƯU TRÚ"),
            Row(),
            Row("STT", "HỌ TÊN (*)", "NGÀY SINH (*)", "GIỚI TÍNH (*)", "QUỐC TỊCH (*)", "LOẠI GIẤY TỜ (*)", "TÊN GIẤY TỜ", "SỐ GIẤY TỜ (*)",
                "SỐ ĐIỆN THOẠI", "NƠI CƯ TRÚ HIỆN NAY", "TỈNH/ THÀNH PHỐ", "PHƯỜNG/ XÃ/ ĐẶC KHU", "ĐỊA CHỈ CHI TIẾT", "NGÀY ĐẾN (*)",
                "NGÀY ĐI DỰ KIẾN (*)", "SỐ PHÒNG/ KHOA", "LÝ DO CƯ TRÚ (*)", "NHẬP LÝ DO", "GHI CHÚ"),
            Row("1", "Nguyễn Văn A", "01/01/1990", "M - Nam", "VNM - Viet Nam", documents[1], "", "001090000000", "", "", "", "", "", "01/01/2026", "02/01/2026",
                "101", reasons[1], "", "Dòng mẫu (bỏ qua)"),
        };
        var number = 1;
        foreach (var (n, g) in guests)
        {
            number++;
            var residence = g.ResidenceCommuneCode is { } rc ? KbttCodes.CommuneOfGso(rc) : null;
            var province = residence is null ? null : KbttCodes.ProvinceOf(residence.ProvinceCode);
            var reason = n.ReasonCode ?? KbttCodes.ReasonCodeOf(n.Reason);
            var document = KbttPayloads.DocumentCode(g) ?? (int)DocumentKind.Other;
            rows.Add(Row(number.ToString(CultureInfo.InvariantCulture), g.FullName, g.DateOfBirth is { } d ? Date(d) : "",
                g.Gender switch { Gender.Male => "M - Nam", Gender.Female => "F - Nữ", _ => "" }, "VNM - Viet Nam",
                documents.GetValueOrDefault(document, document.ToString(CultureInfo.InvariantCulture)), document == (int)DocumentKind.Other ? "Giấy tờ khác" : "",
                g.DocumentNumber ?? "", g.Phone ?? "", g.ResidenceKind is { } k ? residences.GetValueOrDefault((int)k) : "",
                province is null ? "" : $"{province.Code} - {province.Name}", residence is null ? "" : $"{residence.Code} - {residence.Name}", g.PermanentAddress ?? "",
                Date(n.ArrivalAt), Date(n.DepartureAt), n.Room ?? "", reasons.GetValueOrDefault(reason, reason.ToString(CultureInfo.InvariantCulture)),
                reason == 20 ? n.ReasonDetail ?? "" : "", n.ReceiptNumber));
        }
        var sheets = new Dictionary<string, object>
        {
            [VietnameseSheet] = rows,
            ["TINH_THANH"] = KbttCodes.Provinces.Select(p => new Dictionary<string, object?> { ["MA"] = p.Code, ["TEN"] = $"{p.Code} - {p.Name}" }).ToList(),
            ["PHUONG_XA"] = KbttCodes.Communes.Select(c => new Dictionary<string, object?> { ["MA"] = c.Code, ["TEN"] = $"{c.Code} - {c.Name}", ["MA_TINH"] = c.ProvinceCode }).ToList(),
            ["DANH_MUC"] = documents.Values.Concat(reasons.Values).Concat(residences.Values).Select(v => new Dictionary<string, object?> { ["GIA_TRI"] = v }).ToList(),
        };
        using var stream = new MemoryStream();
        // Every cell is text, as the template's are (document numbers keep their leading zeros).
        stream.SaveAs(sheets, printHeader: false, configuration: new MiniExcelLibs.OpenXml.OpenXmlConfiguration { FastMode = false });
        return stream.ToArray();
    }

    /// <summary>A day's foreign guests as the portal's XML.</summary>
    public static byte[] WriteForeignXml(IReadOnlyList<(Notification Stay, NotificationGuest Guest)> guests)
    {
        var root = new XElement(ForeignRoot, guests.Select((x, i) => new XElement("THONG_TIN_KHACH",
            new XElement("so_thu_tu", i + 1),
            new XElement("ho_ten", x.Guest.FullName),
            new XElement("ngay_sinh", x.Guest.DateOfBirth is { } d ? Date(d) : ""),
            new XElement("ngay_sinh_dung_den", x.Guest.DateOfBirthYearOnly ? "Y" : "D"),
            new XElement("gioi_tinh", x.Guest.Gender switch { Gender.Male => "M", Gender.Female => "F", _ => "" }),
            new XElement("ma_quoc_tich", KbttCodes.KbttNationalityOf(x.Guest.Nationality)),
            new XElement("so_ho_chieu", x.Guest.DocumentNumber ?? ""),
            new XElement("so_phong", x.Stay.Room ?? ""),
            new XElement("ngay_den", Date(x.Stay.ArrivalAt)),
            new XElement("ngay_di_du_kien", Date(x.Stay.DepartureAt)),
            x.Guest.CheckedOutAt is { } left ? new XElement("ngay_tra_phong", Date(left)) : null,
            new XElement("thoi_han_tam_tru", x.Guest.VisaValidUntil is { } v ? Date(v) : ""))));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        return stream.ToArray();
    }
}
