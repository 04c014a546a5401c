using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Where a notification comes from and where the stay is.</summary>
/// <param name="ReceivedAt">When it reached the police, if not now (an officer's entry of a call that came in earlier).</param>
/// <param name="ReceivedBy">How an officer's entry came in.</param>
public sealed record IntakeSource(Channel Channel, Guid? EstablishmentId, string? SubmittedBy, string CommuneCode, string ProvinceCode, string? Address,
    DateTimeOffset? ReceivedAt = null, string? ReceivedBy = null);

/// <summary>The rules' verdict plus what needs the database (staying elsewhere). When <see cref="StayingCheckPending"/>,
/// the staying-elsewhere check is left to the buffer's append call, which makes it in the same Redis round trip.</summary>
public sealed record IntakeDecision(RuleOutcome Outcome, IReadOnlyList<Flag> Flags, bool StayingCheckPending = false)
{
    public IntakeDecision WithStayingFlags(IEnumerable<Flag> found) => this with { Flags = [.. Flags, .. found], StayingCheckPending = false };
}

/// <summary>When the staying checks (already here, staying elsewhere) are made. Never for a call that stores nothing:
/// whether a document is staying somewhere is for the police, not an answer to anyone who can validate.</summary>
public enum StayingCheck
{
    /// <summary>In the same Redis call that appends the notification (one round trip per notification).</summary>
    WithAppend,
    /// <summary>Not at all (validation only, or the request is already invalid).</summary>
    Skip,
}

/// <summary>What the submitter is answered: the receipt, or why not.</summary>
/// <param name="AlreadyStaying">A guest of it is already staying here, not checked out, over the same time: that stay's
/// receipt number and the guest's index.</param>
public sealed record IntakeAnswer(NotificationReceiptDto? Receipt, bool Replayed, bool KeyReusedWithOtherBody, bool Unavailable,
    (string Receipt, int GuestIndex)? AlreadyStaying = null)
{
    /// <summary>Why no receipt, as a problem's status, code and field errors (one call, a batch item or an uploaded row
    /// alike); null when there is a receipt.</summary>
    public (int Status, string Code, FieldErrors? Errors)? Refusal =>
        Unavailable ? (503, "service-unavailable", null)
        : KeyReusedWithOtherBody ? (422, "idempotency-key-reused", null)
        : AlreadyStaying is { } here ? (409, "already-staying-here",
            new FieldErrors().Add($"guests[{here.GuestIndex}].document.number", "already-staying-here-receipt", here.Receipt))
        : null;
}

/// <summary>Takes a notification in: judges it by the rules, numbers it, records it.</summary>

public sealed class IntakeService(LuuTruDb db, PostgresReceiptCounter counter, IntakeBuffer buffer, StayingIndex staying, TimeProvider clock,
    IOptions<IntakeOptions> options, Health.DatabaseProbe probe, Police.PoliceEvents police, Police.PoliceFeed feed, ReferenceData.RemoteCommunes remote,
    Kbtt.KbttOutbox outbox, LuuTruMetrics metrics, ILogger<IntakeService> logger)
{
    /// <summary>Receipts numbered in PostgreSQL while Redis is down start here, so they never meet Redis's numbers.</summary>
    public const long DirectSequenceBase = 90_000;

    /// <summary>What <see cref="AcceptAsync"/> does before it calls Redis (the entity, the answer, the buffered form), for
    /// the start's warm-up (<see cref="IntakeWarmUp"/>): the same code and the same serializer options, so what they
    /// build once (metadata, compiled code) is there for the first request.</summary>
    internal static int Rehearse(IntakeDecision decision, IntakeSource source, DateTimeOffset now)
    {
        var n = Build(Guid.CreateVersion7(now), "", decision, source, now, null);
        return JsonSerializer.Serialize(AnswerTemplate(n, decision, english: false), ContractsJson).Length + BufferedNotification.Serialize(n).Length;
    }

    /// <summary>The 202 answer of a notification accepted into the buffer, its receipt number still a placeholder.</summary>
    private static NotificationReceiptDto AnswerTemplate(Notification n, IntakeDecision decision, bool english) =>
        new(n.Id, ReceiptPlaceholder, NotificationStatus.Accepted, n.DeadlineAt, n.Late, Flags.Render(decision.Flags, english), n.ReceivedAt);

    /// <summary>Accepts a valid notification: into the Redis buffer (answer: accepted), or straight into PostgreSQL
    /// when Redis is unreachable (answer: recorded). Both down: unavailable.</summary>
    public async Task<IntakeAnswer> AcceptAsync(IntakeDecision decision, IntakeSource source, string? idempotencyScope, string? idempotencyKey,
        string requestHash, bool english, CancellationToken ct, HostDetails? host = null)
    {
        var now = clock.GetUtcNow();
        var day = VietnamTime.DayOf(now);
        var n = Build(Guid.CreateVersion7(now), "", decision, source, now, host);
        var template = AnswerTemplate(n, decision, english);
        try
        {
            var check = decision.StayingCheckPending
                ? new IntakeBuffer.StayingCheckArgs(StayingIndex.PlaceOf(source.EstablishmentId, n.CommuneCode, n.Address), n.ArrivalAt)
                : null;
            var appended = await buffer.AppendAsync(n, day, idempotencyScope, idempotencyKey, requestHash,
                JsonSerializer.Serialize(template, ContractsJson), staying, check);
            if (appended.AlreadyStaying is { } here)
                return new IntakeAnswer(null, false, false, false, (await ReceiptNumberOfAsync(here.Id, ct), here.GuestIndex));
            if (!appended.Replayed)
            {
                Counted(source);
                return new IntakeAnswer(template with { ReceiptNumber = appended.Receipt }, false, false, false);
            }
            if (appended.PreviousRequestHash != requestHash) return new IntakeAnswer(null, true, true, false);
            var previous = JsonSerializer.Deserialize<NotificationReceiptDto>(appended.PreviousAnswer!, ContractsJson)!;
            return new IntakeAnswer(previous with { ReceiptNumber = appended.Receipt },
                true, false, false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis unavailable ({Error}): recording straight into PostgreSQL", e.GetType().Name);
        }
        if (!probe.Available)
        {
            logger.LogError("Neither Redis nor PostgreSQL can take a notification");
            return new IntakeAnswer(null, false, false, true);
        }
        try
        {
            // The Idempotency-Key still holds: kept in PostgreSQL beside the notification, copied to Redis when it returns.
            if (idempotencyKey is not null && await db.IdempotencyRecords.AsNoTracking()
                    .FirstOrDefaultAsync(r => r.Scope == idempotencyScope && r.Key == idempotencyKey, ct) is { } seen)
                return Replay(seen);
            var inDatabase = await StayingInDatabaseAsync(decision.Outcome, source, ct);
            if (inDatabase.Here is { } here) return new IntakeAnswer(null, false, false, false, here);
            if (decision.StayingCheckPending) decision = decision.WithStayingFlags(inDatabase.Elsewhere);
            var flagsNow = Flags.Render(decision.Flags, english);
            NotificationReceiptDto AnswerFor(Notification r) =>
                template with { Id = r.Id, ReceiptNumber = r.ReceiptNumber, Status = NotificationStatus.Recorded, Flags = flagsNow };
            var recorded = await RecordAsync(decision, source, ct, host, idempotencyKey is null ? null : r => new IdempotencyRecord
            {
                Scope = idempotencyScope!, Key = idempotencyKey, RequestHash = requestHash, NotificationId = r.Id, ReceiptNumber = r.ReceiptNumber,
                Answer = JsonSerializer.Serialize(AnswerFor(r), ContractsJson), CreatedAt = r.AcceptedAt,
            });
            try { await staying.AddAsync([recorded]); } catch (Exception e) when (e is RedisException or TimeoutException) { /* rebuilt later */ }
            Counted(source);
            return new IntakeAnswer(AnswerFor(recorded), false, false, false);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "pk_idempotency_records" })
        {
            // The same key raced itself: the other request won; answer what it got.
            db.ChangeTracker.Clear();
            return Replay(await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Scope == idempotencyScope && r.Key == idempotencyKey, ct));
        }
        catch (Exception e) when (Transient.Is(e))
        {
            logger.LogError("Neither Redis nor PostgreSQL can take a notification: {Error}", e.GetType().Name);
            return new IntakeAnswer(null, false, false, true);
        }

        IntakeAnswer Replay(IdempotencyRecord seen) => seen.RequestHash != requestHash
            ? new IntakeAnswer(null, true, true, false)
            : new IntakeAnswer(JsonSerializer.Deserialize<NotificationReceiptDto>(seen.Answer, ContractsJson), true, false, false);
    }

    private void Counted(IntakeSource source)
    {
        metrics.Accepted.Add(1, new KeyValuePair<string, object?>("channel", WireEnum.Name(source.Channel)));
        metrics.Receipts.Add(1);
    }

    /// <summary>The receipt number of a stored or still buffered notification.</summary>
    private async Task<string> ReceiptNumberOfAsync(Guid id, CancellationToken ct)
    {
        var (n, _) = await NotificationLookup.FindAsync(
            () => db.Notifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct), () => buffer.FindPendingAsync(id), probe.Available);
        return n?.ReceiptNumber ?? "";
    }


    private const string ReceiptPlaceholder = "{receipt}";
    private static readonly JsonSerializerOptions ContractsJson = LuuTruJson.CreateOptions();

    /// <param name="valueErrors">Values of the body that could not be read (<see cref="JsonBody{T}"/>): put over the
    /// rules' errors, so that every error of the request is answered at once.</param>
    public async Task<IntakeDecision> DecideAsync(NotificationRequest request, IntakeSource source, bool addressRequired, StayingCheck stayingCheck,
        CancellationToken ct, FieldErrors? valueErrors = null)
    {
        // Judged once, against when it reached the police.
        var ctx = new RuleContext(source.ReceivedAt ?? clock.GetUtcNow(), TimeSpan.FromMinutes(options.Value.ArrivalFutureToleranceMinutes), addressRequired,
            source.CommuneCode.Length > 0 && await remote.IsRemoteAsync(source.CommuneCode, ct));
        var outcome = NotificationRules.Evaluate(request, ctx);
        outcome.Errors.Overlay(valueErrors);
        if (!outcome.Valid && stayingCheck == StayingCheck.WithAppend) // a real submission refused (not a validate call)
            metrics.Rejected.Add(1, new KeyValuePair<string, object?>("channel", WireEnum.Name(source.Channel)));
        if (!outcome.Valid || stayingCheck == StayingCheck.Skip || outcome.Guests.All(g => g.DocumentNumber is null))
            return new IntakeDecision(outcome, outcome.Flags);
        return new IntakeDecision(outcome, outcome.Flags, StayingCheckPending: true);
    }

    /// <summary>What the append script checks in Redis, asked of PostgreSQL in one query when Redis is down: a guest whose
    /// document is already staying, not checked out, at this same place past the arrival (the same check-in notified
    /// again: that stay's receipt and the guest's index), and the guests whose document is staying at another place.</summary>
    private async Task<((string Receipt, int GuestIndex)? Here, IReadOnlyList<Flag> Elsewhere)> StayingInDatabaseAsync(RuleOutcome o, IntakeSource source,
        CancellationToken ct)
    {
        var numbers = o.Guests.Where(g => g.DocumentNumber is not null).Select(g => g.DocumentNumber!).Distinct().ToList();
        if (numbers.Count == 0) return (null, []);
        var arrival = o.ArrivalAt!.Value.ToUniversalTime();
        var address = o.Address ?? source.Address ?? "";
        var found = await db.NotificationGuests.AsNoTracking()
            .Where(g => g.DocumentNumber != null && numbers.Contains(g.DocumentNumber) && g.CheckedOutAt == null)
            .Join(db.Notifications, g => g.NotificationId, n => n.Id, (g, n) => new { g.DocumentNumber, n })
            .Where(x => (x.n.Status == NotificationStatus.Recorded || x.n.Status == NotificationStatus.Accepted) && x.n.DepartureAt > arrival)
            .Select(x => new
            {
                x.DocumentNumber, x.n.ReceiptNumber,
                Here = source.EstablishmentId == null
                    ? x.n.EstablishmentId == null && x.n.CommuneCode == source.CommuneCode && x.n.Address == address
                    : x.n.EstablishmentId == source.EstablishmentId,
            })
            .ToListAsync(ct);
        var guests = o.Guests.Select((g, i) => (g.DocumentNumber, i)).Where(x => x.DocumentNumber is not null).ToList();
        var here = found.FirstOrDefault(f => f.Here);
        var elsewhere = guests.Where(x => found.Any(f => !f.Here && f.DocumentNumber == x.DocumentNumber)).Select(x => new Flag(FlagCodes.StayingElsewhere, x.i));
        return (here is null ? null : (here.ReceiptNumber, guests.First(x => x.DocumentNumber == here.DocumentNumber).i), elsewhere.ToList());
    }

    /// <summary>Records a valid notification straight into PostgreSQL (numbered there) and returns it.</summary>
    public async Task<Notification> RecordAsync(IntakeDecision decision, IntakeSource source, CancellationToken ct, HostDetails? host = null,
        Func<Notification, IdempotencyRecord>? idempotency = null)
    {
        var o = decision.Outcome;
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var places = await police.PlaceNamesAsync([source.EstablishmentId], ct);
        var strategy = db.Database.CreateExecutionStrategy();
        var (recorded, events) = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var sequence = DirectSequenceBase + await counter.NextAsync(source.CommuneCode, VietnamTime.DayOf(now), ct);
            var n = Build(id, ReceiptNumber.Format(source.CommuneCode, VietnamTime.DayOf(now), sequence), decision, source, now, host);
            n.Status = NotificationStatus.Recorded;
            n.RecordedAt = now;
            db.Notifications.Add(n);
            if (idempotency is not null) db.IdempotencyRecords.Add(idempotency(n));
            await db.SaveChangesAsync(ct);
            // The police's arrival (and any watchlist hit) in the same transaction, as the drain does.
            var (conn, ntx) = ((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), (Npgsql.NpgsqlTransaction)tx.GetDbTransaction());
            var stored = await Police.PoliceEvents.RecordedAsync(conn, ntx, [n], places, now, ct);
            await outbox.DeclareAsync(conn, ntx, [n], ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return (n, stored);
        });
        await feed.PublishAsync(events);
        return recorded;
    }

    public static Notification Build(Guid id, string receipt, IntakeDecision decision, IntakeSource source, DateTimeOffset acceptedAt,
        HostDetails? host = null)
    {
        var o = decision.Outcome;
        return new Notification
        {
            Id = id,
            ReceiptNumber = receipt,
            Channel = source.Channel,
            EstablishmentId = source.EstablishmentId,
            SubmittedBy = source.SubmittedBy,
            CommuneCode = source.CommuneCode,
            ProvinceCode = source.ProvinceCode,
            Address = o.Address ?? source.Address ?? "",
            // PostgreSQL keeps instants in UTC; answers show them in Vietnam time.
            ArrivalAt = o.ArrivalAt!.Value.ToUniversalTime(),
            DepartureAt = o.DepartureAt!.Value.ToUniversalTime(),
            Reason = decision.Outcome.Reason!.Value,
            ReasonDetail = o.ReasonDetail,
            ReasonCode = (short?)o.ReasonCode,
            Room = o.Room,
            ExternalRef = o.ExternalRef,
            Status = NotificationStatus.Accepted,
            AcceptedAt = acceptedAt.ToUniversalTime(),
            ReceivedAt = (source.ReceivedAt ?? acceptedAt).ToUniversalTime(),
            ReceivedBy = source.ReceivedBy,
            DeadlineAt = o.DeadlineAt?.ToUniversalTime(),
            Late = o.Late,
            LawVersion = o.Law.Id,
            Flags = Rules.Flags.ToJson(decision.Flags),
            HostName = host?.FullName,
            HostPhone = host?.Phone,
            HostDocumentNumber = host?.DocumentNumber,
            NotifiedByGuest = host?.NotifiedByGuest ?? false,
            Guests = o.Guests.Select((g, i) => new NotificationGuest
            {
                Index = i, FullName = g.FullName, NameKey = g.NameKey, DateOfBirth = g.DateOfBirth, DateOfBirthYearOnly = g.DateOfBirthYearOnly,
                Gender = g.Gender, DocumentType = g.DocumentType, DocumentNumber = g.DocumentNumber, Nationality = g.Nationality,
                Phone = g.Phone, PermanentAddress = g.PermanentAddress, VisaOrResidenceDocument = g.VisaOrResidenceDocument,
                VisaValidUntil = g.VisaValidUntil, EntryDate = g.EntryDate, EntryPort = g.EntryPort, DocumentKind = g.DocumentKind,
                VisaExempt = g.VisaExempt, DeadlineAt = g.DeadlineAt?.ToUniversalTime(), Late = g.Late,
                ResidenceKind = g.ResidenceKind, ResidenceCommuneCode = g.ResidenceCommuneCode,
            }).ToList(),
        };
    }
}
