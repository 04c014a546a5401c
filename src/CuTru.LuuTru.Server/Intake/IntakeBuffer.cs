using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>The intake buffer on a Redis Stream. One script call checks the Idempotency-Key, numbers the receipt (per
/// commune, per day), appends the notification to the stream and keeps a copy for read-your-write — so a 202 is only
/// answered once Redis (AOF on) holds the notification. Notifications arriving together share one call.</summary>
public sealed class IntakeBuffer(IConnectionMultiplexer redis, IOptions<RedisOptions> options, IOptions<IntakeOptions> intake) : IAsyncDisposable
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

    // One script call appends a whole batch of notifications (group commit: requests arriving together share one round
    // trip and one script run; a lone request is a batch of one and waits for nothing).
    // KEYS: 1 stream, 2 receipt prefix, then per notification: counter, pending copy, idempotency key ("" when none),
    //       then one staying-index hash per guest document.
    // ARGV: 1 idempotency ttl s, 2 counter ttl s, 3 pending ttl s, 4 notifications in the batch, then per notification:
    //       id, payload, request hash, answer, commune, day, staying field (id), staying value (place|departure),
    //       staying time to live (s), check staying elsewhere first ('1' or '0'), place, arrival (unix s), documents (n),
    //       then the guest index of each staying hash.
    // Per notification it answers {'new', receipt, staying} or {'seen', the stored answer}. The guests found staying
    // elsewhere (comma-separated guest indexes) travel beside the payload: in the stream entry ('staying') and the
    // idempotency record, and are merged into the flags by whoever reads them. The pending key holds the stream entry's
    // id, so read-your-write finds the entry without a second copy of the payload. Notifications are handled in order,
    // so a later one in the same batch sees an earlier one's Idempotency-Key and staying guests.
    private const string AppendScript = StayingIndex.StayingElsewhereLua + """
        local stream, receipt_prefix = KEYS[1], KEYS[2]
        local idem_ttl, counter_ttl, pending_ttl = ARGV[1], ARGV[2], ARGV[3]
        local k, a = 3, 5
        local results = {}
        for j = 1, tonumber(ARGV[4]) do
          local counter, pending, idem = KEYS[k], KEYS[k + 1], KEYS[k + 2]
          local docs = tonumber(ARGV[a + 12])
          local dk, da = k + 3, a + 13
          local existing = false
          if idem ~= '' then existing = redis.call('GET', idem) end
          if existing then
            results[j] = {'seen', existing}
          else
            local found = {}
            if ARGV[a + 9] == '1' then
              local place, arrival = ARGV[a + 10], tonumber(ARGV[a + 11])
              for i = 0, docs - 1 do
                if staying_elsewhere(KEYS[dk + i], place, arrival) then table.insert(found, ARGV[da + i]) end
              end
            end
            local staying = table.concat(found, ',')
            local seq = redis.call('INCR', counter)
            if seq == 1 then redis.call('EXPIRE', counter, counter_ttl) end
            local receipt = ARGV[a + 4] .. '-' .. ARGV[a + 5] .. '-' .. string.format('%04d', seq)
            local entry = redis.call('XADD', stream, '*', 'id', ARGV[a], 'receipt', receipt, 'staying', staying, 'payload', ARGV[a + 1])
            redis.call('SET', pending, entry, 'EX', pending_ttl)
            redis.call('SET', receipt_prefix .. receipt, ARGV[a], 'EX', pending_ttl)
            local ttl = tonumber(ARGV[a + 8])
            for i = 0, docs - 1 do
              redis.call('HSET', KEYS[dk + i], ARGV[a + 6], ARGV[a + 7])
              local current = redis.call('TTL', KEYS[dk + i])
              if current < ttl then redis.call('EXPIRE', KEYS[dk + i], ttl) end
            end
            if idem ~= '' then
              redis.call('SET', idem, ARGV[a + 2] .. '\n' .. receipt .. '\n' .. staying .. '\n' .. ARGV[a + 3], 'EX', idem_ttl)
            end
            results[j] = {'new', receipt, staying}
          end
          k, a = dk + docs, da + docs
        end
        return results
        """;

    private const int HeaderArgs = 13;

    /// <summary>The result of an append: a fresh receipt, or the answer an earlier call with the same key got; and the
    /// guests (indexes) the staying check found staying elsewhere.</summary>
    public sealed record AppendResult(bool Replayed, string Receipt, IReadOnlyList<int> StayingGuests, string? PreviousRequestHash, string? PreviousAnswer);

    /// <summary>Where the stay is and when it begins, for the staying-elsewhere check made by the append itself.</summary>
    public sealed record StayingCheckArgs(string Place, DateTimeOffset ArrivalAt);

    /// <summary>One notification waiting for its batch: its keys and arguments (in the script's layout) and its caller.</summary>
    private sealed class PendingAppend(RedisKey[] keys, RedisValue[] args)
    {
        public readonly RedisKey[] Keys = keys;
        public readonly RedisValue[] Args = args;
        public readonly TaskCompletionSource<AppendResult> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<PendingAppend> _appends = System.Threading.Channels.Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _appender;
    private readonly Lock _startLock = new();

    /// <summary>Appends a notification (its receipt number not yet set) and returns its receipt.</summary>
    /// <param name="answerTemplate">The 202 body to replay for the same Idempotency-Key; <c>{receipt}</c> is filled in.</param>
    /// <param name="check">When given, the guests' documents are first checked against the staying index, in the same call.</param>
    /// <remarks>The same call enters the guests into the staying index (<see cref="StayingIndex"/>), so the next
    /// notification of the same document elsewhere is flagged from the moment this one is answered. Appends made at
    /// the same moment go to Redis together (<see cref="IntakeOptions.BufferAppendBatchSize"/>); a Redis failure fails
    /// every append of that batch, and each caller falls back as it would alone.</remarks>
    public Task<AppendResult> AppendAsync(Notification notification, DateOnly day, string? idempotencyScope, string? idempotencyKey,
        string requestHash, string answerTemplate, StayingIndex staying, StayingCheckArgs? check = null)
    {
        var payload = JsonSerializer.Serialize(notification, BufferJson.Options);
        var idem = idempotencyKey is null ? (RedisKey)"" : IdempotencyKey(idempotencyScope!, idempotencyKey);
        var documents = notification.Guests.Where(g => g.DocumentNumber is not null).DistinctBy(g => g.DocumentNumber).ToList();
        var keys = new RedisKey[3 + documents.Count];
        (keys[0], keys[1], keys[2]) = (CounterKey(notification.CommuneCode, day), PendingKey(notification.Id), idem);
        var args = new RedisValue[HeaderArgs + documents.Count];
        (args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8]) = (
            notification.Id.ToString(), payload, requestHash, answerTemplate,
            notification.CommuneCode, day.ToString("yyMMdd", CultureInfo.InvariantCulture),
            notification.Id.ToString("N"), StayingIndex.ValueOf(notification), (long)staying.TimeToLive(notification).TotalSeconds);
        (args[9], args[10], args[11], args[12]) = check is null ? ("0", "", 0, documents.Count) : ("1", check.Place, check.ArrivalAt.ToUnixTimeSeconds(), documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            keys[3 + i] = staying.Key(documents[i].DocumentNumber!);
            args[HeaderArgs + i] = documents[i].Index;
        }
        var pending = new PendingAppend(keys, args);
        EnsureAppender();
        if (!_appends.Writer.TryWrite(pending)) throw ShuttingDown();
        return pending.Done.Task;
    }

    private void EnsureAppender()
    {
        if (_appender is not null) return;
        lock (_startLock) _appender ??= Task.Run(AppendLoopAsync);
    }

    /// <summary>Takes what is waiting (up to the batch size) and sends it as one script call; while that call runs, the
    /// next batch fills up. Never throws: a failed call fails its own appends.</summary>
    private async Task AppendLoopAsync()
    {
        var max = intake.Value.BufferAppendBatchSize;
        var reader = _appends.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                var batch = new List<PendingAppend>();
                while (batch.Count < max && reader.TryRead(out var next)) batch.Add(next);
                await SendAsync(batch);
            }
        }
        catch (OperationCanceledException) { }
        while (reader.TryRead(out var left))
            left.Done.TrySetException(ShuttingDown());
    }

    /// <summary>An append after shutdown began fails like Redis being unreachable: the caller falls back to PostgreSQL.</summary>
    private static RedisConnectionException ShuttingDown() => new(ConnectionFailureType.None, "The intake buffer is shutting down.");

    private async Task SendAsync(List<PendingAppend> batch)
    {
        try
        {
            var keys = new RedisKey[2 + batch.Sum(p => p.Keys.Length)];
            var args = new RedisValue[4 + batch.Sum(p => p.Args.Length)];
            (keys[0], keys[1]) = (StreamKey, ReceiptKey(""));
            (args[0], args[1], args[2], args[3]) = ((long)IdempotencyWindow.TotalSeconds, (long)TimeSpan.FromDays(3).TotalSeconds,
                (long)PendingCopyLifetime.TotalSeconds, batch.Count);
            int k = 2, a = 4;
            foreach (var p in batch)
            {
                p.Keys.CopyTo(keys, k);
                p.Args.CopyTo(args, a);
                (k, a) = (k + p.Keys.Length, a + p.Args.Length);
            }
            var results = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, args))!;
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(ResultOf((RedisResult[])results[i]!));
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Done.TrySetException(e);
        }
    }

    private static AppendResult ResultOf(RedisResult[] result)
    {
        var kind = (string)result[0]!;
        var value = (string)result[1]!;
        if (kind == "new") return new AppendResult(false, value, GuestIndexes((string?)result[2]), null, null);
        var parts = value.Split('\n', 4);
        return new AppendResult(true, parts[1], GuestIndexes(parts[2]), parts[0], parts[3]);
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        _stopping.CancelAfter(TimeSpan.FromSeconds(10)); // appends still queued then are failed, not left waiting
        if (_appender is not null) await _appender;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>"0,2" → [0, 2].</summary>
    public static IReadOnlyList<int> GuestIndexes(string? staying) =>
        string.IsNullOrEmpty(staying) ? [] : staying.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    /// <summary>A buffered notification as recorded: its receipt and the staying-elsewhere flags found at append.</summary>
    public static Notification Complete(Notification n, string receipt, string? staying)
    {
        n.ReceiptNumber = receipt;
        n.Flags = Rules.Flags.WithStayingElsewhere(n.Flags, GuestIndexes(staying));
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
