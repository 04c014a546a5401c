using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Storage;

/// <summary>How a notification reached the hub.</summary>
/// <summary>How a notification came in; <c>Kbtt</c>: software speaking the national system's API to the hub's <c>/kbtt</c> paths.</summary>
public enum Channel { Api, Batch, WebForm, Household, Officer, Kbtt }

/// <summary>A stay notification as recorded in the register (sổ tiếp nhận lưu trú).</summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    /// <summary>Register number: commune, day, sequence (<c>00070-261114-0042</c>).</summary>
    public required string ReceiptNumber { get; set; }
    public Channel Channel { get; set; }
    public Guid? EstablishmentId { get; set; }
    /// <summary>The API key or user that sent it.</summary>
    public string? SubmittedBy { get; set; }
    public required string CommuneCode { get; set; }
    public required string ProvinceCode { get; set; }
    public required string Address { get; set; }
    public DateTimeOffset ArrivalAt { get; set; }
    public DateTimeOffset DepartureAt { get; set; }
    public StayReason Reason { get; set; }
    public string? ReasonDetail { get; set; }
    /// <summary>The national system's reason code (1–20) as given, when given.</summary>
    public short? ReasonCode { get; set; }
    public string? Room { get; set; }
    public string? ExternalRef { get; set; }
    public NotificationStatus Status { get; set; }
    /// <summary>When the hub accepted it.</summary>
    public DateTimeOffset AcceptedAt { get; set; }
    /// <summary>When it reached the police: the hub's acceptance, or, for an officer's entry, when the call, visit or
    /// email came in. The deadline rules and the report windows are judged against it, once.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>How an officer's entry came in: in-person, phone, email, other (null for the other channels).</summary>
    public string? ReceivedBy { get; set; }
    /// <summary>When it reached PostgreSQL.</summary>
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>The earliest of the guests' deadlines; null for a stay that need not be notified (not overnight).</summary>
    public DateTimeOffset? DeadlineAt { get; set; }
    /// <summary>Any guest notified after their deadline, judged at reception and never changed.</summary>
    public bool Late { get; set; }
    public required string LawVersion { get; set; }
    /// <summary>The flags raised at intake, as JSON (code, guestIndex, deadline, minutesLate).</summary>
    public required string Flags { get; set; }
    public string? HostName { get; set; }
    public string? HostPhone { get; set; }
    public string? HostDocumentNumber { get; set; }
    /// <summary>The host was away and the guest notified for themself.</summary>
    public bool NotifiedByGuest { get; set; }
    public DateTimeOffset? CheckedOutAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }
    public List<NotificationGuest> Guests { get; set; } = [];
}

public sealed class NotificationGuest
{
    public long Id { get; set; }
    public Guid NotificationId { get; set; }
    /// <summary>Its notification's <see cref="Notification.ReceivedAt"/>: the month partition key, copied so a month of
    /// guests is dropped with its notifications (Storage/Partitions.cs).</summary>
    public DateTimeOffset ReceivedAt { get; set; }
    public int Index { get; set; }
    public required string FullName { get; set; }
    /// <summary>Folded for search: <c>nguyen van an</c>.</summary>
    public required string NameKey { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public bool DateOfBirthYearOnly { get; set; }
    /// <summary>As given, or as the personal ID number's fourth digit says; null when neither tells.</summary>
    public Gender? Gender { get; set; }
    public DocumentType DocumentType { get; set; }
    /// <summary>The document presented (national catalogue), when given.</summary>
    public DocumentKind? DocumentKind { get; set; }
    public string? DocumentNumber { get; set; }
    public required string Nationality { get; set; }
    public string? Phone { get; set; }
    public string? PermanentAddress { get; set; }
    public ResidenceKind? ResidenceKind { get; set; }
    /// <summary>The commune of the guest's residence (5-digit code), when given.</summary>
    public string? ResidenceCommuneCode { get; set; }
    public string? VisaOrResidenceDocument { get; set; }
    public DateOnly? VisaValidUntil { get; set; }
    public DateOnly? EntryDate { get; set; }
    public string? EntryPort { get; set; }
    /// <summary>A foreign guest exempt from visa (no visa number expected).</summary>
    public bool VisaExempt { get; set; }
    /// <summary>This guest's own deadline (citizen 23:00 / 08:00, foreigner 12 or 24 hours); null when not overnight.</summary>
    public DateTimeOffset? DeadlineAt { get; set; }
    /// <summary>This guest was notified after their deadline, judged at reception.</summary>
    public bool Late { get; set; }
    public DateTimeOffset? CheckedOutAt { get; set; }
}

/// <summary>The last receipt sequence of a commune's day (used when numbering in PostgreSQL).</summary>
public sealed class ReceiptCounter
{
    public required string CommuneCode { get; set; }
    public DateOnly Day { get; set; }
    public long LastValue { get; set; }
}

/// <summary>The history of a notification: every lifecycle step and correction, with the state before and after.</summary>
public sealed class NotificationChange
{
    public long Id { get; set; }
    public Guid NotificationId { get; set; }
    /// <summary>Its notification's <see cref="Notification.ReceivedAt"/>: the month partition key, so the history goes
    /// with its notification, never before (Storage/Partitions.cs).</summary>
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary><c>checkout</c>, <c>extend</c>, <c>correct</c>, <c>cancel</c>.</summary>
    public required string Action { get; set; }
    public required string ActorKind { get; set; }
    public string? ActorId { get; set; }
    public string? Reason { get; set; }
    /// <summary>JSON of the changed part before and after.</summary>
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>An Idempotency-Key answered while Redis was down (the notification went straight into PostgreSQL). A retry
/// with the same key gets the same answer, here and, once Redis is back, from Redis (the records are copied there).</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Whose key it is: an establishment id, or a household's hashed phone.</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public Guid NotificationId { get; set; }
    public required string ReceiptNumber { get; set; }
    /// <summary>The 202 body as first answered (JSON).</summary>
    public required string Answer { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One event of a commune's live feed, numbered per commune, written in the same transaction as the change it
/// reports, so a dashboard that reconnects gets exactly what it missed.</summary>
public sealed class CommuneEvent
{
    public required string CommuneCode { get; set; }
    public long Sequence { get; set; }
    /// <summary>arrival, checkout, watchlist-hit, report-ready.</summary>
    public required string Kind { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? NotificationId { get; set; }
    /// <summary>The event as pushed (JSON).</summary>
    public required string Payload { get; set; }
}

/// <summary>The last sequence given out per commune (a row lock orders concurrent writers).</summary>
public sealed class CommuneEventCounter
{
    public required string CommuneCode { get; set; }
    public long LastSequence { get; set; }
}

/// <summary>A document number the police look out for.</summary>
public sealed class WatchlistEntry
{
    public Guid Id { get; set; }
    /// <summary>Normalised like guests' numbers (no spaces or dashes, upper case).</summary>
    public required string DocumentNumber { get; set; }
    public required string Reason { get; set; }
    public Guid ListedBy { get; set; }
    /// <summary>The listing officer's commune, if any, for the audit trail.</summary>
    public string? ListedInCommune { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public Guid? RemovedBy { get; set; }
}

/// <summary>A listed document found in a recorded notification.</summary>
public sealed class WatchlistHit
{
    public Guid Id { get; set; }
    public Guid WatchlistId { get; set; }
    public Guid NotificationId { get; set; }
    public int GuestIndex { get; set; }
    public required string CommuneCode { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>When an officer dealt with it, who, and what was done: until then the hit is open and alerts every
    /// dashboard of its commune.</summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public string? AcknowledgementNote { get; set; }
}

/// <summary>A built report, one row per (commune, day, kind, version); the content is the report as served (JSON).</summary>
public sealed class CommuneReport
{
    public Guid Id { get; set; }
    public required string CommuneCode { get; set; }
    public DateOnly Day { get; set; }
    /// <summary><c>nightly</c> (23:00) or <c>morning</c> (08:00 follow-up).</summary>
    public required string Kind { get; set; }
    public int Version { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
    /// <summary><c>scheduler</c>, or the user who asked for a rebuild.</summary>
    public required string BuiltBy { get; set; }
    public int Notifications { get; set; }
    /// <summary>The whole report as JSON (<c>CommuneReportDto</c>): a snapshot, never changed after the build.</summary>
    public required string Content { get; set; }
    /// <summary>Its totals alone (<c>ReportTotalsDto</c>), for the province roll-up without reading every register.</summary>
    public required string Totals { get; set; }
}
