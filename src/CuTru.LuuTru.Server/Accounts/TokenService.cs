using System.Security.Claims;
using System.Text;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CuTru.LuuTru.Server.Accounts;

/// <summary>Issues the signed access tokens (JWT, HMAC-SHA256) that people sign in with. Every server
/// process validates them with the shared <c>LuuTru:Auth:SigningKey</c>, so any replica serves any user.</summary>
public sealed class TokenService(IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string Audience = "cutru-luutru-api";

    public static SymmetricSecurityKey KeyFrom(AuthOptions o) => new(Encoding.UTF8.GetBytes(o.SigningKey));

    public (string Token, DateTimeOffset ExpiresAt) Issue(User user)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var expires = now.AddMinutes(o.AccessTokenLifetimeMinutes);
        var claims = new List<Claim>
        {
            new(LuuTruClaims.Subject, user.Id.ToString()),
            new(LuuTruClaims.Role, RoleNames.Of(user.Role)),
            new(LuuTruClaims.Email, user.Email),
            new(LuuTruClaims.Stamp, user.SecurityStamp),
        };
        if (user.ProvinceCode is not null) claims.Add(new(LuuTruClaims.Province, user.ProvinceCode));
        if (user.EstablishmentId is not null) claims.Add(new(LuuTruClaims.Establishment, user.EstablishmentId.Value.ToString()));
        claims.AddRange(user.Communes.Select(c => new Claim(LuuTruClaims.Commune, c.CommuneCode)));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(KeyFrom(o), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
