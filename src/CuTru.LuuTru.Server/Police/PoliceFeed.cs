using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CuTru.LuuTru.Server.Police;

/// <summary>Pushes stored events to the dashboards that may see them (through the Redis backplane when several
/// processes run). Never before the data is committed; a failed push is logged, and the dashboard's next resume
/// fetches what it missed.</summary>
public sealed class PoliceFeed(IHubContext<PoliceHubServer, IPoliceClient> hub, Infrastructure.LuuTruMetrics metrics, ILogger<PoliceFeed> logger)
{
    /// <summary>Saves the context's changes and the dashboards' events in one transaction, then pushes the events: an event
    /// is never stored without its change, nor pushed before both are committed.</summary>
    public async Task SaveAndPublishAsync(Storage.LuuTruDb db, IReadOnlyList<PendingEvent> pending, CancellationToken ct)
    {
        var events = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            var stored = await CommuneEventStore.AppendAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(),
                (Npgsql.NpgsqlTransaction)tx.GetDbTransaction(), pending, ct);
            await tx.CommitAsync(ct);
            return stored;
        });
        db.ChangeTracker.AcceptAllChanges();
        await PublishAsync(events);
    }

    /// <summary>Issues every send at once (the Redis connection keeps them in order) and waits for them together:
    /// one round trip per batch instead of one per event and group.</summary>
    public async Task PublishAsync(IReadOnlyList<StoredEvent> events)
    {
        if (events.Count == 0) return;
        var sends = new List<Task>(events.Count + 4);
        foreach (var e in events)
        {
            metrics.EventsPushed.Add(1, new KeyValuePair<string, object?>("kind", e.Kind));
            sends.Add(Guard(Send(hub.Clients.Groups(PoliceGroups.Audience(e.CommuneCode, e.ProvinceCode)), e.Payload), e.Kind));
            if (e.AlsoToUser is { } user) sends.Add(Guard(Send(hub.Clients.Group(PoliceGroups.User(user)), e.Payload), e.Kind));
        }
        await Task.WhenAll(sends);
    }

    /// <summary>At start: made-up events pushed the whole way (the typed client, the hub protocol's JSON, the backplane)
    /// to a group nobody is in, so the first real arrivals after a deploy do not pay for compiling that path.</summary>
    public async Task RehearseAsync(IReadOnlyList<StoredEvent> events)
    {
        foreach (var e in events) await Send(hub.Clients.Group(PoliceGroups.Nobody), e.Payload);
    }

    private async Task Guard(Task send, string kind)
    {
        try { await send; }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Live push of a {Kind} event failed; dashboards catch up on resume", kind);
        }
    }

    private static Task Send(IPoliceClient client, object payload) => payload switch
    {
        ArrivalEvent a => client.Arrival(a),
        CheckoutEvent c => client.Checkout(c),
        WatchlistHitEvent w => client.WatchlistHit(w),
        ReportReadyEvent r => client.ReportReady(r),
        NotificationChangedEvent c => client.NotificationChanged(c),
        WatchlistHitAcknowledgedEvent a => client.WatchlistHitAcknowledged(a),
        UpstreamOverdueEvent o => client.UpstreamOverdue(o),
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload.GetType().Name),
    };

    /// <summary>Sends a stored event (kind + JSON, as in commune_events) to one client; false, and nothing sent, for a
    /// kind this version does not know.</summary>
    internal static async Task<bool> SendStoredAsync(IPoliceClient client, string kind, string payload)
    {
        if (CommuneEventStore.Read(kind, payload) is not { } e) return false;
        await Send(client, e);
        return true;
    }
}
