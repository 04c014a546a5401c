namespace CuTru.LuuTru.Contracts;

/// <summary>What the police hub (<see cref="PoliceHub.Path"/>) pushes to a dashboard. Every event carries its commune
/// and a sequence number that increases by one per commune, so a dashboard that lost its connection asks for
/// exactly what it missed (<see cref="PoliceHub.Resume"/>).</summary>
public interface IPoliceClient
{
    /// <summary>A notification was recorded in the commune.</summary>
    Task Arrival(ArrivalEvent arrival);

    /// <summary>Guests of a notification left.</summary>
    Task Checkout(CheckoutEvent checkout);

    /// <summary>A listed document checked in: to the commune where it checked in and to the officer who listed it.</summary>
    Task WatchlistHit(WatchlistHitEvent hit);

    /// <summary>A nightly report is built (the reports feature).</summary>
    Task ReportReady(ReportReadyEvent report);

    /// <summary>A recorded notification changed (checked out, extended, corrected, cancelled): its register line as it now is.</summary>
    Task NotificationChanged(NotificationChangedEvent change);

    /// <summary>A watchlist hit was dealt with (acknowledged with a note).</summary>
    Task WatchlistHitAcknowledged(WatchlistHitAcknowledgedEvent acknowledged);

    /// <summary>20:00: guests of the commune who arrived the day before and are still not on the national system.</summary>
    Task UpstreamOverdue(UpstreamOverdueEvent overdue);
}

/// <summary>An establishment's guests not filed with the national system by 20:00 the day after their arrival (the relay
/// still trying, refused, or waiting for a person): who to call. <c>OldestArrivalAt</c>: the earliest of them.</summary>
public sealed record UpstreamOverdueDto(string CommuneCode, Guid EstablishmentId, string PlaceName, string? Phone, int Guests, DateTimeOffset OldestArrivalAt);

/// <summary>Pushed at 20:00 to the commune's dashboards when it has guests overdue upstream.</summary>
public sealed record UpstreamOverdueEvent(string CommuneCode, long Sequence, DateTimeOffset OccurredAt, IReadOnlyList<UpstreamOverdueDto> Items);

/// <summary>The hub's address and the methods a dashboard calls on it.</summary>
public static class PoliceHub
{
    public const string Path = "/hubs/police";

    /// <summary><c>Task&lt;Dictionary&lt;string,long&gt;&gt; Watermarks()</c>: the last sequence of every commune the caller sees
    /// (communes without events are left out, their last sequence is 0).</summary>
    public const string Watermarks = "Watermarks";

    /// <summary><c>Task&lt;ResumeResult&gt; Resume(Dictionary&lt;string,long&gt; lastSeen)</c>: sends, through the usual
    /// client methods and in order, every event after the given sequence (0 for communes left out), then answers.</summary>
    public const string Resume = "Resume";
}

/// <summary>How many events a resume replayed; when <see cref="Truncated"/>, reload the lists instead.</summary>
public sealed record ResumeResult(int Replayed, bool Truncated);

/// <summary>A guest as the live table shows it: the document number masked.</summary>
public sealed record GuestSummaryDto(string FullName, int? BirthYear, string Nationality, DocumentType DocumentType, string? DocumentMasked);

/// <summary>A recorded notification as the live table shows it; <c>PlaceName</c> is the establishment's name or the household's address.</summary>
public sealed record ArrivalEvent(
    string CommuneCode,
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid NotificationId,
    string ReceiptNumber,
    Guid? EstablishmentId,
    string PlaceName,
    string Channel,
    DateTimeOffset ArrivalAt,
    DateTimeOffset DepartureAt,
    DateTimeOffset AcceptedAt,
    bool Late,
    int GuestCount,
    int ForeignGuestCount,
    IReadOnlyList<string> Flags,
    IReadOnlyList<GuestSummaryDto> Guests,
    DateTimeOffset? ReceivedAt = null);

/// <summary>A line of a commune's register as the dashboard shows it, as it is now: <c>ReceivedAt</c> decides the day it
/// belongs to, <c>GuestsStaying</c> how many of its guests have not left. <c>Upstream</c>: where its guests' filing on the
/// national system stands, the worst of them (<c>rejected</c>, <c>manual-required</c>, <c>unknown</c>, <c>pending</c>,
/// <c>sent</c>); absent when it is not relayed.</summary>
public sealed record RegisterRowDto(
    Guid NotificationId,
    string ReceiptNumber,
    NotificationStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ArrivalAt,
    DateTimeOffset DepartureAt,
    Guid? EstablishmentId,
    string PlaceName,
    string Channel,
    bool Late,
    IReadOnlyList<string> Flags,
    IReadOnlyList<GuestSummaryDto> Guests,
    int GuestsStaying,
    string? Upstream = null);

/// <summary>After a change of a recorded notification: what was done (<c>checkout</c>, <c>extend</c>, <c>correct</c>,
/// <c>cancel</c>) and the line as it now is, for the dashboard to replace in place.</summary>
public sealed record NotificationChangedEvent(string CommuneCode, long Sequence, DateTimeOffset OccurredAt, string Action, RegisterRowDto Row);

public sealed record CheckoutEvent(
    string CommuneCode,
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid NotificationId,
    string ReceiptNumber,
    DateTimeOffset DepartedAt,
    int GuestsCheckedOut,
    bool WholeStay);

public sealed record WatchlistHitEvent(
    string CommuneCode,
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid HitId,
    Guid WatchlistId,
    Guid NotificationId,
    string ReceiptNumber,
    string PlaceName,
    int GuestIndex,
    string GuestName,
    string DocumentMasked,
    string Reason);

public sealed record ReportReadyEvent(
    string CommuneCode,
    long Sequence,
    DateTimeOffset OccurredAt,
    DateOnly Day,
    string Kind,
    int Version);

/// <summary>Masks a document number for lists and pushes: the first two and last two characters stay.</summary>
public static class DocumentMask
{
    public static string? Mask(string? number) => number switch
    {
        null => null,
        { Length: < 6 } => new string('*', number.Length),
        _ => number[..2] + new string('*', number.Length - 4) + number[^2..],
    };
}

/// <summary>Body of <c>POST /api/v1/communes/{code}/notifications/search</c> (and the province's): the search's words
/// travel in the body, never in a URL. Times without an offset are Vietnam time.</summary>
/// <param name="Q">Any words of a name, in any order, with or without diacritics; or a document number, its beginning or
/// its last digits (3 or more).</param>
/// <param name="From">Arrivals from (inclusive).</param>
/// <param name="To">Arrivals before.</param>
/// <param name="Cursor">The previous page's <c>nextCursor</c>.</param>
/// <param name="Limit">1–200, 50 by default.</param>
public sealed record NotificationSearchRequest(string? Q = null, DateTimeOffset? From = null, DateTimeOffset? To = null, Guid? EstablishmentId = null,
    string? Cursor = null, int? Limit = null);

/// <summary><c>POST /api/v1/watchlist</c>: look out for a personal ID or passport number.</summary>
public sealed record WatchlistRequest(string? DocumentNumber, string? Reason, DateTimeOffset? ExpiresAt = null);

public sealed record WatchlistEntryDto(Guid Id, string DocumentNumber, string Reason, Guid ListedBy, string? ListedInCommune,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, int Hits);

/// <summary>A watchlist hit as kept (<c>GET /api/v1/watchlist/hits?status=open|acknowledged</c>): open until an officer
/// acknowledges it with a note of what was done.</summary>
public sealed record WatchlistHitDto(Guid Id, Guid WatchlistId, string DocumentNumber, string Reason, Guid NotificationId, string ReceiptNumber,
    string CommuneCode, int GuestIndex, string GuestName, DateTimeOffset At, string? PlaceName = null, DateTimeOffset? AcknowledgedAt = null,
    Guid? AcknowledgedBy = null, string? AcknowledgementNote = null);

/// <summary><c>POST /api/v1/watchlist/hits/{id}/acknowledge</c>: what the officer did about the hit.</summary>
public sealed record AcknowledgeHitRequest(string? Note);

/// <summary>A hit was dealt with: every dashboard that shows it closes its alert.</summary>
public sealed record WatchlistHitAcknowledgedEvent(string CommuneCode, long Sequence, DateTimeOffset OccurredAt, Guid HitId, Guid NotificationId,
    DateTimeOffset AcknowledgedAt, string Note);

/// <summary>One entry of the audit trail: who did what, when, from where.</summary>
public sealed record AuditEntryDto(long Id, DateTimeOffset At, string ActorKind, string? ActorId, string Action, string EntityType,
    string? EntityId, string? CommuneCode, string? Details, string? RemoteAddress);

/// <summary><c>GET /api/v1/communes/{code}/dashboard?day=</c>: a commune's register for one day, as it is now. The day is
/// the police's duty day: what the two reports of that day list, received in (<c>WindowStart</c>, <c>WindowEnd</c>]
/// (D 08:00 to D+1 08:00); by default the one under way. <c>Rows</c>: its lines, newest received first (at most 2,000;
/// <c>RowsTruncated</c> past that); the counters are counted from the same lines (<c>CurrentlyStaying</c> apart: the
/// commune's guests staying now). <c>LastSequence</c>: the commune's last event sequence when this was read.</summary>
public sealed record CommuneDashboardDto(
    string CommuneCode,
    string CommuneName,
    string ProvinceCode,
    DateOnly Day,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DashboardCountersDto Counters,
    IReadOnlyList<int> ArrivalsPerHour,
    IReadOnlyList<EstablishmentActivityDto> Establishments,
    IReadOnlyList<RegisterRowDto> Rows,
    bool RowsTruncated,
    long LastSequence,
    IReadOnlyList<UpstreamOverdueDto>? UpstreamOverdue = null);

/// <summary><c>Arrivals</c>: lines not cancelled; <c>Guests</c>, <c>Foreigners</c>, <c>Late</c>, <c>Flagged</c>: among
/// them; <c>Cancelled</c>: cancelled lines.</summary>
public sealed record DashboardCountersDto(int Arrivals, int Guests, int CurrentlyStaying, int Foreigners, int Late, int Flagged, int Cancelled = 0);

public sealed record EstablishmentActivityDto(Guid Id, string Name, string Address, DateTimeOffset? LastNotificationAt, bool NotifiedToday);

/// <summary>An intake entry the drain could not store after its tries (<c>GET /api/v1/admin/dead-letters</c>): no personal
/// data in the list, only where and why.</summary>
public sealed record DeadLetterDto(string Id, string? ReceiptNumber, Guid? NotificationId, string? CommuneCode, string Reason, DateTimeOffset? FailedAt);

/// <summary>One dead letter with what it carries (<c>GET /api/v1/admin/dead-letters/{id}</c>, audited): the notification as
/// it was accepted, or, when it cannot be read as one, the raw payload.</summary>
public sealed record DeadLetterDetailDto(DeadLetterDto Letter, NotificationDto? Notification, string? RawPayload);

/// <summary><c>GET /api/v1/provinces/{code}/dashboard?day=</c>: a province's duty day (D 08:00 to D+1 08:00) commune by
/// commune, for its supervisors: what each commune's register holds (counted as the commune dashboard counts it), its
/// open watchlist hits, and the establishments that notified nothing in the window, with their phone.</summary>
public sealed record ProvinceDashboardDto(string ProvinceCode, string ProvinceName, DateOnly Day, DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    IReadOnlyList<CommuneRollupDto> Communes, DashboardCountersDto Totals, int OpenHits, IReadOnlyList<SilentEstablishmentDto> Silent);

/// <summary>One commune's line of the roll-up; communes with neither notifications, establishments nor open hits are left out.</summary>
public sealed record CommuneRollupDto(string CommuneCode, string CommuneName, DashboardCountersDto Counters, int Establishments, int SilentEstablishments,
    int OpenHits);

/// <summary>An approved establishment that notified nothing in the window: whom to call.</summary>
public sealed record SilentEstablishmentDto(Guid Id, string Name, string CommuneCode, string CommuneName, string Address, string ManagerName, string Phone,
    DateTimeOffset? LastNotificationAt);
