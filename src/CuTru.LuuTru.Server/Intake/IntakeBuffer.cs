using System.Globalization;
using System.Text.Json;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>The intake buffer on a Redis Stream. One script call per notification checks the Idempotency-Key,
/// numbers the receipt (per commune, per day), appends the notification to the stream and keeps a copy for
/// read-your-write — so a 202 is only answered once Redis (AOF on) holds the notification.</summary>
public sealed class IntakeBuffer(IConnectionMultiplexer redis, IOptions<RedisOptions> options)
{
    public const string ConsumerGroup = "recorders";
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan PendingCopyLifetime = TimeSpan.FromDays(2);

    private string Prefix => options.Value.KeyPrefix;
    public RedisKey StreamKey => Prefix + "intake";
    public RedisKey DeadLetterKey => Prefix + "intake:dead";
    public RedisKey PendingKey(Guid id) => Prefix + "pending:" + id.ToString("N");
    public RedisKey AttemptsKey => Prefix + "intake:attempts";
    public RedisKey ReceiptKey(string receipt) => Prefix + "receipt-id:" + receipt;
    private RedisKey CounterKey(string commune, DateOnly day) => Prefix + "receipt:" + commune + ":" + day.ToString("yyMMdd", CultureInfo.InvariantCulture);
    public RedisKey IdempotencyKey(string scope, string key) => Prefix + "idem:" + scope + ":" + key;

    // KEYS: counter, stream, pending copy, idempotency key ("" when none), receipt prefix, then one staying-index hash per guest document
    // ARGV: 1 id, 2 payload, 3 request hash, 4 answer, 5 idempotency ttl s, 6 counter ttl s, 7 pending ttl s, 8 commune, 9 day,
    //       10 staying field (id), 11 staying value (place|departure), 12 staying time to live (s),
    //       13 check staying elsewhere first ('1' or '0'), 14 place, 15 arrival (unix s), 16.. the guest index of each staying hash
    // The guests found staying elsewhere (comma-separated guest indexes) travel beside the payload: in the stream entry
    // ('staying') and the idempotency record, and are merged into the flags by whoever reads them. The pending key holds
    // the stream entry's id, so read-your-write finds the entry without a second copy of the payload.
    private const string AppendScript = StayingIndex.StayingElsewhereLua + """
        if KEYS[4] ~= '' then
          local existing = redis.call('GET', KEYS[4])
          if existing then return {'seen', existing} end
        end
        local found = {}
        if ARGV[13] == '1' then
          for i = 6, #KEYS do
            if staying_elsewhere(KEYS[i], ARGV[14], tonumber(ARGV[15])) then table.insert(found, ARGV[i + 10]) end
          end
        end
        local staying = table.concat(found, ',')
        local seq = redis.call('INCR', KEYS[1])
        if seq == 1 then redis.call('EXPIRE', KEYS[1], ARGV[6]) end
        local receipt = ARGV[8] .. '-' .. ARGV[9] .. '-' .. string.format('%04d', seq)
        local entry = redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'receipt', receipt, 'staying', staying, 'payload', ARGV[2])
        redis.call('SET', KEYS[3], entry, 'EX', ARGV[7])
        redis.call('SET', KEYS[5] .. receipt, ARGV[1], 'EX', ARGV[7])
        for i = 6, #KEYS do
          redis.call('HSET', KEYS[i], ARGV[10], ARGV[11])
          local current = redis.call('TTL', KEYS[i])
          if current < 0 or current < tonumber(ARGV[12]) then redis.call('EXPIRE', KEYS[i], ARGV[12]) end
        end
        if KEYS[4] ~= '' then
          redis.call('SET', KEYS[4], ARGV[3] .. '\n' .. receipt .. '\n' .. staying .. '\n' .. ARGV[4], 'EX', ARGV[5])
        end
        return {'new', receipt, staying}
        """;

    /// <summary>The result of an append: a fresh receipt, or the answer an earlier call with the same key got; and the
    /// guests (indexes) the staying check found staying elsewhere.</summary>
    public sealed record AppendResult(bool Replayed, string Receipt, IReadOnlyList<int> StayingGuests, string? PreviousRequestHash, string? PreviousAnswer);

    /// <summary>Where the stay is and when it begins, for the staying-elsewhere check made by the append itself.</summary>
    public sealed record StayingCheckArgs(string Place, DateTimeOffset ArrivalAt);

    /// <summary>Appends a notification (its receipt number not yet set) and returns its receipt.</summary>
    /// <param name="answerTemplate">The 202 body to replay for the same Idempotency-Key; <c>{receipt}</c> is filled in.</param>
    /// <param name="check">When given, the guests' documents are first checked against the staying index, in the same call.</param>
    /// <remarks>The same call enters the guests into the staying index (<see cref="StayingIndex"/>), so the next
    /// notification of the same document elsewhere is flagged from the moment this one is answered.</remarks>
    public async Task<AppendResult> AppendAsync(Notification notification, DateOnly day, string? idempotencyScope, string? idempotencyKey,
        string requestHash, string answerTemplate, StayingIndex staying, StayingCheckArgs? check = null)
    {
        var payload = JsonSerializer.Serialize(notification, BufferJson.Options);
        var idem = idempotencyKey is null ? (RedisKey)"" : IdempotencyKey(idempotencyScope!, idempotencyKey);
        var documents = notification.Guests.Where(g => g.DocumentNumber is not null).DistinctBy(g => g.DocumentNumber).ToList();
        var keys = new RedisKey[5 + documents.Count];
        (keys[0], keys[1], keys[2], keys[3], keys[4]) = (CounterKey(notification.CommuneCode, day), StreamKey, PendingKey(notification.Id), idem, ReceiptKey(""));
        var args = new RedisValue[15 + documents.Count];
        (args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9], args[10], args[11]) = (
            notification.Id.ToString(), payload, requestHash, answerTemplate,
            (long)IdempotencyWindow.TotalSeconds, (long)TimeSpan.FromDays(3).TotalSeconds, (long)PendingCopyLifetime.TotalSeconds,
            notification.CommuneCode, day.ToString("yyMMdd", CultureInfo.InvariantCulture),
            notification.Id.ToString("N"), StayingIndex.ValueOf(notification), (long)staying.TimeToLive(notification).TotalSeconds);
        (args[12], args[13], args[14]) = check is null ? ("0", "", 0) : ("1", check.Place, check.ArrivalAt.ToUnixTimeSeconds());
        for (var i = 0; i < documents.Count; i++)
        {
            keys[5 + i] = staying.Key(documents[i].DocumentNumber!);
            args[15 + i] = documents[i].Index;
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, args))!;
        var kind = (string)result[0]!;
        var value = (string)result[1]!;
        if (kind == "new") return new AppendResult(false, value, GuestIndexes((string?)result[2]), null, null);
        var parts = value.Split('\n', 4);
        return new AppendResult(true, parts[1], GuestIndexes(parts[2]), parts[0], parts[3]);
    }

    /// <summary>"0,2" → [0, 2].</summary>
    public static IReadOnlyList<int> GuestIndexes(string? staying) =>
        string.IsNullOrEmpty(staying) ? [] : staying.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    /// <summary>A buffered notification as recorded: its receipt and the staying-elsewhere flags found at append.</summary>
    public static Notification Complete(Notification n, string receipt, string? staying)
    {
        n.ReceiptNumber = receipt;
        var guests = GuestIndexes(staying);
        if (guests.Count > 0)
            n.Flags = JsonSerializer.Serialize(IntakeService.FlagsOf(n).Concat(guests.Select(i => new Rules.Flag(Rules.FlagCodes.StayingElsewhere, i))).ToList(),
                IntakeService.FlagJson);
        return n;
    }

    /// <summary>Copies the Idempotency-Keys answered from PostgreSQL while Redis was down into Redis (never over a
    /// key Redis already has), so a retry after Redis returns still gets the first answer.</summary>
    public async Task<int> RestoreIdempotencyAsync(IReadOnlyList<IdempotencyRecord> records, DateTimeOffset now)
    {
        var db = redis.GetDatabase();
        var copied = 0;
        foreach (var r in records)
        {
            var left = r.CreatedAt + IdempotencyWindow - now;
            if (left <= TimeSpan.Zero) continue;
            if (await db.StringSetAsync(IdempotencyKey(r.Scope, r.Key), r.RequestHash + "\n" + r.ReceiptNumber + "\n\n" + r.Answer, left, When.NotExists))
                copied++;
        }
        return copied;
    }

    /// <summary>The id behind a receipt number still in the buffer, if any.</summary>
    public async Task<Guid?> FindIdByReceiptAsync(string receipt)
    {
        try
        {
            var id = (string?)await redis.GetDatabase().StringGetAsync(ReceiptKey(receipt));
            return Guid.TryParse(id, out var g) ? g : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { return null; }
    }

    /// <summary>A notification accepted into the buffer but not yet recorded in PostgreSQL, if any (none when Redis is down).</summary>
    public async Task<Notification?> FindPendingAsync(Guid id)
    {
        try
        {
            var db = redis.GetDatabase();
            var entryId = await db.StringGetAsync(PendingKey(id));
            if (entryId.IsNull) return null;
            var entries = await db.StreamRangeAsync(StreamKey, entryId, entryId);
            return entries.Length == 1 ? Parse(entries[0]) : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { return null; }
    }

    /// <summary>A stream entry as the notification it carries (receipt and staying flags filled in); null when unreadable.</summary>
    public static Notification? Parse(StreamEntry entry)
    {
        try
        {
            var payload = (string?)entry["payload"];
            var receipt = (string?)entry["receipt"];
            if (payload is null || receipt is null) return null;
            var n = JsonSerializer.Deserialize<Notification>(payload, BufferJson.Options);
            return n is null ? null : Complete(n, receipt, entry["staying"]);
        }
        catch (Exception e) when (e is JsonException or FormatException) { return null; }
    }
}

public static class NotificationLookup
{
    /// <summary>Finds a notification in PostgreSQL or, while it waits there, in the buffer. The drain removes the
    /// buffered copy only after its commit, so looking in PostgreSQL once more after a miss in Redis closes the race.</summary>
    public static async Task<(Notification? Notification, bool Buffered)> FindAsync(
        Func<Task<Notification?>> fromDatabase, Func<Task<Notification?>> fromBuffer, bool databaseAvailable = true)
    {
        if (!databaseAvailable)
        {
            // PostgreSQL looks down: the buffer first; after a miss, PostgreSQL all the same (the probe may be behind).
            var buffered = await fromBuffer();
            if (buffered is not null) return (buffered, true);
        }
        var n = await fromDatabase();
        if (n is not null) return (n, false);
        var pending = await fromBuffer();
        if (pending is not null) return (pending, true);
        return (await fromDatabase(), false);
    }
}

/// <summary>How buffered notifications are serialized: the storage entity as is, empty fields left out.</summary>
public static class BufferJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
