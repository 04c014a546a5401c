namespace CuTru.LuuTru.Contracts;

/// <summary>What a person who signs in may do.</summary>
public enum Role
{
    /// <summary>Runs the system: users, all communes.</summary>
    Admin,
    /// <summary>Sees every commune of one province.</summary>
    ProvinceSupervisor,
    /// <summary>Commune police: one or more communes.</summary>
    CommuneOfficer,
    /// <summary>Front desk of one establishment.</summary>
    EstablishmentStaff,
}

/// <summary>Body of <c>POST /api/v1/auth/login</c>.</summary>
public sealed record LoginRequest(string Email, string Password);

/// <summary>A bearer token for the <c>Authorization</c> header; the same token is also set as a cookie.</summary>
public sealed record LoginResponse(string AccessToken, DateTimeOffset ExpiresAt, UserDto User);

/// <summary>Body of <c>POST /api/v1/auth/password</c>: a person changes their own password; every other session ends.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Body of <c>POST /api/v1/users/{id}/password</c>: an admin sets a new password; every session of that person ends.</summary>
public sealed record ResetPasswordRequest(string? NewPassword);

/// <summary>Body of <c>POST /api/v1/users</c> (admins only).</summary>
public sealed record CreateUserRequest(
    string Email,
    string Password,
    Role? Role,
    string? DisplayName = null,
    string? ProvinceCode = null,
    IReadOnlyList<string>? CommuneCodes = null,
    Guid? EstablishmentId = null);

/// <summary>A person who signs in. Never carries the password hash.</summary>
/// <param name="AreaName">Where they work, in words, on the users screen: the province of a supervisor, the communes of an
/// officer, the establishment of its staff (absent where the answer does not list users, such as the sign-in).</param>
public sealed record UserDto(
    Guid Id,
    string Email,
    string? DisplayName,
    Role Role,
    string? ProvinceCode,
    IReadOnlyList<string> CommuneCodes,
    Guid? EstablishmentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt,
    DateTimeOffset? DisabledAt = null,
    string? AreaName = null);

/// <summary>Body of <c>PUT /api/v1/users/{id}/communes</c>: the communes a commune officer covers from now on (their sessions
/// end: they sign in again to work in them).</summary>
public sealed record UserCommunesRequest(IReadOnlyList<string>? CommuneCodes);

/// <summary>Who the caller is, as the server sees it (<c>GET /api/v1/me</c>).</summary>
/// <param name="Kind"><c>user</c> or <c>api-key</c>.</param>
public sealed record MeResponse(
    string Kind,
    Guid? UserId,
    string? Email,
    Role? Role,
    string? ProvinceCode,
    IReadOnlyList<string> CommuneCodes,
    Guid? EstablishmentId,
    string? ApiKeyPrefix);
