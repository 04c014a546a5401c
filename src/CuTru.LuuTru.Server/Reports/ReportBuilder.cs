using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Police;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>The two report kinds and their windows, in Vietnam time.</summary>
public static class ReportKinds
{
    public const string Nightly = "nightly", Morning = "morning";
    public static readonly TimeOnly NightlyAt = new(23, 0), MorningAt = new(8, 0);

    public static bool IsKnown(string? kind) => kind is Nightly or Morning;

    /// <summary>Nightly for day D: arrivals from D 00:00 to D 23:00. Morning for D: arrivals from D 23:00 to D+1 08:00,
    /// plus those of the nightly window recorded after 23:00 (late notifications).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(DateOnly day, string kind)
    {
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), VietnamDateTimeOffsetConverter.Offset);
        return kind == Nightly
            ? (midnight, midnight.AddHours(23))
            : (midnight.AddHours(23), midnight.AddDays(1).AddHours(8));
    }
}

/// <summary>Builds commune reports: one pass over the window's notifications for every commune at once (the
/// index on arrival_at), grouped in memory; each report stored as a new version and announced (reportReady) after
/// the commit.</summary>
public sealed class ReportBuilder(LuuTruDb db, PoliceFeed feed, TimeProvider clock, ILogger<ReportBuilder> logger)
{
    private static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    /// <summary>Builds the reports of <paramref name="day"/> and <paramref name="kind"/>: for one commune, or for every
    /// commune with activity in the window or with approved establishments.</summary>
    public async Task<IReadOnlyList<CommuneReportDto>> BuildAsync(DateOnly day, string kind, string? communeCode, string builtBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (start, end) = ReportKinds.Window(day, kind);
        var (s, e) = (start.ToUniversalTime(), end.ToUniversalTime());
        var nightlyEnd = ReportKinds.Window(day, ReportKinds.Nightly).End.ToUniversalTime();
        var dayStart = ReportKinds.Window(day, ReportKinds.Nightly).Start.ToUniversalTime();

        var q = db.Notifications.AsNoTracking().Include(n => n.Guests).Where(n => n.Status != NotificationStatus.Cancelled);
        q = kind == ReportKinds.Nightly
            ? q.Where(n => n.ArrivalAt >= s && n.ArrivalAt < e)
            : q.Where(n => (n.ArrivalAt >= s && n.ArrivalAt < e) || (n.ArrivalAt >= dayStart && n.ArrivalAt < nightlyEnd && n.RecordedAt >= nightlyEnd));
        if (communeCode is not null) q = q.Where(n => n.CommuneCode == communeCode);
        var notifications = await q.AsSplitQuery().ToListAsync(ct);

        var establishments = await db.Establishments.AsNoTracking()
            .Where(x => x.Status == EstablishmentStatus.Approved && (communeCode == null || x.CommuneCode == communeCode))
            .Select(x => new { x.Id, x.Name, x.CommuneCode }).ToListAsync(ct);
        var extraIds = notifications.Select(n => n.EstablishmentId).OfType<Guid>().Except(establishments.Select(x => x.Id)).ToList();
        var names = establishments.ToDictionary(x => x.Id, x => x.Name);
        foreach (var x in await db.Establishments.AsNoTracking().Where(x => extraIds.Contains(x.Id)).Select(x => new { x.Id, x.Name }).ToListAsync(ct))
            names[x.Id] = x.Name;

        var communes = notifications.Select(n => n.CommuneCode).Concat(establishments.Select(x => x.CommuneCode))
            .Append(communeCode).OfType<string>().Distinct().ToList();
        var communeInfo = await db.Communes.AsNoTracking().Where(c => communes.Contains(c.Code))
            .Join(db.Provinces, c => c.ProvinceCode, p => p.Code, (c, p) => new { c.Code, c.Name, c.ProvinceCode, ProvinceName = p.Name })
            .ToDictionaryAsync(c => c.Code, ct);

        var ids = notifications.Select(n => n.Id).ToList();
        var hits = (await db.WatchlistHits.AsNoTracking().Where(h => ids.Contains(h.NotificationId)).Select(h => h.CommuneCode).ToListAsync(ct))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var staying = (await db.Notifications.AsNoTracking()
                .Where(n => n.Status == NotificationStatus.Recorded && n.DepartureAt > e && n.ArrivalAt <= e
                    && (communeCode == null || n.CommuneCode == communeCode))
                .SelectMany(n => n.Guests.Where(g => g.CheckedOutAt == null).Select(g => n.CommuneCode))
                .ToListAsync(ct))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var previous = await CountsAsync(s.AddDays(-1), e.AddDays(-1), communeCode, ct);
        var lastWeek = await CountsAsync(s.AddDays(-7), e.AddDays(-7), communeCode, ct);

        var versions = await db.Reports.AsNoTracking().Where(r => r.Day == day && r.Kind == kind && (communeCode == null || r.CommuneCode == communeCode))
            .GroupBy(r => r.CommuneCode).Select(g => new { g.Key, Last = g.Max(r => r.Version) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);

        var byCommune = notifications.GroupBy(n => n.CommuneCode).ToDictionary(g => g.Key, g => g.OrderBy(n => n.AcceptedAt).ThenBy(n => n.Id).ToList());
        var built = new List<CommuneReportDto>();
        foreach (var code in communes.Where(communeInfo.ContainsKey).Order(StringComparer.Ordinal))
        {
            var info = communeInfo[code];
            var list = byCommune.GetValueOrDefault(code) ?? [];
            var guests = list.SelectMany(n => n.Guests.Select(g => (n, g))).ToList();
            var flagsOf = list.ToDictionary(n => n.Id, n => IntakeService.FlagsOf(n));
            var totals = new ReportTotalsDto(
                list.Count, guests.Count,
                guests.Count(x => x.g.Nationality == Countries.Vietnam), guests.Count(x => x.g.Nationality != Countries.Vietnam),
                guests.Count(x => IsChild(x.g, x.n)),
                list.Count(n => n.Late),
                list.Count(n => flagsOf[n.Id].Any(f => f.Code == FlagCodes.Stay30DaysOrMore)),
                list.Count(n => flagsOf[n.Id].Any(f => f.Code is FlagCodes.IdGenderMismatch or FlagCodes.IdBirthYearMismatch)),
                hits.GetValueOrDefault(code), staying.GetValueOrDefault(code), previous.GetValueOrDefault(code), lastWeek.GetValueOrDefault(code));
            var byEstablishment = establishments.Where(x => x.CommuneCode == code).Select(x => x.Id)
                .Union(list.Select(n => n.EstablishmentId).OfType<Guid>())
                .Select(id => new ReportEstablishmentDto(id, names.GetValueOrDefault(id, ""), list.Count(n => n.EstablishmentId == id),
                    list.Where(n => n.EstablishmentId == id).Sum(n => n.Guests.Count)))
                .OrderByDescending(x => x.Notifications).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
            var register = list.Select((n, i) => new ReportEntryDto(i + 1, n.ReceiptNumber, n.AcceptedAt,
                n.EstablishmentId is { } est ? names.GetValueOrDefault(est, "") : n.Address, Infrastructure.WireEnum.Name(n.Channel), n.ArrivalAt,
                n.DepartureAt, Infrastructure.WireEnum.Name(n.Reason), flagsOf[n.Id].Select(f => f.Code).Distinct().ToList(),
                n.Guests.OrderBy(g => g.Index).Select(g => new ReportGuestDto(g.FullName, g.DateOfBirth, g.DocumentType, g.DocumentNumber, g.Nationality))
                    .ToList())).ToList();
            built.Add(new CommuneReportDto(code, info.Name, info.ProvinceCode, info.ProvinceName, day, kind, versions.GetValueOrDefault(code) + 1, now,
                builtBy, start, end, totals, byEstablishment,
                guests.GroupBy(x => x.g.Nationality).Select(g => new ReportCountDto(g.Key, g.Count())).OrderByDescending(x => x.Count).ThenBy(x => x.Key).ToList(),
                list.GroupBy(n => Infrastructure.WireEnum.Name(n.Reason)).Select(g => new ReportCountDto(g.Key, g.Count())).OrderByDescending(x => x.Count)
                    .ThenBy(x => x.Key).ToList(),
                register));
        }

        // Stored, each a new version, with its reportReady event, in one transaction; pushed after the commit.
        var events = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var r in built)
                db.Reports.Add(new CommuneReport
                {
                    Id = Guid.CreateVersion7(now), CommuneCode = r.CommuneCode, Day = day, Kind = kind, Version = r.Version, BuiltAt = now,
                    BuiltBy = builtBy, Notifications = r.Totals.Notifications, Content = JsonSerializer.Serialize(r, Json),
                });
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            var stored = await CommuneEventStore.AppendAsync((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)tx.GetDbTransaction(),
                built.Select(r => new PendingEvent(r.CommuneCode, r.ProvinceCode, CommuneEventStore.ReportReady, now, null,
                    seq => new ReportReadyEvent(r.CommuneCode, seq, now, day, kind, r.Version))).ToList(), ct);
            await tx.CommitAsync(ct);
            return stored;
        });
        db.ChangeTracker.Clear();
        await feed.PublishAsync(events);
        logger.LogInformation("Built {Count} {Kind} reports for {Day} ({Notifications} notifications)", built.Count, kind, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), notifications.Count);
        return built;
    }

    private static bool IsChild(NotificationGuest g, Notification n) =>
        g.DateOfBirth is { } dob && dob.AddYears(14) > DateOnly.FromDateTime(n.ArrivalAt.ToOffset(VietnamDateTimeOffsetConverter.Offset).DateTime);

    private async Task<Dictionary<string, int>> CountsAsync(DateTimeOffset start, DateTimeOffset end, string? communeCode, CancellationToken ct) =>
        await db.Notifications.AsNoTracking()
            .Where(n => n.ArrivalAt >= start && n.ArrivalAt < end && n.Status != NotificationStatus.Cancelled && (communeCode == null || n.CommuneCode == communeCode))
            .GroupBy(n => n.CommuneCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
}
