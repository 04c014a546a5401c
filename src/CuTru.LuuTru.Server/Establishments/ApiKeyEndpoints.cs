using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Establishments;

/// <summary>An establishment's API keys, one per PMS: created by its staff (or an admin), shown once, revocable.</summary>
public static class ApiKeyEndpoints
{
    public static void MapApiKeys(this RouteGroupBuilder establishments)
    {
        establishments.MapPost("/{id:guid}/api-keys", Create).WithSummary("Create an API key; the key is in this answer only");
        establishments.MapGet("/{id:guid}/api-keys", List).WithSummary("List API keys by prefix, with last use");
        establishments.MapDelete("/{id:guid}/api-keys/{prefix}", Revoke).WithSummary("Revoke an API key; it gets 401 from then on");
    }

    internal static async Task<Results<Created<ApiKeyCreatedResponse>, ProblemResult>> Create(
        Guid id, CreateApiKeyRequest? request, HttpContext http, LuuTruDb db, IAuthorizationService authz, AuditWriter audit,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = errors.Text("name", request?.Name, 100, required: false);
        if (errors.Any) return Problems.Validation(errors);
        var (e, denied) = await EstablishmentEndpoints.Load(id, http, db, authz, Policies.EstablishmentKeys, ct);
        if (denied is not null) return denied;

        var (key, prefix, hash) = ApiKeyFormat.Generate();
        var caller = http.Caller();
        var entity = new ApiKey
        {
            Id = Guid.CreateVersion7(), EstablishmentId = e!.Id, Prefix = prefix, SecretHash = hash, Name = name,
            CreatedAt = clock.GetUtcNow(), CreatedBy = caller.UserId,
        };
        db.ApiKeys.Add(entity);
        audit.Record(caller, "api-key.create", "api-key", prefix, e.CommuneCode, new { establishmentId = e.Id, name }, http);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/establishments/{e.Id}/api-keys/{prefix}", new ApiKeyCreatedResponse(key, prefix, name, entity.CreatedAt));
    }

    internal static async Task<Results<Ok<List<ApiKeyDto>>, ProblemResult>> List(
        Guid id, HttpContext http, LuuTruDb db, IAuthorizationService authz, CancellationToken ct)
    {
        var (e, denied) = await EstablishmentEndpoints.Load(id, http, db, authz, Policies.EstablishmentKeys, ct);
        if (denied is not null) return denied;
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.EstablishmentId == e!.Id).OrderBy(k => k.CreatedAt)
            .Select(k => new ApiKeyDto(k.Prefix, k.Name, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToListAsync(ct);
        return TypedResults.Ok(keys);
    }

    internal static async Task<Results<NoContent, ProblemResult>> Revoke(Guid id, string prefix, [AsParameters] EstablishmentEndpoints.ChangeServices s)
    {
        var (http, db, authz, audit, clock, directory, ct) = s;
        var (e, denied) = await EstablishmentEndpoints.Load(id, http, db, authz, Policies.EstablishmentKeys, ct);
        if (denied is not null) return denied;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.EstablishmentId == e!.Id && k.Prefix == prefix, ct);
        if (key is null) return Problems.NotFound();
        if (key.RevokedAt is null)
        {
            var caller = http.Caller();
            key.RevokedAt = clock.GetUtcNow();
            key.RevokedBy = caller.UserId;
            audit.Record(caller, "api-key.revoke", "api-key", prefix, e!.CommuneCode, new { establishmentId = e.Id }, http);
            await db.SaveChangesAsync(ct);
            directory.Forget(prefix: prefix);
        }
        return TypedResults.NoContent();
    }
}
