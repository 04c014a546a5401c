using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Security;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Police;

/// <summary>An event about to be stored: its sequence is given out by <see cref="CommuneEventStore.AppendAsync"/>.</summary>
public sealed record PendingEvent(string CommuneCode, string ProvinceCode, string Kind, DateTimeOffset OccurredAt, Guid? NotificationId,
    Func<long, object> Build, Guid? AlsoToUser = null);

/// <summary>An event stored and ready to push.</summary>
public sealed record StoredEvent(string CommuneCode, string ProvinceCode, string Kind, long Sequence, object Payload, Guid? AlsoToUser);

/// <summary>The communes' live feeds in PostgreSQL: sequences per commune (a counter row per commune, locked by the
/// writing transaction, so sequences commit in order) and the events themselves, for the reconnect catch-up.</summary>
public static class CommuneEventStore
{
    public const string Arrival = "arrival";
    public const string Checkout = "checkout";
    public const string WatchlistHit = "watchlist-hit";
    public const string ReportReady = "report-ready";
    public const string Change = "change";
    public const string HitAcknowledged = "hit-acknowledged";
    public const string UpstreamOverdue = "upstream-overdue";

    public static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    /// <summary>Numbers and stores the events inside the caller's transaction; push them only after it commits.</summary>
    public static async Task<List<StoredEvent>> AppendAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<PendingEvent> events,
        CancellationToken ct)
    {
        if (events.Count == 0) return [];
        var counts = events.GroupBy(e => e.CommuneCode, StringComparer.Ordinal).Select(g => (Commune: g.Key, Count: (long)g.Count()))
            .OrderBy(c => c.Commune, StringComparer.Ordinal).ToList(); // a fixed order: two writers never lock counters crosswise
        var countOf = counts.ToDictionary(c => c.Commune, c => c.Count, StringComparer.Ordinal);
        var next = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            insert into commune_event_counters (commune_code, last_sequence)
            select c, n from unnest(@communes, @counts) as t(c, n) order by c
            on conflict (commune_code) do update set last_sequence = commune_event_counters.last_sequence + excluded.last_sequence
            returning commune_code, last_sequence
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter("communes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = counts.Select(c => c.Commune).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = counts.Select(c => c.Count).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var commune = reader.GetString(0);
                next[commune] = reader.GetInt64(1) - countOf[commune] + 1;
            }
        }

        var stored = new List<StoredEvent>(events.Count);
        foreach (var e in events)
        {
            var sequence = next[e.CommuneCode]++;
            stored.Add(new StoredEvent(e.CommuneCode, e.ProvinceCode, e.Kind, sequence, e.Build(sequence), e.AlsoToUser));
        }
        await using (var insert = new NpgsqlCommand("""
            insert into commune_events (commune_code, sequence, kind, occurred_at, notification_id, payload)
            select * from unnest(@communes, @sequences, @kinds, @at, @notifications, @payloads)
            """, conn, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter("communes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = stored.Select(s => s.CommuneCode).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = stored.Select(s => s.Sequence).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = stored.Select(s => s.Kind).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
                { Value = events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("notifications", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
                { Value = events.Select(e => e.NotificationId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text)
                { Value = stored.Select(s => JsonSerializer.Serialize(s.Payload, s.Payload.GetType(), Json)).ToArray() });
            await insert.ExecuteNonQueryAsync(ct);
        }
        return stored;
    }

    /// <summary>A stored event's payload as the type its kind names; null for a kind this version does not know.</summary>
    public static object? Read(string kind, string payload) => kind switch
    {
        Arrival => Read<ArrivalEvent>(payload),
        Checkout => Read<CheckoutEvent>(payload),
        WatchlistHit => Read<WatchlistHitEvent>(payload),
        ReportReady => Read<ReportReadyEvent>(payload),
        Change => Read<NotificationChangedEvent>(payload),
        HitAcknowledged => Read<WatchlistHitAcknowledgedEvent>(payload),
        UpstreamOverdue => Read<UpstreamOverdueEvent>(payload),
        _ => null,
    };

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    /// <summary>The events stored when these notifications were recorded (their arrival and watchlist hits), as they were
    /// stored, with the same sequences: a notification delivered again after a crash between the commit and the push is
    /// pushed again from here, and a dashboard that has an event already knows it by its sequence. The events are never
    /// older than their notification's reception (less a margin for clocks of different processes), which bounds the
    /// months read.</summary>
    public static async Task<List<StoredEvent>> OfRecordedAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        IReadOnlyList<Storage.Notification> recorded, CancellationToken ct)
    {
        if (recorded.Count == 0) return [];
        var province = recorded.GroupBy(n => n.CommuneCode).ToDictionary(g => g.Key, g => g.First().ProvinceCode, StringComparer.Ordinal);
        var read = new List<(string Commune, long Sequence, string Kind, object Payload)>();
        await using (var cmd = new NpgsqlCommand("""
            select commune_code, sequence, kind, payload from commune_events
            where notification_id = any(@ids) and commune_code = any(@communes) and kind = any(@kinds) and occurred_at >= @from
            order by commune_code, sequence
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = recorded.Select(n => n.Id).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("communes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = province.Keys.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = new[] { Arrival, WatchlistHit } });
            cmd.Parameters.AddWithValue("from", recorded.Min(n => n.ReceivedAt).ToUniversalTime() - ClockMargin);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (Read(reader.GetString(2), reader.GetString(3)) is { } payload)
                    read.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), payload));
        }
        // A watchlist hit also goes to the officer who listed the document, as when it was first pushed.
        var entries = read.Select(r => r.Payload).OfType<WatchlistHitEvent>().Select(h => h.WatchlistId).Distinct().ToArray();
        var listedBy = new Dictionary<Guid, Guid>();
        if (entries.Length > 0)
        {
            await using var cmd = new NpgsqlCommand("select id, listed_by from watchlist where id = any(@ids)", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = entries });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) listedBy[reader.GetGuid(0)] = reader.GetGuid(1);
        }
        return read.Select(r => new StoredEvent(r.Commune, province[r.Commune], r.Kind, r.Sequence, r.Payload,
            r.Payload is WatchlistHitEvent h && listedBy.TryGetValue(h.WatchlistId, out var user) ? user : null)).ToList();
    }

    /// <summary>How far another process's clock may be behind the drain's, for <see cref="OfRecordedAsync"/>'s bound.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(10);

    /// <summary>The last sequence of each commune the caller sees (communes with at least one event).</summary>
    public static async Task<Dictionary<string, long>> WatermarksAsync(NpgsqlDataSource data, Caller caller, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand($"""
            select k.commune_code, k.last_sequence from commune_event_counters k join communes c on c.code = k.commune_code
            where {Visible("k.commune_code")}
            """);
        AddVisibility(cmd, caller);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    /// <summary>The events after the given sequences (0 for communes left out) of the communes the caller sees,
    /// each commune in order; at most <paramref name="max"/>.</summary>
    public static async Task<List<(string Kind, string Payload)>> SinceAsync(NpgsqlDataSource data, Caller caller,
        IReadOnlyDictionary<string, long> lastSeen, int max, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand($"""
            select e.kind, e.payload from commune_events e
            join communes c on c.code = e.commune_code
            left join unnest(@seen_communes, @seen_sequences) as w(code, seq) on w.code = e.commune_code
            where {Visible("e.commune_code")} and e.sequence > coalesce(w.seq, 0)
            order by e.commune_code, e.sequence
            limit @max
            """);
        AddVisibility(cmd, caller);
        cmd.Parameters.Add(new NpgsqlParameter("seen_communes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = lastSeen.Keys.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("seen_sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = lastSeen.Values.ToArray() });
        cmd.Parameters.AddWithValue("max", max);
        var result = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add((reader.GetString(0), reader.GetString(1)));
        return result;
    }

    /// <summary>Admins see every commune, a supervisor those of the province, an officer their own.</summary>
    private static string Visible(string commune) =>
        $"(@is_admin or c.province_code = @province or {commune} = any(@communes))";

    private static void AddVisibility(NpgsqlCommand cmd, Caller caller)
    {
        cmd.Parameters.AddWithValue("is_admin", caller.IsAdmin);
        cmd.Parameters.Add(new NpgsqlParameter("province", NpgsqlDbType.Text)
            { Value = caller.Role == Role.ProvinceSupervisor && caller.ProvinceCode is { } p ? p : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("communes", NpgsqlDbType.Array | NpgsqlDbType.Text)
            { Value = caller.Role == Role.CommuneOfficer ? caller.CommuneCodes.ToArray() : Array.Empty<string>() });
    }
}
