using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Storage;

// Storage entities: what PostgreSQL holds. Wire DTOs live in CuTru.LuuTru.Contracts; endpoints map between them.

public sealed class Province
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public required string SearchKey { get; set; }
    public List<Commune> Communes { get; set; } = [];
}

public sealed class Commune
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public required string ProvinceCode { get; set; }
    public Province? Province { get; set; }
    /// <summary>Folded name for diacritic-free search (<c>phuong hoan kiem</c>).</summary>
    public required string SearchKey { get; set; }
    /// <summary>Marked remote by an admin: foreign guests are due within 24 hours instead of 12 (Immigration Law art. 33).
    /// No official list exists for the communes formed in 2025: none is remote until an admin says so; the reference
    /// data seeder never touches it.</summary>
    public bool Remote { get; set; }
}

/// <summary>One of the 63 provinces before 2025-07-01; personal ID numbers still open with these codes.</summary>
public sealed class LegacyProvince
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NewProvinceCode { get; set; }
}

public sealed class Establishment
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string SearchKey { get; set; }
    public EstablishmentKind Kind { get; set; }
    public required string CommuneCode { get; set; }
    public Commune? Commune { get; set; }
    /// <summary>Denormalised from the commune so province-wide queries need no join.</summary>
    public required string ProvinceCode { get; set; }
    public required string Address { get; set; }
    public required string ManagerName { get; set; }
    public required string Phone { get; set; }
    public string? BusinessRegistrationNumber { get; set; }
    /// <summary>Set for a branch: its main establishment.</summary>
    public Guid? MainEstablishmentId { get; set; }
    public EstablishmentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public Guid? ApprovedBy { get; set; }
    public DateTimeOffset? SuspendedAt { get; set; }
    public Guid? SuspendedBy { get; set; }
    public string? SuspensionReason { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }
    public Guid? RejectedBy { get; set; }
    public string? RejectionReason { get; set; }
    public List<ApiKey> ApiKeys { get; set; } = [];
}

/// <summary>An establishment's API key. Only the SHA-256 of the secret is kept; the prefix identifies it.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid EstablishmentId { get; set; }
    public Establishment? Establishment { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }
}

public sealed class User
{
    public Guid Id { get; set; }
    /// <summary>Lower-case, trimmed; unique.</summary>
    public required string Email { get; set; }
    public string? DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    /// <summary>For a province supervisor.</summary>
    public string? ProvinceCode { get; set; }
    /// <summary>For establishment staff.</summary>
    public Guid? EstablishmentId { get; set; }
    public List<UserCommune> Communes { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Carried by every token issued to the person; changed by a sign-out, a password change or reset and a
    /// disabling, which ends every token issued before (SessionStamps).</summary>
    public string SecurityStamp { get; set; } = "";
}

/// <summary>A commune a commune officer is responsible for.</summary>
public sealed class UserCommune
{
    public Guid UserId { get; set; }
    public required string CommuneCode { get; set; }
}

/// <summary>Who did what to which record, when, from where. Written by every capability; never updated.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary><c>user</c>, <c>api-key</c>, <c>anonymous</c> or <c>system</c>.</summary>
    public required string ActorKind { get; set; }
    /// <summary>User id or API key prefix.</summary>
    public string? ActorId { get; set; }
    /// <summary>Dotted verb, e.g. <c>establishment.approve</c>.</summary>
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    /// <summary>The commune the record belongs to, so officers can read their commune's trail.</summary>
    public string? CommuneCode { get; set; }
    /// <summary>JSON with what changed; never secrets.</summary>
    public string? Details { get; set; }
    public string? RemoteAddress { get; set; }
}
