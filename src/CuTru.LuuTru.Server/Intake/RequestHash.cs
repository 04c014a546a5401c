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

    /// <summary>A short one-way form of a value (a phone in a key, a scope or a hash), never the value itself.</summary>
    public static string Short(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
