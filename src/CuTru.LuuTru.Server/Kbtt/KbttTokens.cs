using System.Security.Cryptography;
using System.Text;
using CuTru.LuuTru.Server.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The tokens of the hub's KBTT-compatible token endpoint: opaque random strings, each standing for one API key
/// (by its prefix). Redis keeps only their SHA-256, with the token's lifetime as the key's: a revoked API key ends them at
/// once (the key is checked on every use), a refresh replaces both.</summary>
public sealed class KbttTokens(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, IOptions<AuthOptions> auth,
    IOptions<KbttOptions> kbtt, TimeProvider clock)
{
    public sealed record Issued(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

    private RedisKey Access(string token) => redisOptions.Value.KeyPrefix + "kbtt:at:" + Hash(token);
    private RedisKey Refresh(string token) => redisOptions.Value.KeyPrefix + "kbtt:rt:" + Hash(token);
    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    private static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));
    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A new pair for the key <paramref name="keyPrefix"/>.</summary>
    public async Task<Issued> IssueAsync(string keyPrefix)
    {
        var (access, refresh) = (NewToken(), NewToken());
        var accessLife = TimeSpan.FromMinutes(auth.Value.AccessTokenLifetimeMinutes);
        var db = redis.GetDatabase();
        await Task.WhenAll(
            db.StringSetAsync(Access(access), keyPrefix, accessLife),
            db.StringSetAsync(Refresh(refresh), keyPrefix, TimeSpan.FromHours(kbtt.Value.RefreshTokenHours)));
        return new Issued(access, refresh, clock.GetUtcNow() + accessLife);
    }

    /// <summary>The API key an access token stands for; null when unknown or expired.</summary>
    public async Task<string?> KeyOfAsync(string accessToken) =>
        accessToken.Length is 0 or > 200 ? null : (string?)await redis.GetDatabase().StringGetAsync(Access(accessToken));

    /// <summary>A refresh token used once: it and nothing else is spent (atomically: two refreshes with the same token get
    /// one new pair); the key it stood for, or null.</summary>
    public async Task<string?> SpendRefreshAsync(string refreshToken) =>
        refreshToken.Length is 0 or > 200 ? null : (string?)await redis.GetDatabase().StringGetDeleteAsync(Refresh(refreshToken));

    /// <summary>Ends an access token; whether it was live.</summary>
    public async Task<bool> RevokeAsync(string accessToken) =>
        accessToken.Length is > 0 and <= 200 && await redis.GetDatabase().KeyDeleteAsync(Access(accessToken));
}
