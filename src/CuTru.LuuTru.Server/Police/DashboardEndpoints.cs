using System.Globalization;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Reports;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CuTru.LuuTru.Server.Police;

/// <summary>A commune's register for one duty day, as it is now: the lines the two reports of that day list (received in
/// (D 08:00, D+1 08:00]), the counters counted from those same lines, arrivals per hour of reception, establishments and
/// whether each notified in the window. Queries bounded by indexes on the commune: notifications (commune_code,
/// received_at) for the lines, the partial index (commune_code, departure_at) where status = 'Recorded' for who is
/// staying now, notifications (establishment_id, accepted_at) for each establishment's last notification.</summary>
public static class DashboardEndpoints
{
    /// <summary>Most lines one dashboard read carries; past that it says so (the reports and search have them all).</summary>
    public const int MaxRows = 2_000;

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/communes/{code}/dashboard", Dashboard).WithTags("Police").RequireAuthorization(Policies.Police).RequireCommuneAccess()
            .WithSummary("A commune's register for a duty day (D 08:00 to D+1 08:00, default the one under way): its lines as they are now and counters from the same lines");
        app.MapGet("/api/v1/provinces/{code}/dashboard", ProvinceDashboard).WithTags("Police").RequireAuthorization(Policies.Police).RequireProvinceAccess()
            .WithSummary("A province's duty day commune by commune (supervisors, admins): counters, open hits, establishments that notified nothing, with their phone");
    }

    internal static async Task<Results<Ok<ProvinceDashboardDto>, ProblemResult>> ProvinceDashboard(string code, string? day, LuuTruDb db,
        TimeProvider clock, CancellationToken ct)
    {
        var date = DutyDayOf(clock.GetUtcNow());
        if (!string.IsNullOrEmpty(day) && (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || !VietnamTime.InRange(date)))
            return Problems.Validation("day", "invalid-value");
        var (start, end) = Window(date);
        var (startUtc, endUtc) = (start.ToUniversalTime(), end.ToUniversalTime());
        var province = await db.Provinces.AsNoTracking().FirstAsync(p => p.Code == code, ct);
        var communes = await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == code).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        // The lines of every commune of the province, counted as a commune's dashboard counts its own (RegisterRows.Count).
        // Only what is counted is read (no names): a province's day can be tens of thousands of lines.
        var found = await db.Notifications.AsNoTracking()
            .Where(n => n.ProvinceCode == code && n.ReceivedAt > startUtc && n.ReceivedAt <= endUtc)
            .Select(n => new { n.CommuneCode, n.EstablishmentId, n.Status, n.Late, n.Flags, Guests = n.Guests.Count(),
                Foreigners = n.Guests.Count(g => g.Nationality != Intake.Rules.Countries.Vietnam) })
            .ToListAsync(ct);
        var rows = found.Select(n => (n.CommuneCode, Row: new RegisterRows.Facts(n.Status == NotificationStatus.Cancelled, n.Guests, n.Foreigners, n.Late,
            Flags.FromJson(n.Flags).Count > 0))).ToList();
        var establishments = await db.Establishments.AsNoTracking().Where(e => e.ProvinceCode == code && e.Status == EstablishmentStatus.Approved)
            .Select(e => new { e.Id, e.Name, e.CommuneCode, e.Address, e.ManagerName, e.Phone,
                Last = db.Notifications.Where(n => n.EstablishmentId == e.Id).Max(n => (DateTimeOffset?)n.AcceptedAt) })
            .ToListAsync(ct);
        var notified = found.Where(n => n.EstablishmentId is not null).Select(n => n.EstablishmentId!.Value).ToHashSet();
        var openHits = await db.WatchlistHits.AsNoTracking().Where(h => h.AcknowledgedAt == null && communes.Keys.Contains(h.CommuneCode))
            .GroupBy(h => h.CommuneCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var silent = establishments.Where(e => !notified.Contains(e.Id)).OrderBy(e => communes.GetValueOrDefault(e.CommuneCode)).ThenBy(e => e.Name)
            .Select(e => new SilentEstablishmentDto(e.Id, e.Name, e.CommuneCode, communes.GetValueOrDefault(e.CommuneCode, e.CommuneCode), e.Address,
                e.ManagerName, e.Phone, e.Last)).ToList();
        var active = rows.Select(r => r.CommuneCode).Concat(establishments.Select(e => e.CommuneCode)).Concat(openHits.Keys).ToHashSet();
        var rollup = active.Select(c =>
        {
            var lines = rows.Where(r => r.CommuneCode == c).Select(r => r.Row).ToList();
            return new CommuneRollupDto(c, communes.GetValueOrDefault(c, c), RegisterRows.Count(lines, 0), establishments.Count(e => e.CommuneCode == c),
                silent.Count(e => e.CommuneCode == c), openHits.GetValueOrDefault(c));
        }).OrderByDescending(r => r.OpenHits).ThenByDescending(r => r.Counters.Arrivals).ThenBy(r => r.CommuneName).ToList();
        // Counts and establishments' business contacts, no guest: not a read of personal data, so not audited (the page
        // reads it again as the live feed moves).
        return TypedResults.Ok(new ProvinceDashboardDto(code, province.Name, date, start, end, rollup, RegisterRows.Count(rows.Select(r => r.Row), 0),
            openHits.Values.Sum(), silent));
    }

    /// <summary>The duty day under way at <paramref name="now"/>: the day whose two reports will list what is received now.</summary>
    public static DateOnly DutyDayOf(DateTimeOffset now)
    {
        var today = VietnamTime.DayOf(now);
        return now <= ReportKinds.Window(today, ReportKinds.Nightly).Start ? today.AddDays(-1) : today;
    }

    /// <summary>What day D's dashboard lists: (D 08:00, D+1 08:00], the nightly and the morning report of D together.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(DateOnly day) =>
        (ReportKinds.Window(day, ReportKinds.Nightly).Start, ReportKinds.Window(day, ReportKinds.Morning).End);

    internal static async Task<Results<Ok<CommuneDashboardDto>, ProblemResult>> Dashboard(string code, string? day, HttpContext http, LuuTruDb db,
        NpgsqlDataSource data, TimeProvider clock, Audit.AuditWriter audit, CancellationToken ct)
    {
        var commune = http.Commune();
        var now = clock.GetUtcNow();
        var date = DutyDayOf(now);
        if (!string.IsNullOrEmpty(day) && (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || !VietnamTime.InRange(date)))
            return Problems.Validation("day", "invalid-value");
        var (start, end) = Window(date);
        var (startUtc, endUtc) = (start.ToUniversalTime(), end.ToUniversalTime());

        var establishments = await db.Establishments.AsNoTracking().Where(e => e.CommuneCode == code && e.Status == EstablishmentStatus.Approved)
            .Select(e => new { e.Id, e.Name, e.Address, Last = db.Notifications.Where(n => n.EstablishmentId == e.Id).Max(n => (DateTimeOffset?)n.AcceptedAt) })
            .ToListAsync(ct);
        var names = establishments.ToDictionary(e => e.Id, e => e.Name);
        var found = await db.Notifications.AsNoTracking().Include(n => n.Guests)
            .Where(n => n.CommuneCode == code && n.ReceivedAt > startUtc && n.ReceivedAt <= endUtc)
            .OrderByDescending(n => n.ReceivedAt).ThenByDescending(n => n.ReceiptNumber).Take(MaxRows + 1).AsSplitQuery().ToListAsync(ct);
        var missing = found.Where(n => n.EstablishmentId is { } id && !names.ContainsKey(id)).Select(n => n.EstablishmentId!.Value).Distinct().ToList();
        if (missing.Count > 0)
            foreach (var e in await db.Establishments.AsNoTracking().Where(e => missing.Contains(e.Id)).Select(e => new { e.Id, e.Name }).ToListAsync(ct))
                names[e.Id] = e.Name;
        var upstream = await Kbtt.KbttRelayViews.SummariesAsync(db, found.Take(MaxRows).Select(n => n.Id).ToList(), ct);
        var rows = found.Take(MaxRows).Select(n => RegisterRows.Of(n, n.EstablishmentId is { } id && names.TryGetValue(id, out var name) ? name : n.Address,
            upstream.GetValueOrDefault(n.Id))).ToList();

        int staying;
        await using (var conn = await data.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand("""
            select count(*)::int from notifications n join notification_guests g on g.notification_id = n.id and g.received_at = n.received_at
            where n.commune_code = @commune and n.status = 'Recorded' and n.departure_at > @now and n.arrival_at <= @now and g.checked_out_at is null
            """, conn))
        {
            cmd.Parameters.AddWithValue("commune", code);
            cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
            staying = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        long lastSequence = await db.CommuneEventCounters.Where(c => c.CommuneCode == code).Select(c => c.LastSequence).FirstOrDefaultAsync(ct);

        var notified = rows.Where(r => r.EstablishmentId is not null).Select(r => r.EstablishmentId!.Value).ToHashSet();
        var activity = establishments.OrderByDescending(e => e.Last ?? DateTimeOffset.MinValue).ThenBy(e => e.Name)
            .Select(e => new EstablishmentActivityDto(e.Id, e.Name, e.Address, e.Last, notified.Contains(e.Id))).ToList();
        // The lines carry names and masked numbers: the opening of a dashboard is traced.
        audit.Record(http.Caller(), "dashboard.view", "commune", code, code,
            new { day = date, lines = rows.Count, people = rows.Sum(r => r.Guests.Count) }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CommuneDashboardDto(code, commune.Name, commune.ProvinceCode, date, start, end,
            RegisterRows.Count(rows, staying), RegisterRows.PerHour(rows), activity, rows, found.Count > MaxRows, lastSequence,
            await Kbtt.KbttOverdue.FindAsync(db, code, now, ct)));
    }
}

/// <summary>A register line as the dashboard shows it, and what is counted from lines: one definition for the dashboard
/// read and the live events.</summary>
public static class RegisterRows
{
    public static GuestSummaryDto Guest(NotificationGuest g) =>
        new(g.FullName, g.DateOfBirth?.Year, g.Nationality, g.DocumentType, DocumentMask.Mask(g.DocumentNumber));

    public static RegisterRowDto Of(Notification n, string placeName, string? upstream = null) => new(
        n.Id, n.ReceiptNumber, n.Status, n.ReceivedAt, n.ArrivalAt, n.DepartureAt, n.EstablishmentId, placeName, WireEnum.Name(n.Channel), n.Late,
        Flags.FromJson(n.Flags).Select(f => f.Code).Distinct().ToList(), n.Guests.OrderBy(g => g.Index).Select(Guest).ToList(),
        n.Status == NotificationStatus.Recorded ? n.Guests.Count(g => g.CheckedOutAt is null) : 0, upstream);

    /// <summary>What of a line is counted.</summary>
    public readonly record struct Facts(bool Cancelled, int Guests, int Foreigners, bool Late, bool Flagged);

    public static Facts FactsOf(RegisterRowDto r) => new(r.Status == NotificationStatus.Cancelled, r.Guests.Count,
        r.Guests.Count(g => g.Nationality != Intake.Rules.Countries.Vietnam), r.Late, r.Flags.Count > 0);

    public static DashboardCountersDto Count(IReadOnlyList<RegisterRowDto> rows, int stayingNow) => Count(rows.Select(FactsOf), stayingNow);

    /// <summary>The counters of a set of lines: arrivals are the lines not cancelled, and the rest is counted among them.</summary>
    public static DashboardCountersDto Count(IEnumerable<Facts> lines, int stayingNow)
    {
        var all = lines.ToList();
        var live = all.Where(r => !r.Cancelled).ToList();
        return new DashboardCountersDto(live.Count, live.Sum(r => r.Guests), stayingNow, live.Sum(r => r.Foreigners), live.Count(r => r.Late),
            live.Count(r => r.Flagged), all.Count - live.Count);
    }

    /// <summary>Lines not cancelled, per hour of reception (Vietnam time).</summary>
    public static int[] PerHour(IReadOnlyList<RegisterRowDto> rows)
    {
        var perHour = new int[24];
        foreach (var r in rows.Where(r => r.Status != NotificationStatus.Cancelled)) perHour[VietnamTime.ToVietnam(r.ReceivedAt).Hour]++;
        return perHour;
    }
}
