namespace CuTru.LuuTru.Server.Storage;

/// <summary>An establishment's account on the national system (KBTT), which the relay files with. The password is kept
/// encrypted (ASP.NET Core Data Protection, keys in PostgreSQL), never logged, never answered.</summary>
public sealed class KbttLink
{
    public Guid EstablishmentId { get; set; }
    public required string Username { get; set; }
    public required string ProtectedPassword { get; set; }
    /// <summary>As upstream's token answer gave them when the link was made.</summary>
    public string? CsltId { get; set; }
    public string? KbttProvinceCode { get; set; }
    public string? KbttCommuneCode { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
    public string? LinkedBy { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    /// <summary>The last failure of a login with this account (wrong password since, account locked…), in words.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
}

/// <summary>What the relay sends for a guest.</summary>
public enum RelayKind { DeclareVn, DeclareForeign, EarlyCheckout, Extend, Correction, Cancellation }

/// <summary>Where a guest's filing upstream stands: pending (to send), sent (accepted upstream), rejected (upstream
/// refused it: its message kept), unknown (no answer after sending: resent once, then for a person to check),
/// manual-required (no upstream API for it, or upstream would refuse it: the portal's file is offered).</summary>
public enum RelayState { Pending, Sent, Rejected, Unknown, ManualRequired }

/// <summary>The relay's outbox: one row per guest and thing to send, written in the transaction that records the change.</summary>
public sealed class KbttRelayItem
{
    public long Id { get; set; }
    public Guid NotificationId { get; set; }
    public int GuestIndex { get; set; }
    public Guid EstablishmentId { get; set; }
    public RelayKind Kind { get; set; }
    public RelayState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Set just before a request leaves, cleared when its answer is recorded: found set after a crash, the
    /// request may have reached upstream (the outcome is unknown, not pending).</summary>
    public DateTimeOffset? InFlightSince { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Upstream's answer code (its body's <c>code</c>, or the HTTP status), and its message or ours.</summary>
    public string? Code { get; set; }
    public string? Message { get; set; }
    /// <summary>An extension's new departure.</summary>
    public DateTimeOffset? Until { get; set; }
    public bool Resent { get; set; }
}

/// <summary>A request the relay sent and what came back, without secrets or tokens; kept 90 days.</summary>
public sealed class KbttRelayExchange
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Path { get; set; }
    public required string Request { get; set; }
    public int? HttpStatus { get; set; }
    public string? Response { get; set; }
    public int DurationMs { get; set; }
}
