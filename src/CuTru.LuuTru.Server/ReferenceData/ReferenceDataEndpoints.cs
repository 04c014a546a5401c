using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.ReferenceData;

/// <summary>Provinces and communes: public, since the household form needs them before anyone signs in.</summary>
public static class ReferenceDataEndpoints
{
    public static RouteGroupBuilder MapReferenceData(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Reference data").AllowAnonymous()
            .AddEndpointFilter(async (ctx, next) =>
            {
                ctx.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
                return await next(ctx);
            });
        group.MapGet("/provinces", Provinces).WithSummary("The 34 provinces");
        group.MapGet("/provinces/{code}", Province).WithSummary("One province");
        group.MapGet("/provinces/{code}/communes", CommunesOfProvince).WithSummary("The communes of a province");
        group.MapGet("/communes", SearchCommunes)
            .WithSummary("Find communes by name, with or without diacritics")
            .WithDescription("`q` matches word parts of the commune's or its province's name regardless of case and diacritics: "
                + "`hoan kiem` finds Phường Hoàn Kiếm, `dong da ha noi` finds Phường Đống Đa of Hà Nội. A 5-digit `q` matches the code.");
        group.MapGet("/communes/{code}", CommuneByCode).WithSummary("One commune");
        group.MapGet("/nationalities", () => TypedResults.Ok(Intake.Rules.Countries.All.Select(c => new NationalityDto(c.Code, c.NameVi, c.NameEn)).ToList()))
            .WithSummary("Every nationality the hub takes: its code (ISO 3166-1 alpha-3, or the passport's ICAO code) and names; a guest's nationality may be given by either name too");
        group.MapGet("/entry-ports", () => TypedResults.Ok(Intake.Rules.EntryPorts.All.Select(p => new EntryPortDto(p.NameVi, p.NameEn, p.Kind, p.ProvinceCode)).ToList()))
            .WithSummary("Vietnam's international ports of entry (airports, border gates, railway stations, seaports); a guest's port given by any of their names is stored as the Vietnamese one");
        group.MapGet("/legacy-provinces", LegacyProvinces).WithSummary("The 63 provinces before 2025-07-01, whose codes open personal ID numbers");
        app.MapPut("/api/v1/communes/{code}/remote", SetRemote).WithTags("Reference data").RequireAuthorization(Policies.Admin)
            .WithSummary("Mark a commune remote, or not (admins): foreign guests there are due within 24 hours instead of 12");
        return group;
    }

    internal static async Task<Ok<List<ProvinceDto>>> Provinces(LuuTruDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Provinces.AsNoTracking().OrderBy(p => p.Code)
            .Select(p => new ProvinceDto(p.Code, p.Name, p.Type, p.Communes.Count)).ToListAsync(ct));

    internal static async Task<Results<Ok<ProvinceDto>, ProblemResult>> Province(string code, LuuTruDb db, CancellationToken ct)
    {
        var p = await db.Provinces.AsNoTracking().Where(p => p.Code == code)
            .Select(p => new ProvinceDto(p.Code, p.Name, p.Type, p.Communes.Count)).FirstOrDefaultAsync(ct);
        return p is null ? Problems.NotFound() : TypedResults.Ok(p);
    }

    internal static async Task<Results<Ok<List<CommuneDto>>, ProblemResult>> CommunesOfProvince(string code, LuuTruDb db, CancellationToken ct)
    {
        if (!await db.Provinces.AnyAsync(p => p.Code == code, ct)) return Problems.NotFound();
        return TypedResults.Ok(await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == code).OrderBy(c => c.Code)
            .Select(c => new CommuneDto(c.Code, c.Name, c.Type, c.ProvinceCode, c.Province!.Name, c.Remote)).ToListAsync(ct));
    }

    internal static async Task<Results<Ok<List<CommuneDto>>, ProblemResult>> SearchCommunes(
        LuuTruDb db, string? q, string? provinceCode, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 100) return Problems.Validation("limit", "invalid-value");
        var query = db.Communes.AsNoTracking().AsQueryable();
        if (!string.IsNullOrWhiteSpace(provinceCode)) query = query.Where(c => c.ProvinceCode == provinceCode);

        var folded = Text.Fold(q);
        if (folded.Length > 100) return Problems.Validation("q", "too-long", 100);
        if (folded.Length == 5 && folded.All(char.IsAsciiDigit))
            query = query.Where(c => c.Code == folded);
        else if (folded.Length > 0)
        {
            foreach (var word in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var w = word; // each word must appear in the commune's or its province's name
                query = query.Where(c => c.SearchKey.Contains(w) || c.Province!.SearchKey.Contains(w));
            }
            // Best first: the name itself is the query ("dong da" → Phường Đống Đa), then a word of it begins
            // with the query, then anything containing it; among equals, the one spelled as typed with its
            // diacritics ("Đống Đa" before "Đồng Đa"), then the shorter name.
            var typed = "%" + Text.Clean(q)!.Replace("%", "").Replace("_", "") + "%";
            query = query
                .OrderBy(c => c.SearchKey == folded || c.SearchKey.EndsWith(" " + folded) ? 0
                    : c.SearchKey.StartsWith(folded) || c.SearchKey.Contains(" " + folded) ? 1 : 2)
                .ThenBy(c => EF.Functions.ILike(c.Name, typed) ? 0 : 1)
                .ThenBy(c => c.SearchKey.Length).ThenBy(c => c.Code);
        }
        if (folded.Length == 0) query = query.OrderBy(c => c.Code);

        var take = limit ?? 20;
        var found = await query.Take(take)
            .Select(c => new CommuneDto(c.Code, c.Name, c.Type, c.ProvinceCode, c.Province!.Name, c.Remote)).ToListAsync(ct);
        // People still say the old names: when no commune is named so today, a commune, ward or district that existed before
        // 2025-07-01 leads to the one(s) it became part of ("hang trong" → Phường Hoàn Kiếm, Phường Cửa Nam).
        if (found.Count == 0 && folded.Length > 0 && !(folded.Length == 5 && folded.All(char.IsAsciiDigit)))
        {
            var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var former = FormerCommunes.All.Value.Where(f => words.All(f.Key.Contains)).Take(50).ToList();
            var codes = former.Select(f => f.NewCode).Distinct().Where(c => found.All(x => x.Code != c)).ToList();
            var byCode = await db.Communes.AsNoTracking().Where(c => codes.Contains(c.Code) && (string.IsNullOrEmpty(provinceCode) || c.ProvinceCode == provinceCode))
                .Select(c => new CommuneDto(c.Code, c.Name, c.Type, c.ProvinceCode, c.Province!.Name, c.Remote)).ToDictionaryAsync(c => c.Code, ct);
            foreach (var code in codes.Where(byCode.ContainsKey).Take(take - found.Count))
            {
                var from = former.First(f => f.NewCode == code);
                found.Add(byCode[code] with { Formerly = $"{from.Name}, {from.District}, {from.Province}" });
            }
        }
        return TypedResults.Ok(found);
    }

    /// <summary>The communes before the 2025 reorganisation and the commune(s) each became part of
    /// (<c>ReferenceData/Seed/communes-before-2025-07.csv</c>, from <c>shared/data/dvhc-2025</c>).</summary>
    private static class FormerCommunes
    {
        public sealed record Former(string Name, string District, string Province, string NewCode, string Key);

        public static readonly Lazy<List<Former>> All = new(() => ReferenceDataSeeder.ReadCsv("communes-before-2025-07.csv")
            .Select(r => new Former(r["old_commune_name"], r["old_district_name"], r["old_province_name"], r["new_commune_code"],
                Text.Fold($"{r["old_commune_name"]} {r["old_district_name"]} {r["old_province_name"]}")))
            .ToList());
    }

    internal static async Task<Results<Ok<CommuneDto>, ProblemResult>> CommuneByCode(string code, LuuTruDb db, CancellationToken ct)
    {
        var c = await db.Communes.AsNoTracking().Where(c => c.Code == code)
            .Select(c => new CommuneDto(c.Code, c.Name, c.Type, c.ProvinceCode, c.Province!.Name, c.Remote)).FirstOrDefaultAsync(ct);
        return c is null ? Problems.NotFound() : TypedResults.Ok(c);
    }

    internal static async Task<Results<Ok<CommuneDto>, ProblemResult>> SetRemote(string code, CommuneRemoteRequest request, HttpContext http, LuuTruDb db,
        AuditWriter audit, RemoteCommunes remote, CancellationToken ct)
    {
        if (request.Remote is not { } value) return Problems.Validation("remote", "required");
        var commune = await db.Communes.Include(c => c.Province).FirstOrDefaultAsync(c => c.Code == code, ct);
        if (commune is null) return Problems.NotFound();
        var before = commune.Remote;
        commune.Remote = value;
        audit.Record(http.Caller(), "commune.remote", "commune", code, code, new { before, after = value }, http);
        await db.SaveChangesAsync(ct);
        remote.Invalidate();
        return TypedResults.Ok(new CommuneDto(commune.Code, commune.Name, commune.Type, commune.ProvinceCode, commune.Province!.Name, commune.Remote));
    }

    internal static async Task<Ok<List<LegacyProvinceDto>>> LegacyProvinces(LuuTruDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.LegacyProvinces.AsNoTracking().OrderBy(l => l.Code)
            .Join(db.Provinces, l => l.NewProvinceCode, p => p.Code, (l, p) => new LegacyProvinceDto(l.Code, l.Name, l.NewProvinceCode, p.Name))
            .ToListAsync(ct));
}
