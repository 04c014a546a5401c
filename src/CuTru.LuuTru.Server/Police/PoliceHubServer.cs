using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace CuTru.LuuTru.Server.Police;

/// <summary>Group names, from one place: a commune's officers, a province's supervisors, the admins, one user.</summary>
public static class PoliceGroups
{
    public const string All = "all";
    public static string Commune(string code) => "commune:" + code;
    public static string Province(string code) => "province:" + code;
    public static string User(Guid id) => "user:" + id.ToString("N");

    /// <summary>The groups a signed-in police user is put in on connect; nobody can ask to join another.</summary>
    public static IEnumerable<string> For(Caller caller)
    {
        if (caller.UserId is { } id) yield return User(id);
        if (caller.IsAdmin) { yield return All; yield break; }
        if (caller.Role == Role.ProvinceSupervisor && caller.ProvinceCode is { } p) { yield return Province(p); yield break; }
        if (caller.Role == Role.CommuneOfficer) foreach (var c in caller.CommuneCodes) yield return Commune(c);
    }

    /// <summary>Who sees an event of a commune: its officers, its province's supervisors, the admins.</summary>
    public static IReadOnlyList<string> Audience(string commune, string province) => [Commune(commune), Province(province), All];
}

/// <summary>The police dashboards' hub (<c>/hubs/police</c>): signed-in officers, supervisors and admins only. Pushes
/// come from <see cref="PoliceFeed"/> after the data is stored; this class only sorts connections into their groups
/// and answers catch-up requests from PostgreSQL.</summary>
[Authorize(Policy = Policies.Police)]
public sealed class PoliceHubServer(NpgsqlDataSource data, ILogger<PoliceHubServer> logger) : Hub<IPoliceClient>
{
    /// <summary>Most events one resume replays; beyond that the dashboard reloads its lists.</summary>
    public const int MaxReplay = 5_000;

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!);
        foreach (var group in PoliceGroups.For(caller)) await Groups.AddToGroupAsync(Context.ConnectionId, group);
        await base.OnConnectedAsync();
    }

    public Task<Dictionary<string, long>> Watermarks() =>
        CommuneEventStore.WatermarksAsync(data, Caller.From(Context.User!), Context.ConnectionAborted);

    public async Task<ResumeResult> Resume(Dictionary<string, long>? lastSeen)
    {
        var caller = Caller.From(Context.User!);
        var events = await CommuneEventStore.SinceAsync(data, caller, lastSeen ?? [], MaxReplay + 1, Context.ConnectionAborted);
        var replay = events.Take(MaxReplay).ToList();
        foreach (var (kind, payload) in replay) await PoliceFeed.SendAsync(Clients.Caller, kind, payload);
        logger.LogInformation("Replayed {Count} events to a reconnecting dashboard", replay.Count);
        return new ResumeResult(replay.Count, events.Count > MaxReplay);
    }
}

/// <summary>Pushes stored events to the dashboards that may see them (through the Redis backplane when several
/// processes run). Never before the data is committed; a failed push is logged, and the dashboard's next resume
/// fetches what it missed.</summary>
public sealed class PoliceFeed(IHubContext<PoliceHubServer, IPoliceClient> hub, ILogger<PoliceFeed> logger)
{
    /// <summary>Issues every send at once (the Redis connection keeps them in order) and waits for them together:
    /// one round trip per batch instead of one per event and group.</summary>
    public async Task PublishAsync(IReadOnlyList<StoredEvent> events)
    {
        if (events.Count == 0) return;
        var sends = new List<Task>(events.Count + 4);
        foreach (var e in events)
        {
            sends.Add(Guard(Send(hub.Clients.Groups(PoliceGroups.Audience(e.CommuneCode, e.ProvinceCode)), e.Payload), e.Kind));
            if (e.AlsoToUser is { } user) sends.Add(Guard(Send(hub.Clients.Group(PoliceGroups.User(user)), e.Payload), e.Kind));
        }
        await Task.WhenAll(sends);
    }

    private async Task Guard(Task send, string kind)
    {
        try { await send; }
        catch (Exception ex)
        {
            logger.LogWarning("Live push of a {Kind} event failed ({Error}); dashboards catch up on resume", kind, ex.GetType().Name);
        }
    }

    private static Task Send(IPoliceClient client, object payload) => payload switch
    {
        ArrivalEvent a => client.Arrival(a),
        CheckoutEvent c => client.Checkout(c),
        WatchlistHitEvent w => client.WatchlistHit(w),
        ReportReadyEvent r => client.ReportReady(r),
        _ => throw new ArgumentOutOfRangeException(nameof(payload), payload.GetType().Name),
    };

    /// <summary>Sends a stored event (kind + JSON, as in commune_events) to one client.</summary>
    internal static Task SendAsync(IPoliceClient client, string kind, string payload) => kind switch
    {
        CommuneEventStore.Arrival => client.Arrival(Read<ArrivalEvent>(payload)),
        CommuneEventStore.Checkout => client.Checkout(Read<CheckoutEvent>(payload)),
        CommuneEventStore.WatchlistHit => client.WatchlistHit(Read<WatchlistHitEvent>(payload)),
        CommuneEventStore.ReportReady => client.ReportReady(Read<ReportReadyEvent>(payload)),
        _ => Task.CompletedTask,
    };

    private static T Read<T>(string json) => System.Text.Json.JsonSerializer.Deserialize<T>(json, CommuneEventStore.Json)!;
}
