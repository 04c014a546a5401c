using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Intake.Rules;

/// <summary>Why a guest stays: the codes of the rules, with their labels.</summary>
public static class Reasons
{
    /// <summary>The reason code table, with Vietnamese and English labels (also used by the printed reports).</summary>
    public static readonly IReadOnlyList<ReasonDto> Table = new List<ReasonDto>
    {
        new(StayReason.Tourism, "Du lịch", "Tourism", false),
        new(StayReason.Work, "Làm việc", "Work", false),
        new(StayReason.Study, "Học tập", "Study", false),
        new(StayReason.Medical, "Khám, chữa bệnh", "Medical care", false),
        new(StayReason.VisitingFamily, "Thăm thân", "Visiting family", false),
        new(StayReason.Business, "Kinh doanh, công tác", "Business", false),
        new(StayReason.Transit, "Quá cảnh, nghỉ chân", "Transit", false),
        new(StayReason.Other, "Lý do khác (ghi rõ)", "Other (give details)", true),
    };
}
