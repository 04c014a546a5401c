using CuTru.LuuTru.Server.Infrastructure;
using System.Collections.Concurrent;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Security;

/// <summary>What intake needs to know about a key and its establishment, kept in memory so that notifications
/// are still accepted into Redis while PostgreSQL is down. Entries are refreshed from PostgreSQL after
/// <see cref="FreshFor"/>; an old entry is used only when PostgreSQL cannot be reached. A revocation in this
/// process takes effect at once; in other processes within <see cref="FreshFor"/>.</summary>
public sealed class EstablishmentDirectory(IServiceScopeFactory scopes, TimeProvider clock, Health.DatabaseProbe probe)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    public sealed record KeyEntry(byte[] SecretHash, bool Revoked, Guid EstablishmentId, DateTimeOffset? LastUsedAt);
    public sealed record EstablishmentEntry(Guid Id, EstablishmentStatus Status, string CommuneCode, string ProvinceCode, string Address, string Name);

    private readonly ConcurrentDictionary<string, (KeyEntry? Value, DateTimeOffset At)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, (EstablishmentEntry? Value, DateTimeOffset At)> _establishments = new();

    public Task<KeyEntry?> KeyAsync(string prefix, CancellationToken ct) => GetAsync(_keys, prefix, async db =>
        await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix)
            .Select(k => new KeyEntry(k.SecretHash, k.RevokedAt != null, k.EstablishmentId, k.LastUsedAt)).FirstOrDefaultAsync(ct));

    public Task<EstablishmentEntry?> EstablishmentAsync(Guid id, CancellationToken ct) => GetAsync(_establishments, id, async db =>
        await db.Establishments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new EstablishmentEntry(e.Id, e.Status, e.CommuneCode, e.ProvinceCode, e.Address, e.Name)).FirstOrDefaultAsync(ct));

    /// <summary>Drop what this process knows of a key or establishment (after a revocation, approval or suspension).</summary>
    public void Forget(string? prefix = null, Guid? establishmentId = null)
    {
        if (prefix is not null) _keys.TryRemove(prefix, out _);
        if (establishmentId is { } id) _establishments.TryRemove(id, out _);
    }

    public void Touched(string prefix, DateTimeOffset at)
    {
        if (_keys.TryGetValue(prefix, out var e) && e.Value is not null) _keys[prefix] = (e.Value with { LastUsedAt = at }, e.At);
    }

    private async Task<T?> GetAsync<TKey, T>(ConcurrentDictionary<TKey, (T? Value, DateTimeOffset At)> cache, TKey key, Func<LuuTruDb, Task<T?>> load)
        where TKey : notnull where T : class
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && now - hit.At < FreshFor) return hit.Value;
        if (!probe.Available && hit.Value is not null) return hit.Value; // PostgreSQL is down: do not wait for it
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var value = await load(scope.ServiceProvider.GetRequiredService<LuuTruDb>());
            cache[key] = (value, now);
            return value;
        }
        catch (Exception e) when (Transient.Is(e) && hit.Value is not null)
        {
            return hit.Value; // PostgreSQL is down: what we knew a moment ago is the best answer there is
        }
    }
}
