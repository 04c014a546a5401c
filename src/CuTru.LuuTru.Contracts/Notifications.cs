using System.Text.Json.Serialization;

namespace CuTru.LuuTru.Contracts;

/// <summary>Identity documents a guest may show.</summary>
public enum DocumentType
{
    /// <summary>Personal identification number / citizen identity card (CCCD), 12 digits.</summary>
    PersonalId,
    /// <summary>Passport: Vietnamese ones are one letter and 7 digits.</summary>
    Passport,
    /// <summary>Old identity card (CMND), 9 or 12 digits: only for stays that began before 2026-07-01.</summary>
    Cmnd,
    /// <summary>Another document with a number.</summary>
    Other,
    /// <summary>No document: children under 14 only.</summary>
    None,
}

/// <summary>As on the identity document. Optional: the law does not ask for it; from a personal ID number it follows
/// from the fourth digit.</summary>
public enum Gender { Male, Female }

/// <summary>The document a guest presented, as the national system's catalogue names them
/// (<c>shared/data/kbtt/document-types.csv</c>; each value is the catalogue's code). Metadata: for a citizen the law asks
/// for the personal ID number, whatever document carried it.</summary>
public enum DocumentKind
{
    /// <summary>Thẻ CCCD (1).</summary>
    Cccd = 1,
    /// <summary>Thẻ CMND (2).</summary>
    Cmnd = 2,
    /// <summary>Giấy phép lái xe (3).</summary>
    DrivingLicence = 3,
    /// <summary>Hộ chiếu (4).</summary>
    Passport = 4,
    /// <summary>Giấy khai sinh (5).</summary>
    BirthCertificate = 5,
    /// <summary>Thẻ BHYT (6).</summary>
    HealthInsuranceCard = 6,
    /// <summary>Thông báo số định danh cá nhân (7).</summary>
    PersonalIdNotice = 7,
    /// <summary>Thẻ Căn cước (8).</summary>
    CanCuoc = 8,
    /// <summary>Giấy tờ khác (9).</summary>
    Other = 9,
}

/// <summary>Where a Vietnamese guest lives, as the national system's catalogue has it (<c>noiCuTru</c>; each value is its code).</summary>
public enum ResidenceKind
{
    /// <summary>Thường trú (1): permanent residence.</summary>
    Permanent = 1,
    /// <summary>Tạm trú (2): temporary residence.</summary>
    Temporary = 2,
    /// <summary>Khác (3).</summary>
    Other = 3,
}

/// <summary>The reason codes served at <c>GET /api/v1/reasons</c>.</summary>
public enum StayReason { Tourism, Work, Study, Medical, VisitingFamily, Business, Transit, Other }

/// <summary>accepted (buffered) → recorded (in PostgreSQL) → checked-out or cancelled.</summary>
public enum NotificationStatus { Accepted, Recorded, CheckedOut, Cancelled }

/// <summary>A guest's identity number: <paramref name="Type"/> says what the number is (a personal ID number, a
/// passport's…), <paramref name="Kind"/> optionally which document showed it (a driving licence can carry the personal ID
/// number). With only a kind, the type follows from it.</summary>
public sealed record DocumentDto(DocumentType? Type, string? Number = null, DocumentKind? Kind = null);

/// <summary>What a foreign guest's declaration adds (Law on Entry, Exit, Transit and Residence of Foreigners, art. 33).
/// All optional: what is missing is flagged <c>foreign-details-missing</c>, not refused (the national system does not
/// collect them). <paramref name="VisaExempt"/> replaces the visa number for a visa-exempt guest.</summary>
public sealed record ForeignDetailsDto(string? VisaOrResidenceDocument, DateOnly? ValidUntil, DateOnly? EntryDate, string? EntryPort,
    bool? VisaExempt = null);

/// <summary>One guest of a stay.</summary>
/// <param name="DateOfBirthYearOnly">True when only the year of <paramref name="DateOfBirth"/> is known.</param>
/// <param name="Nationality">ISO 3166-1 alpha-3, as in the passport's machine-readable zone; VNM when absent.</param>
/// <param name="ResidenceKind">Where the guest lives: permanent, temporary or other residence (the national system's <c>noiCuTru</c>).</param>
/// <param name="ResidenceCommuneCode">The commune of that residence (5-digit code of <c>GET /api/v1/communes</c>).</param>
public sealed record GuestDto(
    string? FullName,
    DateOnly? DateOfBirth,
    Gender? Gender,
    DocumentDto? Document,
    string? Nationality = null,
    bool? DateOfBirthYearOnly = null,
    string? Phone = null,
    string? PermanentAddress = null,
    ForeignDetailsDto? Foreign = null,
    ResidenceKind? ResidenceKind = null,
    string? ResidenceCommuneCode = null);

/// <summary>The stay: when, why, where. Times are ISO 8601; without an offset they mean Vietnam time.</summary>
/// <param name="Address">For households (and officers entering on someone's behalf); an establishment's own address otherwise.</param>
/// <param name="CommuneCode">For households; an establishment's own commune otherwise.</param>
/// <param name="ReasonCode">The national system's reason code, 1–20 (<c>GET /kbtt/cms-backend/public/ly-do-cu-tru/get-all</c>);
/// kept as given. Without <paramref name="Reason"/> the hub's reason follows from it; 20 ("Mục đích khác") needs a detail.</param>
public sealed record StayDto(
    DateTimeOffset? ArrivalAt,
    DateTimeOffset? DepartureAt,
    StayReason? Reason,
    string? ReasonDetail = null,
    string? Room = null,
    string? Address = null,
    string? CommuneCode = null,
    int? ReasonCode = null);

/// <summary>Body of <c>POST /api/v1/notifications</c>: one stay, one or more guests.</summary>
/// <param name="ExternalRef">The PMS's booking id, echoed back and searchable.</param>
public sealed record NotificationRequest(StayDto? Stay, IReadOnlyList<GuestDto?>? Guests, string? ExternalRef = null);

/// <summary>Something the police should look at. The notification is accepted all the same.</summary>
/// <param name="Code">Stable: <c>late</c>, <c>foreigner-late</c>, <c>stay-30-days-or-more</c>, <c>id-gender-mismatch</c>,
/// <c>id-birth-year-mismatch</c>, <c>child-without-id</c>, <c>unaccompanied-minor</c>, <c>not-overnight</c>,
/// <c>foreign-details-missing</c>, <c>staying-elsewhere</c> (police only), <c>corrected-after-receipt</c>.</param>
/// <param name="GuestIndex">The guest it concerns, when it concerns one.</param>
public sealed record FlagDto(string Code, string Message, int? GuestIndex = null);

/// <summary>Answer of <c>POST /api/v1/notifications/validate</c>: what the real call would decide, nothing stored.
/// No <c>deadlineAt</c> for a stay that need not be notified (<c>not-overnight</c>).</summary>
public sealed record ValidationResultDto(bool Valid, DateTimeOffset? DeadlineAt, bool Late, IReadOnlyList<FlagDto> Flags);

/// <summary>A code of the reason table (<c>GET /api/v1/reasons</c>).</summary>
public sealed record ReasonDto(StayReason Code, string Name, string NameEn, bool DetailRequired);

/// <summary>The receipt: answered with 202 as soon as the notification is safely accepted.</summary>
/// <param name="ReceiptNumber">Register number: commune, day (Vietnam), sequence — e.g. <c>00070-261114-0042</c>.</param>
public sealed record NotificationReceiptDto(
    Guid Id,
    string ReceiptNumber,
    NotificationStatus Status,
    DateTimeOffset? DeadlineAt,
    bool Late,
    IReadOnlyList<FlagDto> Flags,
    DateTimeOffset? ReceivedAt = null,
    string? VerifyCode = null);

/// <summary>A receipt as kept and printed (<c>GET /api/v1/receipts/{number}</c>, its PDF at <c>…/pdf</c>): where, who (document
/// numbers masked), when, and how anyone can check it exists (<c>VerifyUrl</c>, also as the QR code of the print).</summary>
public sealed record ReceiptViewDto(
    string ReceiptNumber,
    NotificationStatus Status,
    string PlaceName,
    string Address,
    string CommuneName,
    string? Room,
    DateTimeOffset ArrivalAt,
    DateTimeOffset DepartureAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DeadlineAt,
    bool Late,
    IReadOnlyList<ReceiptGuestDto> Guests,
    string VerifyCode,
    string VerifyUrl);

public sealed record ReceiptGuestDto(string FullName, string Nationality, string? DocumentMasked);

/// <summary>What the public verification page learns of a receipt (<c>GET /api/v1/receipts/verify?number=&amp;code=</c>):
/// that it exists, where and when it was received, its status; nothing of anyone.</summary>
public sealed record ReceiptVerificationDto(string ReceiptNumber, string CommuneName, DateOnly ReceivedOn, NotificationStatus Status);

/// <summary>A guest as recorded, with the guest's own deadline (citizen 23:00 / 08:00, foreigner 12 or 24 hours) and
/// whether this guest was notified late. <paramref name="Gender"/> as given or as the personal ID number says.</summary>
public sealed record RecordedGuestDto(
    int Index,
    string FullName,
    DateOnly? DateOfBirth,
    bool DateOfBirthYearOnly,
    Gender? Gender,
    DocumentType DocumentType,
    string? DocumentNumber,
    string Nationality,
    string? Phone,
    string? PermanentAddress,
    ForeignDetailsDto? Foreign,
    DateTimeOffset? CheckedOutAt,
    DocumentKind? DocumentKind = null,
    DateTimeOffset? DeadlineAt = null,
    bool Late = false,
    ResidenceKind? ResidenceKind = null,
    string? ResidenceCommuneCode = null,
    UpstreamStateDto? Upstream = null);

/// <summary>A notification as the hub holds it (<c>GET /api/v1/notifications/{id}</c>).</summary>
public sealed record NotificationDto(
    Guid Id,
    string ReceiptNumber,
    NotificationStatus Status,
    string Channel,
    Guid? EstablishmentId,
    string CommuneCode,
    string Address,
    DateTimeOffset ArrivalAt,
    DateTimeOffset DepartureAt,
    StayReason Reason,
    string? ReasonDetail,
    string? Room,
    string? ExternalRef,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? DeadlineAt,
    bool Late,
    string LawVersion,
    IReadOnlyList<FlagDto> Flags,
    IReadOnlyList<RecordedGuestDto> Guests,
    DateTimeOffset? CheckedOutAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset ReceivedAt,
    string? ReceivedBy,
    NotifierDto? Notifier = null,
    string? PlaceName = null,
    int? ReasonCode = null);

/// <summary>Who notified a household's stay: the host (name, phone), or the guest for themself when the host was away.</summary>
public sealed record NotifierDto(string? HostName, string? HostPhone, bool GuestNotifiedForSelf);

/// <summary>Body of <c>POST /api/v1/notifications/{id}/checkout</c>. No guest indexes: the whole stay.</summary>
public sealed record CheckoutRequest(DateTimeOffset? DepartedAt = null, IReadOnlyList<int>? GuestIndexes = null);

/// <summary>Body of <c>POST /api/v1/notifications/{id}/extend</c>.</summary>
public sealed record ExtendRequest(DateTimeOffset? DepartureAt);

/// <summary>Body of <c>POST /api/v1/notifications/{id}/cancel</c>.</summary>
public sealed record CancelRequest(string? Reason);

/// <summary>Body of <c>PATCH /api/v1/notifications/{id}</c>: only the fields given change; the result is judged by the rules again.</summary>
public sealed record NotificationPatch(StayPatch? Stay = null, IReadOnlyList<GuestPatch>? Guests = null, string? Reason = null);

/// <summary>Stay fields that can be corrected.</summary>
public sealed record StayPatch(DateTimeOffset? ArrivalAt = null, DateTimeOffset? DepartureAt = null, StayReason? Reason = null, string? ReasonDetail = null, string? Room = null,
    int? ReasonCode = null);

/// <summary>Corrections to one guest, by index.</summary>
/// <param name="Foreign">A foreign guest's visa and entry details, given whole: they replace what was stored.</param>
public sealed record GuestPatch(int Index, string? FullName = null, DateOnly? DateOfBirth = null, Gender? Gender = null, DocumentDto? Document = null,
    string? Nationality = null, string? Phone = null, string? PermanentAddress = null, ForeignDetailsDto? Foreign = null,
    ResidenceKind? ResidenceKind = null, string? ResidenceCommuneCode = null);

/// <summary>One change to a notification: who, when, what it was, what it became.</summary>
/// <param name="ActorName">Who, as people know them: a person's name or email, an API key's name.</param>
public sealed record NotificationChangeDto(DateTimeOffset At, string Action, string ActorKind, string? ActorId, string? Reason, string? Before, string? After,
    string? ActorName = null);

/// <summary>Body of <c>POST /api/v1/notifications/batch</c> (and <c>/batch/validate</c>): up to 500 notifications.</summary>
public sealed record BatchRequest(IReadOnlyList<NotificationRequest?>? Notifications);

/// <summary>What became of one item of a batch: <c>accepted</c> with its receipt, <c>rejected</c> with the problem, or
/// <c>already-sent</c>: the same check-in was notified before (a guest already staying there), nothing sent, the earlier
/// receipt in <c>ReceiptNumber</c> and the 409 problem naming it.</summary>
public sealed record BatchItemResult(int Index, string Status, Guid? Id = null, string? ReceiptNumber = null, DateTimeOffset? DeadlineAt = null,
    bool? Late = null, IReadOnlyList<FlagDto>? Flags = null, ProblemResponse? Problem = null);

/// <summary>Answer of a batch call, one result per item in the order sent.</summary>
public sealed record BatchResponse(IReadOnlyList<BatchItemResult> Items, int Accepted, int Rejected, int AlreadySent = 0);

/// <summary>The household member who notifies (or the guest, when the host is away).</summary>
public sealed record HostDto(string? FullName, string? Phone, DocumentDto? Document);

/// <summary>Body of <c>POST /api/v1/household-notifications</c>: no account needed. The stay gives
/// <c>communeCode</c> and <c>address</c>.</summary>
/// <param name="NotifiedByGuest">The host is away and the guest notifies for themself (the law allows it).</param>
public sealed record HouseholdNotificationRequest(HostDto? Host, StayDto? Stay, IReadOnlyList<GuestDto?>? Guests, bool? NotifiedByGuest = null);

/// <summary>Body of <c>POST /api/v1/receipts/lookup</c>: a receipt number and the phone that sent it (in the body, never in a URL).</summary>
public sealed record ReceiptLookupRequest(string? ReceiptNumber, string? Phone);

/// <summary>Body of <c>POST /api/v1/receipts/checkout</c> and <c>/receipts/extend</c>: a household ends or extends the stay it
/// notified, with its receipt number and the phone that sent it (<c>departedAt</c> default now; <c>departureAt</c> the new
/// planned departure).</summary>
public sealed record HouseholdStayChange(string? ReceiptNumber, string? Phone, DateTimeOffset? DepartedAt = null, DateTimeOffset? DepartureAt = null);

/// <summary>What a host sees of a receipt (<c>POST /api/v1/receipts/lookup</c>).</summary>
public sealed record ReceiptStatusDto(string ReceiptNumber, NotificationStatus Status, string CommuneCode, string CommuneName,
    DateTimeOffset ArrivalAt, DateTimeOffset DepartureAt, int GuestCount, DateTimeOffset AcceptedAt, DateTimeOffset? DeadlineAt, bool Late);

/// <summary>Body of <c>POST /api/v1/communes/{code}/notifications</c>: an officer enters a notification received in person
/// or by phone, for an establishment of the commune (<c>establishmentId</c>) or for a household (<c>host</c> and the
/// stay's <c>address</c>). <c>receivedBy</c>: <c>in-person</c>, <c>phone</c>, <c>email</c> or <c>other</c>; <c>receivedAt</c>:
/// when it reached the police (default now; not in the future, not more than a day before the arrival): lateness is
/// judged against it.</summary>
public sealed record OfficerNotificationRequest(Guid? EstablishmentId, HostDto? Host, StayDto? Stay, IReadOnlyList<GuestDto?>? Guests,
    string? ReceivedBy, bool? NotifiedByGuest = null, DateTimeOffset? ReceivedAt = null);
