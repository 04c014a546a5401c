using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.ReferenceData;

/// <summary>Which communes are marked remote, for the foreigners' deadline: read on every notification, so kept in
/// memory (a few codes), read again from PostgreSQL every 30 seconds and at once on this process after a change.
/// With PostgreSQL down the last known set stands.</summary>
public sealed class RemoteCommunes(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RemoteCommunes> logger)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private volatile Snapshot? _current;
    private readonly SemaphoreSlim _loading = new(1, 1);

    private sealed record Snapshot(HashSet<string> Codes, DateTimeOffset LoadedAt);

    public async ValueTask<bool> IsRemoteAsync(string communeCode, CancellationToken ct)
    {
        var current = _current;
        if (current is null || clock.GetUtcNow() - current.LoadedAt > Refresh) current = await LoadAsync(ct);
        return current?.Codes.Contains(communeCode) ?? false;
    }

    /// <summary>After a change on this process: the next question reads PostgreSQL again.</summary>
    public void Invalidate() => _current = null;

    private async Task<Snapshot?> LoadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            var current = _current;
            if (current is not null && clock.GetUtcNow() - current.LoadedAt <= Refresh) return current;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
            var codes = await db.Communes.AsNoTracking().Where(c => c.Remote).Select(c => c.Code).ToListAsync(ct);
            return _current = new Snapshot(codes.ToHashSet(StringComparer.Ordinal), clock.GetUtcNow());
        }
        catch (Exception e) when (Transient.Is(e))
        {
            logger.LogWarning("Remote communes not read ({Error}): the last known set stands", e.GetType().Name);
            return _current;
        }
        finally
        {
            _loading.Release();
        }
    }
}
