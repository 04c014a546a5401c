using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>Where each guest's filing on the national system stands, as readers of a notification see it.</summary>
public static class KbttRelayViews
{
    /// <summary>The notification with each guest's latest relay row (none: not relayed, e.g. an establishment not linked).</summary>
    public static async Task<NotificationDto> WithUpstreamAsync(NotificationDto n, LuuTruDb db, CancellationToken ct)
    {
        List<KbttRelayItem> rows;
        try { rows = await db.KbttRelay.AsNoTracking().Where(r => r.NotificationId == n.Id).OrderBy(r => r.Id).ToListAsync(ct); }
        catch (Exception e) when (Transient.Is(e)) { return n; } // PostgreSQL down: the notification from the buffer, without it
        if (rows.Count == 0) return n;
        var latest = rows.GroupBy(r => r.GuestIndex).ToDictionary(g => g.Key, g => g.Last());
        return n with
        {
            Guests = n.Guests.Select(g => latest.TryGetValue(g.Index, out var r)
                ? g with { Upstream = new UpstreamStateDto(WireEnum.Name(r.State), WireEnum.Name(r.Kind), r.SentAt, r.Attempts, r.Code, r.Message) }
                : g).ToList(),
        };
    }
}
