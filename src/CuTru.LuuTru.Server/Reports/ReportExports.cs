using System.Globalization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using MiniExcelLibs;
using SkiaSharp;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>The register as rows: one per guest, the notification's columns repeated, Vietnamese headers. The CSV and
/// the XLSX carry exactly these rows.</summary>
public static class ReportRows
{
    public static readonly string[] Headers =
        ["STT", "Số tiếp nhận", "Thời điểm tiếp nhận", "Cơ sở / địa chỉ", "Kênh", "Thời điểm đến", "Dự kiến đi", "Lý do", "Cảnh báo",
         "Họ và tên", "Ngày sinh", "Loại giấy tờ", "Số giấy tờ", "Quốc tịch", "Trạng thái", "Trễ hạn", "Tiếp nhận qua", "Người thông báo",
         "Điện thoại người thông báo"];

    /// <summary>The register's status as the police say it.</summary>
    public static string StatusLabel(NotificationStatus status) => status switch
    {
        NotificationStatus.Accepted => "Đã tiếp nhận",
        NotificationStatus.Recorded => "Đã ghi sổ",
        NotificationStatus.CheckedOut => "Đã trả phòng",
        _ => "Đã hủy",
    };

    /// <summary>How an officer's entry came in, in words.</summary>
    public static string ReceivedByLabel(string? receivedBy) => receivedBy switch
    {
        null => "",
        "in-person" => "Trực tiếp",
        "phone" => "Điện thoại",
        "email" => "Thư điện tử",
        _ => "Khác",
    };

    public static IEnumerable<string[]> Of(CommuneReportDto report) =>
        report.Register.SelectMany(e => e.Guests.Select(g => new[]
        {
            e.Line.ToString(CultureInfo.InvariantCulture), e.ReceiptNumber, Time(e.ReceivedAt), e.Place, e.Channel, Time(e.ArrivalAt),
            Time(e.DepartureAt), e.Reason, string.Join(" ", e.Flags), g.FullName, Date(g.DateOfBirth), WireEnum.Name(g.DocumentType),
            g.DocumentNumber ?? "", g.Nationality, StatusLabel(e.Status), e.Late ? "Có" : "Không", ReceivedByLabel(e.ReceivedBy),
            e.Notifier is { } who ? (who.GuestNotifiedForSelf ? "Khách tự thông báo" : who.HostName ?? "") : "", e.Notifier?.HostPhone ?? "",
        }));

    public static string Time(DateTimeOffset t) => t.ToOffset(VietnamTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    public static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>CSV: UTF-8 with a byte-order mark (so Excel reads the diacritics), RFC 4180 quoting, CRLF.</summary>
public static class ReportCsv
{
    public static byte[] Write(CommuneReportDto report) => Csv.Utf8WithBom(ReportRows.Of(report).Prepend(ReportRows.Headers));
}

/// <summary>XLSX (MiniExcel): the register sheet with the same rows as the CSV (line numbers as numbers), and a summary
/// sheet with the totals and breakdowns.</summary>
public static class ReportXlsx
{
    public const string RegisterSheet = "So tiep nhan", SummarySheet = "Tong hop";

    public static byte[] Write(CommuneReportDto report)
    {
        var register = ReportRows.Of(report).Select(row =>
        {
            var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < row.Length; i++) cells[ReportRows.Headers[i]] = i == 0 ? int.Parse(row[0], CultureInfo.InvariantCulture) : row[i];
            return cells;
        }).ToList();
        if (register.Count == 0) register.Add(ReportRows.Headers.ToDictionary(h => h, _ => (object?)null)); // the headers even on a quiet night
        var t = report.Totals;
        var summary = new List<Dictionary<string, object?>>();
        void Add(string label, object value) => summary.Add(new() { ["Mục"] = label, ["Giá trị"] = value });
        Add("Xã/phường", $"{report.CommuneName} ({report.CommuneCode}), {report.ProvinceName}");
        Add("Ngày", report.Day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        Add("Loại báo cáo", PdfText.KindLabel(report.Kind));
        Add("Phiên bản", report.Version);
        Add("Lập lúc", ReportRows.Time(report.BuiltAt));
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
        foreach (var r in report.ByReason) Add("Lý do: " + r.Key, r.Count);

        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object> { [RegisterSheet] = register, [SummarySheet] = summary });
        return stream.ToArray();
    }
}

/// <summary>The printable register (SkiaSharp's PDF backend, DejaVu Sans embedded): A4 landscape, the commune's name
/// and the day on every page, page X of Y, the totals, and a signature block at the end.</summary>
public static class ReportPdf
{
    private const float Width = 842, Height = 595, Margin = 28, RowHeight = 12, FontSize = 7.5f;
    private static readonly Lazy<SKTypeface> Regular = new(() => Load("Fonts.DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> Bold = new(() => Load("Fonts.DejaVuSans-Bold.ttf"));

    private static SKTypeface Load(string name)
    {
        using var stream = typeof(ReportPdf).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing font {name}");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"unreadable font {name}");
    }

    // Columns: header, width in points, the cell of a (entry, guest, first guest of the entry) row.
    private static readonly (string Header, float Width, Func<ReportEntryDto, ReportGuestDto, bool, string> Cell)[] Columns =
    [
        ("STT", 26, (e, _, first) => first ? e.Line.ToString(CultureInfo.InvariantCulture) : ""),
        ("Số tiếp nhận", 90, (e, _, first) => first ? e.ReceiptNumber : ""),
        ("Cơ sở / địa chỉ", 120, (e, _, first) => first ? e.Place : ""),
        ("Đến", 62, (e, _, first) => first ? Short(e.ArrivalAt) : ""),
        ("Dự kiến đi", 62, (e, _, first) => first ? Short(e.DepartureAt) : ""),
        ("Họ và tên", 130, (_, g, _) => g.FullName),
        ("Ngày sinh", 50, (_, g, _) => g.DateOfBirth?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? ""),
        ("Giấy tờ", 100, (_, g, _) => (PdfText.DocumentLabel(g.DocumentType) + " " + (g.DocumentNumber ?? "")).Trim()),
        ("QT", 28, (_, g, _) => g.Nationality),
        ("Lý do", 55, (e, _, first) => first ? PdfText.ReasonLabel(e.Reason) : ""),
        ("Cảnh báo", 63, (e, _, first) => first ? string.Join(", ", e.Flags) : ""),
    ];

    private static string Short(DateTimeOffset t) => t.ToOffset(VietnamTime.Offset).ToString("dd/MM HH:mm", CultureInfo.InvariantCulture);

    public static byte[] Write(CommuneReportDto report)
    {
        var rows = report.Register.SelectMany(e => e.Guests.Count == 0
            ? [(e, new ReportGuestDto("", null, DocumentType.None, null, ""), true)]
            : e.Guests.Select((g, i) => (e, g, i == 0))).ToList();
        const float firstTop = 150, otherTop = 70, bottom = Height - Margin - 20;
        var firstRows = (int)((bottom - firstTop) / RowHeight) - 1;
        var otherRows = (int)((bottom - otherTop) / RowHeight) - 1;
        var pages = 1 + (rows.Count > firstRows ? (rows.Count - firstRows + otherRows - 1) / otherRows : 0);
        // The signature block needs 90 points under the last row; otherwise it gets a page of its own.
        var lastRows = pages == 1 ? rows.Count : rows.Count - firstRows - (pages - 2) * otherRows;
        var lastTop = pages == 1 ? firstTop : otherTop;
        if (lastTop + (lastRows + 1) * RowHeight + 100 > bottom) pages++;

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
        using (var line = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), StrokeWidth = 0.5f, IsStroke = true })
        {
            var next = 0;
            for (var page = 1; page <= pages; page++)
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
                    canvas.DrawText($"Ngày {report.Day:dd/MM/yyyy} · {PdfText.KindLabel(report.Kind)} · phiên bản {report.Version} · lập lúc {Short(report.BuiltAt)}",
                        Width / 2, y, SKTextAlign.Center, regular, ink);
                    var t = report.Totals;
                    y += 20;
                    canvas.DrawText($"Số thông báo: {t.Notifications}   Số khách: {t.Guests} (Việt Nam {t.VietnameseGuests}, nước ngoài {t.ForeignGuests})   " +
                        $"Trẻ em: {t.Children}   Trễ hạn: {t.Late}   Lưu trú từ 30 ngày: {t.LongStays}", Margin, y, SKTextAlign.Left, regular, ink);
                    y += 11;
                    canvas.DrawText($"Sai lệch số định danh: {t.IdMismatches}   Trùng danh sách theo dõi: {t.WatchlistHits}   Đang lưu trú: {t.CurrentlyStaying}   " +
                        $"Hôm trước: {t.PreviousDay}   Cùng ngày tuần trước: {t.SameDayLastWeek}", Margin, y, SKTextAlign.Left, regular, ink);
                }
                y = page == 1 ? firstTop : otherTop;
                var take = Math.Min(page == 1 ? firstRows : otherRows, rows.Count - next);
                if (take > 0)
                {
                    DrawRow(canvas, y, Columns.Select(c => c.Header).ToArray(), bold, ink, line);
                    for (var i = 0; i < take; i++)
                    {
                        var (e, g, first) = rows[next + i];
                        y += RowHeight;
                        DrawRow(canvas, y, Columns.Select(c => c.Cell(e, g, first)).ToArray(), regular, ink, first ? line : null);
                    }
                    next += take;
                    y += RowHeight;
                }
                else if (rows.Count == 0 && page == 1)
                {
                    canvas.DrawText("Không có thông báo lưu trú nào trong khung giờ này.", Margin, y + 10, SKTextAlign.Left, regular, ink);
                    y += 20;
                }
                if (page == pages) Signatures(canvas, y + 25, regular, bold, ink, report);
                canvas.DrawText($"Trang {page}/{pages}", Width - Margin, Height - Margin, SKTextAlign.Right, regular, ink);
                canvas.DrawText($"{report.CommuneName} · {report.Day:dd/MM/yyyy} · {report.Kind} v{report.Version}", Margin, Height - Margin,
                    SKTextAlign.Left, regular, ink);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    private static void DrawRow(SKCanvas canvas, float y, string[] cells, SKFont font, SKPaint ink, SKPaint? rule)
    {
        if (rule is not null) canvas.DrawLine(Margin, y - RowHeight + 3, Width - Margin, y - RowHeight + 3, rule);
        var x = Margin;
        for (var i = 0; i < cells.Length; i++)
        {
            canvas.DrawText(Fit(cells[i], Columns[i].Width - 4, font), x, y, SKTextAlign.Left, font, ink);
            x += Columns[i].Width;
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

/// <summary>Vietnamese labels shared by the exports.</summary>
public static class PdfText
{
    public static string KindLabel(string kind) => kind == ReportKinds.Morning ? "Báo cáo bổ sung 08:00" : "Báo cáo 23:00";

    private static readonly Dictionary<string, string> Reasons =
        Intake.Rules.Reasons.Table.ToDictionary(r => WireEnum.Name(r.Code), r => r.Name.Replace(" (ghi rõ)", ""));

    public static string ReasonLabel(string code) => Reasons.GetValueOrDefault(code, code);

    public static string DocumentLabel(DocumentType type) => type switch
    {
        DocumentType.PersonalId => "ĐDCN",
        DocumentType.Passport => "Hộ chiếu",
        DocumentType.Cmnd => "CMND",
        DocumentType.Other => "Khác",
        _ => "Không có",
    };
}
