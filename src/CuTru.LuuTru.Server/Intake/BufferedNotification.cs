using System.Text.Json;
using System.Text.Json.Serialization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>A notification as it waits in the Redis stream: the intake writes it, the drain and read-your-write read it
/// back. A wire record of its own, not the storage entity, so that renaming an entity property never breaks the entries
/// in flight during a deploy: its property names are its JSON names and change only with <see cref="CurrentVersion"/>.
/// Mapped to and from the entity here and nowhere else.</summary>
/// <remarks>Versions: 0 (before this record existed) was the entity serialised as is: the same names, enums as numbers,
/// no <c>V</c>. 1 adds <c>V</c> and writes enums by name; it reads version 0 unchanged (a name or a number is read
/// alike). 2 adds <c>ReceivedAt</c> and <c>ReceivedBy</c>; an entry of version 0 or 1 was received when accepted. A
/// reader meets an entry of a later version only during a rolling deploy: it refuses it (dead letter, with the
/// version in the reason) rather than guess at fields it does not know. 3 (the overnight rule, per-guest deadlines) makes
/// <c>DeadlineAt</c> and a guest's <c>Gender</c> optional and adds the guest's <c>DocumentKind</c>, <c>VisaExempt</c>,
/// <c>DeadlineAt</c> and <c>Late</c>; a guest of an older entry carries the stay's deadline and lateness. 4 adds the
/// national system's <c>ReasonCode</c> and a guest's <c>ResidenceKind</c> and <c>ResidenceCommuneCode</c> (absent before).</remarks>
public sealed record BufferedNotification
{
    public const int CurrentVersion = 4;

    public int V { get; init; }
    public Guid Id { get; init; }
    public string ReceiptNumber { get; init; } = "";
    public Channel Channel { get; init; }
    public Guid? EstablishmentId { get; init; }
    public string? SubmittedBy { get; init; }
    public string CommuneCode { get; init; } = "";
    public string ProvinceCode { get; init; } = "";
    public string Address { get; init; } = "";
    public DateTimeOffset ArrivalAt { get; init; }
    public DateTimeOffset DepartureAt { get; init; }
    public StayReason Reason { get; init; }
    public string? ReasonDetail { get; init; }
    public short? ReasonCode { get; init; }
    public string? Room { get; init; }
    public string? ExternalRef { get; init; }
    public NotificationStatus Status { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public string? ReceivedBy { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public bool Late { get; init; }
    public string LawVersion { get; init; } = "";
    public string Flags { get; init; } = "[]";
    public string? HostName { get; init; }
    public string? HostPhone { get; init; }
    public string? HostDocumentNumber { get; init; }
    public bool NotifiedByGuest { get; init; }
    public List<BufferedGuest> Guests { get; init; } = [];

    public sealed record BufferedGuest
    {
        public int Index { get; init; }
        public string FullName { get; init; } = "";
        public string NameKey { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public bool DateOfBirthYearOnly { get; init; }
        public Gender? Gender { get; init; }
        public DocumentType DocumentType { get; init; }
        public DocumentKind? DocumentKind { get; init; }
        public string? DocumentNumber { get; init; }
        public string Nationality { get; init; } = "";
        public string? Phone { get; init; }
        public string? PermanentAddress { get; init; }
        public string? VisaOrResidenceDocument { get; init; }
        public DateOnly? VisaValidUntil { get; init; }
        public DateOnly? EntryDate { get; init; }
        public string? EntryPort { get; init; }
        public bool VisaExempt { get; init; }
        public DateTimeOffset? DeadlineAt { get; init; }
        public bool? Late { get; init; }
        public ResidenceKind? ResidenceKind { get; init; }
        public string? ResidenceCommuneCode { get; init; }
    }

    /// <summary>The payload of a stream entry for a notification about to be buffered (its receipt not yet numbered), as
    /// UTF-8 (what Redis stores: no string in between). Source-generated: no reflection on the intake's path.</summary>
    public static byte[] Serialize(Notification n) => JsonSerializer.SerializeToUtf8Bytes(From(n), BufferedNotificationJson.Default.BufferedNotification);

    /// <summary>A payload read back as the notification it carries; null when it is not a buffered notification.</summary>
    /// <exception cref="UnsupportedVersionException">Written by a later version of the server.</exception>
    public static Notification? Deserialize(ReadOnlySpan<byte> payload)
    {
        var wire = JsonSerializer.Deserialize(payload, BufferedNotificationJson.Default.BufferedNotification);
        if (wire is null) return null;
        if (wire.V > CurrentVersion) throw new UnsupportedVersionException(wire.V);
        return wire.ToEntity();
    }

    public sealed class UnsupportedVersionException(int version) : Exception($"payload version {version}")
    {
        public int Version { get; } = version;
    }

    private static BufferedNotification From(Notification n) => new()
    {
        V = CurrentVersion, Id = n.Id, ReceiptNumber = n.ReceiptNumber, Channel = n.Channel, EstablishmentId = n.EstablishmentId,
        SubmittedBy = n.SubmittedBy, CommuneCode = n.CommuneCode, ProvinceCode = n.ProvinceCode, Address = n.Address,
        ArrivalAt = n.ArrivalAt, DepartureAt = n.DepartureAt, Reason = n.Reason, ReasonDetail = n.ReasonDetail, ReasonCode = n.ReasonCode, Room = n.Room,
        ExternalRef = n.ExternalRef, Status = n.Status, AcceptedAt = n.AcceptedAt, ReceivedAt = n.ReceivedAt, ReceivedBy = n.ReceivedBy, DeadlineAt = n.DeadlineAt, Late = n.Late,
        LawVersion = n.LawVersion, Flags = n.Flags, HostName = n.HostName, HostPhone = n.HostPhone, HostDocumentNumber = n.HostDocumentNumber,
        NotifiedByGuest = n.NotifiedByGuest,
        Guests = n.Guests.Select(g => new BufferedGuest
        {
            Index = g.Index, FullName = g.FullName, NameKey = g.NameKey, DateOfBirth = g.DateOfBirth, DateOfBirthYearOnly = g.DateOfBirthYearOnly,
            Gender = g.Gender, DocumentType = g.DocumentType, DocumentNumber = g.DocumentNumber, Nationality = g.Nationality, Phone = g.Phone,
            PermanentAddress = g.PermanentAddress, VisaOrResidenceDocument = g.VisaOrResidenceDocument, VisaValidUntil = g.VisaValidUntil,
            EntryDate = g.EntryDate, EntryPort = g.EntryPort, DocumentKind = g.DocumentKind, VisaExempt = g.VisaExempt,
            DeadlineAt = g.DeadlineAt, Late = g.Late, ResidenceKind = g.ResidenceKind, ResidenceCommuneCode = g.ResidenceCommuneCode,
        }).ToList(),
    };

    private Notification ToEntity()
    {
        var received = ReceivedAt ?? AcceptedAt; // the notification's, and its guests' (their month partition key)
        return new()
        {
            Id = Id, ReceiptNumber = ReceiptNumber, Channel = Channel, EstablishmentId = EstablishmentId, SubmittedBy = SubmittedBy,
            CommuneCode = CommuneCode, ProvinceCode = ProvinceCode, Address = Address, ArrivalAt = ArrivalAt, DepartureAt = DepartureAt,
            Reason = Reason, ReasonDetail = ReasonDetail, ReasonCode = ReasonCode, Room = Room, ExternalRef = ExternalRef, Status = Status, AcceptedAt = AcceptedAt,
            ReceivedAt = received, ReceivedBy = ReceivedBy,
            DeadlineAt = DeadlineAt, Late = Late, LawVersion = LawVersion, Flags = Flags, HostName = HostName, HostPhone = HostPhone,
            HostDocumentNumber = HostDocumentNumber, NotifiedByGuest = NotifiedByGuest,
            Guests = Guests.Select(g => new NotificationGuest
            {
                NotificationId = Id, ReceivedAt = received, Index = g.Index, FullName = g.FullName, NameKey = g.NameKey, DateOfBirth = g.DateOfBirth,
                DateOfBirthYearOnly = g.DateOfBirthYearOnly, Gender = g.Gender, DocumentType = g.DocumentType, DocumentNumber = g.DocumentNumber,
                Nationality = g.Nationality, Phone = g.Phone, PermanentAddress = g.PermanentAddress, VisaOrResidenceDocument = g.VisaOrResidenceDocument,
                VisaValidUntil = g.VisaValidUntil, EntryDate = g.EntryDate, EntryPort = g.EntryPort, DocumentKind = g.DocumentKind,
                VisaExempt = g.VisaExempt, DeadlineAt = V < 3 ? DeadlineAt : g.DeadlineAt, Late = g.Late ?? Late,
                ResidenceKind = g.ResidenceKind, ResidenceCommuneCode = g.ResidenceCommuneCode,
            }).ToList(),
        };
    }
}

/// <summary>The payload's JSON, generated at build time: names as the properties, enums by name (numbers, as version 0
/// wrote them, are read too), nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(BufferedNotification))]
internal sealed partial class BufferedNotificationJson : JsonSerializerContext;
