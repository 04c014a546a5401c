using System.Globalization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using SkiaSharp;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>The register as rows: one per guest, the notification's columns repeated, Vietnamese headers and words (never
/// codes), times as dd/MM/yyyy HH:mm in Vietnam time. The CSV and the XLSX carry exactly these rows; the XLSX keeps times
/// and dates as real dates.</summary>
public static class ReportRows
{
    /// <summary>What a cell holds: text, a whole number, an instant (Vietnam wall clock) or a date.</summary>
    public enum CellKind { Text, Number, Instant, Date }

    /// <summary>A column: its header, its kind, and its value for one guest of one register line.</summary>
    public sealed record Column(string Header, CellKind Kind, Func<ReportEntryDto, ReportGuestDto, object?> Value);

    public static readonly Column[] Columns =
    [
        new("STT", CellKind.Number, (e, _) => e.Line),
        new("Số tiếp nhận", CellKind.Text, (e, _) => e.ReceiptNumber),
        new("Thời điểm tiếp nhận", CellKind.Instant, (e, _) => e.ReceivedAt),
        new("Trạng thái", CellKind.Text, (e, _) => ReportLabels.Status(e.Status)),
        new("Kênh", CellKind.Text, (e, _) => ReportLabels.Channel(e.Channel)),
        new("Tiếp nhận qua", CellKind.Text, (e, _) => ReportLabels.ReceivedBy(e.ReceivedBy)),
        new("Người thông báo", CellKind.Text, (e, _) => ReportLabels.Notifier(e.Notifier)),
        new("Điện thoại người thông báo", CellKind.Text, (e, _) => e.Notifier?.HostPhone),
        new("Cơ sở / địa chỉ", CellKind.Text, (e, _) => e.Place),
        new("Phòng", CellKind.Text, (e, _) => e.Room),
        new("Thời điểm đến", CellKind.Instant, (e, _) => e.ArrivalAt),
        new("Dự kiến đi", CellKind.Instant, (e, _) => e.DepartureAt),
        new("Lý do", CellKind.Text, (e, _) => ReportLabels.Reason(e.Reason)),
        new("Hạn thông báo", CellKind.Instant, (e, _) => e.DeadlineAt),
        new("Trễ hạn", CellKind.Text, (e, _) => e.Late ? "Có" : "Không"),
        new("Số phút trễ", CellKind.Number, (e, _) => e.MinutesLate),
        new("Cảnh báo", CellKind.Text, (e, _) => ReportLabels.Flags(e.Flags)),
        new("Họ và tên", CellKind.Text, (_, g) => g.FullName),
        new("Ngày sinh", CellKind.Date, (_, g) => g.DateOfBirth),
        new("Giới tính", CellKind.Text, (_, g) => ReportLabels.Gender(g.Gender)),
        new("Loại số giấy tờ", CellKind.Text, (_, g) => ReportLabels.Document(g.DocumentType)),
        new("Số giấy tờ", CellKind.Text, (_, g) => g.DocumentNumber),
        new("Giấy tờ xuất trình", CellKind.Text, (_, g) => ReportLabels.DocumentKind(g.DocumentKind)),
        new("Quốc tịch", CellKind.Text, (_, g) => g.Nationality),
        new("Thị thực", CellKind.Text, (_, g) => g.VisaExempt == true ? "Miễn thị thực" : g.Visa),
        new("Ngày nhập cảnh", CellKind.Date, (_, g) => g.EntryDate),
        new("Cửa khẩu nhập cảnh", CellKind.Text, (_, g) => g.EntryPort),
        new("Khách trễ hạn", CellKind.Text, (_, g) => g.Late ? "Có" : ""),
        new("Hệ thống quốc gia (KBTT)", CellKind.Text, (_, g) => ReportLabels.Upstream(g.Upstream)),
    ];

    public static readonly string[] Headers = Columns.Select(c => c.Header).ToArray();

    /// <summary>Each guest's row of typed values (instants as Vietnam wall-clock <see cref="DateTime"/>s, dates as dates).</summary>
    public static IEnumerable<object?[]> Values(CommuneReportDto report) =>
        report.Register.SelectMany(e => e.Guests.Select(g => Columns.Select(c => Typed(c.Value(e, g))).ToArray()));

    /// <summary>The same rows as text, for the CSV.</summary>
    public static IEnumerable<string[]> Of(CommuneReportDto report) =>
        Values(report).Select(row => row.Select((v, i) => Text(v, Columns[i].Kind)).ToArray());

    private static object? Typed(object? value) => value switch
    {
        DateTimeOffset t => VietnamTime.ToVietnam(t).DateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        "" => null,
        _ => value,
    };

    private static string Text(object? value, CellKind kind) => value switch
    {
        null => "",
        DateTime t => t.ToString(kind == CellKind.Date ? DateFormat : TimeFormat, CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Who stays that night: the register's guests still there at the window's end and those notified in earlier
    /// windows, by arrival.</summary>
    public static List<ReportStayingDto> StayingAtEnd(CommuneReportDto report) =>
        report.Register.SelectMany(e => e.Guests.Where(g => g.StayingAtEnd == true).Select(g => new ReportStayingDto(e.ReceiptNumber, e.Place, e.Room,
                e.ArrivalAt, e.DepartureAt, g.FullName, g.DocumentType, g.DocumentNumber, g.Nationality)))
            .Concat(report.StayingTonight ?? []).OrderBy(g => g.ArrivalAt).ThenBy(g => g.ReceiptNumber, StringComparer.Ordinal).ToList();

    public const string TimeFormat = "dd/MM/yyyy HH:mm", DateFormat = "dd/MM/yyyy";

    public static string Time(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString(TimeFormat, CultureInfo.InvariantCulture);
    public static string Date(DateOnly? d) => d?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>CSV (CsvHelper): UTF-8 with a byte-order mark (so Excel reads the diacritics), RFC 4180 quoting, CRLF, and
/// formula injection defused: a text cell that starts with <c>= + - @</c>, a tab or a CR (an anonymous household's
/// "=HYPERLINK(…)" as a guest's name) is written with a leading <c>'</c>, which Excel shows as text.</summary>
public static class ReportCsv
{
    private static readonly CsvHelper.CsvWriterOptions Options = new() { Injection = CsvHelper.CsvInjection.Escape, WriteByteOrderMark = true };

    public static byte[] Write(CommuneReportDto report)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvHelper.CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            foreach (var row in ReportRows.Of(report).Prepend(ReportRows.Headers))
            {
                foreach (var cell in row) csv.WriteField(cell);
                csv.EndRecord();
            }
            csv.Flush();
        }
        return stream.ToArray();
    }
}

/// <summary>XLSX (MiniExcel): the register (the CSV's rows, times and dates as real dates, numbers as numbers), the
/// window's changes, who stays at its end, and a summary sheet with the totals and breakdowns.</summary>
public static class ReportXlsx
{
    public const string RegisterSheet = "So tiep nhan", ChangesSheet = "Thay doi", StayingSheet = "Dang luu tru", SummarySheet = "Tong hop";

    public static byte[] Write(CommuneReportDto report)
    {
        var register = ReportRows.Values(report).Select(row =>
        {
            var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < row.Length; i++) cells[ReportRows.Headers[i]] = row[i];
            return cells;
        }).ToList();
        if (register.Count == 0) register.Add(ReportRows.Headers.ToDictionary(h => h, _ => (object?)null)); // the headers even on a quiet night

        var changes = (report.Changes ?? []).Select(c => new Dictionary<string, object?>
        {
            ["Thời điểm"] = VietnamTime.ToVietnam(c.At).DateTime, ["Số tiếp nhận"] = c.ReceiptNumber, ["Thay đổi"] = ReportLabels.Action(c.Action),
            ["Người thực hiện"] = ReportLabels.Actor(c.ActorKind), ["Lý do"] = c.Reason, ["Trước"] = c.Before, ["Sau"] = c.After,
        }).ToList();
        if (changes.Count == 0) changes.Add(new() { ["Thời điểm"] = null, ["Số tiếp nhận"] = null, ["Thay đổi"] = null, ["Người thực hiện"] = null,
            ["Lý do"] = null, ["Trước"] = null, ["Sau"] = null });
        var staying = (ReportRows.StayingAtEnd(report)).Select(g => new Dictionary<string, object?>
        {
            ["Số tiếp nhận"] = g.ReceiptNumber, ["Cơ sở / địa chỉ"] = g.Place, ["Phòng"] = g.Room,
            ["Thời điểm đến"] = VietnamTime.ToVietnam(g.ArrivalAt).DateTime, ["Dự kiến đi"] = VietnamTime.ToVietnam(g.DepartureAt).DateTime,
            ["Họ và tên"] = g.FullName, ["Loại số giấy tờ"] = ReportLabels.Document(g.DocumentType), ["Số giấy tờ"] = g.DocumentNumber,
            ["Quốc tịch"] = g.Nationality,
        }).ToList();
        if (staying.Count == 0) staying.Add(new() { ["Số tiếp nhận"] = null, ["Cơ sở / địa chỉ"] = null, ["Phòng"] = null, ["Thời điểm đến"] = null,
            ["Dự kiến đi"] = null, ["Họ và tên"] = null, ["Loại số giấy tờ"] = null, ["Số giấy tờ"] = null, ["Quốc tịch"] = null });

        var t = report.Totals;
        var summary = new List<Dictionary<string, object?>>();
        void Add(string label, object value) => summary.Add(new() { ["Mục"] = label, ["Giá trị"] = value });
        Add("Xã/phường", $"{report.CommuneName} ({report.CommuneCode}), {report.ProvinceName}");
        Add("Ngày", report.Day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        Add("Loại báo cáo", ReportLabels.Kind(report.Kind));
        Add("Khung giờ tiếp nhận", $"{ReportRows.Time(report.WindowStart)} – {ReportRows.Time(report.WindowEnd)}");
        Add("Phiên bản", report.Version);
        Add("Lập lúc", ReportRows.Time(report.BuiltAt));
        Add("Lập bởi", ReportLabels.BuiltBy(report));
        Add("Tình trạng", report.Final ? "Đã chốt" : "Chưa chốt (lập trước khi hết khung giờ)");
        Add("Số thông báo", t.Notifications);
        Add("Số khách", t.Guests);
        Add("Khách Việt Nam", t.VietnameseGuests);
        Add("Khách nước ngoài", t.ForeignGuests);
        Add("Trẻ em dưới 14 tuổi", t.Children);
        Add("Thông báo trễ hạn", t.Late);
        Add("Lưu trú từ 30 ngày", t.LongStays);
        Add("Sai lệch số định danh", t.IdMismatches);
        Add("Trùng danh sách theo dõi", t.WatchlistHits);
        Add("Khách đang lưu trú", t.CurrentlyStaying);
        Add("Hôm trước (cùng khung giờ)", t.PreviousDay);
        Add("Cùng ngày tuần trước", t.SameDayLastWeek);
        foreach (var e in report.ByEstablishment) Add("Cơ sở: " + e.Name, $"{e.Notifications} thông báo, {e.Guests} khách");
        foreach (var n in report.ByNationality) Add("Quốc tịch: " + n.Key, n.Count);
        foreach (var r in report.ByReason) Add("Lý do: " + ReportLabels.Reason(r.Key), r.Count);

        // Instants and dates as Excel dates, shown the Vietnamese way.
        var formats = ReportRows.Columns.Where(c => c.Kind is ReportRows.CellKind.Instant or ReportRows.CellKind.Date)
            .Select(c => new DynamicExcelColumn(c.Header) { Format = c.Kind == ReportRows.CellKind.Date ? "dd/mm/yyyy" : "dd/mm/yyyy hh:mm" })
            .Concat([new DynamicExcelColumn("Thời điểm") { Format = "dd/mm/yyyy hh:mm" }]).ToArray();
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object>
        {
            [RegisterSheet] = register, [ChangesSheet] = changes, [StayingSheet] = staying, [SummarySheet] = summary,
        }, configuration: new OpenXmlConfiguration { DynamicColumns = formats });
        return stream.ToArray();
    }
}

/// <summary>The printable register (SkiaSharp's PDF backend, DejaVu Sans embedded): A4 landscape, the commune's name
/// and the day on every page, page X of Y, the totals, the register, the window's changes, who stays at its end, and a
/// signature block. A table that runs onto a new page repeats its header.</summary>
public static class ReportPdf
{
    private const float Width = 842, Height = 595, Margin = 28, RowHeight = 12, FontSize = 7.5f;
    internal static readonly Lazy<SKTypeface> Regular = new(() => Load("Fonts.DejaVuSans.ttf"));
    internal static readonly Lazy<SKTypeface> Bold = new(() => Load("Fonts.DejaVuSans-Bold.ttf"));

    private static SKTypeface Load(string name)
    {
        using var stream = typeof(ReportPdf).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing font {name}");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"unreadable font {name}");
    }

    // The register's columns: header, width in points, the cell of a (entry, guest, first guest of the entry) row.
    private static readonly (string Header, float Width, Func<ReportEntryDto, ReportGuestDto, bool, string> Cell)[] Columns =
    [
        ("STT", 20, (e, _, first) => first ? e.Line.ToString(CultureInfo.InvariantCulture) : ""),
        ("Số tiếp nhận", 90, (e, _, first) => first ? e.ReceiptNumber : ""),
        ("Cơ sở / địa chỉ", 92, (e, _, first) => first ? e.Place + (e.Room is null ? "" : " · P." + e.Room) : ""),
        ("Đến", 54, (e, _, first) => first ? Short(e.ArrivalAt) : ""),
        ("Dự kiến đi", 54, (e, _, first) => first ? Short(e.DepartureAt) : ""),
        ("Họ và tên", 112, (_, g, _) => g.FullName),
        ("Ngày sinh", 52, (_, g, _) => ReportRows.Date(g.DateOfBirth)),
        ("GT", 26, (_, g, _) => ReportLabels.Gender(g.Gender) ?? ""),
        ("Giấy tờ", 96, (_, g, _) => (ShortDocument(g.DocumentType) + " " + (g.DocumentNumber ?? "")).Trim()),
        ("QT", 26, (_, g, _) => g.Nationality),
        ("Lý do", 58, (e, _, first) => first ? ReportLabels.Reason(e.Reason) : ""),
        ("Trễ", 36, (e, _, first) => first && e.MinutesLate is { } m ? $"{m} phút" : ""),
        ("Cảnh báo", 70, (e, _, first) => first ? ReportLabels.Flags(e.Flags) + (e.Status == NotificationStatus.Cancelled ? " · ĐÃ HỦY" : "") : ""),
    ];

    private static readonly float[] ChangeWidths = [60, 90, 70, 70, 120, 188, 188];
    private static readonly string[] ChangeHeaders = ["Thời điểm", "Số tiếp nhận", "Thay đổi", "Người thực hiện", "Lý do", "Trước", "Sau"];
    private static readonly float[] StayingWidths = [90, 160, 40, 62, 62, 150, 150, 72];
    private static readonly string[] StayingHeaders = ["Số tiếp nhận", "Cơ sở / địa chỉ", "Phòng", "Đến", "Dự kiến đi", "Họ và tên", "Giấy tờ", "Quốc tịch"];

    /// <summary>A line of the printed report: a section title, a table's header, or a row (with a rule above it when it
    /// opens a register line).</summary>
    private sealed record Line(string[] Cells, float[] Widths, bool Bold, bool Rule, bool Title = false, Line? Header = null);

    private static string Short(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString("dd/MM HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The printed register's narrow column: abbreviations explained in the legend under the totals.</summary>
    private static string ShortDocument(DocumentType type) => type switch
    {
        DocumentType.PersonalId => "ĐDCN",
        DocumentType.Passport => "HC",
        DocumentType.Cmnd => "CMND",
        DocumentType.Other => "Khác",
        _ => "",
    };

    private const string Legend = "Viết tắt: ĐDCN số định danh cá nhân · HC hộ chiếu · GT giới tính · QT quốc tịch (mã ISO) · Trễ: số phút trễ so với hạn thông báo.";

    private static List<Line> Lines(CommuneReportDto report)
    {
        var lines = new List<Line>();
        var registerWidths = Columns.Select(c => c.Width).ToArray();
        var header = new Line(Columns.Select(c => c.Header).ToArray(), registerWidths, Bold: true, Rule: false);
        lines.Add(header);
        foreach (var e in report.Register)
        {
            var guests = e.Guests.Count == 0 ? [new ReportGuestDto("", null, DocumentType.None, null, "")] : e.Guests;
            for (var i = 0; i < guests.Count; i++)
                lines.Add(new Line(Columns.Select(c => c.Cell(e, guests[i], i == 0)).ToArray(), registerWidths, false, i == 0, Header: header));
        }
        if (report.Register.Count == 0)
            lines.Add(new Line(["Không có thông báo lưu trú nào được tiếp nhận trong khung giờ này."], [Width - 2 * Margin], false, false, Title: true));

        var changes = report.Changes ?? [];
        lines.Add(new Line([$"THAY ĐỔI TRONG KHUNG GIỜ ({changes.Count})"], [Width - 2 * Margin], true, false, Title: true));
        var changeHeader = new Line(ChangeHeaders, ChangeWidths, true, false);
        if (changes.Count > 0) lines.Add(changeHeader);
        foreach (var c in changes)
            lines.Add(new Line([Short(c.At), c.ReceiptNumber, ReportLabels.Action(c.Action), ReportLabels.Actor(c.ActorKind), c.Reason ?? "",
                c.Before ?? "", c.After ?? ""], ChangeWidths, false, true, Header: changeHeader));

        var staying = ReportRows.StayingAtEnd(report);
        lines.Add(new Line([$"ĐANG LƯU TRÚ LÚC {ReportRows.Time(report.WindowEnd)} ({staying.Count} khách)"], [Width - 2 * Margin], true, false, Title: true));
        var stayingHeader = new Line(StayingHeaders, StayingWidths, true, false);
        if (staying.Count > 0) lines.Add(stayingHeader);
        foreach (var g in staying)
            lines.Add(new Line([g.ReceiptNumber, g.Place, g.Room ?? "", Short(g.ArrivalAt), Short(g.DepartureAt), g.FullName,
                (ReportLabels.Document(g.DocumentType) + " " + (g.DocumentNumber ?? "")).Trim(), g.Nationality], StayingWidths, false, true,
                Header: stayingHeader));
        return lines;
    }

    /// <summary>The lines of each page: a table continued on a new page starts with its header again.</summary>
    private static List<List<Line>> Paginate(List<Line> lines, float firstTop, float otherTop, float bottom)
    {
        var pages = new List<List<Line>> { new() };
        var y = firstTop;
        foreach (var line in lines)
        {
            if (y + RowHeight > bottom)
            {
                pages.Add([]);
                y = otherTop;
                if (line.Header is { } h) { pages[^1].Add(h); y += RowHeight; }
            }
            pages[^1].Add(line);
            y += line.Title ? RowHeight * 1.6f : RowHeight;
        }
        // The signature block needs 100 points under the last line; otherwise it gets a page of its own.
        if (y + 100 > bottom) pages.Add([]);
        return pages;
    }

    public static byte[] Write(CommuneReportDto report)
    {
        const float firstTop = 172, otherTop = 70, bottom = Height - Margin - 20;
        var pages = Paginate(Lines(report), firstTop, otherTop, bottom);

        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
               {
                   Title = $"Sổ tiếp nhận lưu trú {report.CommuneName} {report.Day:dd/MM/yyyy}", Author = "CuTru.LuuTru", Creator = "CuTru.LuuTru",
                   Producer = "CuTru.LuuTru (SkiaSharp)", Creation = report.BuiltAt.UtcDateTime, Modified = report.BuiltAt.UtcDateTime,
               }))
        using (var regular = new SKFont(Regular.Value, FontSize))
        using (var bold = new SKFont(Bold.Value, FontSize))
        using (var title = new SKFont(Bold.Value, 13))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        using (var warn = new SKPaint { Color = new SKColor(0xB0, 0x30, 0x20), IsAntialias = true })
        using (var rule = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), StrokeWidth = 0.5f, IsStroke = true })
        {
            for (var page = 1; page <= pages.Count; page++)
            {
                var canvas = document.BeginPage(Width, Height);
                var y = Margin + 10;
                canvas.DrawText($"CÔNG AN {report.CommuneName.ToUpperInvariant()}", Margin, y, SKTextAlign.Left, bold, ink);
                canvas.DrawText("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", Width - Margin, y, SKTextAlign.Right, bold, ink);
                y += 11;
                canvas.DrawText($"{report.ProvinceName} · mã xã {report.CommuneCode}", Margin, y, SKTextAlign.Left, regular, ink);
                canvas.DrawText("Độc lập - Tự do - Hạnh phúc", Width - Margin, y, SKTextAlign.Right, regular, ink);
                if (page == 1)
                {
                    y += 30;
                    canvas.DrawText("SỔ TIẾP NHẬN THÔNG BÁO LƯU TRÚ", Width / 2, y, SKTextAlign.Center, title, ink);
                    y += 16;
                    canvas.DrawText($"Ngày {report.Day:dd/MM/yyyy} · {ReportLabels.Kind(report.Kind)} · tiếp nhận từ {ReportRows.Time(report.WindowStart)} " +
                        $"đến {ReportRows.Time(report.WindowEnd)} · phiên bản {report.Version}", Width / 2, y, SKTextAlign.Center, regular, ink);
                    y += 11;
                    canvas.DrawText(ReportLabels.BuiltBy(report), Width / 2, y, SKTextAlign.Center, regular, report.BuiltBy == "scheduler" ? ink : warn);
                    if (!report.Final)
                    {
                        y += 11;
                        canvas.DrawText("CHƯA CHỐT: lập trước khi hết khung giờ, có thể còn thông báo được tiếp nhận sau.", Width / 2, y,
                            SKTextAlign.Center, bold, warn);
                    }
                    var t = report.Totals;
                    y += 16;
                    canvas.DrawText($"Số thông báo: {t.Notifications}   Số khách: {t.Guests} (Việt Nam {t.VietnameseGuests}, nước ngoài {t.ForeignGuests})   " +
                        $"Trẻ em: {t.Children}   Trễ hạn: {t.Late}   Lưu trú từ 30 ngày: {t.LongStays}", Margin, y, SKTextAlign.Left, regular, ink);
                    y += 11;
                    canvas.DrawText($"Sai lệch số định danh: {t.IdMismatches}   Trùng danh sách theo dõi: {t.WatchlistHits}   Đang lưu trú: {t.CurrentlyStaying}   " +
                        $"Hôm trước: {t.PreviousDay}   Cùng ngày tuần trước: {t.SameDayLastWeek}", Margin, y, SKTextAlign.Left, regular, ink);
                    y += 11;
                    canvas.DrawText(Legend, Margin, y, SKTextAlign.Left, regular, ink);
                }
                y = page == 1 ? firstTop : otherTop;
                foreach (var line in pages[page - 1])
                {
                    if (line.Title) y += RowHeight * 0.6f;
                    DrawLine(canvas, y, line, line.Bold ? bold : regular, ink, rule);
                    y += RowHeight;
                }
                if (page == pages.Count) Signatures(canvas, y + 25, regular, bold, ink, report);
                canvas.DrawText($"Trang {page}/{pages.Count}", Width - Margin, Height - Margin, SKTextAlign.Right, regular, ink);
                canvas.DrawText($"{report.CommuneName} · {report.Day:dd/MM/yyyy} · {ReportLabels.Kind(report.Kind)} · phiên bản {report.Version}", Margin,
                    Height - Margin, SKTextAlign.Left, regular, ink);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    private static void DrawLine(SKCanvas canvas, float y, Line line, SKFont font, SKPaint ink, SKPaint rule)
    {
        if (line.Rule) canvas.DrawLine(Margin, y - RowHeight + 3, Width - Margin, y - RowHeight + 3, rule);
        var x = Margin;
        for (var i = 0; i < line.Cells.Length; i++)
        {
            canvas.DrawText(Fit(line.Cells[i], line.Widths[i] - 4, font), x, y, SKTextAlign.Left, font, ink);
            x += line.Widths[i];
        }
    }

    /// <summary>The text, cut with an ellipsis to fit the column.</summary>
    private static string Fit(string text, float width, SKFont font)
    {
        if (font.MeasureText(text) <= width) return text;
        var cut = text.Length;
        while (cut > 0 && font.MeasureText(text[..cut] + "…") > width) cut--;
        return text[..cut] + "…";
    }

    private static void Signatures(SKCanvas canvas, float y, SKFont regular, SKFont bold, SKPaint ink, CommuneReportDto report)
    {
        var left = Margin + 120; var right = Width - Margin - 160;
        canvas.DrawText($"{report.CommuneName}, ngày {report.Day:dd} tháng {report.Day:MM} năm {report.Day:yyyy}", right, y, SKTextAlign.Center, regular, ink);
        y += 14;
        canvas.DrawText("CÁN BỘ TIẾP NHẬN", left, y, SKTextAlign.Center, bold, ink);
        canvas.DrawText("TRƯỞNG CÔNG AN", right, y, SKTextAlign.Center, bold, ink);
        y += 11;
        canvas.DrawText("(Ký, ghi rõ họ tên)", left, y, SKTextAlign.Center, regular, ink);
        canvas.DrawText("(Ký, ghi rõ họ tên, đóng dấu)", right, y, SKTextAlign.Center, regular, ink);
    }
}

/// <summary>The words the exports use for the register's codes (Vietnamese: the police's register).</summary>
public static class ReportLabels
{
    public static string Kind(string kind) => kind == ReportKinds.Morning ? "Báo cáo bổ sung 08:00" : "Báo cáo 23:00";

    private static readonly Dictionary<string, string> Reasons =
        Intake.Rules.Reasons.Table.ToDictionary(r => WireEnum.Name(r.Code), r => r.Name.Replace(" (ghi rõ)", ""));

    public static string Reason(string code) => Reasons.GetValueOrDefault(code, code);

    /// <summary>What the number is.</summary>
    public static string Document(DocumentType type) => type switch
    {
        DocumentType.PersonalId => "Số định danh",
        DocumentType.Passport => "Hộ chiếu",
        DocumentType.Cmnd => "CMND",
        DocumentType.Other => "Giấy tờ khác",
        _ => "Không có",
    };

    /// <summary>The document presented, as the national catalogue names it.</summary>
    public static string? DocumentKind(DocumentKind? kind) => kind switch
    {
        null => null,
        Contracts.DocumentKind.Cccd => "Thẻ CCCD",
        Contracts.DocumentKind.Cmnd => "Thẻ CMND",
        Contracts.DocumentKind.DrivingLicence => "Giấy phép lái xe",
        Contracts.DocumentKind.Passport => "Hộ chiếu",
        Contracts.DocumentKind.BirthCertificate => "Giấy khai sinh",
        Contracts.DocumentKind.HealthInsuranceCard => "Thẻ BHYT",
        Contracts.DocumentKind.PersonalIdNotice => "Thông báo số định danh cá nhân",
        Contracts.DocumentKind.CanCuoc => "Thẻ Căn cước",
        _ => "Giấy tờ khác",
    };

    public static string? Gender(Gender? gender) => gender switch { Contracts.Gender.Male => "Nam", Contracts.Gender.Female => "Nữ", _ => null };

    /// <summary>The register's status as the police say it.</summary>
    public static string Status(NotificationStatus status) => status switch
    {
        NotificationStatus.Accepted => "Đã tiếp nhận",
        NotificationStatus.Recorded => "Đã ghi sổ",
        NotificationStatus.CheckedOut => "Đã trả phòng",
        _ => "Đã hủy",
    };

    /// <summary>Where a guest's filing on the national system stood when the report was built.</summary>
    public static string? Upstream(string? state) => state switch
    {
        null => null,
        "sent" => "Đã gửi",
        "pending" => "Đang chờ gửi",
        "unknown" => "Chưa rõ",
        "rejected" => "Bị từ chối",
        "manual-required" => "Cần khai trên cổng",
        _ => state,
    };

    /// <summary>How the notification came in.</summary>
    public static string Channel(string channel) => channel switch
    {
        "api" => "Phần mềm quản lý của cơ sở",
        "batch" => "Gửi theo lô / tệp",
        "web-form" => "Biểu mẫu web của cơ sở",
        "household" => "Hộ gia đình (biểu mẫu web)",
        "officer" => "Cán bộ tiếp nhận",
        "kbtt" => "Phần mềm theo chuẩn hệ thống quốc gia (KBTT)",
        _ => channel,
    };

    /// <summary>How an officer's entry came in, in words.</summary>
    public static string? ReceivedBy(string? receivedBy) => receivedBy switch
    {
        null => null,
        "in-person" => "Trực tiếp",
        "phone" => "Điện thoại",
        "email" => "Thư điện tử",
        _ => "Khác",
    };

    public static string? Notifier(NotifierDto? who) => who is null ? null : who.GuestNotifiedForSelf ? "Khách tự thông báo" : who.HostName;

    public static string Flags(IEnumerable<string> codes) => string.Join("; ", codes.Select(c => Intake.Rules.FlagCodes.Label(c)));

    /// <summary>A change of the register, in words.</summary>
    public static string Action(string action) => action switch
    {
        "checkout" => "Trả phòng",
        "extend" => "Gia hạn",
        "correct" => "Sửa thông tin",
        "cancel" => "Hủy",
        _ => action,
    };

    public static string Actor(string kind) => kind switch
    {
        "user" => "Người dùng",
        "api-key" => "Phần mềm của cơ sở",
        "anonymous" => "Hộ gia đình",
        _ => kind,
    };

    /// <summary>Who built the report and when: the scheduler, or the person who asked for a rebuild.</summary>
    public static string BuiltBy(CommuneReportDto report) => report.BuiltBy == "scheduler"
        ? $"Lập tự động lúc {ReportRows.Time(report.BuiltAt)}"
        : $"Lập lại theo yêu cầu của {(report.BuiltBy.StartsWith("user:", StringComparison.Ordinal) ? report.BuiltBy[5..] : report.BuiltBy)} lúc {ReportRows.Time(report.BuiltAt)}";
}
