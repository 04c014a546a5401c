using CuTru.LuuTru.Server.Infrastructure;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>Vietnam's international ports of entry: airports, land border gates, railway stations and seaports
/// (<c>ReferenceData/Seed/entry-ports.csv</c>). The shared data has no such catalogue and the national system does not ask
/// for the port, so the list is ours, kept to the international gates; a port it lacks is still taken as typed.</summary>
public static class EntryPorts
{
    public sealed record Port(string NameVi, string NameEn, string Kind, string ProvinceCode);

    public static IReadOnlyList<Port> All => Catalogue.Value.All;

    /// <summary>The list's name of a port typed by its full or short name in either language, with or without diacritics
    /// (<c>noi bai</c>, <c>Noi Bai International Airport</c> → <c>Cảng hàng không quốc tế Nội Bài</c>); otherwise the text as given.</summary>
    public static string? Canonical(string? text) =>
        text is null ? null : Catalogue.Value.ByName.GetValueOrDefault(Text.Fold(text)) ?? text;

    private sealed record Names(IReadOnlyList<Port> All, Dictionary<string, string> ByName);

    private static readonly Lazy<Names> Catalogue = new(() =>
    {
        var all = new List<Port>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in ReferenceData.ReferenceDataSeeder.ReadCsv("entry-ports.csv"))
        {
            all.Add(new Port(row["name_vi"], row["name_en"], row["kind"], row["province_code"]));
            foreach (var name in new[] { row["name_vi"], row["name_en"], row["short"] })
                byName.TryAdd(Text.Fold(name), row["name_vi"]);
        }
        return new Names(all, byName);
    });
}
