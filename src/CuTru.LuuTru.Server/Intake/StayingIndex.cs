using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Who is staying where, by document number, kept in Redis so the staying-elsewhere check costs intake one
/// Redis call instead of a PostgreSQL query. One hash per document: field = notification id, value =
/// "place|planned departure (unix s)". Written by the intake's own append call (so it is current when the 202 is
/// sent) and by checkout, cancel, extend and correct; rebuilt from PostgreSQL at start and every 15 minutes (so
/// stays recorded while Redis was down appear).</summary>
public sealed class StayingIndex(IConnectionMultiplexer redis, IOptions<RedisOptions> options, IServiceScopeFactory scopes,
    TimeProvider clock, ILogger<StayingIndex> logger)
{
    private string Prefix => options.Value.KeyPrefix;
    public RedisKey Key(string document) => Prefix + "staying:" + document;

    public static string ValueOf(Notification n) =>
        PlaceOf(n.EstablishmentId, n.CommuneCode, n.Address) + "|" + n.DepartureAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>An entry outlives the planned departure by a day (on the server's clock), then disappears by itself.</summary>
    public TimeSpan TimeToLive(Notification n)
    {
        var ttl = n.DepartureAt.AddDays(1) - clock.GetUtcNow();
        return ttl < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : ttl;
    }

    /// <summary>Where a stay is: its establishment, or a household's commune and address.</summary>
    public static string PlaceOf(Guid? establishmentId, string communeCode, string address) =>
        establishmentId is { } id ? "e:" + id.ToString("N")
            : "h:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(communeCode + "|" + address)))[..16];

    /// <summary>Lua shared by the check below and the buffer's append script, one pass over a document's hash: the stay
    /// of this document at this place past the arrival (its notification id, or false), and whether it stays, not checked
    /// out, at another place past the arrival.</summary>
    internal const string StayingLua = """
        local function staying_at(key, place, arrival)
          local here, elsewhere = false, false
          local entries = redis.call('HGETALL', key)
          for i = 1, #entries, 2 do
            local v = entries[i + 1]
            local sep = string.find(v, '|', 1, true)
            if tonumber(string.sub(v, sep + 1)) > arrival then
              if string.sub(v, 1, sep - 1) == place then here = here or entries[i] else elsewhere = true end
            end
          end
          return here, elsewhere, #entries
        end

        """;

    private const string HereScript = StayingLua + """
        local out = {}
        for i, key in ipairs(KEYS) do
          local here = staying_at(key, ARGV[1], tonumber(ARGV[2]))
          out[i] = here or ''
        end
        return out
        """;

    /// <summary>For each document, the notification (id) of its stay at <paramref name="place"/> past the arrival, or null:
    /// the same judgement the append script makes (the same Lua), asked before anything of a request is appended, so
    /// that a request of several stays can be refused whole.</summary>
    public async Task<Guid?[]> StayingHereAsync(string place, DateTimeOffset arrival, IReadOnlyList<string> documents)
    {
        if (documents.Count == 0) return [];
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HereScript,
            documents.Select(d => Key(d)).ToArray(), [place, arrival.ToUnixTimeSeconds()]))!;
        return result.Select(r => Guid.TryParseExact((string?)r, "N", out var id) ? id : (Guid?)null).ToArray();
    }

    /// <summary>Records the staying guests of notifications (after they are committed to PostgreSQL).</summary>
    public async Task AddAsync(IEnumerable<Notification> notifications)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var tasks = new List<Task>();
        foreach (var n in notifications.Where(n => n.Status is NotificationStatus.Recorded or NotificationStatus.Accepted))
        {
            var value = ValueOf(n);
            foreach (var g in n.Guests.Where(g => g.DocumentNumber is not null && g.CheckedOutAt is null))
            {
                tasks.Add(batch.HashSetAsync(Key(g.DocumentNumber!), n.Id.ToString("N"), value));
                tasks.Add(batch.KeyExpireAsync(Key(g.DocumentNumber!), TimeToLive(n), ExpireWhen.GreaterThanCurrentExpiry));
                tasks.Add(batch.KeyExpireAsync(Key(g.DocumentNumber!), TimeToLive(n), ExpireWhen.HasNoExpiry));
            }
        }
        batch.Execute();
        await Task.WhenAll(tasks);
    }

    /// <summary>Forgets guests who left (all of them, or the listed documents).</summary>
    public async Task RemoveAsync(Guid notificationId, IEnumerable<string?> documents)
    {
        var db = redis.GetDatabase();
        await Task.WhenAll(documents.Where(d => d is not null).Distinct().Select(d => db.HashDeleteAsync(Key(d!), notificationId.ToString("N"))));
    }

    /// <summary>Keeps the index in step after a lifecycle change; never fails the change itself.</summary>
    public async Task SyncAsync(Notification n, IEnumerable<string?> previousDocuments)
    {
        try
        {
            await RemoveAsync(n.Id, previousDocuments.Concat(n.Guests.Select(g => g.DocumentNumber)));
            if (n.Status == NotificationStatus.Recorded) await AddAsync([n]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Staying index not updated (Redis unavailable); the next rebuild will correct it");
        }
    }

    /// <summary>Writes every current stay from PostgreSQL into the index.</summary>
    public async Task<int> RebuildAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
        var now = clock.GetUtcNow();
        var count = 0;
        var lastId = Guid.Empty;
        while (true)
        {
            var page = await db.Notifications.AsNoTracking().Include(n => n.Guests)
                .Where(n => n.Status == NotificationStatus.Recorded && n.DepartureAt > now && n.Id > lastId)
                .OrderBy(n => n.Id).Take(2000).ToListAsync(ct);
            if (page.Count == 0) break;
            await AddAsync(page);
            count += page.Count;
            lastId = page[^1].Id;
        }
        return count;
    }
}

/// <summary>Brings Redis up to date with what PostgreSQL took while it was away: the staying index and the
/// Idempotency-Keys answered from PostgreSQL. At start, every 15 minutes, and as soon as Redis reconnects.</summary>
public sealed class StayingIndexRebuilder(StayingIndex index, IntakeBuffer buffer, IConnectionMultiplexer redis, IServiceScopeFactory scopes,
    TimeProvider clock, ILogger<StayingIndexRebuilder> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        redis.ConnectionRestored += OnRestored;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var n = await index.RebuildAsync(ct);
                    var keys = await RestoreIdempotencyAsync(ct);
                    logger.LogInformation("Staying index rebuilt from {Count} current stays; {Keys} idempotency keys restored", n, keys);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
                catch (Exception e) when (Transient.Is(e))
                {
                    logger.LogWarning("Redis resync failed ({Error}); intake falls back to PostgreSQL where Redis lacks it", e.GetType().Name);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Redis resync failed unexpectedly; intake falls back to PostgreSQL where Redis lacks it");
                }
                try { await _wake.WaitAsync(TimeSpan.FromMinutes(15), ct); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally { redis.ConnectionRestored -= OnRestored; }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    private async Task<int> RestoreIdempotencyAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
        var since = clock.GetUtcNow() - IntakeBuffer.IdempotencyWindow;
        var records = await db.IdempotencyRecords.AsNoTracking().Where(r => r.CreatedAt > since).ToListAsync(ct);
        return records.Count == 0 ? 0 : await buffer.RestoreIdempotencyAsync(records, clock.GetUtcNow());
    }
}
