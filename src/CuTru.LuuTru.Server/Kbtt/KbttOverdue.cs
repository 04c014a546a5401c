using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>Guests not on the national system by 20:00 the day after their arrival: their declaration is not sent (the
/// relay still trying, upstream refused it, or a person must file it on the portal). Shown on the commune's dashboard
/// from then on, and pushed at 20:00 (<see cref="KbttOverdueJob"/>).</summary>
public static class KbttOverdue
{
    public static readonly TimeOnly Hour = new(20, 0);

    /// <summary>The latest arrival that is overdue at <paramref name="now"/>: before 20:00, arrivals up to the day before
    /// yesterday; from 20:00, up to yesterday.</summary>
    public static DateTimeOffset ArrivedBefore(DateTimeOffset now)
    {
        var today = VietnamTime.DayOf(now);
        var lastDay = VietnamTime.TimeOf(now) >= Hour ? today.AddDays(-1) : today.AddDays(-2);
        return VietnamTime.StartOf(lastDay.AddDays(1));
    }

    public static async Task<List<UpstreamOverdueDto>> FindAsync(LuuTruDb db, string? communeCode, DateTimeOffset now, CancellationToken ct)
    {
        var before = ArrivedBefore(now).ToUniversalTime();
        var rows = await db.KbttRelay.AsNoTracking()
            .Where(r => (r.Kind == RelayKind.DeclareVn || r.Kind == RelayKind.DeclareForeign) && r.State != RelayState.Sent)
            .Join(db.Notifications, r => r.NotificationId, n => n.Id, (r, n) => new { r.EstablishmentId, n.CommuneCode, n.ArrivalAt, n.Status })
            .Where(x => x.ArrivalAt < before && x.Status != NotificationStatus.Cancelled && (communeCode == null || x.CommuneCode == communeCode))
            .Join(db.Establishments, x => x.EstablishmentId, e => e.Id, (x, e) => new { x.CommuneCode, x.EstablishmentId, e.Name, e.Phone, x.ArrivalAt })
            .ToListAsync(ct);
        return rows.GroupBy(x => (x.CommuneCode, x.EstablishmentId, x.Name, x.Phone))
            .Select(g => new UpstreamOverdueDto(g.Key.CommuneCode, g.Key.EstablishmentId, g.Key.Name, g.Key.Phone, g.Count(), g.Min(x => x.ArrivalAt)))
            .OrderBy(o => o.CommuneCode).ThenBy(o => o.OldestArrivalAt).ToList();
    }

    /// <summary>Tells every commune with guests overdue, one event each (stored, so a dashboard that reconnects gets it).</summary>
    public static async Task<int> PublishAsync(LuuTruDb db, Police.PoliceFeed feed, DateTimeOffset now, CancellationToken ct)
    {
        var overdue = await FindAsync(db, null, now, ct);
        if (overdue.Count == 0) return 0;
        var provinces = await db.Communes.AsNoTracking().Where(c => overdue.Select(o => o.CommuneCode).Contains(c.Code))
            .ToDictionaryAsync(c => c.Code, c => c.ProvinceCode, ct);
        var pending = overdue.GroupBy(o => o.CommuneCode).Select(g => new Police.PendingEvent(g.Key, provinces[g.Key], Police.CommuneEventStore.UpstreamOverdue,
            now, null, seq => new UpstreamOverdueEvent(g.Key, seq, now, g.ToList()))).ToList();
        await feed.SaveAndPublishAsync(db, pending, ct);
        return pending.Count;
    }
}

/// <summary>20:00 Vietnam time, on one process of the cluster: the overdue alert.</summary>
[DisallowConcurrentExecution]
public sealed class KbttOverdueJob(LuuTruDb db, Police.PoliceFeed feed, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("kbtt-overdue", "kbtt");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await KbttOverdue.PublishAsync(db, feed, clock.GetUtcNow(), ct);
}
