using CuTru.LuuTru.Server.Security;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>A file of guests (CSV or XLSX, Vietnamese headers, one row per guest; rows sharing a group number are one
/// stay) previewed with every row's problems before anything is sent, then sent: every row gets its receipt or its
/// error. Sending the same file again answers the same receipts (idempotency keys from the file's hash), so a file
/// is never half-sent without the user seeing which rows went.</summary>
public static class UploadEndpoints
{
    public const int MaxFileBytes = 5 * 1024 * 1024;

    // Header → (path inside a notification; guest fields are relative to guests[i]).
    private static readonly (string Header, string Path, bool Guest, bool Required)[] Columns =
    [
        (Csv.GroupHeader, "group", false, false),
        ("Thời điểm đến", "stay.arrivalAt", false, true),
        ("Dự kiến đi", "stay.departureAt", false, true),
        ("Lý do", "stay.reason", false, true),
        ("Ghi rõ lý do", "stay.reasonDetail", false, false),
        ("Phòng", "stay.room", false, false),
        ("Mã đặt phòng", "externalRef", false, false),
        ("Họ và tên", "fullName", true, true),
        ("Ngày sinh", "dateOfBirth", true, true),
        ("Giới tính", "gender", true, false),
        ("Loại giấy tờ", "document.type", true, true),
        ("Số giấy tờ", "document.number", true, true),
        ("Quốc tịch", "nationality", true, false),
        ("Số thị thực", "foreign.visaOrResidenceDocument", true, false),
        ("Thị thực đến ngày", "foreign.validUntil", true, false),
        ("Ngày nhập cảnh", "foreign.entryDate", true, false),
        ("Cửa khẩu nhập cảnh", "foreign.entryPort", true, false),
    ];

    public static IReadOnlyList<string> Headers { get; } = Columns.Select(c => c.Header).ToList();

    /// <summary>What an import of a commune's paper register adds to each stay's first row: when and how the
    /// notification reached the police, and where the stay was (an establishment of the commune by its id, or an address
    /// with the notifier).</summary>
    private static readonly (string Header, string Path, bool Guest, bool Required)[] ImportColumns =
    [
        ("Thời điểm tiếp nhận", "receivedAt", false, true),
        ("Tiếp nhận qua", "receivedBy", false, false),
        ("Mã cơ sở lưu trú", "establishmentId", false, false),
        ("Địa chỉ nơi lưu trú", "stay.address", false, false),
        ("Người thông báo", "host.fullName", false, false),
        ("Điện thoại người thông báo", "host.phone", false, false),
    ];

    public static IReadOnlyList<string> ImportHeaders { get; } = Columns.Concat(ImportColumns).Select(c => c.Header).ToList();

    /// <summary>What the national system's files carry besides (read from the portal's XLSX and XML, <see cref="Kbtt.PortalFiles"/>;
    /// optional in the hub's own template too).</summary>
    private static readonly (string Header, string Path, bool Guest, bool Required)[] NationalColumns =
    [
        ("Mã lý do KBTT", "stay.reasonCode", false, false),
        ("Loại giấy tờ KBTT", "document.kind", true, false),
        ("Điện thoại", "phone", true, false),
        ("Nơi cư trú", "residenceKind", true, false),
        ("Mã xã nơi cư trú", "residenceCommuneCode", true, false),
        ("Địa chỉ thường trú", "permanentAddress", true, false),
        ("Chỉ biết năm sinh", "dateOfBirthYearOnly", true, false),
    ];

    /// <summary>Where one stay of a file comes from, and what was found wrong with that before the rules look at it.</summary>
    private sealed record RowSource(IntakeSource Source, NotificationRequest Request, HostDetails? Host, bool AddressRequired,
        List<(string Path, string Code)> Errors);

    /// <summary>One run over a file: its mode, whether it sends, whose idempotency keys it uses.</summary>
    private sealed record UploadRun(string Mode, bool Sends, bool Import, string? Scope, string KeyPrefix);

    /// <summary>Example rows around <paramref name="today"/> (Vietnam), so the template uploads as it is: a family, and a foreigner.</summary>
    private static string[][] Example(DateOnly today)
    {
        string D(int days) => today.AddDays(days).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        return
        [
            ["1", $"{D(-1)} 14:00", $"{D(1)} 12:00", "Du lịch", "", "204", "BK-1001", "Nguyễn Văn An", "04/03/1990", "Nam", "CCCD", "001090012345", "VNM", "", "", "", ""],
            ["1", $"{D(-1)} 14:00", $"{D(1)} 12:00", "Du lịch", "", "204", "BK-1001", "Nguyễn Bảo Ngọc", "06/05/2019", "Nữ", "Không có", "", "VNM", "", "", "", ""],
            ["2", $"{D(-1)} 15:30", $"{D(2)} 10:00", "Công tác", "", "305", "BK-1002", "John Smith", "01/01/1980", "Nam", "Hộ chiếu", "X1234567", "GBR", "DL123456", D(60), D(-3), "Nội Bài"],
        ];
    }

    private static DateOnly Today(TimeProvider clock) => VietnamTime.DayOf(clock.GetUtcNow());

    public static void MapUpload(this RouteGroupBuilder notifications)
    {
        notifications.MapPost("/upload", Upload).WithSummary("A CSV or XLSX file of guests: mode=preview judges every row, mode=send notifies")
            .WithDescription("The body is the file itself (Content-Type text/csv or the XLSX type), at most 5 MB. Sending the same file again " +
                "answers the same receipts.");
        notifications.MapGet("/upload/template.csv", (TimeProvider clock) => TypedResults.File(TemplateCsv(Today(clock)), MediaTypes.CsvUtf8, "mau-khai-bao-luu-tru.csv"))
            .AllowAnonymous().WithSummary("The upload template as CSV (UTF-8 with BOM), with example rows");
        notifications.MapGet("/upload/template.xlsx", (TimeProvider clock) => TypedResults.File(TemplateXlsx(Today(clock)), MediaTypes.Xlsx, "mau-khai-bao-luu-tru.xlsx"))
            .AllowAnonymous().WithSummary("The upload template as XLSX, with example rows");
    }

    public static byte[] TemplateCsv(DateOnly today) => Csv.Utf8WithBom(Example(today).Prepend(Headers.ToArray()));

    public static byte[] TemplateXlsx(DateOnly today)
    {
        var rows = Example(today).Select(r => Headers.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => (object?)x.Item2)).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(rows, sheetName: "Khach");
        return stream.ToArray();
    }

    internal static async Task<Results<Ok<UploadReportDto>, ProblemResult>> Upload(string? mode, HttpContext http, EstablishmentDirectory directory, IntakeService intake,
        IOptions<IntakeOptions> options, CancellationToken ct)
    {
        mode ??= "preview";
        if (mode is not ("preview" or "send")) return Problems.Validation("mode", "invalid-value");
        var (source, denied) = await NotificationEndpoints.EstablishmentSourceAsync(http, directory, ct, Channel.Batch);
        if (denied is not null) return denied;
        return await ProcessAsync(new UploadRun(mode, mode == "send", Import: false, source!.EstablishmentId?.ToString(), "upload"), http, intake,
            options.Value, (_, request) => Task.FromResult(new RowSource(source, request, null, AddressRequired: false, [])), ct);
    }

    /// <summary>What an import of a paper register works with, bound by [AsParameters].</summary>
    internal sealed record ImportServices(HttpContext Http, IntakeService Intake, EstablishmentDirectory Directory, LuuTruDb Db,
        Audit.AuditWriter Audit, TimeProvider Clock, IOptions<IntakeOptions> Options, CancellationToken Ct);

    /// <summary>A commune's paper register, typed into the upload template with when each notification reached the police
    /// (<c>Thời điểm tiếp nhận</c>): lateness is judged against it, the stay by the law in force when it began (2020 rules
    /// before 2026-07-01), and each lands in the report window it was received in. Police of the commune or admins.</summary>
    internal static async Task<Results<Ok<UploadReportDto>, ProblemResult>> Import(string code, string? mode, [AsParameters] ImportServices s)
    {
        mode ??= "preview";
        if (mode is not ("preview" or "import")) return Problems.Validation("mode", "invalid-value");
        var commune = s.Http.Commune();
        var caller = s.Http.Caller();
        var now = s.Clock.GetUtcNow();
        var tolerance = TimeSpan.FromMinutes(s.Options.Value.ArrivalFutureToleranceMinutes);
        async Task<RowSource> SourceOf(Dictionary<string, string> cells, NotificationRequest request)
        {
            var errors = new List<(string Path, string Code)>();
            string? Cell(string header) => cells.GetValueOrDefault(header) is { Length: > 0 } v ? v.Trim() : null;
            DateTimeOffset? received = null;
            if (Cell("Thời điểm tiếp nhận") is not { } rv) errors.Add(("receivedAt", "required"));
            else if (!TryTime(rv, out var t)) errors.Add(("receivedAt", "unreadable-time"));
            else if (t > now + tolerance) errors.Add(("receivedAt", "in-future"));
            else if (request.Stay?.ArrivalAt is { } arrival && t < arrival - Rules.NotificationRules.ArrivalAfterReceptionLimit) errors.Add(("receivedAt", "received-before-arrival"));
            else received = t;
            var receivedBy = Cell("Tiếp nhận qua") is { } by ? ReceivedWays.GetValueOrDefault(Text.Fold(by)) : "other";
            if (receivedBy is null) errors.Add(("receivedBy", "invalid-value"));

            if (Cell("Mã cơ sở lưu trú") is { } id)
            {
                var e = Guid.TryParse(id, out var guid) ? await s.Directory.EstablishmentAsync(guid, s.Ct) : null;
                if (e is null || e.CommuneCode != code) errors.Add(("establishmentId", "unknown-establishment"));
                else if (e.Status != EstablishmentStatus.Approved) errors.Add(("establishmentId", "establishment-not-approved"));
                return new RowSource(new IntakeSource(Channel.Officer, e?.Id, caller.AuditId, commune.Code, commune.ProvinceCode, e?.Address, received ?? now,
                    receivedBy), request, null, AddressRequired: false, errors);
            }
            // A household (or any place without an account): the address, and who notified if the register says.
            var phone = Cell("Điện thoại người thông báo");
            var normalized = phone is null ? null : Phone.Normalize(phone);
            if (phone is not null && normalized is null) errors.Add(("host.phone", "invalid-phone"));
            var name = Cell("Người thông báo");
            var host = name is null && normalized is null ? null : new HostDetails(Text.Clean(name) ?? "", normalized ?? "", null, false);
            var address = Text.Clean(Cell("Địa chỉ nơi lưu trú"));
            return new RowSource(new IntakeSource(Channel.Officer, null, caller.AuditId, commune.Code, commune.ProvinceCode, address, received ?? now,
                receivedBy), request with { Stay = request.Stay is null ? null : request.Stay with { Address = address, CommuneCode = code } }, host,
                AddressRequired: true, errors);
        }
        var answer = await ProcessAsync(new UploadRun(mode, mode == "import", Import: true, "import:" + code, "import"), s.Http, s.Intake,
            s.Options.Value, SourceOf, s.Ct);
        if (mode == "import" && answer.Result is Ok<UploadReportDto> { Value: { } report })
        {
            s.Audit.Record(caller, "notification.import", "commune", code, code, new { report.Notifications, report.Accepted, report.Rejected }, s.Http);
            await s.Db.SaveChangesAsync(s.Ct);
        }
        return answer;
    }

    /// <summary>How a paper register says a notification came in.</summary>
    private static readonly Dictionary<string, string> ReceivedWays = new(StringComparer.Ordinal)
    {
        ["truc tiep"] = "in-person", ["in-person"] = "in-person", ["dien thoai"] = "phone", ["phone"] = "phone",
        ["thu dien tu"] = "email", ["email"] = "email", ["khac"] = "other", ["other"] = "other",
    };

    /// <summary>Reads the file, judges every stay, and (when the run sends) notifies the valid ones: every row accounted for.</summary>
    private static async Task<Results<Ok<UploadReportDto>, ProblemResult>> ProcessAsync(UploadRun run, HttpContext http, IntakeService intake,
        IntakeOptions options, Func<Dictionary<string, string>, NotificationRequest, Task<RowSource>> sourceOf, CancellationToken ct)
    {
        var english = ErrorCatalog.PrefersEnglish(http);
        // The file itself, typed as CSV or XLSX: never a form (a page of another site can post a form, or text/plain,
        // without asking first).
        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith(MediaTypes.Xlsx, StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase))
            return new ProblemResult(415, "unsupported-media-type");
        using var buffer = new MemoryStream();
        var body = http.Request.Body;
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxFileBytes) return new ProblemResult(413, "validation-failed", new FieldErrors().Add("file", "file-too-large", MaxFileBytes / 1024 / 1024));
        }
        var bytes = buffer.ToArray();
        List<List<(int Row, Dictionary<string, string> Cells)>> groups;
        var portal = false;
        try
        {
            var xlsx = IsXlsx(bytes, http.Request.ContentType);
            // A zip that unpacks to far more than any real list (a "bomb") is refused before it is read.
            if (xlsx && UnpackedBytes(bytes) > MaxUnpackedBytes)
                return new ProblemResult(413, "validation-failed", new FieldErrors().Add("file", "file-too-large", MaxFileBytes / 1024 / 1024));
            // The national portal's own files too: its Vietnamese-guest template, its foreign-guest XML.
            var portalXlsx = xlsx && Kbtt.PortalFiles.IsVietnameseXlsx(bytes);
            var portalXml = !xlsx && Kbtt.PortalFiles.IsForeignXml(bytes);
            portal = portalXlsx || portalXml;
            var rows = portalXlsx ? Kbtt.PortalFiles.ReadVietnameseXlsx(bytes) : portalXml ? Kbtt.PortalFiles.ReadForeignXml(bytes)
                : xlsx ? ReadXlsx(bytes) : ReadCsv(bytes);
            // Rows (numbered as in the file: the header is row 1) grouped into stays by their group number, read until one
            // stay more than the limit has begun: "too many" without reading the rest of a file of 400,000 rows.
            groups = Csv.GroupStays(rows, r => r.Item2.GetValueOrDefault(Csv.GroupHeader),
                maxStays: options.MaxBatchSize + 1, maxRows: (options.MaxBatchSize + 1) * NotificationRules.MaxGuests);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException
                                      or System.Xml.XmlException)
        {
            return Problems.Validation("file", "unreadable-file");
        }
        if (groups.Count == 0) return Problems.Validation("file", "empty-file");
        var missing = portal ? [] // the portal's files are read by position
            : Columns.Concat(run.Import ? ImportColumns : []).Where(c => c.Required && !groups[0][0].Cells.ContainsKey(c.Header)).Select(c => c.Header).ToList();
        if (missing.Count > 0) return Problems.Validation("file", "missing-columns", string.Join(", ", missing));

        if (groups.Count > options.MaxBatchSize) return Problems.Validation("file", "too-many", options.MaxBatchSize);
        var fileHash = Convert.ToHexString(SHA256.HashData(bytes))[..32];
        var items = new List<UploadItemDto>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var (rowNumbers, parsed, parseErrors) = Build(groups[i]);
            var row = await sourceOf(groups[i][0].Cells, parsed);
            var request = row.Request;
            parseErrors.AddRange(row.Errors);
            var decision = await intake.DecideAsync(request, row.Source, row.AddressRequired,
                run.Sends && parseErrors.Count == 0 ? StayingCheck.WithAppend : StayingCheck.Skip, ct);
            var problems = new List<UploadProblemDto>();
            // What could not be read is said as such; the rules' "required" on that same field would only confuse.
            foreach (var (path, code) in parseErrors) problems.Add(Locate(path, code, ErrorCatalog.Message(code, english), rowNumbers));
            foreach (var (path, list) in decision.Outcome.Errors.ToDictionary(english))
                if (!parseErrors.Any(p => p.Path == path))
                    problems.AddRange(list.Select(e => Locate(path, e.Code, e.Message, rowNumbers)));
            if (problems.Count > 0)
            {
                items.Add(new UploadItemDto(i, rowNumbers, "rejected", null, null, null, [], problems));
                continue;
            }
            if (!run.Sends)
            {
                items.Add(new UploadItemDto(i, rowNumbers, "valid", null, null, decision.Outcome.Late, Flags.Render(decision.Flags, english), []));
                continue;
            }
            var answer = await intake.AcceptAsync(decision, row.Source, run.Scope, $"{run.KeyPrefix}:{fileHash}:{i}",
                row.Host is null ? RequestHash.Of(request) : RequestHash.Of(request, row.Host), english, ct, row.Host);
            if (answer.AlreadyStaying is { } here)
            {
                // Sent before (a corrected file uploaded again): said as such, with the earlier receipt; nothing sent.
                items.Add(new UploadItemDto(i, rowNumbers, "already-sent", null, here.Receipt, null, [],
                    answer.Refusal!.Value.Errors!.ToDictionary(english).SelectMany(x => x.Value.Select(e => Locate(x.Key, e.Code, e.Message, rowNumbers))).ToList()));
                continue;
            }
            items.Add(answer.Refusal is { } refused
                ? new UploadItemDto(i, rowNumbers, "rejected", null, null, null, [], refused.Errors is { Any: true } fieldErrors
                    ? fieldErrors.ToDictionary(english).SelectMany(x => x.Value.Select(e => Locate(x.Key, e.Code, e.Message, rowNumbers))).ToList()
                    : [new UploadProblemDto(rowNumbers[0], null, refused.Code, ErrorCatalog.Message(refused.Code, english))])
                : new UploadItemDto(i, rowNumbers, "accepted", answer.Receipt!.Id, answer.Receipt.ReceiptNumber, answer.Receipt.Late, answer.Receipt.Flags, []));
        }
        return TypedResults.Ok(new UploadReportDto(run.Mode, groups.Sum(g => g.Count), groups.Count, items.Count(x => x.Status is "accepted" or "valid"),
            items.Count(x => x.Status == "rejected"), items, items.Count(x => x.Status == "already-sent")));
    }

    /// <summary>A problem's path inside the notification, turned into the file's row and column.</summary>
    private static UploadProblemDto Locate(string path, string code, string message, IReadOnlyList<int> rows)
    {
        var row = rows[0];
        var field = path;
        if (path.StartsWith("guests[", StringComparison.Ordinal))
        {
            var close = path.IndexOf(']');
            if (int.TryParse(path.AsSpan(7, close - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g < rows.Count) row = rows[g];
            field = close + 2 <= path.Length ? path[(close + 2)..] : "";
        }
        var column = Columns.Concat(ImportColumns).Concat(NationalColumns).FirstOrDefault(c => c.Path == field).Header;
        return new UploadProblemDto(row, column, code, message);
    }

    /// <summary>What an XLSX unpacks to, at most: a real list of 500 stays is a few megabytes.</summary>
    public const long MaxUnpackedBytes = 50L * 1024 * 1024;

    /// <summary>The sum of the sizes the zip's entries say they unpack to.</summary>
    private static long UnpackedBytes(byte[] bytes)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes), System.IO.Compression.ZipArchiveMode.Read);
        return zip.Entries.Sum(e => e.Length);
    }

    private static bool IsXlsx(byte[] bytes, string? contentType) =>
        (contentType?.StartsWith(MediaTypes.Xlsx, StringComparison.OrdinalIgnoreCase) ?? false) || (bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K');

    private static IEnumerable<(int, Dictionary<string, string>)> ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var number = 1; // the header
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true))
        {
            number++;
            var cells = row.ToDictionary(x => x.Key.Trim(), x => x.Value switch
            {
                null => "",
                DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : d.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
                double n => n.ToString(CultureInfo.InvariantCulture),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
            });
            if (cells.Values.All(string.IsNullOrWhiteSpace)) continue;
            yield return (number, cells);
        }
    }

    /// <summary>The CSV (see <see cref="Csv"/>); UTF-8 only, anything else is unreadable.</summary>
    private static List<(int, Dictionary<string, string>)> ReadCsv(byte[] bytes)
    {
        var records = Csv.Read(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        if (records.Count == 0) return [];
        var headers = records[0].Fields.Select(h => h.Trim()).ToList();
        return records.Skip(1).Where(r => r.Fields.Any(c => !string.IsNullOrWhiteSpace(c)))
            .Select(r => (r.Line, headers.Select((h, i) => (h, i < r.Fields.Count ? r.Fields[i].Trim() : "")).GroupBy(y => y.h)
                .ToDictionary(g => g.Key, g => g.First().Item2)))
            .ToList();
    }

    private static (List<int> Rows, NotificationRequest Request, List<(string Path, string Code)> Errors) Build(List<(int Row, Dictionary<string, string> Cells)> group)
    {
        var errors = new List<(string, string)>();
        var first = group[0].Cells;
        string? Cell(Dictionary<string, string> cells, string header) => cells.GetValueOrDefault(header) is { Length: > 0 } v ? v.Trim() : null;
        DateTimeOffset? Time(string header, string path)
        {
            var v = Cell(first, header);
            if (v is null) return null;
            if (TryTime(v, out var t)) return t;
            errors.Add((path, "unreadable-time"));
            return null;
        }
        DateOnly? Date(Dictionary<string, string> cells, string header, string path)
        {
            var v = Cell(cells, header);
            if (v is null) return null;
            if (TryDate(v, out var d)) return d;
            errors.Add((path, "unreadable-date"));
            return null;
        }

        StayReason? reason = null;
        if (Cell(first, "Lý do") is { } r)
        {
            reason = Reasons.TryGetValue(Text.Fold(r), out var known) ? known : null;
            if (reason is null) errors.Add(("stay.reason", "unknown-reason"));
        }
        int? reasonCode = null;
        if (Cell(first, "Mã lý do KBTT") is { } rc)
        {
            if (int.TryParse(rc, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) reasonCode = code;
            else errors.Add(("stay.reasonCode", "unknown-reason-code"));
        }
        var stay = new StayDto(Time("Thời điểm đến", "stay.arrivalAt"), Time("Dự kiến đi", "stay.departureAt"), reason, Cell(first, "Ghi rõ lý do"),
            Cell(first, "Phòng"), ReasonCode: reasonCode);
        var guests = new List<GuestDto?>();
        for (var i = 0; i < group.Count; i++)
        {
            var cells = group[i].Cells;
            var p = $"guests[{i}].";
            Gender? gender = null;
            if (Cell(cells, "Giới tính") is { } gv)
            {
                gender = Text.Fold(gv) switch { "nam" or "male" or "m" => Gender.Male, "nu" or "female" or "f" => Gender.Female, _ => null };
                if (gender is null) errors.Add((p + "gender", "unknown-gender"));
            }
            DocumentType? type = null;
            if (Cell(cells, "Loại giấy tờ") is { } tv)
            {
                type = DocumentTypes.TryGetValue(Text.Fold(tv), out var known) ? known : null;
                if (type is null) errors.Add((p + "document.type", "unknown-document-type"));
            }
            var given = Cell(cells, "Quốc tịch");
            var nationality = Rules.Countries.Resolve(given) ?? given?.ToUpperInvariant(); // a name ("Hàn Quốc") or a code
            // "Miễn thị thực" (or "visa exempt") in the visa column: a visa-exempt guest.
            var visa = Cell(cells, "Số thị thực");
            var exempt = visa is not null && Text.Fold(visa) is "mien thi thuc" or "mien" or "visa exempt" or "exempt";
            ForeignDetailsDto? foreign = nationality is null or Rules.Countries.Vietnam ? null
                : new ForeignDetailsDto(exempt ? null : visa, Date(cells, "Thị thực đến ngày", p + "foreign.validUntil"),
                    Date(cells, "Ngày nhập cảnh", p + "foreign.entryDate"), Cell(cells, "Cửa khẩu nhập cảnh"), exempt ? true : null);
            DocumentKind? kind = null;
            if (Cell(cells, "Loại giấy tờ KBTT") is { } kv)
            {
                if (int.TryParse(kv, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 9) kind = (DocumentKind)k;
                else errors.Add((p + "document.kind", "unknown-document-type"));
            }
            ResidenceKind? residence = null;
            if (Cell(cells, "Nơi cư trú") is { } rv)
            {
                if (int.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var r2) && r2 is >= 1 and <= 3) residence = (ResidenceKind)r2;
                else errors.Add((p + "residenceKind", "invalid-value"));
            }
            guests.Add(new GuestDto(Cell(cells, "Họ và tên"), Date(cells, "Ngày sinh", p + "dateOfBirth"), gender,
                type is null && kind is null ? null : new DocumentDto(type, Cell(cells, "Số giấy tờ"), kind), nationality,
                DateOfBirthYearOnly: Cell(cells, "Chỉ biết năm sinh") is not null ? true : null, Phone: Cell(cells, "Điện thoại"),
                PermanentAddress: Cell(cells, "Địa chỉ thường trú"), Foreign: foreign, ResidenceKind: residence,
                ResidenceCommuneCode: Cell(cells, "Mã xã nơi cư trú")));
        }
        return (group.Select(g => g.Row).ToList(), new NotificationRequest(stay, guests, Cell(first, "Mã đặt phòng")), errors);
    }

    private static readonly Dictionary<string, StayReason> Reasons = BuildReasons();
    private static Dictionary<string, StayReason> BuildReasons()
    {
        var map = new Dictionary<string, StayReason>(StringComparer.Ordinal);
        foreach (var r in Rules.Reasons.Table)
        {
            map[Text.Fold(WireEnum.Name(r.Code))] = r.Code;
            map[Text.Fold(r.Name.Replace(" (ghi rõ)", ""))] = r.Code;
            map[Text.Fold(r.NameEn.Replace(" (give details)", ""))] = r.Code;
        }
        map["cong tac"] = StayReason.Business;
        map["kinh doanh"] = StayReason.Business;
        map["kham chua benh"] = StayReason.Medical;
        map["qua canh"] = StayReason.Transit;
        map["khac"] = StayReason.Other;
        return map;
    }

    private static readonly Dictionary<string, DocumentType> DocumentTypes = new(StringComparer.Ordinal)
    {
        ["cccd"] = DocumentType.PersonalId, ["can cuoc"] = DocumentType.PersonalId, ["can cuoc cong dan"] = DocumentType.PersonalId,
        ["so dinh danh"] = DocumentType.PersonalId, ["dinh danh ca nhan"] = DocumentType.PersonalId, ["personal-id"] = DocumentType.PersonalId,
        ["ho chieu"] = DocumentType.Passport, ["passport"] = DocumentType.Passport,
        ["cmnd"] = DocumentType.Cmnd, ["chung minh nhan dan"] = DocumentType.Cmnd,
        ["khac"] = DocumentType.Other, ["giay to khac"] = DocumentType.Other, ["other"] = DocumentType.Other,
        ["khong co"] = DocumentType.None, ["khong"] = DocumentType.None, ["none"] = DocumentType.None,
    };

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];
    private static readonly string[] TimeFormats = ["dd/MM/yyyy HH:mm", "d/M/yyyy H:mm", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"];

    private static bool TryDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && VietnamTime.InRange(date);

    /// <summary>A time in the file is Vietnam time.</summary>
    private static bool TryTime(string value, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || local.Year is < VietnamTime.FirstYear or > VietnamTime.LastYear) return false;
        time = new DateTimeOffset(local, VietnamTime.Offset);
        return true;
    }
}
