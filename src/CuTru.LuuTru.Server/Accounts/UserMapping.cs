using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;

namespace CuTru.LuuTru.Server.Accounts;

internal static class UserMapping
{
    public static UserDto ToDto(this User u) => new(
        u.Id, u.Email, u.DisplayName, u.Role, u.ProvinceCode,
        u.Communes.Select(c => c.CommuneCode).Order(StringComparer.Ordinal).ToList(),
        u.EstablishmentId, u.CreatedAt, u.LastLoginAt, u.DisabledAt);
}
