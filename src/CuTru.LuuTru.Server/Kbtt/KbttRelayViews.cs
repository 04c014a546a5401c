using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>Where each guest's filing on the national system stands, as readers of a notification see it.</summary>
public static class KbttRelayViews
{
    /// <summary>The order of the states, worst first: what a line of several guests shows.</summary>
    private static readonly RelayState[] Worst = [RelayState.Rejected, RelayState.ManualRequired, RelayState.Unknown, RelayState.Pending, RelayState.Sent];

    /// <summary>Each relayed notification's worst guest state (its guests' latest rows), by notification.</summary>
    public static async Task<Dictionary<Guid, string>> SummariesAsync(LuuTruDb db, IReadOnlyList<Guid> notifications, CancellationToken ct)
    {
        if (notifications.Count == 0) return [];
        var rows = await db.KbttRelay.AsNoTracking().Where(r => notifications.Contains(r.NotificationId))
            .Select(r => new { r.Id, r.NotificationId, r.GuestIndex, r.State }).ToListAsync(ct);
        return rows.GroupBy(r => r.NotificationId).ToDictionary(g => g.Key, g => Summary(g.Select(r => (r.Id, r.GuestIndex, r.State))));
    }

    /// <summary>A notification's relay rows as its line shows them: each guest's latest row, then the worst of those.</summary>
    public static string Summary(IEnumerable<(long Id, int GuestIndex, RelayState State)> rows) =>
        WireEnum.Name(rows.GroupBy(r => r.GuestIndex).Select(g => g.MaxBy(r => r.Id).State).MinBy(s => Array.IndexOf(Worst, s)));

    /// <summary>The notification with each guest's latest relay row (none: not relayed, e.g. an establishment not linked).</summary>
    public static async Task<NotificationDto> WithUpstreamAsync(NotificationDto n, LuuTruDb db, CancellationToken ct) =>
        (await WithUpstreamAsync([n], db, ct))[0];

    /// <summary>The same for a page of notifications, in one query.</summary>
    public static async Task<List<NotificationDto>> WithUpstreamAsync(IReadOnlyList<NotificationDto> page, LuuTruDb db, CancellationToken ct)
    {
        var ids = page.Select(n => n.Id).ToList();
        List<KbttRelayItem> rows;
        try { rows = await db.KbttRelay.AsNoTracking().Where(r => ids.Contains(r.NotificationId)).OrderBy(r => r.Id).ToListAsync(ct); }
        catch (Exception e) when (Transient.Is(e)) { return page.ToList(); } // PostgreSQL down: as read from the buffer, without it
        if (rows.Count == 0) return page.ToList();
        var latest = rows.GroupBy(r => (r.NotificationId, r.GuestIndex)).ToDictionary(g => g.Key, g => g.Last());
        return page.Select(n => n with
        {
            Guests = n.Guests.Select(g => latest.TryGetValue((n.Id, g.Index), out var r)
                ? g with { Upstream = new UpstreamStateDto(WireEnum.Name(r.State), WireEnum.Name(r.Kind), r.SentAt, r.Attempts, r.Code, r.Message) }
                : g).ToList(),
        }).ToList();
    }
}
