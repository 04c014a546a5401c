using System.Linq.Expressions;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CuTru.LuuTru.Server.Police;

/// <summary>What officers ask of the register: search (a commune's or a province's notifications), the watchlist,
/// and, for admins, the audit trail. Every search, every watchlist change is itself audited.</summary>
public static class PoliceEndpoints
{
    /// <summary>A watchlist entry lasts at most this long: followed for years, a person is to be listed again, on purpose.</summary>
    public const int MaxWatchYears = 2;

    public static void MapPoliceApi(this IEndpointRouteBuilder app)
    {
        var police = app.MapGroup("/api/v1").WithTags("Police").RequireAuthorization(Policies.Police);
        // Names and document numbers are searched with POST: personal data never in a URL (where proxies and logs keep it).
        var commune = police.MapGroup("/communes/{code}").RequireCommuneAccess();
        commune.MapGet("/notifications", SearchCommune)
            .WithSummary("A commune's notifications, newest first: from/to on arrival, establishmentId; a name or document number only with POST …/notifications/search");
        commune.MapPost("/notifications/search", SearchCommuneByBody)
            .WithSummary("Search a commune's notifications: q = any words of a name, with or without diacritics, or a document number, its beginning or last digits; from/to on arrival");
        var province = police.MapGroup("/provinces/{code}").RequireProvinceAccess();
        province.MapGet("/notifications", SearchProvince).WithSummary("The same over every commune of a province (supervisors, admins)");
        province.MapPost("/notifications/search", SearchProvinceByBody).WithSummary("The search over every commune of a province (supervisors, admins)");
        police.MapPost("/watchlist", AddToWatchlist).WithSummary("Look out for a document number, with a reason and an end (supervisors, admins); a hit alerts the dashboards within a second");
        police.MapGet("/watchlist", Watchlist).WithSummary("Active watchlist entries the caller may see");
        police.MapDelete("/watchlist/{id:guid}", RemoveFromWatchlist).WithSummary("Stop looking out for a document");
        police.MapGet("/watchlist/hits", Hits).WithSummary("Watchlist hits in the caller's area or of entries the caller listed, newest first; status=open|acknowledged|all (default all)");
        police.MapPost("/watchlist/hits/{id:guid}/acknowledge", AcknowledgeHit)
            .WithSummary("Close a hit with a note of what was done (police who see it); every dashboard showing it closes its alert");
        app.MapGet("/api/v1/audit", AuditTrail).WithTags("Police").RequireAuthorization(Policies.Admin)
            .WithSummary("The audit trail, newest first (admins)");
    }

    private const int DefaultPage = 50, MaxPage = 200;

    /// <summary>Which guests a search's words find. A document number (3 or more letters and digits, at least one digit):
    /// the whole number, its beginning or its last digits. Otherwise a name: every word of the query, folded (no
    /// diacritics, no case), somewhere in the guest's name, in any order ("kim min jun" finds "Kim Min-jun", "an nguyen"
    /// finds "Nguyễn Văn An").</summary>
    internal static System.Linq.Expressions.Expression<Func<NotificationGuest, bool>> GuestMatches(string query)
    {
        var document = DocumentNumbers.Normalize(query);
        if (document.Length >= 3 && document.Any(char.IsAsciiDigit) && document.All(char.IsAsciiLetterOrDigit))
        {
            var prefix = Escape(document) + "%";
            var suffix = "%" + Escape(document);
            return g => g.DocumentNumber != null && (g.DocumentNumber == document || EF.Functions.Like(g.DocumentNumber, prefix)
                || EF.Functions.Like(g.DocumentNumber, suffix));
        }
        var words = Text.Fold(query).Split([' ', '-', ',', '.'], StringSplitOptions.RemoveEmptyEntries).Distinct().Take(6).ToList();
        var guest = System.Linq.Expressions.Expression.Parameter(typeof(NotificationGuest), "g");
        System.Linq.Expressions.Expression all = System.Linq.Expressions.Expression.Constant(true);
        foreach (var word in words)
        {
            Expression<Func<NotificationGuest, bool>> one = g => EF.Functions.Like(g.NameKey, "%" + Escape(word) + "%");
            all = System.Linq.Expressions.Expression.AndAlso(all, new ParameterSwap(one.Parameters[0], guest).Visit(one.Body));
        }
        return System.Linq.Expressions.Expression.Lambda<Func<NotificationGuest, bool>>(all, guest);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private sealed class ParameterSwap(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.ParameterExpression to)
        : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) => node == from ? to : node;
    }

    /// <summary>A search of the register: q = a name without diacritics or a document number; from/to on arrival.</summary>
    internal sealed record SearchQuery(string? Q, VnTime? From, VnTime? To, Guid? EstablishmentId, string? Cursor, int? Limit)
    {
        public NotificationSearchRequest ToRequest() => new(Q, From?.Value, To?.Value, EstablishmentId, Cursor, Limit);
    }

    /// <summary>What a search works with, bound by [AsParameters].</summary>
    internal sealed record SearchServices(HttpContext Http, LuuTruDb Db, AuditWriter Audit, CancellationToken Ct);

    internal static Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> SearchCommune(string code, [AsParameters] SearchQuery query,
        [AsParameters] SearchServices s) =>
        SearchAsync(s.Db.Notifications.Where(n => n.CommuneCode == code), "commune", code, code, query.ToRequest(), s);

    internal static Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> SearchProvince(string code, [AsParameters] SearchQuery query,
        [AsParameters] SearchServices s) =>
        SearchAsync(s.Db.Notifications.Where(n => n.ProvinceCode == code), "province", code, null, query.ToRequest(), s);

    internal static Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> SearchCommuneByBody(string code, NotificationSearchRequest request,
        [AsParameters] SearchServices s) =>
        SearchAsync(s.Db.Notifications.Where(n => n.CommuneCode == code), "commune", code, code, request, s, inBody: true);

    internal static Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> SearchProvinceByBody(string code, NotificationSearchRequest request,
        [AsParameters] SearchServices s) =>
        SearchAsync(s.Db.Notifications.Where(n => n.ProvinceCode == code), "province", code, null, request, s, inBody: true);

    /// <summary>Indexes used: notifications (commune_code, arrival_at) for a commune's days; notification_guests
    /// document_number (b-tree) for a document; notification_guests name_key (trigram GIN) for a name; the
    /// primary key for the cursor. Newest first by id (ids are time-ordered).</summary>
    private static async Task<Results<Ok<Page<NotificationDto>>, ProblemResult>> SearchAsync(IQueryable<Notification> scope, string scopeKind,
        string scopeCode, string? communeCode, NotificationSearchRequest search, SearchServices s, bool inBody = false)
    {
        var (q, from, to, establishmentId, cursor, limit) = (search.Q, search.From, search.To, search.EstablishmentId, search.Cursor, search.Limit);
        var (http, db, audit, ct) = (s.Http, s.Db, s.Audit, s.Ct);
        var errors = new FieldErrors();
        if (limit is < 1 or > MaxPage) errors.Add("limit", "invalid-value");
        if (from is { } f0 && to is { } t0 && t0 < f0) errors.Add("to", "to-before-from");
        Guid? before = null;
        if (!string.IsNullOrEmpty(cursor)) { if (Guid.TryParse(cursor, out var c)) before = c; else errors.Add("cursor", "invalid-value"); }
        var query = Text.Clean(q);
        if (query is { Length: > 0 } && !inBody) errors.Add("q", "personal-data-in-url");
        else if (query is { Length: > 100 }) errors.Add("q", "too-long", 100);
        if (errors.Any) return Problems.Validation(errors);

        var found = scope.AsNoTracking();
        if (query is { Length: > 0 }) found = found.Where(n => n.Guests.AsQueryable().Any(GuestMatches(query)));
        if (from is { } f)
        {
            // Said of received_at too (what the register is partitioned by), so the months before are not read.
            var fu = f.ToUniversalTime();
            var receivedFrom = fu - NotificationRules.ArrivalAfterReceptionLimit;
            found = found.Where(n => n.ArrivalAt >= fu && n.ReceivedAt >= receivedFrom);
        }
        if (to is { } t) { var tu = t.ToUniversalTime(); found = found.Where(n => n.ArrivalAt < tu); }
        if (establishmentId is { } e) found = found.Where(n => n.EstablishmentId == e);
        if (before is { } b) found = found.Where(n => n.Id < b);
        var take = limit ?? DefaultPage;
        var items = await found.Include(n => n.Guests).OrderByDescending(n => n.Id).Take(take + 1).AsSplitQuery().ToListAsync(ct);

        // Looking at personal data leaves a trace: who searched what, where, and how many came back.
        audit.Record(http.Caller(), "notification.search", scopeKind, scopeCode, communeCode,
            new { q = MaskedQuery(query), from, to, establishmentId, results = Math.Min(items.Count, take) }, http);
        await db.SaveChangesAsync(ct);
        var english = ErrorCatalog.PrefersEnglish(http);
        return TypedResults.Ok(new Page<NotificationDto>(items.Take(take).Select(n => NotificationViews.ToDto(n, english, police: true)).ToList(),
            items.Count > take ? items[take - 1].Id.ToString() : null));
    }

    internal static async Task<Results<Created<WatchlistEntryDto>, ProblemResult>> AddToWatchlist(WatchlistRequest request, HttpContext http,
        LuuTruDb db, AuditWriter audit, TimeProvider clock, CancellationToken ct)
    {
        // A watchlist follows a person nationwide: a province supervisor's or an admin's power, never a commune
        // officer's, always with a reason and an end.
        if (http.Caller().Role is not (Role.ProvinceSupervisor or Role.Admin)) return Problems.Forbidden();
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var number = DocumentNumbers.Normalize(request.DocumentNumber);
        if (number.Length == 0) errors.Add("documentNumber", "required");
        else if (number.Length is < 6 or > 20 || !number.All(char.IsAsciiLetterOrDigit)) errors.Add("documentNumber", "invalid-document-number");
        var reason = errors.Text("reason", request.Reason, 500);
        if (request.ExpiresAt is not { } x) errors.Add("expiresAt", "required");
        else if (x <= now) errors.Add("expiresAt", "in-past");
        else if (request.ExpiresAt > now.AddYears(MaxWatchYears)) errors.Add("expiresAt", "expiry-too-far", MaxWatchYears);
        if (errors.Any) return Problems.Validation(errors);

        var caller = http.Caller();
        var entry = new WatchlistEntry
        {
            Id = Guid.CreateVersion7(now), DocumentNumber = number, Reason = reason!, ListedBy = caller.UserId!.Value,
            ListedInCommune = caller.Role == Role.CommuneOfficer ? caller.CommuneCodes.Order(StringComparer.Ordinal).FirstOrDefault() : null,
            CreatedAt = now, ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
        };
        db.Watchlist.Add(entry);
        // The audit trail keeps the reason and expiry; the number itself stays in the watchlist table only.
        audit.Record(caller, "watchlist.add", "watchlist", entry.Id.ToString(), entry.ListedInCommune, new { reason, entry.ExpiresAt }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/watchlist/{entry.Id}", ToDto(entry, 0));
    }

    internal static async Task<Ok<List<WatchlistEntryDto>>> Watchlist(HttpContext http, LuuTruDb db, TimeProvider clock, AuditWriter audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var entries = await Visible(db, http.Caller()).Where(w => w.RemovedAt == null && (w.ExpiresAt == null || w.ExpiresAt > now))
            .OrderByDescending(w => w.CreatedAt)
            .Select(w => new { Entry = w, Hits = db.WatchlistHits.Count(h => h.WatchlistId == w.Id) })
            .ToListAsync(ct);
        audit.Record(http.Caller(), "watchlist.list", "watchlist", null, null, new { entries = entries.Count }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(entries.Select(x => ToDto(x.Entry, x.Hits)).ToList());
    }

    internal static async Task<Results<NoContent, ProblemResult>> RemoveFromWatchlist(Guid id, HttpContext http, LuuTruDb db, AuditWriter audit,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var entry = await Visible(db, caller).FirstOrDefaultAsync(w => w.Id == id && w.RemovedAt == null, ct);
        if (entry is null) return Problems.NotFound();
        entry.RemovedAt = clock.GetUtcNow();
        entry.RemovedBy = caller.UserId;
        audit.Record(caller, "watchlist.remove", "watchlist", entry.Id.ToString(), entry.ListedInCommune, null, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The hits a caller may see: in their area, or of entries they listed.</summary>
    private static IQueryable<HitRow> VisibleHits(LuuTruDb db, Caller caller) =>
        from h in db.WatchlistHits
        join w in db.Watchlist on h.WatchlistId equals w.Id
        join n in db.Notifications on h.NotificationId equals n.Id
        join g in db.NotificationGuests on new { N = h.NotificationId, I = h.GuestIndex } equals new { N = g.NotificationId, I = g.Index }
        where caller.IsAdmin || w.ListedBy == caller.UserId
              || (caller.Role == Role.ProvinceSupervisor && n.ProvinceCode == caller.ProvinceCode)
              || (caller.Role == Role.CommuneOfficer && caller.CommuneCodes.Contains(h.CommuneCode))
        select new HitRow
        {
            Hit = h, Entry = w, ReceiptNumber = n.ReceiptNumber, FullName = g.FullName, ProvinceCode = n.ProvinceCode,
            PlaceName = n.EstablishmentId == null ? n.Address : db.Establishments.Where(e => e.Id == n.EstablishmentId).Select(e => e.Name).FirstOrDefault() ?? n.Address,
        };

    /// <summary>A hit with what it is shown with (built by member initialisation, so queries can still filter on it).</summary>
    private sealed class HitRow
    {
        public required WatchlistHit Hit { get; init; }
        public required WatchlistEntry Entry { get; init; }
        public required string ReceiptNumber { get; init; }
        public required string FullName { get; init; }
        public required string PlaceName { get; init; }
        public required string ProvinceCode { get; init; }
    }

    private static WatchlistHitDto ToDto(HitRow x) => new(x.Hit.Id, x.Entry.Id, x.Entry.DocumentNumber, x.Entry.Reason, x.Hit.NotificationId,
        x.ReceiptNumber, x.Hit.CommuneCode, x.Hit.GuestIndex, x.FullName, x.Hit.At, x.PlaceName, x.Hit.AcknowledgedAt, x.Hit.AcknowledgedBy,
        x.Hit.AcknowledgementNote);

    internal static async Task<Results<Ok<Page<WatchlistHitDto>>, ProblemResult>> Hits(string? status, string? cursor, int? limit, HttpContext http,
        LuuTruDb db, AuditWriter audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (limit is < 1 or > MaxPage) errors.Add("limit", "invalid-value");
        if (status is not (null or "open" or "acknowledged" or "all")) errors.Add("status", "invalid-choice", "open, acknowledged, all");
        if (errors.Any) return Problems.Validation(errors);
        var caller = http.Caller();
        var hits = VisibleHits(db, caller);
        if (status == "open") hits = hits.Where(x => x.Hit.AcknowledgedAt == null);
        else if (status == "acknowledged") hits = hits.Where(x => x.Hit.AcknowledgedAt != null);
        if (Guid.TryParse(cursor, out var before)) hits = hits.Where(x => x.Hit.Id < before);
        var take = limit ?? DefaultPage;
        var page = await hits.OrderByDescending(x => x.Hit.Id).Take(take + 1).ToListAsync(ct);
        audit.Record(caller, "watchlist.hits", "watchlist", null, null, new { status = status ?? "all", people = Math.Min(page.Count, take) }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Page<WatchlistHitDto>(page.Take(take).Select(ToDto).ToList(), page.Count > take ? page[take - 1].Hit.Id.ToString() : null));
    }

    /// <summary>An officer dealt with a hit: closed with a note (who and when kept), audited, and every dashboard of its
    /// commune (and the officer who listed the document) told at once. Acknowledging it again changes nothing.</summary>
    internal static async Task<Results<Ok<WatchlistHitDto>, ProblemResult>> AcknowledgeHit(Guid id, AcknowledgeHitRequest request, HttpContext http,
        LuuTruDb db, AuditWriter audit, PoliceFeed feed, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = errors.Text("note", request.Note, 500, required: true);
        if (errors.Any) return Problems.Validation(errors);
        var caller = http.Caller();
        var row = await VisibleHits(db, caller).AsTracking().FirstOrDefaultAsync(x => x.Hit.Id == id, ct);
        if (row is null) return Problems.NotFound();
        if (row.Hit.AcknowledgedAt is not null) return TypedResults.Ok(ToDto(row));
        var now = clock.GetUtcNow();
        row.Hit.AcknowledgedAt = now;
        row.Hit.AcknowledgedBy = caller.UserId;
        row.Hit.AcknowledgementNote = note;
        audit.Record(caller, "watchlist.hit-acknowledge", "watchlist-hit", id.ToString(), row.Hit.CommuneCode, new { row.ReceiptNumber }, http);
        var pending = new PendingEvent(row.Hit.CommuneCode, row.ProvinceCode, CommuneEventStore.HitAcknowledged, now, row.Hit.NotificationId,
            seq => new WatchlistHitAcknowledgedEvent(row.Hit.CommuneCode, seq, now, id, row.Hit.NotificationId, now, note!), AlsoToUser: row.Entry.ListedBy);
        await feed.SaveAndPublishAsync(db, [pending], ct);
        return TypedResults.Ok(ToDto(row));
    }

    /// <summary>A filter of the audit trail: time, action (or an action prefix ending in '.'), actor, commune; paged.</summary>
    internal sealed record AuditQuery(VnTime? From, VnTime? To, string? Action, string? ActorId, string? CommuneCode, string? Cursor, int? Limit);

    internal static async Task<Results<Ok<Page<AuditEntryDto>>, ProblemResult>> AuditTrail([AsParameters] AuditQuery query, LuuTruDb db,
        CancellationToken ct)
    {
        var (from, to, action, actorId, communeCode, cursor, limit) = query;
        var errors = new FieldErrors();
        if (limit is < 1 or > MaxPage) errors.Add("limit", "invalid-value");
        long? before = null;
        if (!string.IsNullOrEmpty(cursor)) { if (long.TryParse(cursor, out var c)) before = c; else errors.Add("cursor", "invalid-value"); }
        if (errors.Any) return Problems.Validation(errors);
        var q = db.AuditLog.AsNoTracking();
        if (from is { } f) { var fu = f.Value.ToUniversalTime(); q = q.Where(a => a.At >= fu); }
        if (to is { } t) { var tu = t.Value.ToUniversalTime(); q = q.Where(a => a.At < tu); }
        if (!string.IsNullOrEmpty(action)) q = action.EndsWith('.') ? q.Where(a => a.Action.StartsWith(action)) : q.Where(a => a.Action == action);
        if (!string.IsNullOrEmpty(actorId)) q = q.Where(a => a.ActorId == actorId);
        if (!string.IsNullOrEmpty(communeCode)) q = q.Where(a => a.CommuneCode == communeCode);
        if (before is { } b) q = q.Where(a => a.Id < b);
        var take = limit ?? DefaultPage;
        var page = await q.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(new Page<AuditEntryDto>(page.Take(take).Select(a => new AuditEntryDto(a.Id, a.At, a.ActorKind, a.ActorId, a.Action,
            a.EntityType, a.EntityId, a.CommuneCode, a.Details, a.RemoteAddress)).ToList(), page.Count > take ? page[take - 1].Id.ToString() : null));
    }

    /// <summary>Entries the caller may see and remove: their own, those listed in their area; admins all.</summary>
    private static IQueryable<WatchlistEntry> Visible(LuuTruDb db, Caller caller)
    {
        var q = db.Watchlist.AsQueryable();
        if (caller.IsAdmin) return q;
        if (caller.Role == Role.ProvinceSupervisor)
            return q.Where(w => w.ListedBy == caller.UserId
                || db.Communes.Any(c => c.Code == w.ListedInCommune && c.ProvinceCode == caller.ProvinceCode));
        return q.Where(w => w.ListedBy == caller.UserId || (w.ListedInCommune != null && caller.CommuneCodes.Contains(w.ListedInCommune)));
    }

    private static WatchlistEntryDto ToDto(WatchlistEntry w, int hits) =>
        new(w.Id, w.DocumentNumber, w.Reason, w.ListedBy, w.ListedInCommune, w.CreatedAt, w.ExpiresAt, hits);

    /// <summary>A search as the audit log keeps it: a name as typed, a document number masked (its first three and last
    /// two characters): the trail says what was looked for without becoming a list of the numbers looked up.</summary>
    internal static string? MaskedQuery(string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return query;
        var number = DocumentNumbers.Normalize(query);
        if (number.Length < 6 || !number.All(char.IsAsciiLetterOrDigit) || !number.Any(char.IsAsciiDigit)) return query.Trim();
        return number[..3] + new string('*', number.Length - 5) + number[^2..];
    }
}
