using System.Globalization;
using System.Text;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>A commune's reports: list, read (JSON or CSV), rebuild. Police of the commune; reading and exporting are audited.</summary>
public static class ReportEndpoints
{

    private const string Date = "{date:regex(^\\d{{4}}-\\d{{2}}-\\d{{2}}$)}";

    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/communes/{code}/reports").WithTags("Reports").RequireAuthorization(Policies.Police).RequireCommuneAccess();
        group.MapGet("/", List).WithSummary("Stored report versions of a commune, newest day first");
        group.MapGet("/" + Date, Get).WithSummary("A report as JSON (kind=nightly|morning, default nightly; version, default the latest)");
        group.MapGet("/" + Date + ".csv", Csv).WithSummary("The register as CSV (UTF-8 with BOM, so Excel reads the diacritics)");
        group.MapGet("/" + Date + ".xlsx", Xlsx).WithSummary("The register and a summary sheet as XLSX (same rows as the CSV)");
        group.MapGet("/" + Date + ".pdf", Pdf).WithSummary("The printable register: commune, day, page numbers, totals and a signature block");
        group.MapPost("/" + Date + "/rebuild", Rebuild).WithSummary("Build the report again: a new version; the old ones stay");
        app.MapPost("/api/v1/reports/" + Date + "/rebuild", RebuildAll).WithTags("Reports").RequireAuthorization(Policies.Admin)
            .WithSummary("Build every commune's report of the day again, as the scheduler does (admins; after an outage or a data repair)");
        app.MapGet("/api/v1/provinces/{code}/reports/" + Date, Province).WithTags("Reports").RequireAuthorization(Policies.Police).RequireProvinceAccess()
            .WithSummary("A province's roll-up: each commune's latest report of the day and kind, and the sums (supervisors, admins)");
    }

    private static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    private static bool TryArgs(string date, string? kind, out DateOnly day, out string k, out ProblemResult? problem)
    {
        k = kind ?? ReportKinds.Nightly;
        problem = null;
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || !VietnamTime.InRange(day))
            problem = Problems.Validation("date", "invalid-value");
        else if (!ReportKinds.IsKnown(k)) problem = Problems.Validation("kind", "invalid-value");
        return problem is null;
    }

    internal static async Task<Results<Ok<List<ReportVersionDto>>, ProblemResult>> List(string code, HttpContext http, LuuTruDb db, CancellationToken ct)
    {
        var list = await db.Reports.AsNoTracking().Where(r => r.CommuneCode == code).OrderByDescending(r => r.Day).ThenBy(r => r.Kind)
            .ThenByDescending(r => r.Version).Take(200)
            .Select(r => new ReportVersionDto(r.CommuneCode, r.Day, r.Kind, r.Version, r.BuiltAt, r.BuiltBy, r.Notifications, true)).ToListAsync(ct);
        return TypedResults.Ok(list.Select(r => r with { Final = r.BuiltAt >= ReportKinds.Window(r.Day, r.Kind).End }).ToList());
    }

    private static async Task<CommuneReport?> FindAsync(LuuTruDb db, string code, DateOnly day, string kind, int? version, CancellationToken ct) =>
        await db.Reports.AsNoTracking().Where(r => r.CommuneCode == code && r.Day == day && r.Kind == kind && (version == null || r.Version == version))
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);

    internal static async Task<Results<ContentHttpResult, ProblemResult>> Get(string code, string date, string? kind, int? version, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct)
    {
        if (!TryArgs(date, kind, out var day, out var k, out var bad)) return bad!;
        var report = await FindAsync(db, code, day, k, version, ct);
        if (report is null) return Problems.NotFound();
        audit.Record(http.Caller(), "report.view", "report", report.Id.ToString(), code, new { day, kind = k, report.Version }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Content(report.Content, "application/json; charset=utf-8");
    }

    internal static Task<Results<FileContentHttpResult, ProblemResult>> Csv(string code, string date, string? kind, int? version, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct) => ExportAsync("csv", code, date, kind, version, http, db, audit, ct);

    internal static Task<Results<FileContentHttpResult, ProblemResult>> Xlsx(string code, string date, string? kind, int? version, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct) => ExportAsync("xlsx", code, date, kind, version, http, db, audit, ct);

    internal static Task<Results<FileContentHttpResult, ProblemResult>> Pdf(string code, string date, string? kind, int? version, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct) => ExportAsync("pdf", code, date, kind, version, http, db, audit, ct);

    private static async Task<Results<FileContentHttpResult, ProblemResult>> ExportAsync(string format, string code, string date, string? kind, int? version,
        HttpContext http, LuuTruDb db, AuditWriter audit, CancellationToken ct)
    {
        if (!TryArgs(date, kind, out var day, out var k, out var bad)) return bad!;
        var stored = await FindAsync(db, code, day, k, version, ct);
        if (stored is null) return Problems.NotFound();
        var report = JsonSerializer.Deserialize<CommuneReportDto>(stored.Content, Json)!;
        audit.Record(http.Caller(), "report.export", "report", stored.Id.ToString(), code, new { day, kind = k, stored.Version, format }, http);
        await db.SaveChangesAsync(ct);
        var name = $"bao-cao-luu-tru-{code}-{date}-{k}-v{stored.Version}.{format}";
        return format switch
        {
            "csv" => TypedResults.File(ReportCsv.Write(report), MediaTypes.CsvUtf8, name),
            "xlsx" => TypedResults.File(ReportXlsx.Write(report), MediaTypes.Xlsx, name),
            _ => TypedResults.File(ReportPdf.Write(report), MediaTypes.Pdf, name),
        };
    }

    internal static async Task<Results<Ok<ProvinceReportDto>, ProblemResult>> Province(string code, string date, string? kind, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct)
    {
        var province = await db.Provinces.AsNoTracking().FirstAsync(p => p.Code == code, ct);
        var caller = http.Caller();
        if (!TryArgs(date, kind, out var day, out var k, out var bad)) return bad!;
        // The latest version of each commune's report: the (commune, day, kind, version) index, newest first; totals only.
        var latest = await db.Reports.AsNoTracking()
            .Where(r => r.Day == day && r.Kind == k && db.Communes.Any(c => c.Code == r.CommuneCode && c.ProvinceCode == code))
            .GroupBy(r => r.CommuneCode).Select(g => g.OrderByDescending(r => r.Version).Select(r => new { r.CommuneCode, r.Version, r.BuiltAt, r.Totals }).First())
            .ToListAsync(ct);
        var names = await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == code).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var communes = latest.OrderBy(r => r.CommuneCode, StringComparer.Ordinal)
            .Select(r => new ProvinceCommuneReportDto(r.CommuneCode, names.GetValueOrDefault(r.CommuneCode, ""), r.Version, r.BuiltAt,
                JsonSerializer.Deserialize<ReportTotalsDto>(r.Totals, Json)!)).ToList();
        var t = communes.Select(c => c.Totals).ToList();
        var totals = new ReportTotalsDto(t.Sum(x => x.Notifications), t.Sum(x => x.Guests), t.Sum(x => x.VietnameseGuests), t.Sum(x => x.ForeignGuests),
            t.Sum(x => x.Children), t.Sum(x => x.Late), t.Sum(x => x.LongStays), t.Sum(x => x.IdMismatches), t.Sum(x => x.WatchlistHits),
            t.Sum(x => x.CurrentlyStaying), t.Sum(x => x.PreviousDay), t.Sum(x => x.SameDayLastWeek));
        audit.Record(caller, "report.view", "province-report", $"{code}/{date}/{k}", null, new { day, kind = k }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ProvinceReportDto(code, province.Name, day, k, totals, communes));
    }

    internal static async Task<Results<Ok<ReportRunDto>, ProblemResult>> RebuildAll(string date, string? kind, HttpContext http, LuuTruDb db,
        ReportBuilder builder, AuditWriter audit, CancellationToken ct)
    {
        if (!TryArgs(date, kind, out var day, out var k, out var bad)) return bad!;
        var caller = http.Caller();
        var run = await builder.BuildAsync(day, k, null, await RebuiltByAsync(caller, db, ct), ct);
        audit.Record(caller, "report.rebuild", "report", $"*/{date}/{k}", null, new { run.Communes, run.Notifications }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReportRunDto(run.Day, run.Kind, run.Communes, run.Notifications, run.Guests, run.ElapsedMilliseconds));
    }

    internal static async Task<Results<Created<CommuneReportDto>, ProblemResult>> Rebuild(string code, string date, string? kind, HttpContext http,
        LuuTruDb db, ReportBuilder builder, AuditWriter audit, CancellationToken ct)
    {
        if (!TryArgs(date, kind, out var day, out var k, out var bad)) return bad!;
        var caller = http.Caller();
        var report = (await builder.BuildAsync(day, k, code, await RebuiltByAsync(caller, db, ct), ct)).Single!;
        audit.Record(caller, "report.rebuild", "report", $"{code}/{date}/{k}", code, new { report.Version }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/communes/{code}/reports/{date}?kind={k}&version={report.Version}", report);
    }

    /// <summary>Who asked for a rebuild, as the report says it: <c>user:</c> and the person's email (their id when the
    /// account is gone).</summary>
    private static async Task<string> RebuiltByAsync(Caller caller, LuuTruDb db, CancellationToken ct) =>
        "user:" + (await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct) ?? caller.UserId.ToString());
}
