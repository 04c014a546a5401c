using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CuTru.LuuTru.Contracts;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>What an Idempotency-Key is held to: the same key with another request is refused (422), with the same one
/// answered as the first time. One function for every channel, so they cannot differ in what they count as "the same".</summary>
public static class RequestHash
{
    private static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    /// <summary>SHA-256 of the request as the server read it, and of whom it is made for: a household's host (name,
    /// phone, document) or the establishment an officer enters it for.</summary>
    public static string Of(NotificationRequest request, HostDetails? host = null, Guid? establishmentId = null)
    {
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json)));
        if (establishmentId is { } id) return hash + ":" + id;
        if (host is not null) return hash + ":" + Short(host.FullName + "|" + host.Phone + "|" + host.DocumentNumber);
        return hash;
    }

    /// <summary>A short one-way form of a value inside a request hash (a host's details). Personal values in keys and
    /// records use <see cref="Pseudonyms"/>, which is keyed.</summary>
    public static string Short(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}

/// <summary>Keyed one-way names for personal values that must appear in keys and records (a host's phone in a rate-limit
/// key, a household's idempotency scope, its submitter id): an HMAC with a key derived from the signing key, so a list
/// of phone numbers cannot simply be hashed and matched against them, as a bare SHA-256 could.</summary>
public sealed class Pseudonyms(Microsoft.Extensions.Options.IOptions<Infrastructure.AuthOptions> auth)
{
    private readonly byte[] _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(auth.Value.SigningKey), "luutru-pseudonym"u8);

    /// <summary>16 hex characters: short enough for a key, long enough never to collide among a country's phones.</summary>
    public string Of(string value) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)))[..16];
}

/// <summary>The code printed on a receipt (and in its QR code) that lets anyone check the receipt exists without a
/// sign-in: 8 characters of an HMAC of the receipt number, so numbers (which are sequential) cannot be tried one by
/// one. Keyed by <c>LuuTru:Auth:ReceiptVerificationKey</c>, else by a key derived from the signing key.</summary>
public sealed class ReceiptCodes(Microsoft.Extensions.Options.IOptions<Infrastructure.AuthOptions> auth)
{
    private readonly byte[] _key = HMACSHA256.HashData(
        Encoding.UTF8.GetBytes(string.IsNullOrEmpty(auth.Value.ReceiptVerificationKey) ? auth.Value.SigningKey : auth.Value.ReceiptVerificationKey),
        "luutru-receipt-verification"u8);

    public string Of(string receiptNumber) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(receiptNumber)))[..8].Replace('+', 'x').Replace('/', 'y');

    public bool Matches(string receiptNumber, string? code) =>
        code is { Length: 8 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(receiptNumber)), Encoding.ASCII.GetBytes(code));

    /// <summary>The public verification page of a receipt, on the host the caller reached.</summary>
    public string UrlOf(HttpRequest request, string receiptNumber) =>
        $"{request.Scheme}://{request.Host}/#/xac-minh?so={Uri.EscapeDataString(receiptNumber)}&ma={Of(receiptNumber)}";
}
