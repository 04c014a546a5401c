using System.Reflection;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.ReferenceData;

/// <summary>Loads the administrative units (dvhc-2025, embedded in the binary) into PostgreSQL: adds what is
/// missing and corrects what changed, so a new release of the list is applied by a restart.</summary>
public sealed class ReferenceDataSeeder(LuuTruDb db, ILogger<ReferenceDataSeeder> logger)
{
    public const int ProvinceCount = 34;
    public const int CommuneCount = 3321;
    public const int LegacyProvinceCount = 63;

    public async Task SeedAsync(CancellationToken ct)
    {
        var provinces = ReadCsv("provinces.csv").Select(r => new Province
        {
            Code = r["province_code"], Name = r["province_name"], Type = r["province_type"], SearchKey = Text.Fold(r["province_name"]),
        }).ToList();
        var communes = ReadCsv("communes.csv").Select(r => new Commune
        {
            Code = r["commune_code"], Name = r["commune_name"], Type = r["commune_type"], ProvinceCode = r["province_code"], SearchKey = Text.Fold(r["commune_name"]),
        }).ToList();
        var legacy = ReadCsv("provinces-before-2025-07.csv").Select(r => new LegacyProvince
        {
            Code = r["old_province_code"], Name = r["old_province_name"], NewProvinceCode = r["new_province_code"],
        }).ToList();

        var changed = 0;
        changed += await Upsert(db.Provinces, provinces, p => p.Code, (a, b) => a.Name == b.Name && a.Type == b.Type && a.SearchKey == b.SearchKey,
            (t, s) => { t.Name = s.Name; t.Type = s.Type; t.SearchKey = s.SearchKey; }, ct);
        await db.SaveChangesAsync(ct);
        changed += await Upsert(db.Communes, communes, c => c.Code,
            (a, b) => a.Name == b.Name && a.Type == b.Type && a.ProvinceCode == b.ProvinceCode && a.SearchKey == b.SearchKey,
            (t, s) => { t.Name = s.Name; t.Type = s.Type; t.ProvinceCode = s.ProvinceCode; t.SearchKey = s.SearchKey; }, ct);
        changed += await Upsert(db.LegacyProvinces, legacy, l => l.Code, (a, b) => a.Name == b.Name && a.NewProvinceCode == b.NewProvinceCode,
            (t, s) => { t.Name = s.Name; t.NewProvinceCode = s.NewProvinceCode; }, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (changed > 0)
            logger.LogInformation("Reference data: {Changed} rows added or updated ({Provinces} provinces, {Communes} communes, {Legacy} provinces before 2025-07)",
                changed, provinces.Count, communes.Count, legacy.Count);
    }

    private static async Task<int> Upsert<T>(DbSet<T> set, List<T> wanted, Func<T, string> key, Func<T, T, bool> same, Action<T, T> copy, CancellationToken ct)
        where T : class
    {
        var existing = (await set.ToListAsync(ct)).ToDictionary(key, StringComparer.Ordinal);
        var changed = 0;
        foreach (var w in wanted)
        {
            if (!existing.TryGetValue(key(w), out var current)) { set.Add(w); changed++; }
            else if (!same(current, w)) { copy(current, w); changed++; }
        }
        return changed;
    }

    internal static List<Dictionary<string, string>> ReadCsv(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ReferenceData." + name)
            ?? throw new InvalidOperationException($"Embedded reference data {name} is missing from the build.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var header = ParseLine(reader.ReadLine() ?? "");
        var rows = new List<Dictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var fields = ParseLine(line);
            if (fields.Count != header.Count) throw new InvalidDataException($"{name}: a row has {fields.Count} fields, the header {header.Count}.");
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++) row[header[i]] = Text.Clean(fields[i])!;
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One CSV line (RFC 4180 quoting; the seed files have no line breaks inside fields).</summary>
    internal static List<string> ParseLine(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString().TrimEnd('\r'));
        return fields;
    }
}
