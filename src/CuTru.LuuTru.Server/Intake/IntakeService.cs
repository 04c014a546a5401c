using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Where a notification comes from and where the stay is.</summary>
public sealed record IntakeSource(Channel Channel, Guid? EstablishmentId, string? SubmittedBy, string CommuneCode, string ProvinceCode, string? Address);

/// <summary>The rules' verdict plus what needs the database (staying elsewhere).</summary>
public sealed record IntakeDecision(RuleOutcome Outcome, IReadOnlyList<Flag> Flags);

/// <summary>Takes a notification in: judges it by the rules, numbers it, records it.</summary>
public sealed class IntakeService(LuuTruDb db, PostgresReceiptCounter counter, TimeProvider clock, IOptions<IntakeOptions> options)
{
    internal static readonly JsonSerializerOptions FlagJson = new(JsonSerializerDefaults.Web);

    public async Task<IntakeDecision> DecideAsync(NotificationRequest request, IntakeSource source, bool addressRequired, CancellationToken ct)
    {
        var ctx = new RuleContext(clock.GetUtcNow(), TimeSpan.FromMinutes(options.Value.ArrivalFutureToleranceMinutes), addressRequired);
        var outcome = NotificationRules.Evaluate(request, ctx);
        if (!outcome.Valid) return new IntakeDecision(outcome, outcome.Flags);
        var flags = outcome.Flags.ToList();
        flags.AddRange(await StayingElsewhereAsync(outcome, source, ct));
        return new IntakeDecision(outcome, flags);
    }

    /// <summary>Guests whose document is staying, not checked out, at another place over the same period.</summary>
    private async Task<IEnumerable<Flag>> StayingElsewhereAsync(RuleOutcome o, IntakeSource source, CancellationToken ct)
    {
        var numbers = o.Guests.Where(g => g.DocumentNumber is not null).Select(g => g.DocumentNumber!).Distinct().ToList();
        if (numbers.Count == 0) return [];
        var arrival = o.ArrivalAt!.Value.ToUniversalTime();
        var elsewhere = await db.NotificationGuests.AsNoTracking()
            .Where(g => g.DocumentNumber != null && numbers.Contains(g.DocumentNumber) && g.CheckedOutAt == null)
            .Join(db.Notifications, g => g.NotificationId, n => n.Id, (g, n) => new { g.DocumentNumber, n })
            .Where(x => (x.n.Status == NotificationStatus.Recorded || x.n.Status == NotificationStatus.Accepted)
                && x.n.DepartureAt > arrival
                && (source.EstablishmentId == null ? x.n.Address != source.Address || x.n.CommuneCode != source.CommuneCode : x.n.EstablishmentId != source.EstablishmentId))
            .Select(x => x.DocumentNumber!)
            .Distinct()
            .ToListAsync(ct);
        return o.Guests.Select((g, i) => (g, i))
            .Where(x => x.g.DocumentNumber is not null && elsewhere.Contains(x.g.DocumentNumber))
            .Select(x => new Flag(FlagCodes.StayingElsewhere, x.i));
    }

    /// <summary>Records a valid notification straight into PostgreSQL (numbered there) and returns it.</summary>
    public async Task<Notification> RecordAsync(IntakeDecision decision, IntakeSource source, CancellationToken ct)
    {
        var o = decision.Outcome;
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var sequence = await counter.NextAsync(source.CommuneCode, PostgresReceiptCounter.DayOf(now), ct);
            var n = Build(id, ReceiptNumber.Format(source.CommuneCode, PostgresReceiptCounter.DayOf(now), sequence), decision, source, now);
            n.Status = NotificationStatus.Recorded;
            n.RecordedAt = now;
            db.Notifications.Add(n);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return n;
        });
    }

    public static Notification Build(Guid id, string receipt, IntakeDecision decision, IntakeSource source, DateTimeOffset acceptedAt)
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
            Room = o.Room,
            ExternalRef = o.ExternalRef,
            Status = NotificationStatus.Accepted,
            AcceptedAt = acceptedAt.ToUniversalTime(),
            DeadlineAt = o.DeadlineAt.ToUniversalTime(),
            Late = o.Late,
            LawVersion = o.Law.Id,
            Flags = JsonSerializer.Serialize(decision.Flags, FlagJson),
            Guests = o.Guests.Select((g, i) => new NotificationGuest
            {
                Index = i, FullName = g.FullName, NameKey = g.NameKey, DateOfBirth = g.DateOfBirth, DateOfBirthYearOnly = g.DateOfBirthYearOnly,
                Gender = g.Gender, DocumentType = g.DocumentType, DocumentNumber = g.DocumentNumber, Nationality = g.Nationality,
                Phone = g.Phone, PermanentAddress = g.PermanentAddress, VisaOrResidenceDocument = g.VisaOrResidenceDocument,
                VisaValidUntil = g.VisaValidUntil, EntryDate = g.EntryDate, EntryPort = g.EntryPort,
            }).ToList(),
        };
    }

    public static IReadOnlyList<Flag> FlagsOf(Notification n) => JsonSerializer.Deserialize<List<Flag>>(n.Flags, FlagJson) ?? [];
}
