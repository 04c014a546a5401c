namespace CuTru.LuuTru.Contracts;

/// <summary>The kinds of lodging establishment the law names.</summary>
public enum EstablishmentKind
{
    /// <summary>Khách sạn.</summary>
    Hotel,
    /// <summary>Nhà nghỉ.</summary>
    Guesthouse,
    /// <summary>Nhà trọ.</summary>
    Motel,
    /// <summary>Homestay.</summary>
    Homestay,
    /// <summary>Cơ sở chữa bệnh.</summary>
    Hospital,
    /// <summary>Ký túc xá, nhà ở tập thể.</summary>
    Dormitory,
    /// <summary>A boat or other vehicle used for lodging.</summary>
    Vessel,
    /// <summary>Any other place with a lodging function.</summary>
    Other,
}

/// <summary>Only approved establishments may notify with their API keys.</summary>
public enum EstablishmentStatus
{
    /// <summary>Registered, waiting for an officer of its commune.</summary>
    Pending,
    /// <summary>Approved by the commune police.</summary>
    Approved,
    /// <summary>Suspended by the police; its keys stop working for notifications.</summary>
    Suspended,
    /// <summary>An application the police turned down, with the reason (shown to the applicant).</summary>
    Rejected,
}

/// <summary>Body of <c>POST /api/v1/establishments</c>.</summary>
public sealed record CreateEstablishmentRequest(
    string Name,
    EstablishmentKind? Kind,
    string CommuneCode,
    string Address,
    string ManagerName,
    string Phone,
    string? BusinessRegistrationNumber = null,
    Guid? MainEstablishmentId = null);

/// <summary>Body of <c>POST /api/v1/establishments/{id}/suspend</c>.</summary>
public sealed record SuspendEstablishmentRequest(string Reason);

/// <summary>A lodging establishment.</summary>
public sealed record EstablishmentDto(
    Guid Id,
    string Name,
    EstablishmentKind Kind,
    string CommuneCode,
    string CommuneName,
    string ProvinceCode,
    string Address,
    string ManagerName,
    string Phone,
    string? BusinessRegistrationNumber,
    Guid? MainEstablishmentId,
    EstablishmentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ApprovedAt,
    Guid? ApprovedBy,
    DateTimeOffset? SuspendedAt,
    string? SuspensionReason,
    DateTimeOffset? RejectedAt = null,
    string? RejectionReason = null);

/// <summary>Body of <c>POST /api/v1/establishment-applications</c>: the establishment and the account its applicant signs
/// in with (at once, to follow the application; to notify once the police approve it).</summary>
public sealed record EstablishmentApplicationRequest(
    string? Name,
    EstablishmentKind? Kind,
    string? CommuneCode,
    string? Address,
    string? ManagerName,
    string? Phone,
    string? Email,
    string? Password,
    string? BusinessRegistrationNumber = null);

/// <summary>Body of <c>POST /api/v1/establishments/{id}/reject</c>: why the application is turned down.</summary>
public sealed record RejectEstablishmentRequest(string? Reason);

/// <summary>Body of <c>POST /api/v1/establishments/{id}/api-keys</c>.</summary>
/// <param name="Name">A label, e.g. the PMS's name.</param>
public sealed record CreateApiKeyRequest(string? Name = null);

/// <summary>A new API key. <see cref="ApiKey"/> is shown this once and never again: only its hash is stored.</summary>
public sealed record ApiKeyCreatedResponse(string ApiKey, string Prefix, string? Name, DateTimeOffset CreatedAt);

/// <summary>An API key as listed: its prefix identifies it, the secret is never shown again.</summary>
public sealed record ApiKeyDto(string Prefix, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
