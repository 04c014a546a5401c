namespace CuTru.LuuTru.Contracts;

/// <summary>A province-level unit in force since 2025-07-01 (34 in all).</summary>
/// <param name="Code">Two-digit code, e.g. <c>01</c> for Hà Nội.</param>
/// <param name="Name">Full name, e.g. <c>Thành phố Hà Nội</c>.</param>
/// <param name="Type"><c>Tỉnh</c> or <c>Thành phố</c>.</param>
/// <param name="CommuneCount">How many commune-level units it has.</param>
public sealed record ProvinceDto(string Code, string Name, string Type, int CommuneCount);

/// <summary>A commune-level unit (xã, phường or đặc khu; 3,321 in all).</summary>
/// <param name="Remote">Marked remote by an admin: foreign guests have 24 hours instead of 12.</param>
/// <param name="Formerly">When found by a name in use before 2025-07-01 (<c>hang trong</c>): that old commune, its district
/// and province, which became part of this one.</param>
public sealed record CommuneDto(string Code, string Name, string Type, string ProvinceCode, string ProvinceName, bool Remote = false, string? Formerly = null);

/// <summary>Body of <c>PUT /api/v1/communes/{code}/remote</c> (admins).</summary>
public sealed record CommuneRemoteRequest(bool? Remote);

/// <summary>One of the 63 provinces before the 2025 merger. Their codes still open every personal ID number.</summary>
public sealed record LegacyProvinceDto(string Code, string Name, string NewProvinceCode, string NewProvinceName);

/// <summary>A nationality (<c>GET /api/v1/nationalities</c>): the code the API takes and writes, and its names.</summary>
public sealed record NationalityDto(string Code, string NameVi, string NameEn);

/// <summary>An international port of entry (<c>GET /api/v1/entry-ports</c>): a guest's <c>foreign.entryPort</c> given by any of
/// its names is stored as <see cref="NameVi"/>; a port not in the list is stored as typed.</summary>
/// <param name="Kind"><c>air</c>, <c>land</c>, <c>rail</c> or <c>sea</c>.</param>
public sealed record EntryPortDto(string NameVi, string NameEn, string Kind, string ProvinceCode);
