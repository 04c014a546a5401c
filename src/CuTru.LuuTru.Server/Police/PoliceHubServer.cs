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
    /// <summary>A group no connection is ever put in (<see cref="For"/> never names it): the warm-up's pushes go there.</summary>
    public const string Nobody = "nobody";

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
public sealed class PoliceHubServer(NpgsqlDataSource data, Storage.LuuTruDb db, AuditWriter audit, LiveSessions sessions,
    Infrastructure.LuuTruMetrics metrics, ILogger<PoliceHubServer> logger)
    : Hub<IPoliceClient>
{
    /// <summary>Most events one resume replays; beyond that the dashboard reloads its lists.</summary>
    public const int MaxReplay = 5_000;

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!);
        var groups = PoliceGroups.For(caller).ToList();
        foreach (var group in groups) await Groups.AddToGroupAsync(Context.ConnectionId, group);
        // From now on this connection is pushed names as they arrive: traced once, with what it listens to.
        audit.Record(caller, "live.connect", "live-feed", null, caller.CommuneCodes.Count == 1 ? caller.CommuneCodes.First() : null,
            new { groups }, Context.GetHttpContext());
        await db.SaveChangesAsync();
        sessions.Add(Context); // closed when the token expires or the session ends
        metrics.HubConnections.Add(1, Province(caller));
        await base.OnConnectedAsync();
    }

    private static KeyValuePair<string, object?> Province(Caller caller) => new("province", caller.ProvinceCode ?? (caller.IsAdmin ? "all" : "commune"));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.User is { } user) metrics.HubConnections.Add(-1, Province(Caller.From(user)));
        sessions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The guests an arrival or a change names (other kinds: none, or one for a watchlist hit).</summary>
    private static int PeopleIn(string kind, string payload)
    {
        if (kind == CommuneEventStore.WatchlistHit) return 1;
        if (kind is not (CommuneEventStore.Arrival or CommuneEventStore.Change)) return 0;
        using var doc = System.Text.Json.JsonDocument.Parse(payload);
        var line = kind == CommuneEventStore.Change && doc.RootElement.TryGetProperty("row", out var row) ? row : doc.RootElement;
        return line.TryGetProperty("guests", out var guests) && guests.ValueKind == System.Text.Json.JsonValueKind.Array ? guests.GetArrayLength() : 0;
    }

    public Task<Dictionary<string, long>> Watermarks() =>
        CommuneEventStore.WatermarksAsync(data, Caller.From(Context.User!), Context.ConnectionAborted);

    public async Task<ResumeResult> Resume(Dictionary<string, long>? lastSeen)
    {
        var caller = Caller.From(Context.User!);
        var events = await CommuneEventStore.SinceAsync(data, caller, lastSeen ?? [], MaxReplay + 1, Context.ConnectionAborted);
        var replay = events.Take(MaxReplay).ToList();
        foreach (var (kind, payload) in replay)
        {
            // An event of a kind this version does not know (written by a newer one during a deploy) is passed over,
            // said in the log; the rest of the replay still goes out.
            if (!await PoliceFeed.SendStoredAsync(Clients.Caller, kind, payload))
                logger.LogWarning("Replay passed over a stored event of unknown kind {Kind}", kind);
        }
        logger.LogInformation("Replayed {Count} events to a reconnecting dashboard", replay.Count);
        if (replay.Count > 0)
        {
            // A replay sends the missed arrivals again, names included: traced with how many people it carried.
            audit.Record(caller, "live.resume", "live-feed", null, caller.CommuneCodes.Count == 1 ? caller.CommuneCodes.First() : null,
                new { events = replay.Count, people = replay.Sum(e => PeopleIn(e.Kind, e.Payload)) }, Context.GetHttpContext());
            await db.SaveChangesAsync();
        }
        return new ResumeResult(replay.Count, events.Count > MaxReplay);
    }
}
