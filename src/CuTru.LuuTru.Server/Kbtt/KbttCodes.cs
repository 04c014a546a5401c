using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.ReferenceData;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The national system's (KBTT) code tables, seeded from <c>shared/data/kbtt</c> (<c>ReferenceData/Seed/kbtt-*.csv</c>,
/// <c>nationalities.csv</c>), and their mapping to the hub's own codes. The one place either side's codes are translated:
/// the KBTT-compatible intake, its catalogues, the portal's files and the relay all go through here. Commune codes are
/// looked up, never computed (94 of 3,321 do not follow maTT + "9" + the GSO code).</summary>
public static class KbttCodes
{
    public sealed record Province(string Code, string Name, string NameEn, string Abbrev, string GsoCode);
    public sealed record Commune(string Code, string Name, string NameEn, string ProvinceCode, string GsoCode);
    public sealed record Reason(int Code, string Name, bool NeedsDetail, StayReason StayReason);
    public sealed record Named(int Code, string Name);
    public sealed record Nationality(string Code, string NameVi, string NameEn, string? Iso);

    public static IReadOnlyList<Province> Provinces => Tables.Value.Provinces;
    public static IReadOnlyList<Commune> Communes => Tables.Value.Communes;
    public static IReadOnlyList<Reason> Reasons => Tables.Value.Reasons;
    public static IReadOnlyList<Named> DocumentTypes => Tables.Value.DocumentTypes;
    public static IReadOnlyList<Named> ResidenceKinds => Tables.Value.ResidenceKinds;
    public static IReadOnlyList<Nationality> Nationalities => Tables.Value.Nationalities;

    /// <summary>The national code of a commune given by its 5-digit code (<c>00070</c> → <c>101900070</c>).</summary>
    public static Commune? CommuneOfGso(string gsoCode) => Tables.Value.CommuneByGso.GetValueOrDefault(gsoCode);
    public static Commune? CommuneOf(string kbttCode) => Tables.Value.CommuneByCode.GetValueOrDefault(kbttCode);
    public static Province? ProvinceOfGso(string gsoCode) => Tables.Value.ProvinceByGso.GetValueOrDefault(gsoCode);
    public static Province? ProvinceOf(string kbttCode) => Tables.Value.ProvinceByCode.GetValueOrDefault(kbttCode);
    public static Reason? ReasonOf(int code) => Tables.Value.Reasons.FirstOrDefault(r => r.Code == code);

    /// <summary>The national reason code for one of the hub's reasons, when no code was given (transit and other are
    /// "Mục đích khác", which carries the detail).</summary>
    public static int ReasonCodeOf(StayReason reason) => reason switch
    {
        StayReason.Tourism => 1,
        StayReason.Business => 2,
        StayReason.Study => 3,
        StayReason.VisitingFamily => 6,
        StayReason.Medical => 18,
        StayReason.Work => 19,
        _ => 20,
    };

    /// <summary>The hub's nationality code (ISO 3166-1 alpha-3, or the passport's ICAO code) of a national code:
    /// <c>D</c> → DEU, <c>SC-</c> → GBR, <c>GBD</c> → GBD; null when the code is not in the catalogue. A code with no
    /// single country (<c>0RQ</c> unknown, <c>YUG</c>, <c>ANT</c>, <c>NTZ</c>) is <c>XXX</c>, "unspecified", as passports write it.</summary>
    public static string? HubNationalityOf(string kbttCode)
    {
        if (!Tables.Value.NationalityByCode.TryGetValue(kbttCode, out var n)) return null;
        if (Countries.IsKnown(n.Code)) return n.Code;
        return n.Iso is { } iso && Countries.IsKnown(iso) ? iso : "XXX";
    }

    /// <summary>The national code to send for one of the hub's nationalities: the same code where the catalogue has it
    /// (VNM, KOR, GBD), else the catalogue's code for that ISO country (DEU → <c>D</c>); <c>0RQ</c> for XXX and unknowns.</summary>
    public static string KbttNationalityOf(string hubCode)
    {
        if (Tables.Value.NationalityByCode.ContainsKey(hubCode)) return hubCode;
        return Tables.Value.Nationalities.Where(n => n.Iso == hubCode).Select(n => n.Code).FirstOrDefault() ?? "0RQ";
    }

    private sealed record All(
        List<Province> Provinces, List<Commune> Communes, List<Reason> Reasons, List<Named> DocumentTypes, List<Named> ResidenceKinds,
        List<Nationality> Nationalities, Dictionary<string, Commune> CommuneByGso, Dictionary<string, Commune> CommuneByCode,
        Dictionary<string, Province> ProvinceByGso, Dictionary<string, Province> ProvinceByCode, Dictionary<string, Nationality> NationalityByCode);

    /// <summary>Which of the hub's reasons each national reason falls under (the hub keeps the national code beside it).</summary>
    private static StayReason HubReasonOf(int code) => code switch
    {
        1 => StayReason.Tourism,
        2 or 5 or 14 or 16 => StayReason.Business,
        3 => StayReason.Study,
        4 or 6 or 9 => StayReason.VisitingFamily,
        8 or 10 or 11 or 12 or 15 or 19 => StayReason.Work,
        18 => StayReason.Medical,
        _ => StayReason.Other,
    };

    private static readonly Lazy<All> Tables = new(() =>
    {
        var provinces = ReferenceDataSeeder.ReadCsv("kbtt-provinces.csv")
            .Select(r => new Province(r["kbtt_province_code"], r["province_name"], r["province_name_en"], r["kbtt_abbrev"], r["gso_province_code"])).ToList();
        var communes = ReferenceDataSeeder.ReadCsv("kbtt-communes.csv")
            .Select(r => new Commune(r["kbtt_commune_code"], r["commune_name"], Latin(r["commune_name"]), r["kbtt_province_code"], r["gso_commune_code"])).ToList();
        var reasons = ReferenceDataSeeder.ReadCsv("kbtt-reasons.csv")
            .Select(r => new Reason(int.Parse(r["code"]), r["name_vi"], r["needs_detail"] == "true", HubReasonOf(int.Parse(r["code"])))).ToList();
        var documents = ReferenceDataSeeder.ReadCsv("kbtt-document-types.csv").Select(r => new Named(int.Parse(r["code"]), r["name_vi"])).ToList();
        var residences = ReferenceDataSeeder.ReadCsv("kbtt-residence-kinds.csv").Select(r => new Named(int.Parse(r["code"]), r["name_vi"])).ToList();
        var nationalities = ReferenceDataSeeder.ReadCsv("nationalities.csv")
            .Select(r => new Nationality(r["kbtt_code"], r["name_vi"], r["name_en"], r["iso_alpha3"].Length == 0 ? null : r["iso_alpha3"]))
            .OrderBy(n => n.Code == Countries.Vietnam ? 0 : 1).ThenBy(n => n.Code, StringComparer.Ordinal).ToList();
        return new All(provinces, communes, reasons, documents, residences, nationalities,
            communes.ToDictionary(c => c.GsoCode), communes.ToDictionary(c => c.Code),
            provinces.ToDictionary(p => p.GsoCode), provinces.ToDictionary(p => p.Code),
            nationalities.ToDictionary(n => n.Code, StringComparer.Ordinal));
    });

    /// <summary>A name without diacritics, in capitals as the catalogue's English names are (<c>PHUONG HOAN KIEM</c>).</summary>
    private static string Latin(string name) => Infrastructure.Text.Fold(name).ToUpperInvariant();
}
