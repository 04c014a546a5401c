using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Drains the intake stream into PostgreSQL. Reads a batch through the consumer group, writes it in one
/// transaction (idempotent on the notification id), and acknowledges only after the commit. An entry that keeps
/// failing goes to the dead-letter stream with its reason; PostgreSQL being down just pauses the drain. Entries a
/// crashed process left behind are claimed. A failure in one batch never stops the host.</summary>
public sealed class IntakeDrainWorker(
    IConnectionMultiplexer redis,
    IntakeBuffer buffer,
    IServiceScopeFactory scopes,
    IOptions<IntakeOptions> options,
    Police.PoliceEvents police,
    Police.PoliceFeed feed,
    Kbtt.KbttOutbox outbox,
    ProcessRoles roles,
    LuuTruMetrics metrics,
    TimeProvider clock,
    ILogger<IntakeDrainWorker> logger) : BackgroundService
{
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private bool _ownPending = true;          // read our own unacknowledged entries first after a start or a failure
    private DateTimeOffset _nextClaim;

    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.DrainEnabled || !roles.Drain) return;
        var backoff = TimeSpan.FromMilliseconds(200);
        var groupReady = false;
        await WarmUpAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!groupReady)
                {
                    await EnsureGroupAsync();
                    groupReady = true;
                }
                if (clock.GetUtcNow() - _lastTrim > TimeSpan.FromHours(1))
                {
                    // Dead letters hold personal data: kept only so long.
                    await DeadLetterEndpoints.TrimAsync(redis.GetDatabase(), buffer, clock, o);
                    _lastTrim = clock.GetUtcNow();
                }
                var entries = await NextEntriesAsync(o);
                if (entries.Length == 0)
                {
                    await Task.Delay(o.DrainIdleDelayMilliseconds, ct);
                    continue;
                }
                await HandleBatchAsync(entries, o, ct);
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // PostgreSQL or Redis unavailable, or anything unforeseen: keep the entries, wait, try again. A Redis that
                // lost its data (restarted without it, or flushed) lost the consumer group too: make it again.
                _ownPending = true;
                if (e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal)) groupReady = false;
                if (Transient.Is(e))
                    logger.LogWarning("Intake drain paused for {Delay} ms: {Error}", (int)backoff.TotalMilliseconds, e.GetType().Name + ": " + e.Message);
                else
                    logger.LogError(e, "Intake drain paused for {Delay} ms by an unexpected failure", (int)backoff.TotalMilliseconds);
                try { await Task.Delay(backoff, ct); } catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    /// <summary>Before the first batch: a made-up notification goes the whole way of a batch (read from its buffered
    /// form, COPY, the relay's outbox, the watchlist, the live events and their push, to a group nobody is in) in a
    /// transaction that is rolled back, so the first real batches after a start do not pay for loading and compiling
    /// that path (live push in the first seconds after a deploy: bench/README.md). Nothing is stored; a failure is only
    /// logged (PostgreSQL may not be there yet).</summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
            var commune = await db.Communes.AsNoTracking().OrderBy(c => c.Code).Select(c => new { c.Code, c.ProvinceCode }).FirstOrDefaultAsync(ct);
            if (commune is null) return;
            var now = clock.GetUtcNow();
            var made = new Notification
            {
                Id = Guid.CreateVersion7(now), ReceiptNumber = "warm-up", Channel = Channel.Api, CommuneCode = commune.Code, ProvinceCode = commune.ProvinceCode,
                Address = "warm-up", ArrivalAt = now, DepartureAt = now.AddDays(1), Reason = StayReason.Other, Status = NotificationStatus.Accepted,
                AcceptedAt = now, ReceivedAt = now, LawVersion = "warm-up", Flags = "[]",
                Guests = [new NotificationGuest { Index = 0, FullName = "Warm Up", NameKey = "warm up", Nationality = "VNM", DocumentType = DocumentType.PersonalId,
                    DocumentNumber = "000000000000", ReceivedAt = now }],
            };
            var read = BufferedNotification.Deserialize(BufferedNotification.Serialize(made)) ?? made;
            var events = await RecordAsync(db, [read], ct, rollBack: true);
            await feed.RehearseAsync(events); // to nobody: the events were never stored
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogInformation("Drain warm-up skipped: {Error}", e.GetType().Name);
        }
    }

    /// <summary>The stream and its consumer group, made when missing (first start, or a Redis that lost its data).</summary>
    private async Task EnsureGroupAsync()
    {
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal)) { }
    }

    private async Task<StreamEntry[]> NextEntriesAsync(IntakeOptions o)
    {
        var db = redis.GetDatabase();
        if (_ownPending)
        {
            var mine = await db.StreamReadGroupAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, _consumer, "0-0", o.DrainBatchSize);
            if (mine.Length > 0) return mine;
            _ownPending = false;
        }
        var now = clock.GetUtcNow();
        if (now >= _nextClaim)
        {
            _nextClaim = now.AddSeconds(Math.Max(1, o.DrainClaimIdleSeconds / 3.0));
            var claimed = await db.StreamAutoClaimAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, _consumer,
                o.DrainClaimIdleSeconds * 1000L, "0-0", o.DrainBatchSize);
            if (claimed.ClaimedEntries.Length > 0)
            {
                logger.LogInformation("Claimed {Count} intake entries left by another consumer", claimed.ClaimedEntries.Length);
                return claimed.ClaimedEntries;
            }
        }
        return await db.StreamReadGroupAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, _consumer, ">", o.DrainBatchSize);
    }

    private async Task HandleBatchAsync(StreamEntry[] entries, IntakeOptions o, CancellationToken ct)
    {
        var parsed = new List<(RedisValue EntryId, Notification Notification)>(entries.Length);
        foreach (var entry in entries)
        {
            if (IntakeBuffer.TryRead(entry, out var n, out var problem)) parsed.Add((entry.Id, n));
            else await DeadLetterAsync(entry, problem!);
        }
        if (parsed.Count == 0) return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var events = await RecordAsync(db, parsed.Select(p => p.Notification).ToList(), ct);
            var recorded = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            metrics.DrainRows.Add(parsed.Count);
            var pushed = feed.PublishAsync(events); // stored: the dashboards need not wait for the acknowledgement
            await AcknowledgeAsync(parsed.Select(p => (p.EntryId, p.Notification.Id, (string?)p.Notification.ReceiptNumber)).ToList());
            await pushed;
            logger.LogDebug("Recorded {Count} entries in {RecordMs} ms; acknowledged and pushed in {TotalMs} ms", parsed.Count,
                (int)recorded.TotalMilliseconds, (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!Transient.Is(e) && parsed.Count > 1)
        {
            // One bad entry must not hold up the others: record them one by one.
            db.ChangeTracker.Clear();
            foreach (var item in parsed) await RecordOneAsync(db, item, o, ct);
        }
        catch (Exception e) when (!Transient.Is(e))
        {
            db.ChangeTracker.Clear();
            await FailedAttemptAsync(parsed[0], e, o);
        }
    }

    private async Task RecordOneAsync(LuuTruDb db, (RedisValue EntryId, Notification Notification) item, IntakeOptions o, CancellationToken ct)
    {
        try
        {
            var events = await RecordAsync(db, [item.Notification], ct);
            metrics.DrainRows.Add(1);
            await AcknowledgeAsync([(item.EntryId, item.Notification.Id, (string?)item.Notification.ReceiptNumber)]);
            await feed.PublishAsync(events);
        }
        catch (Exception e) when (!Transient.Is(e))
        {
            db.ChangeTracker.Clear();
            await FailedAttemptAsync(item, e, o);
        }
    }

    /// <summary>Inserts what is not there yet, in one transaction (binary COPY) with the police's events of what was
    /// inserted (arrivals, watchlist hits); returns those events, to push after the commit.</summary>
    private async Task<List<Police.StoredEvent>> RecordAsync(LuuTruDb db, List<Notification> batch, CancellationToken ct, bool rollBack = false)
    {
        var now = clock.GetUtcNow();
        var unique = batch.DistinctBy(n => n.Id).ToList();
        foreach (var n in unique)
        {
            n.Status = NotificationStatus.Recorded;
            n.RecordedAt = now;
        }
        var places = await police.PlaceNamesAsync(unique.Select(n => n.EstablishmentId), ct);
        var conn = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            try
            {
                return await WriteAsync(skipStored: false);
            }
            catch (Exception e) when (NotificationCopy.IsAlreadyStored(e))
            {
                // Delivered again (a crash between commit and acknowledgement): store only what is missing.
                return await WriteAsync(skipStored: true);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        async Task<List<Police.StoredEvent>> WriteAsync(bool skipStored)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            var inserted = await NotificationCopy.InsertAsync(conn, tx, unique, skipStored, ct);
            var stored = unique.Where(n => inserted.Contains(n.Id)).ToList();
            await outbox.DeclareAsync(conn, tx, stored, ct); // the relay's rows, in the same transaction
            var events = await Police.PoliceEvents.RecordedAsync(conn, tx, stored, places, now, ct);
            // Entries found already stored were committed by a process that may have died before its push: their stored
            // events are pushed again (a dashboard knows an event it has by its sequence).
            if (skipStored && stored.Count < unique.Count)
                events.AddRange(await Police.CommuneEventStore.OfRecordedAsync(conn, tx, unique.Where(n => !inserted.Contains(n.Id)).ToList(), ct));
            if (rollBack) { await tx.RollbackAsync(ct); return events; }
            await tx.CommitAsync(ct);
            return events;
        }
    }

    private async Task AcknowledgeAsync(List<(RedisValue EntryId, Guid Id, string? Receipt)> done)
    {
        // One round trip: the acknowledgement first, then the clean-up, sent together and in this order.
        var entryIds = done.Select(d => d.EntryId).ToArray();
        var batch = redis.GetDatabase().CreateBatch();
        var steps = new List<Task>
        {
            batch.StreamAcknowledgeAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, entryIds),
            batch.StreamDeleteAsync(buffer.StreamKey, entryIds),
            batch.HashDeleteAsync(buffer.AttemptsKey, done.Select(d => (RedisValue)d.Id.ToString()).ToArray()),
        };
        // Read-your-write ends: both fields of each notification in its day's hash (one HDEL per day).
        foreach (var day in done.GroupBy(d => buffer.BufferedKey(d.Id)))
            steps.Add(batch.HashDeleteAsync(day.Key, day.SelectMany(d => d.Receipt is null
                ? [IntakeBuffer.BufferedIdField(d.Id)] : new[] { IntakeBuffer.BufferedIdField(d.Id), IntakeBuffer.BufferedReceiptField(d.Receipt) }).ToArray()));
        batch.Execute();
        await Task.WhenAll(steps);
    }

    private async Task FailedAttemptAsync((RedisValue EntryId, Notification Notification) item, Exception e, IntakeOptions o)
    {
        var db = redis.GetDatabase();
        var attempts = await db.HashIncrementAsync(buffer.AttemptsKey, item.Notification.Id.ToString());
        // PostgreSQL's refusals are said by SQLSTATE and constraint (never the values); anything else with its stack trace.
        if (e is PostgresException or DbUpdateException { InnerException: PostgresException })
            logger.LogWarning("Recording notification {Id} failed (attempt {Attempt} of {Max}): {Error}",
                item.Notification.Id, attempts, o.DrainMaxAttempts, Describe(e));
        else
            logger.LogError(e, "Recording notification {Id} failed (attempt {Attempt} of {Max})", item.Notification.Id, attempts, o.DrainMaxAttempts);
        if (attempts < o.DrainMaxAttempts)
        {
            _ownPending = true;
            return;
        }
        var entries = await db.StreamRangeAsync(buffer.StreamKey, item.EntryId, item.EntryId);
        if (entries.Length > 0) await DeadLetterAsync(entries[0], Describe(e));
        await db.HashDeleteAsync(buffer.AttemptsKey, item.Notification.Id.ToString());
    }

    private async Task DeadLetterAsync(StreamEntry entry, string reason)
    {
        var db = redis.GetDatabase();
        var fields = entry.Values.Append(new NameValueEntry("reason", reason))
            .Append(new NameValueEntry("failedAt", clock.GetUtcNow().ToString("O"))).ToArray();
        await db.StreamAddAsync(buffer.DeadLetterKey, fields);
        metrics.DeadLettered.Add(1);
        await db.StreamAcknowledgeAsync(buffer.StreamKey, IntakeBuffer.ConsumerGroup, entry.Id);
        await db.StreamDeleteAsync(buffer.StreamKey, [entry.Id]);
        logger.LogError("Intake entry {EntryId} moved to the dead-letter stream: {Reason}", (string?)entry.Id, reason);
    }

    /// <summary>What went wrong, without personal data: the exception type and, for PostgreSQL, its SQLSTATE and constraint.</summary>
    private static string Describe(Exception e) => e switch
    {
        DbUpdateException { InnerException: PostgresException p } => $"PostgreSQL {p.SqlState} {p.ConstraintName}".Trim(),
        PostgresException p => $"PostgreSQL {p.SqlState} {p.ConstraintName}".Trim(),
        _ => e.GetType().Name,
    };
}
