using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Writes a batch of notifications with binary COPY straight into both tables. An entry delivered twice (a
/// crash between the commit and the acknowledgement, or two drains racing) makes the COPY fail on the primary key;
/// the caller then runs the batch again with <c>skipStored</c>, which leaves out the ids already stored, so it is
/// stored once. The common case pays for no lookup and no staging table. Column names and enum spellings follow the
/// EF Core model (snake_case columns, enum names as text).</summary>
public static class NotificationCopy
{
    private const string NotificationColumns =
        "id, receipt_number, channel, establishment_id, submitted_by, commune_code, province_code, address, arrival_at, departure_at, " +
        "reason, reason_detail, room, external_ref, status, accepted_at, recorded_at, deadline_at, late, law_version, flags, " +
        "host_name, host_phone, host_document_number, notified_by_guest, checked_out_at, cancelled_at, cancel_reason";

    private const string GuestColumns =
        "notification_id, index, full_name, name_key, date_of_birth, date_of_birth_year_only, gender, document_type, document_number, " +
        "nationality, phone, permanent_address, visa_or_residence_document, visa_valid_until, entry_date, entry_port, checked_out_at";

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

        await using (var n = await conn.BeginBinaryImportAsync($"copy notifications ({NotificationColumns}) from stdin (format binary)", ct))
        {
            foreach (var x in fresh)
            {
                await n.StartRowAsync(ct);
                await n.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct);
                await n.WriteAsync(x.ReceiptNumber, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.Channel.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.EstablishmentId, NpgsqlDbType.Uuid, ct);
                await WriteNullable(n, x.SubmittedBy, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.CommuneCode, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.ProvinceCode, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.Address, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.ArrivalAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await n.WriteAsync(x.DepartureAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await n.WriteAsync(x.Reason.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.ReasonDetail, NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.Room, NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.ExternalRef, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.AcceptedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await n.WriteAsync(x.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await n.WriteAsync(x.DeadlineAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await n.WriteAsync(x.Late, NpgsqlDbType.Boolean, ct);
                await n.WriteAsync(x.LawVersion, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.Flags, NpgsqlDbType.Jsonb, ct);
                await WriteNullable(n, x.HostName, NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.HostPhone, NpgsqlDbType.Varchar, ct);
                await WriteNullable(n, x.HostDocumentNumber, NpgsqlDbType.Varchar, ct);
                await n.WriteAsync(x.NotifiedByGuest, NpgsqlDbType.Boolean, ct);
                await WriteNullable(n, x.CheckedOutAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullable(n, x.CancelledAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullable(n, x.CancelReason, NpgsqlDbType.Varchar, ct);
            }
            await n.CompleteAsync(ct);
        }

        await using (var g = await conn.BeginBinaryImportAsync($"copy notification_guests ({GuestColumns}) from stdin (format binary)", ct))
        {
            foreach (var x in fresh)
            foreach (var y in x.Guests)
            {
                await g.StartRowAsync(ct);
                await g.WriteAsync(x.Id, NpgsqlDbType.Uuid, ct);
                await g.WriteAsync(y.Index, NpgsqlDbType.Integer, ct);
                await g.WriteAsync(y.FullName, NpgsqlDbType.Varchar, ct);
                await g.WriteAsync(y.NameKey, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.DateOfBirth, NpgsqlDbType.Date, ct);
                await g.WriteAsync(y.DateOfBirthYearOnly, NpgsqlDbType.Boolean, ct);
                await g.WriteAsync(y.Gender.ToString(), NpgsqlDbType.Varchar, ct);
                await g.WriteAsync(y.DocumentType.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.DocumentNumber, NpgsqlDbType.Varchar, ct);
                await g.WriteAsync(y.Nationality, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.Phone, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.PermanentAddress, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.VisaOrResidenceDocument, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.VisaValidUntil, NpgsqlDbType.Date, ct);
                await WriteNullable(g, y.EntryDate, NpgsqlDbType.Date, ct);
                await WriteNullable(g, y.EntryPort, NpgsqlDbType.Varchar, ct);
                await WriteNullable(g, y.CheckedOutAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            }
            await g.CompleteAsync(ct);
        }

        return fresh.Select(x => x.Id).ToHashSet();
    }

    /// <summary>The COPY met a notification already stored (its entry was delivered again).</summary>
    public static bool IsAlreadyStored(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_notifications" };

    private static Task WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);

    private static Task WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? importer.WriteAsync(value, type, ct) : importer.WriteNullAsync(ct);
}
