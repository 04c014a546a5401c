using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static CuTru.LuuTru.Server.Intake.AppendProtocol;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>The intake buffer on a Redis Stream. One script call checks the Idempotency-Key, numbers the receipt (per
/// commune, per day), appends the notification to the stream and keeps a copy for read-your-write — so a 202 is only
/// answered once Redis (AOF on) holds the notification. Notifications arriving together share one call.</summary>
public sealed class IntakeBuffer(IConnectionMultiplexer redis, IOptions<RedisOptions> options, IOptions<IntakeOptions> intake, Npgsql.NpgsqlDataSource data,
    ILogger<IntakeBuffer> logger) : IAsyncDisposable
{
    public const string ConsumerGroup = "recorders";
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan PendingCopyLifetime = TimeSpan.FromDays(2);

    private string Prefix => options.Value.KeyPrefix;
    public RedisKey StreamKey => Prefix + "intake";
    public RedisKey DeadLetterKey => Prefix + "intake:dead";
    /// <summary>Read-your-write for one day's buffered notifications, one hash: <c>i:&lt;id&gt;</c> → its stream entry,
    /// <c>r:&lt;receipt&gt;</c> → its id (two fields of one hash cost Redis less than two keys with their own expiry; the
    /// drain deletes both fields after its commit, the hash expires <see cref="PendingCopyLifetime"/> after its day's last append).</summary>
    public RedisKey BufferedKey(DateOnly day) => Prefix + "buffered:" + day.ToString("yyMMdd", CultureInfo.InvariantCulture);
    /// <summary>The day whose hash holds a buffered notification: the receipt's day, which is the Vietnam day of the
    /// instant its id was made from (<see cref="IntakeService.AcceptAsync"/> takes both from the same clock reading).</summary>
    public RedisKey BufferedKey(Guid id) => BufferedKey(VietnamTime.DayOf(TimestampOf(id)));
    public RedisKey BufferedKey(string receipt) =>
        ReceiptNumber.TryParse(receipt, out var r) ? BufferedKey(r.Day) : Prefix + "buffered:none";
    public static RedisValue BufferedIdField(Guid id) => "i:" + id.ToString("N");
    public static RedisValue BufferedReceiptField(string receipt) => "r:" + receipt;
    public RedisKey AttemptsKey => Prefix + "intake:attempts";

    /// <summary>When a version-7 id was made (its first 48 bits: Unix milliseconds).</summary>
    private static DateTimeOffset TimestampOf(Guid id)
    {
        Span<byte> b = stackalloc byte[16];
        id.TryWriteBytes(b, bigEndian: true, out _);
        var ms = ((long)b[0] << 40) | ((long)b[1] << 32) | ((long)b[2] << 24) | ((long)b[3] << 16) | ((long)b[4] << 8) | b[5];
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
    public RedisKey EpochKey => Prefix + "receipt-epoch";
    private static readonly TimeSpan CounterLifetime = TimeSpan.FromDays(3);
    private RedisKey CounterKey(string commune, DateOnly day) => Prefix + "receipt:" + commune + ":" + day.ToString("yyMMdd", CultureInfo.InvariantCulture);
    public RedisKey IdempotencyKey(string scope, string key) => Prefix + "idem:" + scope + ":" + key;

    /// <summary>Whether an Idempotency-Key has answered already (within its 24 hours).</summary>
    public Task<bool> IdempotencyKeyUsedAsync(string scope, string key) => redis.GetDatabase().KeyExistsAsync(IdempotencyKey(scope, key));

    // One script call appends a whole batch of notifications (group commit: requests arriving together share one round
    // trip and one script run; a lone request is a batch of one and waits for nothing). Its KEYS and ARGV are laid out
    // as AppendProtocol names them: the header, then per notification its keys and arguments, each followed by one
    // staying-index hash per guest document (KEYS) and that guest's index (ARGV).
    // Per notification it answers {'new', receipt, staying}, {'seen', the stored idempotency record}, or, when a guest's
    // document is already staying at this same place past the arrival, {'here', that notification's id, the guest's
    // index} and nothing is numbered or appended (a second notification of the same check-in). The guests found
    // staying elsewhere (comma-separated guest indexes) travel beside the payload: in the stream entry ('staying') and the
    // idempotency record, and are merged into the flags by whoever reads them. The day's buffered hash holds the stream
    // entry's id and the receipt's notification id, so read-your-write finds the entry without a second copy of the
    // payload. Notifications are handled in order, so a later one in the same batch sees an earlier one's
    // Idempotency-Key and staying guests. Every redis.call costs far more than its command (arguments converted both
    // ways, the AOF's record): the script makes as few as it can per notification (the batch's Idempotency-Keys are read
    // by one MGET and its read-your-write fields written by one HSET per day; the counter is incremented first and only a
    // 1 asks whether Redis lost its data; a guest's expiry is raised by EXPIRE GT when its hash already existed).
    private static readonly string AppendScript = StayingIndex.StayingLua + $$"""
        {{AppendProtocol.Declare<AppendProtocol.HeaderKey>("KEYS", "1")}}
        {{AppendProtocol.Declare<AppendProtocol.HeaderArg>("ARGV", "1")}}
        local k, a = {{AppendProtocol.HeaderKeys + 1}}, {{AppendProtocol.HeaderArgs + 1}}
        local results, buffered = {}, {}
        -- The batch's Idempotency-Keys read with one MGET; a key answered earlier in this batch is found in the table.
        local answered, idem_keys, kk, aa = {}, {}, k, a
        for j = 1, tonumber(count) do
          local key, docs = KEYS[kk + {{(int)AppendProtocol.NotificationKey.Idempotency}}], tonumber(ARGV[aa + {{(int)AppendProtocol.NotificationArg.Documents}}])
          if key ~= '' then idem_keys[#idem_keys + 1] = key end
          kk, aa = kk + {{AppendProtocol.NotificationKeys}} + docs, aa + {{AppendProtocol.NotificationArgs}} + docs
        end
        if #idem_keys > 0 then
          local values = redis.call('MGET', unpack(idem_keys))
          for i = 1, #idem_keys do answered[idem_keys[i]] = values[i] end
        end
        for j = 1, tonumber(count) do
          {{AppendProtocol.Declare<AppendProtocol.NotificationKey>("KEYS", "k")}}
          {{AppendProtocol.Declare<AppendProtocol.NotificationArg>("ARGV", "a")}}
          local docs = tonumber(documents)
          local dk, da = k + {{AppendProtocol.NotificationKeys}}, a + {{AppendProtocol.NotificationArgs}}
          local existing = false
          if idempotency ~= '' then existing = answered[idempotency] end
          -- One pass over each guest's staying hash: already staying here (the same check-in again), or elsewhere.
          local here, found, known = false, {}, {}
          if not existing and check_staying == '1' then
            local at = tonumber(arrival)
            for i = 0, docs - 1 do
              local at_here, elsewhere, entries = staying_at(KEYS[dk + i], place, at)
              known[i] = entries > 0
              if at_here then here = {at_here, ARGV[da + i]}; break end
              if elsewhere then table.insert(found, ARGV[da + i]) end
            end
          end
          local seq = 0
          if not existing and not here then
            seq = redis.call('INCR', counter)
            if seq == 1 then
              if redis.call('EXISTS', epoch) == 0 then
                -- Redis lost its data: the day's numbers must continue from PostgreSQL's, never start again at 0001.
                redis.call('DEL', counter)
                seq = 0
              else
                redis.call('EXPIRE', counter, counter_ttl)
              end
            end
          end
          if existing then
            results[j] = {'seen', existing}
          elseif here then
            results[j] = {'here', here[1], here[2]}
          elseif seq == 0 then
            results[j] = {'seed', day}
          else
            local staying = table.concat(found, ',')
            local receipt = commune .. '-' .. day .. '-' .. string.format('%04d', seq)
            local entry = redis.call('XADD', stream, '*', {{AppendProtocol.EntryFieldsLua}})
            local fields = buffered[buffered_hash]
            if not fields then fields = {}; buffered[buffered_hash] = fields end
            local f = #fields
            fields[f + 1], fields[f + 2], fields[f + 3], fields[f + 4] = 'i:' .. staying_field, entry, 'r:' .. receipt, id
            local ttl = tonumber(staying_ttl)
            for i = 0, docs - 1 do
              redis.call('HSET', KEYS[dk + i], staying_field, staying_value)
              if known[i] then
                redis.call('EXPIRE', KEYS[dk + i], ttl, 'GT')
              elseif check_staying == '1' then
                redis.call('EXPIRE', KEYS[dk + i], ttl)
              else
                local current = redis.call('TTL', KEYS[dk + i])
                if current < ttl then redis.call('EXPIRE', KEYS[dk + i], ttl) end
              end
            end
            if idempotency ~= '' then
              local record = {{AppendProtocol.IdempotencyRecordLua}}
              redis.call('SET', idempotency, record, 'EX', idempotency_ttl)
              answered[idempotency] = record
            end
            results[j] = {'new', receipt, staying}
          end
          k, a = dk + docs, da + docs
        end
        -- Each day's read-your-write fields in one HSET (at most 4 per notification: within Lua's unpack limit).
        for hash, fields in pairs(buffered) do
          redis.call('HSET', hash, unpack(fields))
          redis.call('EXPIRE', hash, pending_ttl)
        end
        return results
        """;

    /// <summary>The result of an append: a fresh receipt, or the answer an earlier call with the same key got; and the
    /// guests (indexes) the staying check found staying elsewhere.</summary>
    public sealed record AppendResult(bool Replayed, string Receipt, IReadOnlyList<int> StayingGuests, string? PreviousRequestHash, string? PreviousAnswer,
        (Guid Id, int GuestIndex)? AlreadyStaying = null);

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
        var payload = BufferedNotification.Serialize(notification);
        var idem = idempotencyKey is null ? (RedisKey)"" : IdempotencyKey(idempotencyScope!, idempotencyKey);
        var documents = notification.Guests.Where(g => g.DocumentNumber is not null).DistinctBy(g => g.DocumentNumber).ToList();
        var keys = new RedisKey[AppendProtocol.NotificationKeys + documents.Count];
        keys[(int)NotificationKey.Counter] = CounterKey(notification.CommuneCode, day);
        keys[(int)NotificationKey.BufferedHash] = BufferedKey(day);
        keys[(int)NotificationKey.Idempotency] = idem;
        var args = new RedisValue[AppendProtocol.NotificationArgs + documents.Count];
        args[(int)NotificationArg.Id] = notification.Id.ToString();
        args[(int)NotificationArg.Payload] = payload;
        args[(int)NotificationArg.RequestHash] = requestHash;
        args[(int)NotificationArg.Answer] = answerTemplate;
        args[(int)NotificationArg.Commune] = notification.CommuneCode;
        args[(int)NotificationArg.Day] = day.ToString("yyMMdd", CultureInfo.InvariantCulture);
        args[(int)NotificationArg.StayingField] = notification.Id.ToString("N");
        args[(int)NotificationArg.StayingValue] = StayingIndex.ValueOf(notification);
        args[(int)NotificationArg.StayingTtl] = (long)staying.TimeToLive(notification).TotalSeconds;
        args[(int)NotificationArg.CheckStaying] = check is null ? "0" : "1";
        args[(int)NotificationArg.Place] = check?.Place ?? "";
        args[(int)NotificationArg.Arrival] = check?.ArrivalAt.ToUnixTimeSeconds() ?? 0;
        args[(int)NotificationArg.Documents] = documents.Count;
        for (var i = 0; i < documents.Count; i++)
        {
            keys[AppendProtocol.NotificationKeys + i] = staying.Key(documents[i].DocumentNumber!);
            args[AppendProtocol.NotificationArgs + i] = documents[i].Index;
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

    private async Task SendAsync(List<PendingAppend> batch, bool seeded = false)
    {
        List<PendingAppend>? unseeded = null;
        try
        {
            var keys = new RedisKey[AppendProtocol.HeaderKeys + batch.Sum(p => p.Keys.Length)];
            var args = new RedisValue[AppendProtocol.HeaderArgs + batch.Sum(p => p.Args.Length)];
            keys[(int)HeaderKey.Stream] = StreamKey;
            keys[(int)HeaderKey.Epoch] = EpochKey;
            args[(int)HeaderArg.IdempotencyTtl] = (long)IdempotencyWindow.TotalSeconds;
            args[(int)HeaderArg.CounterTtl] = (long)CounterLifetime.TotalSeconds;
            args[(int)HeaderArg.PendingTtl] = (long)PendingCopyLifetime.TotalSeconds;
            args[(int)HeaderArg.Count] = batch.Count;
            int k = AppendProtocol.HeaderKeys, a = AppendProtocol.HeaderArgs;
            foreach (var p in batch)
            {
                p.Keys.CopyTo(keys, k);
                p.Args.CopyTo(args, a);
                (k, a) = (k + p.Keys.Length, a + p.Args.Length);
            }
            var results = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, args))!;
            for (var i = 0; i < batch.Count; i++)
            {
                var result = (RedisResult[])results[i]!;
                if ((string)result[0]! == "seed" && !seeded) (unseeded ??= []).Add(batch[i]);
                else if ((string)result[0]! == "seed") batch[i].Done.TrySetException(new RedisServerException("The receipt counters could not be seeded."));
                else batch[i].Done.TrySetResult(ResultOf(result));
            }
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        if (unseeded is null) return;
        try
        {
            await ReseedCountersAsync(DateOnly.ParseExact((string)unseeded[0].Args[(int)NotificationArg.Day]!, "yyMMdd", CultureInfo.InvariantCulture));
        }
        catch (Exception e)
        {
            // PostgreSQL cannot say where the day's numbers are: no number is given out (the caller falls back, or answers 503).
            logger.LogError("Receipt counters not seeded after Redis lost its data ({Error}): appends wait for PostgreSQL", e.GetType().Name);
            foreach (var p in unseeded) p.Done.TrySetException(new RedisConnectionException(ConnectionFailureType.None, "Receipt counters not seeded.", e));
            return;
        }
        await SendAsync(unseeded, seeded: true);
    }

    private readonly SemaphoreSlim _seeding = new(1, 1);

    /// <summary>After Redis lost its data (the epoch marker is gone), sets every commune's counter of the day to the
    /// highest number PostgreSQL holds for it (the Redis range, below <see cref="IntakeService.DirectSequenceBase"/>),
    /// then sets the marker: from then on a missing counter is a new day. One query for all communes; runs once.</summary>
    public async Task ReseedCountersAsync(DateOnly day)
    {
        await _seeding.WaitAsync();
        try
        {
            var db = redis.GetDatabase();
            if (await db.KeyExistsAsync(EpochKey)) return;
            var yymmdd = day.ToString("yyMMdd", CultureInfo.InvariantCulture);
            var highest = new List<(string Commune, long Last)>();
            await using (var cmd = data.CreateCommand("""
                select commune_code, max(split_part(receipt_number, '-', 3)::bigint) from notifications
                where split_part(receipt_number, '-', 2) = @day and split_part(receipt_number, '-', 3)::bigint < @direct
                group by commune_code
                """))
            {
                cmd.Parameters.AddWithValue("day", yymmdd);
                cmd.Parameters.AddWithValue("direct", IntakeService.DirectSequenceBase);
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) highest.Add((r.GetString(0), r.GetInt64(1)));
            }
            foreach (var (commune, last) in highest)
                await db.ScriptEvaluateAsync(RaiseScript, [CounterKey(commune, day)], [last, (long)CounterLifetime.TotalSeconds]);
            await db.StringSetAsync(EpochKey, yymmdd);
            logger.LogWarning("Receipt counters of {Day} seeded from PostgreSQL for {Communes} communes (no trusted counters in Redis: a first start, or Redis lost its data)",
                yymmdd, highest.Count);
        }
        finally
        {
            _seeding.Release();
        }
    }

    // The counter becomes at least the given value (never lower: a number already given out is never given again).
    private const string RaiseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
        return current
        """;

    private static AppendResult ResultOf(RedisResult[] result)
    {
        var kind = (string)result[0]!;
        var value = (string)result[1]!;
        if (kind == "new") return new AppendResult(false, value, GuestIndexes((string?)result[2]), null, null);
        if (kind == "here")
            return new AppendResult(false, "", [], null, null, (Guid.ParseExact(value, "N"), int.Parse((string)result[2]!, CultureInfo.InvariantCulture)));
        var seen = AppendProtocol.ParseIdempotency(value);
        return new AppendResult(true, seen.Receipt, GuestIndexes(seen.Staying), seen.RequestHash, seen.Answer);
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
            if (await db.StringSetAsync(IdempotencyKey(r.Scope, r.Key), AppendProtocol.FormatIdempotency(r.RequestHash, r.ReceiptNumber, "", r.Answer), left, When.NotExists))
                copied++;
        }
        return copied;
    }

    /// <summary>The id behind a receipt number still in the buffer, if any.</summary>
    public async Task<Guid?> FindIdByReceiptAsync(string receipt)
    {
        try
        {
            var id = (string?)await redis.GetDatabase().HashGetAsync(BufferedKey(receipt), BufferedReceiptField(receipt));
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
            var entryId = await db.HashGetAsync(BufferedKey(id), BufferedIdField(id));
            if (entryId.IsNull) return null;
            var entries = await db.StreamRangeAsync(StreamKey, entryId, entryId);
            return entries.Length == 1 && TryRead(entries[0], out var n, out _) ? n : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { return null; }
    }

    /// <summary>A stream entry as the notification it carries (receipt and staying flags filled in), or why it cannot be
    /// read (no personal data in the reason).</summary>
    public static bool TryRead(StreamEntry entry, [NotNullWhen(true)] out Notification? notification, out string? problem)
    {
        notification = null;
        problem = "unreadable entry";
        try
        {
            var payload = (byte[]?)entry[AppendProtocol.EntryField.Payload];
            var receipt = (string?)entry[AppendProtocol.EntryField.Receipt];
            if (payload is null || receipt is null) return false;
            var n = BufferedNotification.Deserialize(payload);
            if (n is null) return false;
            notification = Complete(n, receipt, entry[AppendProtocol.EntryField.Staying]);
            problem = null;
            return true;
        }
        catch (BufferedNotification.UnsupportedVersionException e)
        {
            problem = "unsupported " + e.Message;
            return false;
        }
        catch (Exception e) when (e is JsonException or FormatException) { return false; }
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
