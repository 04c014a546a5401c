using CuTru.LuuTru.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The relay's outbox, written in the transaction that records what it is about: a declaration per guest of
/// every notification of a linked establishment's software or staff (households and officers' entries have no upstream
/// API and are not relayed). One statement per recorded batch; none at all while no establishment is linked.</summary>
public sealed class KbttOutbox(TimeProvider clock)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(10);
    private volatile bool _anyLinked = true;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>Whether any establishment is linked, read at most every 10 seconds (and at once after a link in this
    /// process): the drain skips the outbox statement while none is.</summary>
    public async Task<bool> AnyLinkedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now - _checkedAt < CheckEvery) return _anyLinked;
        await using var cmd = new NpgsqlCommand("select exists (select 1 from kbtt_links)", conn, tx);
        _anyLinked = (bool)(await cmd.ExecuteScalarAsync(ct))!;
        _checkedAt = now;
        return _anyLinked;
    }

    /// <summary>After a link is made in this process: the next batch asks again.</summary>
    public void Linked() => _checkedAt = DateTimeOffset.MinValue;

    /// <summary>One pending declaration per guest of the notifications just recorded whose establishment is linked.</summary>
    public async Task DeclareAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyCollection<Guid> notificationIds, CancellationToken ct)
    {
        if (notificationIds.Count == 0 || !await AnyLinkedAsync(conn, tx, ct)) return;
        await using var cmd = new NpgsqlCommand("""
            insert into kbtt_relay (notification_id, guest_index, establishment_id, kind, state, attempts, created_at, next_attempt_at, resent)
            select g.notification_id, g."index", n.establishment_id,
                   case when g.nationality = 'VNM' then 'DeclareVn' else 'DeclareForeign' end, 'Pending', 0, @now, @now, false
            from notifications n
            join kbtt_links l on l.establishment_id = n.establishment_id
            join notification_guests g on g.notification_id = n.id
            where n.id = any(@ids) and n.channel in ('Api', 'Batch', 'WebForm', 'Kbtt')
            """, conn, tx);
        var now = clock.GetUtcNow();
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = notificationIds.ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
