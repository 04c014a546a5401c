namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>ISO 3166-1 alpha-3 country codes, plus the ICAO codes passports also carry (stateless, refugee, UN, British variants).</summary>
public static class Countries
{
    public const string Vietnam = "VNM";

    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "AFG","ALA","ALB","DZA","ASM","AND","AGO","AIA","ATA","ATG","ARG","ARM","ABW","AUS","AUT","AZE","BHS","BHR","BGD","BRB",
        "BLR","BEL","BLZ","BEN","BMU","BTN","BOL","BES","BIH","BWA","BVT","BRA","IOT","BRN","BGR","BFA","BDI","CPV","KHM","CMR",
        "CAN","CYM","CAF","TCD","CHL","CHN","CXR","CCK","COL","COM","COG","COD","COK","CRI","CIV","HRV","CUB","CUW","CYP","CZE",
        "DNK","DJI","DMA","DOM","ECU","EGY","SLV","GNQ","ERI","EST","SWZ","ETH","FLK","FRO","FJI","FIN","FRA","GUF","PYF","ATF",
        "GAB","GMB","GEO","DEU","GHA","GIB","GRC","GRL","GRD","GLP","GUM","GTM","GGY","GIN","GNB","GUY","HTI","HMD","VAT","HND",
        "HKG","HUN","ISL","IND","IDN","IRN","IRQ","IRL","IMN","ISR","ITA","JAM","JPN","JEY","JOR","KAZ","KEN","KIR","PRK","KOR",
        "KWT","KGZ","LAO","LVA","LBN","LSO","LBR","LBY","LIE","LTU","LUX","MAC","MDG","MWI","MYS","MDV","MLI","MLT","MHL","MTQ",
        "MRT","MUS","MYT","MEX","FSM","MDA","MCO","MNG","MNE","MSR","MAR","MOZ","MMR","NAM","NRU","NPL","NLD","NCL","NZL","NIC",
        "NER","NGA","NIU","NFK","MKD","MNP","NOR","OMN","PAK","PLW","PSE","PAN","PNG","PRY","PER","PHL","PCN","POL","PRT","PRI",
        "QAT","REU","ROU","RUS","RWA","BLM","SHN","KNA","LCA","MAF","SPM","VCT","WSM","SMR","STP","SAU","SEN","SRB","SYC","SLE",
        "SGP","SXM","SVK","SVN","SLB","SOM","ZAF","SGS","SSD","ESP","LKA","SDN","SUR","SJM","SWE","CHE","SYR","TWN","TJK","TZA",
        "THA","TLS","TGO","TKL","TON","TTO","TUN","TUR","TKM","TCA","TUV","UGA","UKR","ARE","GBR","USA","UMI","URY","UZB","VUT",
        "VEN","VNM","VGB","VIR","WLF","ESH","YEM","ZMB","ZWE",
        // ICAO Doc 9303 codes that are not ISO 3166-1
        "GBD","GBN","GBO","GBP","GBS","UNO","UNA","UNK","XXA","XXB","XXC","XXX","RKS",
    };

    public static bool IsKnown(string code) => Codes.Contains(code);

    /// <summary>A country's names, Vietnamese and English, as the national system's catalogue gives them
    /// (<c>ReferenceData/Seed/nationalities.csv</c>, from <c>shared/data/kbtt</c>).</summary>
    public sealed record Country(string Code, string NameVi, string NameEn);

    /// <summary>Every accepted code with its names (the code itself where the catalogue has none), by Vietnamese name.</summary>
    public static IReadOnlyList<Country> All => Catalogue.Value.All;

    /// <summary>The code of a nationality given as a code (<c>KOR</c>, <c>kor</c>) or by its name in Vietnamese or English,
    /// with or without diacritics (<c>Hàn Quốc</c>, <c>han quoc</c>, <c>Korea</c>); null when neither.</summary>
    public static string? Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var code = text.Trim().ToUpperInvariant();
        if (IsKnown(code)) return code;
        return Catalogue.Value.ByName.GetValueOrDefault(Infrastructure.Text.Fold(text));
    }

    public static Country? Of(string code) => Catalogue.Value.ByCode.GetValueOrDefault(code);

    private sealed record Names(IReadOnlyList<Country> All, Dictionary<string, Country> ByCode, Dictionary<string, string> ByName);

    private static readonly Lazy<Names> Catalogue = new(() =>
    {
        var byCode = new Dictionary<string, Country>(StringComparer.Ordinal);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        // ISO rows first: a name shared with an old or variant row (Germany's "D", Britain's "GBN") means the ISO country.
        foreach (var row in ReferenceData.ReferenceDataSeeder.ReadCsv("nationalities.csv").OrderBy(r => r["code_kind"] == "iso" ? 0 : 1))
        {
            // The catalogue's own code where we take it (the ICAO variants), else its ISO code.
            var code = IsKnown(row["kbtt_code"]) ? row["kbtt_code"] : row["iso_alpha3"];
            if (!IsKnown(code)) continue;
            byCode.TryAdd(code, new Country(code, row["name_vi"], row["name_en"]));
            byName.TryAdd(Infrastructure.Text.Fold(row["name_vi"]), code);
            byName.TryAdd(Infrastructure.Text.Fold(row["name_en"]), code);
        }
        // The names people say (Hàn Quốc, Đức, Mỹ, UK) where the catalogue's differ (CH Hàn Quốc, CH Liên bang Đức, Hoa Kỳ).
        foreach (var row in ReferenceData.ReferenceDataSeeder.ReadCsv("nationality-aliases.csv"))
            if (IsKnown(row["code"])) byName[Infrastructure.Text.Fold(row["alias"])] = row["code"];
        foreach (var code in Codes.Where(c => !byCode.ContainsKey(c))) byCode[code] = new Country(code, code, code);
        var all = byCode.Values.OrderBy(c => c.Code == Vietnam ? 0 : 1).ThenBy(c => Infrastructure.Text.Fold(c.NameVi), StringComparer.Ordinal).ToList();
        return new Names(all, byCode, byName);
    });
}
