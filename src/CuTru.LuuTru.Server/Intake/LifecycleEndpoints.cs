using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>After the check-in: list, check out, extend, correct, cancel. Every change is kept in the
/// notification's history (who, when, before, after) and written to the audit log.</summary>
public static class LifecycleEndpoints
{
    public static void MapLifecycle(this RouteGroupBuilder notifications)
    {
        notifications.MapGet("/", List).WithSummary("An establishment's own notifications, newest first");
        notifications.MapPost("/{id:guid}/checkout", Checkout).WithSummary("Check out the whole stay, or the listed guests");
        notifications.MapPost("/{id:guid}/extend", Extend).WithSummary("Move the planned departure later");
        notifications.MapPatch("/{id:guid}", Correct).Accepts<NotificationPatch>("application/json").WithSummary("Correct stay or guest fields; judged by the rules again; history kept");
        notifications.MapPost("/{id:guid}/cancel", Cancel).WithSummary("Cancel a notification made in error");
        notifications.MapGet("/{id:guid}/history", History).WithSummary("Every change: who, when, before, after");
    }

    private static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    /// <summary>What every change to a notification works with, bound by [AsParameters].</summary>
    internal sealed record LifecycleServices(HttpContext Http, LuuTruDb Db, IntakeBuffer Buffer, AuditWriter Audit, TimeProvider Clock,
        IOptions<IntakeOptions> Options, StayingIndex Staying, Police.PoliceFeed Feed, Police.PoliceEvents Events, ReferenceData.RemoteCommunes Remote,
        CancellationToken Ct);

    /// <summary>The query of an establishment's list.</summary>
    internal sealed record ListQuery(VnTime? From, VnTime? To, string? Status, string? Cursor, int? Limit, string? ReceiptNumber);

    internal static async Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> List([AsParameters] ListQuery query, HttpContext http, LuuTruDb db,
        CancellationToken ct)
    {
        var (from, to, status, cursor, limit, receiptNumber) = query;
        var caller = http.Caller();
        if (!caller.IsEstablishmentActor) return Problems.Forbidden();
        var errors = new FieldErrors();
        WireEnum.TryParseOptional<NotificationStatus>(status, "status", errors, out var wanted);
        if (limit is < 1 or > 200) errors.Add("limit", "invalid-value");
        if (errors.Any) return Problems.Validation(errors);

        var q = db.Notifications.AsNoTracking().Include(n => n.Guests).Where(n => n.EstablishmentId == caller.EstablishmentId);
        if (from is { } f) { var fu = f.Value.ToUniversalTime(); q = q.Where(n => n.AcceptedAt >= fu); }
        if (to is { } t) { var tu = t.Value.ToUniversalTime(); q = q.Where(n => n.AcceptedAt < tu); }
        if (wanted is { } w) q = q.Where(n => n.Status == w);
        if (!string.IsNullOrWhiteSpace(receiptNumber)) { var r = receiptNumber.Trim().ToUpperInvariant(); q = q.Where(n => n.ReceiptNumber == r); }
        if (Guid.TryParse(cursor, out var before)) q = q.Where(n => n.Id < before);
        var take = limit ?? 50;
        var items = await q.OrderByDescending(n => n.Id).Take(take + 1).AsSplitQuery().ToListAsync(ct);
        var english = ErrorCatalog.PrefersEnglish(http);
        var next = items.Count > take ? items[take - 1].Id.ToString() : null;
        var page = items.Take(take).Select(n => NotificationViews.ToDto(n, english, police: false)).ToList();
        return TypedResults.Ok(new Page<NotificationDto>(await Kbtt.KbttRelayViews.WithUpstreamAsync(page, db, ct), next));
    }

    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> Checkout(
        Guid id, CheckoutRequest request, [AsParameters] LifecycleServices s)
    {
        var (n, denied) = await LoadAsync(id, s);
        if (denied is not null) return denied;
        return await CheckoutAsync(n!, request, s);
    }

    /// <summary>A checkout of a notification the caller may change (loaded, tracked): its establishment, police of its
    /// area, or the household that sent it (its receipt number and phone).</summary>
    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> CheckoutAsync(Notification n, CheckoutRequest request, LifecycleServices s)
    {
        if (n.Status == NotificationStatus.Cancelled) return Problems.InvalidState("notification-cancelled");

        var now = s.Clock.GetUtcNow();
        var departed = (request.DepartedAt ?? now).ToUniversalTime();
        var errors = new FieldErrors();
        if (departed < n.ArrivalAt) errors.Add("departedAt", "departure-before-arrival");
        else if (departed > now + TimeSpan.FromMinutes(s.Options.Value.ArrivalFutureToleranceMinutes)) errors.Add("departedAt", "in-future");
        var indexes = request.GuestIndexes ?? n.Guests.Select(g => g.Index).ToList();
        for (var i = 0; i < indexes.Count; i++)
            if (!n.Guests.Any(g => g.Index == indexes[i])) errors.Add($"guestIndexes[{i}]", "invalid-value");
        if (errors.Any) return Problems.Validation(errors);

        var before = Snapshot(n);
        var leaving = n.Guests.Where(g => indexes.Contains(g.Index) && g.CheckedOutAt is null).ToList();
        await Kbtt.KbttOutbox.ChangedAsync(s.Db, n, "checkout", leaving.Select(g => g.Index), departed, now, s.Ct);
        foreach (var g in leaving) g.CheckedOutAt = departed;
        if (n.Guests.All(g => g.CheckedOutAt is not null))
        {
            n.Status = NotificationStatus.CheckedOut;
            n.CheckedOutAt = n.Guests.Max(g => g.CheckedOutAt);
        }
        return await SaveAsync(n, "checkout", null, before, s,
            liveEvent: leaving.Count == 0 ? null : now => Police.PoliceEvents.Checkout(n, leaving.Count, departed, now));
    }

    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> Extend(
        Guid id, ExtendRequest request, [AsParameters] LifecycleServices s)
    {
        var (n, denied) = await LoadAsync(id, s);
        if (denied is not null) return denied;
        return await ExtendAsync(n!, request, s);
    }

    /// <summary>An extension of a notification the caller may change (loaded, tracked).</summary>
    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> ExtendAsync(Notification n, ExtendRequest request, LifecycleServices s)
    {
        if (n.Status != NotificationStatus.Recorded) return Problems.InvalidState("notification-not-staying");
        if (request.DepartureAt is not { } d) return Problems.Validation("departureAt", "required");
        var departure = d.ToUniversalTime();
        if (departure <= n.DepartureAt) return Problems.Validation("departureAt", "not-later");
        if (departure > n.ArrivalAt.AddYears(NotificationRules.MaxStayYears))
            return Problems.Validation("departureAt", "departure-too-far", NotificationRules.MaxStayYears);

        var before = Snapshot(n);
        n.DepartureAt = departure;
        await Kbtt.KbttOutbox.ChangedAsync(s.Db, n, "extend", n.Guests.Where(g => g.CheckedOutAt is null).Select(g => g.Index), null, s.Clock.GetUtcNow(), s.Ct);
        var flags = Flags.FromJson(n.Flags).Where(f => f.Code != FlagCodes.Stay30DaysOrMore).ToList();
        if (n.DepartureAt - n.ArrivalAt >= NotificationRules.LongStay && n.Guests.Any(g => g.Nationality == Countries.Vietnam))
            flags.Add(new Flag(FlagCodes.Stay30DaysOrMore)); // temporary residence: citizens only (art. 27)
        n.Flags = Flags.ToJson(flags);
        return await SaveAsync(n, "extend", null, before, s);
    }

    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> Correct(
        Guid id, JsonBody<NotificationPatch> body, [AsParameters] LifecycleServices s)
    {
        var patch = body.Value;
        var (n, denied) = await LoadAsync(id, s);
        if (denied is not null) return denied;
        if (n!.Status == NotificationStatus.Cancelled) return Problems.InvalidState("notification-cancelled");

        var errors = new FieldErrors();
        // A correction of a legal record says why (kept in its history, shown to the police).
        var reason = errors.Text("reason", patch.Reason, 500);
        var request = ToRequest(n);
        var stay = request.Stay!;
        if (patch.Stay is { } change)
            stay = stay with
            {
                ArrivalAt = change.ArrivalAt ?? stay.ArrivalAt, DepartureAt = change.DepartureAt ?? stay.DepartureAt, Reason = change.Reason ?? stay.Reason,
                ReasonDetail = change.ReasonDetail ?? stay.ReasonDetail, Room = change.Room ?? stay.Room, ReasonCode = change.ReasonCode ?? stay.ReasonCode,
            };
        var guests = request.Guests!.ToList();
        for (var i = 0; i < (patch.Guests?.Count ?? 0); i++)
        {
            var p = patch.Guests![i];
            if (p is null) { errors.Add($"guests[{i}]", "required"); continue; }
            if (p.Index < 0 || p.Index >= guests.Count) { errors.Add($"guests[{i}].index", "invalid-value"); continue; }
            var g = guests[p.Index]!;
            guests[p.Index] = g with
            {
                FullName = p.FullName ?? g.FullName, DateOfBirth = p.DateOfBirth ?? g.DateOfBirth, Gender = p.Gender ?? g.Gender,
                Document = p.Document ?? g.Document, Nationality = p.Nationality ?? g.Nationality, Phone = p.Phone ?? g.Phone,
                PermanentAddress = p.PermanentAddress ?? g.PermanentAddress, Foreign = p.Foreign ?? g.Foreign,
                ResidenceKind = p.ResidenceKind ?? g.ResidenceKind, ResidenceCommuneCode = p.ResidenceCommuneCode ?? g.ResidenceCommuneCode,
            };
        }
        var corrected = request with { Stay = stay, Guests = guests };

        // Checked by the rules as of its reception; its lateness was judged then and stays as it was.
        var outcome = NotificationRules.Evaluate(corrected,
            new RuleContext(n.ReceivedAt, TimeSpan.FromMinutes(s.Options.Value.ArrivalFutureToleranceMinutes), AddressRequired: false,
                await s.Remote.IsRemoteAsync(n.CommuneCode, s.Ct)));
        if (errors.Any || !outcome.Valid || body.ValueErrors.Any) return Problems.Validation(errors.Merge(outcome.Errors).Overlay(body.ValueErrors));

        var before = JsonSerializer.Serialize(request, Json);
        var previousDocuments = n.Guests.Select(g => g.DocumentNumber).ToList();
        n.ArrivalAt = outcome.ArrivalAt!.Value.ToUniversalTime();
        n.DepartureAt = outcome.DepartureAt!.Value.ToUniversalTime();
        n.Reason = outcome.Reason!.Value;
        n.ReasonDetail = outcome.ReasonDetail;
        n.ReasonCode = (short?)outcome.ReasonCode;
        n.Room = outcome.Room;
        n.LawVersion = outcome.Law.Id;
        // Deadline and lateness stay as judged at reception (DeadlineAt, Late and their flags are kept). A correction
        // that moves the arrival or changes a document number is marked for the police.
        var stored = Flags.FromJson(n.Flags);
        var movesWhatWasJudged = corrected.Stay!.ArrivalAt != request.Stay!.ArrivalAt
            || outcome.Guests.Select(g => g.DocumentNumber).Where((d, i) => d != previousDocuments[i]).Any();
        var kept = stored.Where(f => f.Code is FlagCodes.Late or FlagCodes.ForeignerLate or FlagCodes.StayingElsewhere or FlagCodes.CorrectedAfterReceipt);
        var fresh = outcome.Flags.Where(f => f.Code is not (FlagCodes.Late or FlagCodes.ForeignerLate));
        var marked = movesWhatWasJudged && !stored.Any(f => f.Code == FlagCodes.CorrectedAfterReceipt) ? [new Flag(FlagCodes.CorrectedAfterReceipt)] : Array.Empty<Flag>();
        n.Flags = Flags.ToJson(fresh.Concat(kept).Concat(marked));
        foreach (var g in n.Guests)
        {
            var c = outcome.Guests[g.Index];
            g.FullName = c.FullName; g.NameKey = c.NameKey; g.DateOfBirth = c.DateOfBirth; g.DateOfBirthYearOnly = c.DateOfBirthYearOnly;
            g.Gender = c.Gender; g.DocumentType = c.DocumentType; g.DocumentNumber = c.DocumentNumber; g.Nationality = c.Nationality;
            g.Phone = c.Phone; g.PermanentAddress = c.PermanentAddress; g.VisaOrResidenceDocument = c.VisaOrResidenceDocument;
            g.VisaValidUntil = c.VisaValidUntil; g.EntryDate = c.EntryDate; g.EntryPort = c.EntryPort;
            g.DocumentKind = c.DocumentKind; g.VisaExempt = c.VisaExempt;
            g.ResidenceKind = c.ResidenceKind; g.ResidenceCommuneCode = c.ResidenceCommuneCode;
        }
        await Kbtt.KbttOutbox.ChangedAsync(s.Db, n, "correct", n.Guests.Select(g => g.Index), null, s.Clock.GetUtcNow(), s.Ct);
        return await SaveAsync(n, "correct", reason, before, s, after: JsonSerializer.Serialize(ToRequest(n), Json), // as stored (a port typed "noi bai" is kept by its name)
            previousDocuments: previousDocuments);
    }

    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> Cancel(
        Guid id, CancelRequest request, [AsParameters] LifecycleServices s)
    {
        var errors = new FieldErrors();
        var reason = errors.Text("reason", request.Reason, 500);
        if (errors.Any) return Problems.Validation(errors);
        var (n, denied) = await LoadAsync(id, s);
        if (denied is not null) return denied;
        if (n!.Status == NotificationStatus.Cancelled) return TypedResults.Ok(NotificationViews.ToDto(n, s.Http));
        var before = Snapshot(n);
        n.Status = NotificationStatus.Cancelled;
        n.CancelledAt = s.Clock.GetUtcNow();
        n.CancelReason = reason;
        await Kbtt.KbttOutbox.ChangedAsync(s.Db, n, "cancel", n.Guests.Select(g => g.Index), null, s.Clock.GetUtcNow(), s.Ct);
        return await SaveAsync(n, "cancel", reason, before, s);
    }

    internal static async Task<Results<Ok<List<NotificationChangeDto>>, ProblemResult>> History(
        Guid id, [AsParameters] LifecycleServices s)
    {
        var (n, denied) = await LoadAsync(id, s, track: false);
        if (denied is not null) return denied;
        var changes = await s.Db.NotificationChanges.AsNoTracking().Where(c => c.NotificationId == n!.Id).OrderBy(c => c.Id)
            .Select(c => new NotificationChangeDto(c.At, c.Action, c.ActorKind, c.ActorId, c.Reason, c.Before, c.After, null)).ToListAsync(s.Ct);
        // Who, as people know them: a person's name (or email), an API key's name.
        var userIds = changes.Select(c => Guid.TryParse(c.ActorId, out var u) ? u : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var people = await s.Db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id.ToString(), u => u.DisplayName ?? u.Email, s.Ct);
        var prefixes = changes.Where(c => c.ActorId is not null && !people.ContainsKey(c.ActorId)).Select(c => c.ActorId!).Distinct().ToList();
        var keys = await s.Db.ApiKeys.AsNoTracking().Where(k => prefixes.Contains(k.Prefix)).ToDictionaryAsync(k => k.Prefix, k => k.Name ?? k.Prefix, s.Ct);
        changes = changes.Select(c => c with { ActorName = c.ActorId is null ? null : people.GetValueOrDefault(c.ActorId) ?? keys.GetValueOrDefault(c.ActorId) }).ToList();
        var caller = s.Http.Caller();
        if (caller.IsPolice)
        {
            // A history holds the names and numbers as they were: a police read of it is traced like a view.
            s.Audit.Record(caller, "notification.history", "notification", n!.Id.ToString(), n.CommuneCode,
                new { n.ReceiptNumber, changes = changes.Count, people = n.Guests.Count }, s.Http);
            await s.Db.SaveChangesAsync(s.Ct);
        }
        return TypedResults.Ok(changes);
    }

    /// <summary>The notification, if the caller may change it: its establishment, or police of its commune. One still
    /// in the buffer is not there to change yet (409, retry in a second).</summary>
    private static async Task<(Notification? Notification, ProblemResult? Denied)> LoadAsync(Guid id, LifecycleServices s, bool track = true)
    {
        var (http, db, buffer, ct) = (s.Http, s.Db, s.Buffer, s.Ct);
        var q = db.Notifications.Include(x => x.Guests).AsQueryable();
        if (!track) q = q.AsNoTracking();
        var (n, buffered) = await NotificationLookup.FindAsync(() => q.FirstOrDefaultAsync(x => x.Id == id, ct), () => buffer.FindPendingAsync(id));
        var caller = http.Caller();
        if (n is null) return (null, Problems.NotFound());
        if (buffered)
        {
            if (!await MayChangeAsync(http, caller, n)) return (null, Problems.NotFound());
            http.Response.Headers.RetryAfter = "1";
            return (null, Problems.InvalidState("notification-not-recorded-yet"));
        }
        if (await MayChangeAsync(http, caller, n)) return (n, null);
        return (null, caller.IsPolice ? Problems.Forbidden() : Problems.NotFound());
    }

    /// <summary>Who may read a notification may change it (NotificationViews.MayReadAsync: its establishment, police of its area).</summary>
    private static async Task<bool> MayChangeAsync(HttpContext http, Caller caller, Notification n) => await NotificationViews.MayReadAsync(http, n) is null;

    private static async Task<Results<Ok<NotificationDto>, ProblemResult>> SaveAsync(Notification n, string action, string? reason, string before,
        LifecycleServices s, string? after = null, IReadOnlyList<string?>? previousDocuments = null,
        Func<DateTimeOffset, Police.PendingEvent>? liveEvent = null)
    {
        var (http, db, audit, clock, ct) = (s.Http, s.Db, s.Audit, s.Clock, s.Ct);
        var caller = http.Caller();
        db.NotificationChanges.Add(new NotificationChange
        {
            NotificationId = n.Id, ReceivedAt = n.ReceivedAt, At = clock.GetUtcNow(), Action = action, ActorKind = caller.Kind, ActorId = caller.AuditId, Reason = reason,
            Before = before, After = after ?? Snapshot(n),
        });
        audit.Record(caller, "notification." + action, "notification", n.Id.ToString(), n.CommuneCode, new { n.ReceiptNumber, status = n.Status }, http);
        // The dashboards' events (the line as it now is, and a checkout's own) commit with the change, and are pushed only after.
        var place = await s.Events.PlaceNameAsync(n, ct);
        var now = clock.GetUtcNow();
        var pending = new List<Police.PendingEvent>();
        if (liveEvent is not null) pending.Add(liveEvent(now));
        pending.Add(Police.PoliceEvents.Changed(n, action, place, now));
        await s.Feed.SaveAndPublishAsync(db, pending, ct);
        // Checked-out guests and cancelled stays leave the staying index; extended or corrected ones are rewritten.
        var index = s.Staying;
        var staying = new Notification
        {
            Id = n.Id, ReceiptNumber = n.ReceiptNumber, CommuneCode = n.CommuneCode, ProvinceCode = n.ProvinceCode, Address = n.Address,
            LawVersion = n.LawVersion, Flags = n.Flags, EstablishmentId = n.EstablishmentId, Status = n.Status, DepartureAt = n.DepartureAt,
            Guests = n.Guests.Where(g => g.CheckedOutAt is null).ToList(),
        };
        await index.SyncAsync(staying, previousDocuments ?? n.Guests.Select(g => g.DocumentNumber).ToList());
        return TypedResults.Ok(NotificationViews.ToDto(n, http));
    }

    /// <summary>The lifecycle state of a notification, for its history.</summary>
    private static string Snapshot(Notification n) => JsonSerializer.Serialize(new
    {
        status = WireEnum.Name(n.Status), n.DepartureAt, n.CheckedOutAt, n.CancelledAt,
        checkedOutGuests = n.Guests.Where(g => g.CheckedOutAt is not null).Select(g => g.Index).Order().ToList(),
    }, Json);

    /// <summary>The stored notification as the request that would make it, for re-judging a correction.</summary>
    internal static NotificationRequest ToRequest(Notification n) => new(
        new StayDto(n.ArrivalAt, n.DepartureAt, n.Reason, n.ReasonDetail, n.Room, ReasonCode: n.ReasonCode),
        n.Guests.OrderBy(g => g.Index).Select(g => (GuestDto?)new GuestDto(
            g.FullName, g.DateOfBirth, g.Gender, new DocumentDto(g.DocumentType, g.DocumentNumber, g.DocumentKind), g.Nationality,
            g.DateOfBirthYearOnly, g.Phone, g.PermanentAddress,
            g.Nationality == Countries.Vietnam ? null
                : new ForeignDetailsDto(g.VisaOrResidenceDocument, g.VisaValidUntil, g.EntryDate, g.EntryPort, g.VisaExempt),
            g.ResidenceKind, g.ResidenceCommuneCode)).ToList(),
        n.ExternalRef);
}
