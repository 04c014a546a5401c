using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Accounts;

internal static class UserMapping
{
    public static UserDto ToDto(this User u, string? areaName = null) => new(
        u.Id, u.Email, u.DisplayName, u.Role, u.ProvinceCode,
        u.Communes.Select(c => c.CommuneCode).Order(StringComparer.Ordinal).ToList(),
        u.EstablishmentId, u.CreatedAt, u.LastLoginAt, u.DisabledAt, areaName);

    /// <summary>The users as the users screen shows them: each with where they work in words (province, communes or
    /// establishment by name), read in three queries whatever the number of users.</summary>
    public static async Task<List<UserDto>> ToDtosAsync(this IReadOnlyCollection<User> users, LuuTruDb db, CancellationToken ct)
    {
        var provinceCodes = users.Select(u => u.ProvinceCode).OfType<string>().Distinct().ToList();
        var communeCodes = users.SelectMany(u => u.Communes.Select(c => c.CommuneCode)).Distinct().ToList();
        var establishmentIds = users.Select(u => u.EstablishmentId).OfType<Guid>().Distinct().ToList();
        var provinces = provinceCodes.Count == 0 ? [] : await db.Provinces.AsNoTracking().Where(p => provinceCodes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Name, ct);
        var communes = communeCodes.Count == 0 ? [] : await db.Communes.AsNoTracking().Where(c => communeCodes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var establishments = establishmentIds.Count == 0 ? [] : await db.Establishments.AsNoTracking().Where(e => establishmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        return users.Select(u => u.ToDto(u.Role switch
        {
            Role.ProvinceSupervisor => u.ProvinceCode is { } p ? provinces.GetValueOrDefault(p) : null,
            Role.CommuneOfficer => string.Join(", ", u.Communes.Select(c => c.CommuneCode).Order(StringComparer.Ordinal).Select(c => communes.GetValueOrDefault(c, c))),
            Role.EstablishmentStaff => u.EstablishmentId is { } e ? establishments.GetValueOrDefault(e) : null,
            _ => null,
        })).ToList();
    }

    public static async Task<UserDto> ToDtoAsync(this User user, LuuTruDb db, CancellationToken ct) => (await new[] { user }.ToDtosAsync(db, ct))[0];
}
