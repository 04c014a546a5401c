using System.Security.Cryptography;
using System.Text;

namespace CuTru.LuuTru.Server.Security;

/// <summary>API keys look like <c>lt_AB12CD34_&lt;secret&gt;</c>: the 8-character prefix identifies the key
/// (it is shown in lists and logs), the secret is 40 random characters that only the caller ever sees.
/// The server keeps SHA-256(secret): the secret has 238 bits of entropy, so a slow hash adds nothing.</summary>
public static class ApiKeyFormat
{
    public const int PrefixLength = 8;
    public const int SecretLength = 40;
    public const int MinSecretLength = 32;
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private const string PrefixAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static (string Key, string Prefix, byte[] SecretHash) Generate()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var secret = RandomNumberGenerator.GetString(Alphabet, SecretLength);
        return ($"lt_{prefix}_{secret}", prefix, Hash(secret));
    }

    public static bool TryParse(string? key, out (string Prefix, string Secret) parts)
    {
        parts = default;
        if (string.IsNullOrEmpty(key) || key.Length > 128 || !key.StartsWith("lt_", StringComparison.Ordinal)) return false;
        var rest = key.AsSpan(3);
        var sep = rest.IndexOf('_');
        if (sep != PrefixLength) return false;
        var prefix = rest[..sep];
        var secret = rest[(sep + 1)..];
        if (secret.Length < MinSecretLength) return false;
        foreach (var c in prefix) if (!char.IsAsciiLetterOrDigit(c)) return false;
        foreach (var c in secret) if (!char.IsAsciiLetterOrDigit(c)) return false;
        parts = (prefix.ToString(), secret.ToString());
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
