using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The relay's outbox, written in the transaction that records what it is about: a declaration per guest of
/// every notification of a linked establishment's software or staff (households and officers' entries have no upstream
/// API and are not relayed). One statement per recorded batch. Asked every time: a cached "nobody is linked" missed
/// the filings of an establishment linked through another process until the cache aged (guests never relayed).</summary>
public sealed class KbttOutbox(TimeProvider clock)
{
    /// <summary>One pending declaration per guest of the notifications just recorded whose establishment is linked.</summary>
    public async Task DeclareAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyCollection<Notification> recorded, CancellationToken ct)
    {
        if (recorded.Count == 0) return;
        // The batch's reception range as well as its ids, so PostgreSQL reads its months only (the register is partitioned
        // by received_at), not every month's key.
        await using var cmd = new NpgsqlCommand("""
            insert into kbtt_relay (notification_id, guest_index, establishment_id, kind, state, attempts, created_at, next_attempt_at, resent)
            select g.notification_id, g."index", n.establishment_id,
                   case when g.nationality = 'VNM' then 'DeclareVn' else 'DeclareForeign' end, 'Pending', 0, @now, @now, false
            from notifications n
            join kbtt_links l on l.establishment_id = n.establishment_id
            join notification_guests g on g.notification_id = n.id and g.received_at = n.received_at
            where n.id = any(@ids) and n.received_at between @from and @to and g.received_at between @from and @to
              and n.channel in ('Api', 'Batch', 'WebForm', 'Kbtt')
            """, conn, tx);
        var now = clock.GetUtcNow();
        cmd.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = recorded.Select(n => n.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = recorded.Min(n => n.ReceivedAt).ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = recorded.Max(n => n.ReceivedAt).ToUniversalTime() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>What a change to a relayed notification sends upstream, added to the change's own save (one transaction):
    /// a Vietnamese guest who left before the planned departure (TS) and an extension within 30 days of the arrival (GH)
    /// are sent; the same for a foreigner, an extension beyond 30 days, a correction or a cancellation has no upstream
    /// API: manual-required, with what to do. Nothing for guests never declared upstream, nor for a checkout on or after
    /// the planned departure (upstream's stay ends by itself).</summary>
    public static async Task ChangedAsync(LuuTruDb db, Notification n, string action, IEnumerable<int> guests, DateTimeOffset? departedAt, DateTimeOffset now,
        CancellationToken ct)
    {
        var declared = await db.KbttRelay.AsNoTracking()
            .Where(r => r.NotificationId == n.Id && (r.Kind == RelayKind.DeclareVn || r.Kind == RelayKind.DeclareForeign))
            .Select(r => new { r.GuestIndex, r.EstablishmentId }).ToListAsync(ct);
        foreach (var index in guests.Distinct())
        {
            if (declared.FirstOrDefault(d => d.GuestIndex == index) is not { } d || n.Guests.FirstOrDefault(g => g.Index == index) is not { } guest) continue;
            var citizen = guest.Nationality == Intake.Rules.Countries.Vietnam;
            (RelayKind Kind, bool Send, string? Why)? row = action switch
            {
                "checkout" when departedAt < n.DepartureAt => (RelayKind.EarlyCheckout, citizen,
                    citizen ? null : "Hệ thống quốc gia không có trả phòng sớm cho người nước ngoài: khai trên cổng"),
                "extend" => (RelayKind.Extend, citizen && n.DepartureAt <= n.ArrivalAt.AddDays(KbttFiling.MaxExtensionDays),
                    !citizen ? "Hệ thống quốc gia không có gia hạn cho người nước ngoài: khai trên cổng"
                    : n.DepartureAt > n.ArrivalAt.AddDays(KbttFiling.MaxExtensionDays) ? "Hệ thống quốc gia chỉ cho gia hạn trong 30 ngày kể từ ngày đến: khai trên cổng" : null),
                "correct" => (RelayKind.Correction, false, "Hệ thống quốc gia không có chức năng sửa bản khai: sửa trên cổng"),
                "cancel" => (RelayKind.Cancellation, false, "Hệ thống quốc gia không có chức năng hủy bản khai: hủy trên cổng"),
                _ => null,
            };
            if (row is not { } r) continue;
            db.KbttRelay.Add(new KbttRelayItem
            {
                NotificationId = n.Id, GuestIndex = index, EstablishmentId = d.EstablishmentId, Kind = r.Kind,
                State = r.Send ? RelayState.Pending : RelayState.ManualRequired, CreatedAt = now, NextAttemptAt = now, Message = r.Why,
                Until = r.Kind == RelayKind.Extend ? n.DepartureAt : null,
            });
        }
    }
}
