using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Writes a batch of notifications with binary COPY straight into both tables. An entry delivered twice (a
/// crash between the commit and the acknowledgement, or two drains racing) makes the COPY fail on the primary key;
/// the caller then runs the batch again with <c>skipStored</c>, which leaves out the ids already stored, so it is
/// stored once. The common case pays for no lookup and no staging table. Column names and enum spellings follow the
/// EF Core model (snake_case columns, enum names as text), and a test holds the column lists to the model.</summary>
public static class NotificationCopy
{
    private delegate Task Writer<in T>(NpgsqlBinaryImporter importer, T row, CancellationToken ct);

    /// <summary>A column of the COPY and how a row's value is written to it.</summary>
    private sealed record Column<T>(string Name, Writer<T> Write);

    // Each column once, with its writer: the COPY's column list is made from these names, so the list and the values
    // cannot drift apart; a test holds these names equal to the EF model's columns of the table.
    private static readonly Column<Notification>[] NotificationColumns =
    [
        new("id", (w, x, ct) => w.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct)),
        new("receipt_number", (w, x, ct) => w.WriteAsync(x.ReceiptNumber, NpgsqlDbType.Varchar, ct)),
        new("channel", (w, x, ct) => w.WriteAsync(x.Channel.ToString(), NpgsqlDbType.Varchar, ct)),
        new("establishment_id", (w, x, ct) => WriteNullable(w, x.EstablishmentId, NpgsqlDbType.Uuid, ct)),
        new("submitted_by", (w, x, ct) => WriteNullable(w, x.SubmittedBy, NpgsqlDbType.Varchar, ct)),
        new("commune_code", (w, x, ct) => w.WriteAsync(x.CommuneCode, NpgsqlDbType.Varchar, ct)),
        new("province_code", (w, x, ct) => w.WriteAsync(x.ProvinceCode, NpgsqlDbType.Varchar, ct)),
        new("address", (w, x, ct) => w.WriteAsync(x.Address, NpgsqlDbType.Varchar, ct)),
        new("arrival_at", (w, x, ct) => w.WriteAsync(x.ArrivalAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("departure_at", (w, x, ct) => w.WriteAsync(x.DepartureAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("reason", (w, x, ct) => w.WriteAsync(x.Reason.ToString(), NpgsqlDbType.Varchar, ct)),
        new("reason_detail", (w, x, ct) => WriteNullable(w, x.ReasonDetail, NpgsqlDbType.Varchar, ct)),
        new("room", (w, x, ct) => WriteNullable(w, x.Room, NpgsqlDbType.Varchar, ct)),
        new("external_ref", (w, x, ct) => WriteNullable(w, x.ExternalRef, NpgsqlDbType.Varchar, ct)),
        new("status", (w, x, ct) => w.WriteAsync(x.Status.ToString(), NpgsqlDbType.Varchar, ct)),
        new("accepted_at", (w, x, ct) => w.WriteAsync(x.AcceptedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("recorded_at", (w, x, ct) => w.WriteAsync(x.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("deadline_at", (w, x, ct) => WriteNullable(w, x.DeadlineAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("late", (w, x, ct) => w.WriteAsync(x.Late, NpgsqlDbType.Boolean, ct)),
        new("law_version", (w, x, ct) => w.WriteAsync(x.LawVersion, NpgsqlDbType.Varchar, ct)),
        new("flags", (w, x, ct) => w.WriteAsync(x.Flags, NpgsqlDbType.Jsonb, ct)),
        new("host_name", (w, x, ct) => WriteNullable(w, x.HostName, NpgsqlDbType.Varchar, ct)),
        new("host_phone", (w, x, ct) => WriteNullable(w, x.HostPhone, NpgsqlDbType.Varchar, ct)),
        new("host_document_number", (w, x, ct) => WriteNullable(w, x.HostDocumentNumber, NpgsqlDbType.Varchar, ct)),
        new("notified_by_guest", (w, x, ct) => w.WriteAsync(x.NotifiedByGuest, NpgsqlDbType.Boolean, ct)),
        new("checked_out_at", (w, x, ct) => WriteNullable(w, x.CheckedOutAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("cancelled_at", (w, x, ct) => WriteNullable(w, x.CancelledAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("cancel_reason", (w, x, ct) => WriteNullable(w, x.CancelReason, NpgsqlDbType.Varchar, ct)),
        new("received_at", (w, x, ct) => w.WriteAsync(x.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("received_by", (w, x, ct) => WriteNullable(w, x.ReceivedBy, NpgsqlDbType.Varchar, ct)),
        new("reason_code", (w, x, ct) => WriteNullable(w, x.ReasonCode, NpgsqlDbType.Smallint, ct)),
    ];

    /// <summary>Every column but the generated key (<c>id</c>, an identity).</summary>
    private static readonly Column<(Notification Notification, NotificationGuest Guest)>[] GuestColumns =
    [
        new("notification_id", (w, x, ct) => w.WriteAsync(x.Notification.Id, NpgsqlDbType.Uuid, ct)),
        // The partition key: the notification's, so the guest's month is its notification's.
        new("received_at", (w, x, ct) => w.WriteAsync(x.Notification.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("index", (w, x, ct) => w.WriteAsync(x.Guest.Index, NpgsqlDbType.Integer, ct)),
        new("full_name", (w, x, ct) => w.WriteAsync(x.Guest.FullName, NpgsqlDbType.Varchar, ct)),
        new("name_key", (w, x, ct) => w.WriteAsync(x.Guest.NameKey, NpgsqlDbType.Varchar, ct)),
        new("date_of_birth", (w, x, ct) => WriteNullable(w, x.Guest.DateOfBirth, NpgsqlDbType.Date, ct)),
        new("date_of_birth_year_only", (w, x, ct) => w.WriteAsync(x.Guest.DateOfBirthYearOnly, NpgsqlDbType.Boolean, ct)),
        new("gender", (w, x, ct) => WriteNullable(w, x.Guest.Gender?.ToString(), NpgsqlDbType.Varchar, ct)),
        new("document_type", (w, x, ct) => w.WriteAsync(x.Guest.DocumentType.ToString(), NpgsqlDbType.Varchar, ct)),
        new("document_number", (w, x, ct) => WriteNullable(w, x.Guest.DocumentNumber, NpgsqlDbType.Varchar, ct)),
        new("nationality", (w, x, ct) => w.WriteAsync(x.Guest.Nationality, NpgsqlDbType.Varchar, ct)),
        new("phone", (w, x, ct) => WriteNullable(w, x.Guest.Phone, NpgsqlDbType.Varchar, ct)),
        new("permanent_address", (w, x, ct) => WriteNullable(w, x.Guest.PermanentAddress, NpgsqlDbType.Varchar, ct)),
        new("visa_or_residence_document", (w, x, ct) => WriteNullable(w, x.Guest.VisaOrResidenceDocument, NpgsqlDbType.Varchar, ct)),
        new("visa_valid_until", (w, x, ct) => WriteNullable(w, x.Guest.VisaValidUntil, NpgsqlDbType.Date, ct)),
        new("entry_date", (w, x, ct) => WriteNullable(w, x.Guest.EntryDate, NpgsqlDbType.Date, ct)),
        new("entry_port", (w, x, ct) => WriteNullable(w, x.Guest.EntryPort, NpgsqlDbType.Varchar, ct)),
        new("checked_out_at", (w, x, ct) => WriteNullable(w, x.Guest.CheckedOutAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("document_kind", (w, x, ct) => WriteNullable(w, x.Guest.DocumentKind?.ToString(), NpgsqlDbType.Varchar, ct)),
        new("visa_exempt", (w, x, ct) => w.WriteAsync(x.Guest.VisaExempt, NpgsqlDbType.Boolean, ct)),
        new("deadline_at", (w, x, ct) => WriteNullable(w, x.Guest.DeadlineAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct)),
        new("late", (w, x, ct) => w.WriteAsync(x.Guest.Late, NpgsqlDbType.Boolean, ct)),
        new("residence_kind", (w, x, ct) => WriteNullable(w, x.Guest.ResidenceKind?.ToString(), NpgsqlDbType.Varchar, ct)),
        new("residence_commune_code", (w, x, ct) => WriteNullable(w, x.Guest.ResidenceCommuneCode, NpgsqlDbType.Varchar, ct)),
    ];

    /// <summary>The columns the COPY writes into <c>notifications</c>.</summary>
    public static IEnumerable<string> NotificationColumnNames => NotificationColumns.Select(c => c.Name);

    /// <summary>The columns the COPY writes into <c>notification_guests</c>.</summary>
    public static IEnumerable<string> GuestColumnNames => GuestColumns.Select(c => c.Name);

    /// <summary>Inserts the batch (with <paramref name="skipStored"/>, only what is not there yet); returns the ids inserted.</summary>
    public static async Task<HashSet<Guid>> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<Notification> batch, bool skipStored,
        CancellationToken ct)
    {
        var stored = new HashSet<Guid>();
        if (skipStored)
        {
            await using var find = new NpgsqlCommand("select n.id from unnest(@ids) as t(id) join notifications n on n.id = t.id", conn, tx);
            find.Parameters.AddWithValue("ids", batch.Select(x => x.Id).ToArray());
            await using var reader = await find.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) stored.Add(reader.GetGuid(0));
        }
        var fresh = batch.Where(x => !stored.Contains(x.Id)).ToList();
        if (fresh.Count == 0) return [];

        await CopyAsync(conn, "notifications", NotificationColumns, fresh, ct);
        await CopyAsync(conn, "notification_guests", GuestColumns, fresh.SelectMany(x => x.Guests.Select(g => (x, g))), ct);
        return fresh.Select(x => x.Id).ToHashSet();
    }

    /// <summary>The COPY met a notification already stored (its entry was delivered again).</summary>
    public static bool IsAlreadyStored(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && Partitions.IsNotificationKey(p.ConstraintName);

    private static async Task CopyAsync<T>(NpgsqlConnection conn, string table, Column<T>[] columns, IEnumerable<T> rows, CancellationToken ct)
    {
        await using var importer = await conn.BeginBinaryImportAsync(
            $"copy {table} ({string.Join(", ", columns.Select(c => c.Name))}) from stdin (format binary)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns) await column.Write(importer, row, ct);
        }
        await importer.CompleteAsync(ct);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);

    private static Task WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? importer.WriteAsync(value, type, ct) : importer.WriteNullAsync(ct);
}
