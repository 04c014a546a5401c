namespace CuTru.LuuTru.Contracts;

/// <summary>A commune's report for one day: the 23:00 <c>nightly</c> report of day D lists what was received in
/// (D 08:00, D 23:00]; the 08:00 <c>morning</c> follow-up (of day D, built at D+1 08:00) what was received in
/// (D 23:00, D+1 08:00]. Every notification is in exactly one window, by when it was received, whatever its arrival;
/// cancelled ones stay listed with their status. One version per build; a rebuild adds a version and keeps the old
/// ones. <c>Final</c> is false for a build made before its window closed (a 23:00 report asked for at 21:00 is
/// provisional: more may be received until 23:00); <c>BuiltBy</c> says whether the scheduler or a person built it
/// (<c>scheduler</c>, or <c>user:</c> and the person's email for a rebuild). <c>Changes</c> lists what happened in the
/// window to any notification of the commune (checkouts, extensions, cancellations, corrections with before and after).
/// Who stays that night: the register's guests still there at the window's end are marked <c>stayingAtEnd</c>, and
/// <c>StayingTonight</c> lists the guests notified in earlier windows who are still there (not repeated from the
/// register); <c>Totals.CurrentlyStaying</c> counts both.</summary>
public sealed record CommuneReportDto(
    string CommuneCode,
    string CommuneName,
    string ProvinceCode,
    string ProvinceName,
    DateOnly Day,
    string Kind,
    int Version,
    DateTimeOffset BuiltAt,
    string BuiltBy,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    ReportTotalsDto Totals,
    IReadOnlyList<ReportEstablishmentDto> ByEstablishment,
    IReadOnlyList<ReportCountDto> ByNationality,
    IReadOnlyList<ReportCountDto> ByReason,
    IReadOnlyList<ReportEntryDto> Register,
    bool Final,
    IReadOnlyList<ReportChangeDto>? Changes = null,
    IReadOnlyList<ReportStayingDto>? StayingTonight = null);

/// <summary>A change made in the window to a notification of the commune: when, to which receipt, what (checkout,
/// extend, correct, cancel), by whom (kind), why, and the changed part before and after (JSON).</summary>
public sealed record ReportChangeDto(DateTimeOffset At, string ReceiptNumber, string Action, string ActorKind, string? Reason, string? Before, string? After);

/// <summary>A guest notified in an earlier window and still staying at this window's end.</summary>
public sealed record ReportStayingDto(string ReceiptNumber, string Place, string? Room, DateTimeOffset ArrivalAt, DateTimeOffset DepartureAt,
    string FullName, DocumentType DocumentType, string? DocumentNumber, string Nationality);

/// <summary>The report's totals, over the window's notifications that are not cancelled; <c>PreviousDay</c> and
/// <c>SameDayLastWeek</c> count the notifications of the same kind of window then, for comparison;
/// <c>CurrentlyStaying</c> the guests staying at the window's end.</summary>
public sealed record ReportTotalsDto(
    int Notifications, int Guests, int VietnameseGuests, int ForeignGuests, int Children, int Late, int LongStays, int IdMismatches,
    int WatchlistHits, int CurrentlyStaying, int PreviousDay, int SameDayLastWeek);

/// <summary>An establishment's share; approved establishments that sent nothing are listed with zeros.</summary>
public sealed record ReportEstablishmentDto(Guid Id, string Name, int Notifications, int Guests);

public sealed record ReportCountDto(string Key, int Count);

/// <summary>One line of the register, in order of reception, with its status now (cancelled ones stay listed), the
/// stay's deadline (none for a stay that need not be notified) and, when late, by how many minutes.</summary>
public sealed record ReportEntryDto(
    int Line,
    string ReceiptNumber,
    DateTimeOffset AcceptedAt,
    string Place,
    string Channel,
    DateTimeOffset ArrivalAt,
    DateTimeOffset DepartureAt,
    string Reason,
    IReadOnlyList<string> Flags,
    IReadOnlyList<ReportGuestDto> Guests,
    DateTimeOffset ReceivedAt,
    NotificationStatus Status,
    bool Late,
    string? ReceivedBy,
    NotifierDto? Notifier,
    string? Room = null,
    DateTimeOffset? DeadlineAt = null,
    int? MinutesLate = null);

/// <summary>A guest of a register line: identity, the document presented, a foreign guest's visa and entry, and whether
/// this guest was notified late.</summary>
public sealed record ReportGuestDto(string FullName, DateOnly? DateOfBirth, DocumentType DocumentType, string? DocumentNumber, string Nationality,
    Gender? Gender = null, DocumentKind? DocumentKind = null, string? Visa = null, bool? VisaExempt = null, DateOnly? EntryDate = null,
    string? EntryPort = null, bool Late = false, bool? StayingAtEnd = null, string? Upstream = null);

/// <summary>A stored report version, as listed. <c>Final</c> is false for a version built before its window closed.</summary>
public sealed record ReportVersionDto(string CommuneCode, DateOnly Day, string Kind, int Version, DateTimeOffset BuiltAt, string BuiltBy, int Notifications,
    bool Final = true);

/// <summary>A province's roll-up for supervisors: every commune's latest report of the day and kind, and the sums.</summary>
public sealed record ProvinceReportDto(string ProvinceCode, string ProvinceName, DateOnly Day, string Kind, ReportTotalsDto Totals,
    IReadOnlyList<ProvinceCommuneReportDto> Communes);

public sealed record ProvinceCommuneReportDto(string CommuneCode, string CommuneName, int Version, DateTimeOffset BuiltAt, ReportTotalsDto Totals);

/// <summary>What a rebuild of every commune's report did.</summary>
public sealed record ReportRunDto(DateOnly Day, string Kind, int Communes, int Notifications, int Guests, long ElapsedMilliseconds);
