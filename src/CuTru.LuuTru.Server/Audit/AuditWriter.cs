using System.Text.Json;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;

namespace CuTru.LuuTru.Server.Audit;

/// <summary>Adds audit entries to the request's DbContext, so they commit in the same transaction as the change they describe.</summary>
public sealed class AuditWriter(LuuTruDb db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(Caller caller, string action, string entityType, string? entityId, string? communeCode, object? details, HttpContext? http) =>
        Record(caller.Kind, caller.AuditId, action, entityType, entityId, communeCode, details, http);

    public void Record(string actorKind, string? actorId, string action, string entityType, string? entityId, string? communeCode, object? details, HttpContext? http)
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            ActorKind = actorKind,
            ActorId = actorId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            CommuneCode = communeCode,
            Details = details is null ? null : JsonSerializer.Serialize(details, Json),
            RemoteAddress = http?.Connection.RemoteIpAddress?.ToString(),
        });
    }
}
