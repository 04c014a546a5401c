using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Police;

/// <summary>What the police learn when notifications are recorded: one arrival per notification, and a watchlist hit
/// per listed document among its guests. Runs inside the transaction that records them (the drain's, or the direct
/// write's while Redis is down), so an arrival is never recorded without its event, nor pushed before it is stored.</summary>
public sealed class PoliceEvents(EstablishmentDirectory directory)
{
    /// <summary>Call before the transaction: the names of the places, from the directory's cache.</summary>
    public async Task<Dictionary<Guid, string>> PlaceNamesAsync(IEnumerable<Guid?> establishmentIds, CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var id in establishmentIds.OfType<Guid>().Distinct())
        {
            try { names[id] = (await directory.EstablishmentAsync(id, ct))?.Name ?? ""; }
            catch (Exception e) when (Transient.Is(e)) { names[id] = ""; }
        }
        return names;
    }

    /// <summary>Where a notification's guests stay, as the police and receipts name it: its establishment's name (from the
    /// directory's cache), or the household's address.</summary>
    public async Task<string> PlaceNameAsync(Notification n, CancellationToken ct) =>
        n.EstablishmentId is { } id && (await PlaceNamesAsync([id], ct)).GetValueOrDefault(id) is { Length: > 0 } name ? name : n.Address;

    /// <summary>Inside the recording transaction: watchlist hits (stored, audited) and every event, numbered and stored.</summary>
    public static async Task<List<StoredEvent>> RecordedAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<Notification> recorded,
        IReadOnlyDictionary<Guid, string> placeNames, DateTimeOffset now, CancellationToken ct)
    {
        if (recorded.Count == 0) return [];
        string Place(Notification n) => n.EstablishmentId is { } id && placeNames.TryGetValue(id, out var name) && name != "" ? name : n.Address;
        var pending = recorded.Select(n => Arrival(n, Place(n), now)).ToList();
        var hits = await WatchlistCheck.FindAsync(conn, tx, recorded, now, ct);
        foreach (var hit in hits)
        {
            var guest = hit.Notification.Guests.First(g => g.Index == hit.GuestIndex);
            pending.Add(new PendingEvent(hit.Notification.CommuneCode, hit.Notification.ProvinceCode, CommuneEventStore.WatchlistHit, now,
                hit.Notification.Id, seq => new WatchlistHitEvent(hit.Notification.CommuneCode, seq, now, hit.Id, hit.Entry.Id, hit.Notification.Id,
                    hit.Notification.ReceiptNumber, Place(hit.Notification), guest.Index, guest.FullName, DocumentMask.Mask(guest.DocumentNumber)!,
                    hit.Entry.Reason), AlsoToUser: hit.Entry.ListedBy));
        }
        return await CommuneEventStore.AppendAsync(conn, tx, pending, ct);
    }

    public static PendingEvent Arrival(Notification n, string placeName, DateTimeOffset now) => new(
        n.CommuneCode, n.ProvinceCode, CommuneEventStore.Arrival, now, n.Id, seq => new ArrivalEvent(
            n.CommuneCode, seq, now, n.Id, n.ReceiptNumber, n.EstablishmentId, placeName, WireEnum.Name(n.Channel),
            n.ArrivalAt, n.DepartureAt, n.AcceptedAt, n.Late,
            n.Guests.Count, n.Guests.Count(g => g.Nationality != Intake.Rules.Countries.Vietnam),
            Flags.FromJson(n.Flags).Select(f => f.Code).Distinct().ToList(),
            n.Guests.OrderBy(g => g.Index).Select(RegisterRows.Guest).ToList(), n.ReceivedAt));

    /// <summary>A recorded notification changed: its register line as it now is.</summary>
    public static PendingEvent Changed(Notification n, string action, string placeName, DateTimeOffset now, string? upstream = null) => new(
        n.CommuneCode, n.ProvinceCode, CommuneEventStore.Change, now, n.Id, seq => new NotificationChangedEvent(
            n.CommuneCode, seq, now, action, RegisterRows.Of(n, placeName, upstream)));

    public static PendingEvent Checkout(Notification n, int guestsCheckedOut, DateTimeOffset departedAt, DateTimeOffset now) => new(
        n.CommuneCode, n.ProvinceCode, CommuneEventStore.Checkout, now, n.Id, seq => new CheckoutEvent(
            n.CommuneCode, seq, now, n.Id, n.ReceiptNumber, departedAt, guestsCheckedOut,
            n.Status == NotificationStatus.CheckedOut));
}

/// <summary>Listed documents among recorded guests: one indexed query per batch, hits stored and audited in the
/// same transaction. The submitter is never told.</summary>
public static class WatchlistCheck
{
    public sealed record Hit(Guid Id, WatchlistEntry Entry, Notification Notification, int GuestIndex);

    public static async Task<List<Hit>> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<Notification> recorded,
        DateTimeOffset now, CancellationToken ct)
    {
        var documents = recorded.SelectMany(n => n.Guests).Where(g => g.DocumentNumber is not null).Select(g => g.DocumentNumber!).Distinct().ToArray();
        if (documents.Length == 0) return [];
        var entries = new List<WatchlistEntry>();
        await using (var cmd = new NpgsqlCommand("""
            select id, document_number, reason, listed_by, listed_in_commune from watchlist
            where document_number = any(@documents) and removed_at is null and (expires_at is null or expires_at > @now)
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter("documents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = documents });
            cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                entries.Add(new WatchlistEntry
                {
                    Id = reader.GetGuid(0), DocumentNumber = reader.GetString(1), Reason = reader.GetString(2), ListedBy = reader.GetGuid(3),
                    ListedInCommune = reader.IsDBNull(4) ? null : reader.GetString(4),
                });
        }
        if (entries.Count == 0) return [];

        var hits = (from n in recorded
                    from g in n.Guests
                    from e in entries
                    where g.DocumentNumber == e.DocumentNumber
                    select new Hit(Guid.CreateVersion7(now), e, n, g.Index)).ToList();
        await using var insert = new NpgsqlCommand("""
            insert into watchlist_hits (id, watchlist_id, notification_id, guest_index, commune_code, at)
            select * from unnest(@ids, @entries, @notifications, @guests, @communes, @at) on conflict do nothing;
            insert into audit_log (at, actor_kind, actor_id, action, entity_type, entity_id, commune_code, details)
            select @now, 'system', null, 'watchlist.hit', 'watchlist', e::text, c, d::jsonb from unnest(@entries, @communes, @details) as t(e, c, d);
            """, conn, tx);
        insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = hits.Select(h => h.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("entries", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = hits.Select(h => h.Entry.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("notifications", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = hits.Select(h => h.Notification.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("guests", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = hits.Select(h => h.GuestIndex).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("communes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hits.Select(h => h.Notification.CommuneCode).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = hits.Select(_ => now.ToUniversalTime()).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            // Ids and receipt only: the audit trail names no person.
            Value = hits.Select(h => JsonSerializer.Serialize(new { hitId = h.Id, notificationId = h.Notification.Id, h.Notification.ReceiptNumber, guestIndex = h.GuestIndex })).ToArray(),
        });
        insert.Parameters.AddWithValue("now", now.ToUniversalTime());
        await insert.ExecuteNonQueryAsync(ct);
        return hits;
    }
}
