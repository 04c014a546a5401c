namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>One text of the law, as data: what it requires of a notification and from when. A notification is
/// judged by the version in force on the day its stay began (luu-tru-rules.md, "What changed on 2026-07-01").</summary>
public sealed record LawVersion(
    string Id,
    string Citation,
    DateOnly EffectiveFrom,
    /// <summary>Date of birth among the required content.</summary>
    bool DateOfBirthRequired,
    /// <summary>The old 9-digit identity card (CMND) still accepted.</summary>
    bool CmndAccepted,
    /// <summary>A citizen is identified by the personal identification number (or, 2026 text, a passport number):
    /// another document's number alone (a driving licence) no longer does.</summary>
    bool OtherDocumentAcceptedForCitizens,
    /// <summary>Only overnight stays must be notified (2026 text); before, every stay.</summary>
    bool OvernightOnly);

public static class LawVersions
{
    public static readonly LawVersion Residence2020 = new(
        "residence-2020", "Luật Cư trú 2020, điều 30", new DateOnly(2021, 7, 1), DateOfBirthRequired: false, CmndAccepted: true,
        OtherDocumentAcceptedForCitizens: true, OvernightOnly: false);

    public static readonly LawVersion Residence2026 = new(
        "residence-2026", "Luật Cư trú 2020, điều 30, sửa đổi bởi Luật 118/2025/QH15, điều 4(9)", new DateOnly(2026, 7, 1),
        DateOfBirthRequired: true, CmndAccepted: false, OtherDocumentAcceptedForCitizens: false, OvernightOnly: true);

    /// <summary>Oldest first.</summary>
    public static readonly IReadOnlyList<LawVersion> All = [Residence2020, Residence2026];

    /// <summary>The version in force on the day a stay began; the oldest one for anything earlier (imported registers).</summary>
    public static LawVersion InForceOn(DateOnly stayStart) =>
        All.LastOrDefault(v => v.EffectiveFrom <= stayStart) ?? All[0];
}
