using System.Globalization;
using System.Runtime.CompilerServices;
using System.Data;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>Everything the reports of one (day, kind) need, read in one repeatable-read snapshot: the window's
/// notifications (index on received_at; with a commune, the (commune_code, received_at) index) and their guests in two
/// set queries, plus per-commune counts for comparison, currently staying guests and watchlist hits. Never one query
/// per commune.</summary>
public sealed class ReportSnapshot
{
    // Rows kept as structs in big arrays: a million notifications are a few objects for the collector, not millions.
    internal struct NotificationRow
    {
        public Guid Id, EstablishmentOrEmpty;
        public string Receipt, Commune;
        public string? Address; // households only; establishments' rows show the establishment's name
        public string? ReceivedBy, HostName, HostPhone, Room;
        public DateTimeOffset? Deadline;
        public bool NotifiedByGuest;
        public string Channel, Reason;
        public DateTimeOffset Arrival, Departure, Accepted, Received;
        public bool Late;
        public NotificationStatus Status;
        public string[] Flags;
        public int FirstGuest, Guests;
    }

    internal struct GuestRow
    {
        public Guid NotificationId;
        public int Index;
        public string FullName;
        public DateOnly? DateOfBirth;
        public bool DateOfBirthYearOnly;
        public DocumentType DocumentType;
        public string? DocumentNumber;
        public string Nationality;
        public DateTimeOffset? CheckedOutAt;
        public Gender? Gender;
        public DocumentKind? DocumentKind;
        public string? Visa, EntryPort;
        public bool VisaExempt, Late;
        public DateOnly? EntryDate;
        /// <summary>Where the guest's filing on the national system stood when the report was built (absent: not relayed).</summary>
        public string? Upstream;
    }

    private struct ChangeRow
    {
        public DateTimeOffset At;
        public string Receipt, Action, ActorKind;
        public string? Reason, Before, After;
    }

    private struct StayingRow
    {
        public string Receipt, FullName, Nationality;
        public Guid EstablishmentOrEmpty;
        public string? Address, Room, DocumentNumber;
        public DateTimeOffset Arrival, Departure;
        public DocumentType DocumentType;
    }

    private sealed record CommuneInfo(string Name, string ProvinceCode, string ProvinceName);

    private DateOnly _day;
    private string _kind = "";
    private DateTimeOffset _start, _end;
    private NotificationRow[] _rows = []; // the first _rowCount (a build's buffer may be longer)
    private GuestRow[] _guests = []; // the first _guestCount, ordered by notification (the rows' FirstGuest/Guests), then guest index
    private int _rowCount, _guestCount;
    private Dictionary<string, List<int>> _byCommune = new(StringComparer.Ordinal);
    private Dictionary<string, CommuneInfo> _communes = new(StringComparer.Ordinal);
    private Dictionary<string, List<Guid>> _approved = new(StringComparer.Ordinal);
    private Dictionary<Guid, string> _names = [];
    private Dictionary<string, List<ChangeRow>> _changes = new(StringComparer.Ordinal);
    private Dictionary<string, List<StayingRow>> _stayingRows = new(StringComparer.Ordinal);
    private Dictionary<string, int> _hits = new(StringComparer.Ordinal),
        _previous = new(StringComparer.Ordinal), _lastWeek = new(StringComparer.Ordinal), _versions = new(StringComparer.Ordinal);

    /// <summary>The communes to report on, in code order: those with activity, those with approved establishments (or the one asked for).</summary>
    public IReadOnlyList<string> Communes { get; private set; } = [];
    public int NotificationCount => _rowCount;
    public int GuestCount => _guestCount;
    /// <summary>Where the reading time went (milliseconds per step), for the log and the benchmark.</summary>
    public List<(string Step, long Milliseconds)> Timings { get; } = [];

    private static readonly Dictionary<string, string> ChannelNames = Enum.GetValues<Channel>().ToDictionary(c => c.ToString(), c => WireEnum.Name(c));
    private static readonly Dictionary<string, string> ReasonNames = Enum.GetValues<StayReason>().ToDictionary(c => c.ToString(), c => WireEnum.Name(c));
    private static readonly Dictionary<string, DocumentType> DocumentTypes = Enum.GetValues<DocumentType>().ToDictionary(c => c.ToString());
    private static readonly Dictionary<string, NotificationStatus> Statuses = Enum.GetValues<NotificationStatus>().ToDictionary(c => c.ToString());
    private static readonly Dictionary<string, Gender> Genders = Enum.GetValues<Gender>().ToDictionary(c => c.ToString());
    private static readonly Dictionary<string, DocumentKind> DocumentKinds = Enum.GetValues<DocumentKind>().ToDictionary(c => c.ToString());

    /// <summary>A report's window in SQL, by reception (<see cref="ReportKinds.Window"/>: @s exclusive, @e inclusive), over
    /// notifications <c>n</c>: every notification received in it, cancelled ones included.</summary>
    internal static readonly string WindowSql = WindowOn("n");

    /// <summary>The window's notifications, and its guests with their notification's commune, in commune order (codes are
    /// digits: "C" order is the groups' ordinal order): the two streams a whole build reads (<see cref="Register"/>), and
    /// the rehearsal at start (<see cref="RehearseAsync"/>) with them.</summary>
    private static readonly string RegisterInCommuneOrder = RegisterSql(WindowSql) + CommuneOrder,
        GuestsInCommuneOrder = GuestsSql(WindowSql, withCommune: true) + CommuneOrder;
    private const string CommuneOrder = " order by n.commune_code collate \"C\"";

    /// <summary>The window over any table of the register under <paramref name="alias"/> (they all carry received_at, their
    /// partition key): said of guests and history as well as of their notifications, PostgreSQL reads their month only.</summary>
    internal static string WindowOn(string alias) => $"{alias}.received_at > @s and {alias}.received_at <= @e";

    /// <summary>A command over a report's window (@s, @e), with no timeout: a big night may take longer than the default 30 s.</summary>
    private static NpgsqlCommand WindowCommand(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, DateTimeOffset start, DateTimeOffset end)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.TimestampTz) { Value = start.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.TimestampTz) { Value = end.ToUniversalTime() });
        return cmd;
    }

    /// <summary>Exports the transaction's snapshot, for other connections to see the same moment (<see cref="ImportSnapshotAsync"/>).</summary>
    private static async Task<string> ExportSnapshotAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var export = new NpgsqlCommand("select pg_export_snapshot()", conn, tx);
        return (string)(await export.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Makes a repeatable-read transaction see an exported snapshot; <paramref name="workMem"/>: its sorts' and
    /// hashes' memory, when given.</summary>
    private static async Task ImportSnapshotAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string snapshotId, CancellationToken ct, string? workMem = null)
    {
        await using var import = new NpgsqlCommand($"set transaction snapshot '{snapshotId}'" + (workMem is null ? "" : $"; set local work_mem = '{workMem}'"), conn, tx);
        await import.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The window's notifications (<paramref name="window"/>: <see cref="WindowSql"/> and, for a group, its communes).</summary>
    internal static string RegisterSql(string window) => $"""
        select n.id, n.receipt_number, n.commune_code, n.establishment_id, n.address, n.channel, n.arrival_at, n.departure_at, n.reason,
               n.accepted_at, n.late, n.flags::text, n.status, n.received_at, n.received_by, n.host_name, n.host_phone, n.notified_by_guest,
               n.room, n.deadline_at
        from notifications n where {window}
        """;

    /// <summary>The window's guests: the window said of the guests as well, so only their month is read.</summary>
    internal static string GuestsSql(string window, bool withCommune = false) => $"""
        select g.notification_id, g.index, g.full_name, g.date_of_birth, g.document_type, g.document_number, g.nationality, g.checked_out_at,
               g.date_of_birth_year_only, g.gender, g.document_kind, g.visa_or_residence_document, g.visa_exempt, g.entry_date, g.entry_port, g.late{(withCommune ? ", n.commune_code" : "")}
        from notification_guests g join notifications n on n.id = g.notification_id and n.received_at = g.received_at
        where {window} and {WindowOn("g")}
        """;

    /// <summary>Reads the snapshot: the notifications and the guests stream in parallel over two connections sharing one
    /// exported PostgreSQL snapshot, so both see exactly the same data.</summary>
    /// <param name="communes">The communes to read (each gets a report, with activity or not); null: every commune with
    /// activity in the window or with approved establishments.</param>
    /// <param name="register">A whole build's register (<see cref="Register"/>): the group's notifications and guests are
    /// taken from it, and the other queries run in its snapshot. Without it, the group's own queries in a snapshot of its own.</param>
    public static async Task<ReportSnapshot> LoadAsync(NpgsqlDataSource data, DateOnly day, string kind, IReadOnlyList<string>? communes, CancellationToken ct,
        Register? register = null)
    {
        var (start, end) = ReportKinds.Window(day, kind);
        var s = new ReportSnapshot { _day = day, _kind = kind, _start = start, _end = end };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Lap(string step) { s.Timings.Add((step, watch.ElapsedMilliseconds)); watch.Restart(); }

        var window = WindowSql + (communes is null ? "" : " and n.commune_code = any(@c)");
        var only = communes?.ToHashSet(StringComparer.Ordinal);
        NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql)
        {
            var cmd = WindowCommand(conn, tx, sql, start, end);
            cmd.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = (object?)communes?.ToArray() ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("day", NpgsqlDbType.Date) { Value = day });
            cmd.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Varchar) { Value = kind });
            return cmd;
        }

        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        ArraySegment<NotificationRow> rows;
        ArraySegment<GuestRow> guests;
        if (register is not null)
        {
            await ImportSnapshotAsync(conn, tx, register.SnapshotId, ct);
            (rows, guests) = await register.TakeAsync(communes ?? throw new ArgumentNullException(nameof(communes)), ct);
        }
        else
        {
            await using var other = await data.OpenConnectionAsync(ct);
            await using var otherTx = await other.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await ImportSnapshotAsync(other, otherTx, await ExportSnapshotAsync(conn, tx, ct), ct, workMem: "256MB");

            var notificationsTask = Task.Run(async () =>
            {
                await using var cmd = Command(conn, tx, RegisterSql(window));
                await using var r = await cmd.ExecuteReaderAsync(ct);
                return ReadNotifications(r, ct);
            }, ct);
            // The guests' join hashes a day of notifications: in memory, not in batches on disk.
            var guestsTask = Task.Run(async () =>
            {
                await using var cmd = Command(other, otherTx, GuestsSql(window));
                await using var r = await cmd.ExecuteReaderAsync(ct);
                return ReadGuests(r, ct);
            }, ct);
            rows = await notificationsTask;
            guests = await guestsTask;
            await otherTx.CommitAsync(ct);
        }
        Lap("notifications and guests");
        // Each guest's latest relay state (none while nothing is relayed: the query then finds nothing, at once).
        var upstream = new Dictionary<(Guid, int), string>();
        await using (var cmd = Command(conn, tx, $"""
            select k.notification_id, k.guest_index, k.state from kbtt_relay k join notifications n on n.id = k.notification_id where {window} order by k.id
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) upstream[(r.GetGuid(0), r.GetInt32(1))] = r.GetString(2);
        if (upstream.Count > 0)
            for (var (i, g) = (0, guests.Array!); i < guests.Count; i++)
                if (upstream.TryGetValue((g[i].NotificationId, g[i].Index), out var state))
                    g[i].Upstream = WireEnum.Name(Enum.Parse<Storage.RelayState>(state));

        async Task<Dictionary<string, int>> CountsAsync(string sql)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var cmd = Command(conn, tx, sql);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) counts[r.GetString(0)] = (int)r.GetInt64(1);
            return counts;
        }
        var commune = communes is null ? "" : " and n.commune_code = any(@c)";
        s._hits = await CountsAsync($"select n.commune_code, count(*) from watchlist_hits h join notifications n on n.id = h.notification_id where {window} group by 1");
        // Guests notified in an earlier window and still staying at this one's end (the staying index: status, commune,
        // departure); the window's own are marked on the register from the rows already read.
        await using (var cmd = Command(conn, tx, $"""
            select n.commune_code, n.receipt_number, n.establishment_id, n.address, n.room, n.arrival_at, n.departure_at,
                   g.full_name, g.document_type, g.document_number, g.nationality
            from notifications n join notification_guests g on g.notification_id = n.id and g.received_at = n.received_at and (g.checked_out_at is null or g.checked_out_at > @e)
            where n.status = 'Recorded' and n.departure_at > @e and n.arrival_at <= @e and n.received_at <= @s{commune}
            order by n.commune_code, n.arrival_at, n.receipt_number, g.index
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var code = r.GetString(0);
                if (!s._stayingRows.TryGetValue(code, out var list)) s._stayingRows[code] = list = [];
                var establishment = r.IsDBNull(2) ? Guid.Empty : r.GetGuid(2);
                list.Add(new StayingRow
                {
                    Receipt = r.GetString(1), EstablishmentOrEmpty = establishment, Address = establishment == Guid.Empty ? r.GetString(3) : null,
                    Room = r.IsDBNull(4) ? null : r.GetString(4), Arrival = r.GetFieldValue<DateTimeOffset>(5), Departure = r.GetFieldValue<DateTimeOffset>(6),
                    FullName = r.GetString(7), DocumentType = DocumentTypes[r.GetString(8)], DocumentNumber = r.IsDBNull(9) ? null : r.GetString(9),
                    Nationality = r.GetString(10),
                });
            }
        // What changed in the window, to any notification of the commune (the index on notification_changes.at).
        await using (var cmd = Command(conn, tx, $"""
            select n.commune_code, c.at, n.receipt_number, c.action, c.actor_kind, c.reason, c.before::text, c.after::text
            from notification_changes c join notifications n on n.id = c.notification_id and n.received_at = c.received_at
            where c.at > @s and c.at <= @e{commune}
            order by c.at, c.id
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var code = r.GetString(0);
                if (!s._changes.TryGetValue(code, out var list)) s._changes[code] = list = [];
                list.Add(new ChangeRow
                {
                    At = r.GetFieldValue<DateTimeOffset>(1), Receipt = r.GetString(2), Action = r.GetString(3), ActorKind = r.GetString(4),
                    Reason = r.IsDBNull(5) ? null : r.GetString(5), Before = r.IsDBNull(6) ? null : r.GetString(6), After = r.IsDBNull(7) ? null : r.GetString(7),
                });
            }
        // The same window a day and a week earlier: notifications per commune (the arrival_at index).
        foreach (var days in new[] { 1, 7 })
        {
            var earlier = window.Replace("@s", $"(@s - interval '{days} days')").Replace("@e", $"(@e - interval '{days} days')");
            var counts = await CountsAsync($"select n.commune_code, count(*) from notifications n where {earlier} and n.status <> 'Cancelled' group by 1");
            if (days == 1) s._previous = counts; else s._lastWeek = counts;
        }
        s._versions = await CountsAsync($"""
            select commune_code, max(version)::bigint from commune_reports where day = @day and kind = @kind{(communes is null ? "" : " and commune_code = any(@c)")} group by 1
            """);
        await using (var cmd = Command(conn, tx, $"""
            select id, name, commune_code, status = 'Approved' from establishments e
            where (status = 'Approved'{(communes is null ? "" : " and commune_code = any(@c)")}) or id = any(@ids)
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
                { Value = rows.Select(x => x.EstablishmentOrEmpty).Concat(s._stayingRows.Values.SelectMany(l => l.Select(x => x.EstablishmentOrEmpty)))
                    .Where(x => x != Guid.Empty).Distinct().ToArray() });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetGuid(0);
                s._names[id] = r.GetString(1);
                if (r.GetBoolean(3) && (only is null || only.Contains(r.GetString(2))))
                {
                    var code = r.GetString(2);
                    if (!s._approved.TryGetValue(code, out var list)) s._approved[code] = list = [];
                    list.Add(id);
                }
            }
        }
        await using (var cmd = Command(conn, tx, "select c.code, c.name, c.province_code, p.name from communes c join provinces p on p.code = c.province_code"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) s._communes[r.GetString(0)] = new CommuneInfo(r.GetString(1), r.GetString(2), r.GetString(3));
        await tx.CommitAsync(ct);
        Lap("counts");

        s.Arrange(rows, guests, register?.Buffers);
        s.Communes = s._byCommune.Keys.Concat(s._approved.Keys).Concat(communes ?? []).Distinct()
            .Where(s._communes.ContainsKey).Order(StringComparer.Ordinal).ToList();
        Lap("grouping");
        return s;
    }

    /// <summary>Made-up notifications (two guests each, every fifth one late and flagged) in the report's window, under the
    /// names of the register's tables: a query that starts with it reads these instead of the register.</summary>
    private const string MadeUpRegister = """
        with notifications as (
          select ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid as id,
                 '99999-000000-' || lpad(i::text, 4, '0') as receipt_number, '99999'::varchar as commune_code, null::uuid as establishment_id,
                 'Số ' || i || ' Đường Diễn Tập' as address, 'Household' as channel, @s + interval '1 hour' as arrival_at,
                 @e + interval '1 day' as departure_at, 'VisitingFamily' as reason, @s + i * interval '1 second' as accepted_at, i % 5 = 0 as late,
                 case when i % 5 = 0 then '[{"code": "late", "deadline": null, "guestIndex": null, "minutesLate": 30}]' else '[]' end::jsonb as flags,
                 'Recorded' as status, @s + i * interval '1 second' as received_at, null::text as received_by, 'Chủ Nhà Diễn Tập' as host_name,
                 '0912345678' as host_phone, false as notified_by_guest, null::text as room, @e as deadline_at
          from generate_series(1, @n) i),
        notification_guests as (
          select n.id as notification_id, g as index, 'Nguyễn Văn Diễn Tập ' || g as full_name, date '1990-03-04' as date_of_birth,
                 'PersonalId' as document_type, '0010900' || lpad((g * 100000 + row_number() over ())::text, 5, '0') as document_number,
                 'VNM' as nationality, null::timestamptz as checked_out_at, false as date_of_birth_year_only, case g when 0 then 'Male' else 'Female' end as gender,
                 null::text as document_kind, null::text as visa_or_residence_document, false as visa_exempt, null::date as entry_date,
                 null::text as entry_port, n.late, n.received_at
          from notifications n cross join generate_series(0, 1) g)
        """;

    /// <summary>A build's reading and writing over <paramref name="count"/> made-up notifications (<see cref="MadeUpRegister"/>),
    /// for the start's warm-up (<see cref="ReportWarmUp"/>): the register's own queries, row readers, arrangement and
    /// report writer, so that what a first build would compile and tier up is done before 23:00. Nothing of the register is
    /// read (the made-up rows stand in for its tables in the queries) and nothing is stored. Answers the report's length.</summary>
    internal static async Task<(int Notifications, int Guests, int Bytes)> RehearseAsync(NpgsqlDataSource data, int count, DateTimeOffset now,
        JsonSerializerOptions json, CancellationToken ct)
    {
        const string commune = "99999";
        var day = VietnamTime.DayOf(now);
        var (start, end) = ReportKinds.Window(day, ReportKinds.Nightly);
        var s = new ReportSnapshot { _day = day, _kind = ReportKinds.Nightly, _start = start, _end = end };
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        NpgsqlCommand Command(string sql)
        {
            var cmd = WindowCommand(conn, tx, MadeUpRegister + sql, start, end);
            cmd.Parameters.AddWithValue("n", count);
            return cmd;
        }
        NotificationRow[] rows;
        GuestRow[] guests;
        await using (var cmd = Command(RegisterInCommuneOrder))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            rows = ReadNotifications(r, ct);
        await using (var cmd = Command(GuestsInCommuneOrder))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            guests = ReadGuests(r, ct);
        await tx.CommitAsync(ct);
        s._communes[commune] = new CommuneInfo("Xã Diễn Tập", "99", "Tỉnh Diễn Tập");
        s.Arrange(rows, guests, null);
        using var buffer = new PooledBufferWriter();
        await using (var writer = WriterFor(buffer, json))
            s.Write(commune, now, "warm-up", writer, json);
        return (rows.Length, s._guestCount, buffer.WrittenSpan.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once a night: optimised at once, not after tiering
    private static NotificationRow[] ReadNotifications(NpgsqlDataReader r, CancellationToken ct)
    {
        var rows = new List<NotificationRow>(4096);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            if ((rows.Count & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            rows.Add(ReadNotification(r, strings));
        }
        return rows.ToArray();
    }

    /// <summary>The reader's current row of <see cref="RegisterSql"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static NotificationRow ReadNotification(NpgsqlDataReader r, Dictionary<string, string> strings)
    {
        var commune = r.GetString(2);
        if (!strings.TryGetValue(commune, out var known)) strings[commune] = known = commune;
        var establishment = r.IsDBNull(3) ? Guid.Empty : r.GetGuid(3);
        var flags = r.GetString(11);
        return new NotificationRow
        {
            Id = r.GetGuid(0), Receipt = r.GetString(1), Commune = known, EstablishmentOrEmpty = establishment,
            Address = establishment == Guid.Empty ? r.GetString(4) : null, Channel = ChannelNames[r.GetString(5)],
            Arrival = r.GetFieldValue<DateTimeOffset>(6), Departure = r.GetFieldValue<DateTimeOffset>(7), Reason = ReasonNames[r.GetString(8)],
            Accepted = r.GetFieldValue<DateTimeOffset>(9), Late = r.GetBoolean(10), Status = Statuses[r.GetString(12)],
            Received = r.GetFieldValue<DateTimeOffset>(13), ReceivedBy = r.IsDBNull(14) ? null : r.GetString(14),
            HostName = r.IsDBNull(15) ? null : r.GetString(15), HostPhone = r.IsDBNull(16) ? null : r.GetString(16), NotifiedByGuest = r.GetBoolean(17),
            Room = r.IsDBNull(18) ? null : r.GetString(18), Deadline = r.IsDBNull(19) ? null : r.GetFieldValue<DateTimeOffset>(19),
            Flags = flags == "[]" ? [] : Flags.FromJson(flags).Select(f => f.Code).Distinct().ToArray(),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static GuestRow[] ReadGuests(NpgsqlDataReader r, CancellationToken ct)
    {
        var rows = new List<GuestRow>(4096);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read())
        {
            if ((rows.Count & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            rows.Add(ReadGuest(r, strings));
        }
        return rows.ToArray();
    }

    /// <summary>The reader's current row of <see cref="GuestsSql"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static GuestRow ReadGuest(NpgsqlDataReader r, Dictionary<string, string> strings)
    {
        var nationality = r.GetString(6);
        if (!strings.TryGetValue(nationality, out var known)) strings[nationality] = known = nationality;
        return new GuestRow
        {
            NotificationId = r.GetGuid(0), Index = r.GetInt32(1), FullName = r.GetString(2), DateOfBirth = r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3),
            DocumentType = DocumentTypes[r.GetString(4)], DocumentNumber = r.IsDBNull(5) ? null : r.GetString(5), Nationality = known,
            CheckedOutAt = r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), DateOfBirthYearOnly = r.GetBoolean(8),
            Gender = r.IsDBNull(9) ? null : Genders[r.GetString(9)], DocumentKind = r.IsDBNull(10) ? null : DocumentKinds[r.GetString(10)],
            Visa = r.IsDBNull(11) ? null : r.GetString(11), VisaExempt = r.GetBoolean(12), EntryDate = r.IsDBNull(13) ? null : r.GetFieldValue<DateOnly>(13),
            EntryPort = r.IsDBNull(14) ? null : r.GetString(14), Late = r.GetBoolean(15),
        };
    }

    /// <summary>The window's notifications and guests for a whole build, each read by one query in commune order on a
    /// connection of its own, in one snapshot exported for the build (every group's other queries import it, so the whole
    /// night's reports see one moment). A group of communes (consecutive in code order) takes its rows as the two streams
    /// reach them. Reading each group's guests by a join instead passed over the whole month's guests once per group
    /// (bench/README.md). PostgreSQL sorts the night once; the server holds one group.</summary>
    public sealed class Register : IAsyncDisposable
    {
        private readonly NpgsqlConnection _rowsConnection, _guestsConnection;
        private NpgsqlTransaction? _rowsTx, _guestsTx;
        private NpgsqlCommand? _rowsCommand, _guestsCommand;
        private NpgsqlDataReader? _rows, _guests;
        private (bool Has, NotificationRow Row) _nextRow;
        private (bool Has, string Commune, GuestRow Guest) _nextGuest;
        private readonly Dictionary<string, string> _rowStrings = new(StringComparer.Ordinal), _guestStrings = new(StringComparer.Ordinal);

        private Register(NpgsqlConnection rows, NpgsqlConnection guests) => (_rowsConnection, _guestsConnection) = (rows, guests);

        /// <summary>The exported snapshot, valid while the register is open.</summary>
        public string SnapshotId { get; private set; } = "";
        /// <summary>The communes that get a report (activity in the window, or approved establishments), in code order, cut
        /// into groups of about perChunk notifications each (a commune is never split); as of the snapshot.</summary>
        public List<IReadOnlyList<string>> Chunks { get; } = [];

        public static async Task<Register> OpenAsync(NpgsqlDataSource data, DateOnly day, string kind, int perChunk, CancellationToken ct)
        {
            var register = new Register(await data.OpenConnectionAsync(ct), await data.OpenConnectionAsync(ct));
            try
            {
                await register.StartAsync(day, kind, perChunk, ct);
                return register;
            }
            catch
            {
                await register.DisposeAsync();
                throw;
            }
        }

        private async Task StartAsync(DateOnly day, string kind, int perChunk, CancellationToken ct)
        {
            var (start, end) = ReportKinds.Window(day, kind);
            NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql) => WindowCommand(conn, tx, sql, start, end);
            _rowsTx = await _rowsConnection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            _guestsTx = await _guestsConnection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            SnapshotId = await ExportSnapshotAsync(_rowsConnection, _rowsTx, ct);
            // Sorting the night: spilled to disk past 64 MB per sort rather than held in PostgreSQL's memory.
            await using (var set = new NpgsqlCommand("set local work_mem = '64MB'", _rowsConnection, _rowsTx)) await set.ExecuteNonQueryAsync(ct);
            await ImportSnapshotAsync(_guestsConnection, _guestsTx, SnapshotId, ct, workMem: "64MB");

            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            await using (var cmd = Command(_rowsConnection, _rowsTx, $"""
                select n.commune_code, count(*) from notifications n where {WindowSql} group by 1
                union all
                select e.commune_code, 0 from establishments e where e.status = 'Approved'
                """))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) counts[r.GetString(0)] = counts.GetValueOrDefault(r.GetString(0)) + r.GetInt64(1);
            var current = new List<string>();
            long inCurrent = 0;
            foreach (var (commune, n) in counts)
            {
                if (current.Count > 0 && inCurrent + n > perChunk) { Chunks.Add(current); (current, inCurrent) = ([], 0); }
                current.Add(commune);
                inCurrent += n;
            }
            if (current.Count > 0) Chunks.Add(current);

            // Both streams in commune order, started together.
            _rowsCommand = Command(_rowsConnection, _rowsTx, RegisterInCommuneOrder);
            _guestsCommand = Command(_guestsConnection, _guestsTx, GuestsInCommuneOrder);
            var rows = _rowsCommand.ExecuteReaderAsync(ct);
            var guests = _guestsCommand.ExecuteReaderAsync(ct);
            _rows = await rows;
            _guests = await guests;
        }

        /// <summary>The arrays a group is read and arranged into, reused by the next group (the build reads a group only once
        /// the previous one is built).</summary>
        internal GroupBuffers Buffers { get; } = new();

        /// <summary>The notifications and guests of a group of communes (in code order, after the previous group's), in
        /// <see cref="Buffers"/>: valid until the next call.</summary>
        internal async Task<(ArraySegment<NotificationRow> Rows, ArraySegment<GuestRow> Guests)> TakeAsync(IReadOnlyList<string> communes, CancellationToken ct)
        {
            var last = communes[^1];
            var wanted = communes.ToHashSet(StringComparer.Ordinal);
            var b = Buffers;
            var rows = Task.Run(() =>
            {
                var n = 0;
                if (_nextRow.Has)
                {
                    if (string.CompareOrdinal(_nextRow.Row.Commune, last) > 0) return b.TakeRows(0);
                    if (wanted.Contains(_nextRow.Row.Commune)) GroupBuffers.Append(ref b.Rows, ref n, _nextRow.Row);
                    _nextRow = default;
                }
                while (_rows!.Read())
                {
                    if ((n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                    var row = ReadNotification(_rows, _rowStrings);
                    if (string.CompareOrdinal(row.Commune, last) > 0) { _nextRow = (true, row); break; }
                    if (wanted.Contains(row.Commune)) GroupBuffers.Append(ref b.Rows, ref n, row);
                }
                return b.TakeRows(n);
            }, ct);
            var guests = Task.Run(() =>
            {
                var n = 0;
                if (_nextGuest.Has)
                {
                    if (string.CompareOrdinal(_nextGuest.Commune, last) > 0) return b.TakeGuests(0);
                    if (wanted.Contains(_nextGuest.Commune)) GroupBuffers.Append(ref b.Guests, ref n, _nextGuest.Guest);
                    _nextGuest = default;
                }
                while (_guests!.Read())
                {
                    if ((n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                    var commune = _guests.GetString(16);
                    var guest = ReadGuest(_guests, _guestStrings);
                    if (string.CompareOrdinal(commune, last) > 0) { _nextGuest = (true, commune, guest); break; }
                    if (wanted.Contains(commune)) GroupBuffers.Append(ref b.Guests, ref n, guest);
                }
                return b.TakeGuests(n);
            }, ct);
            return (await rows, await guests);
        }

        public async ValueTask DisposeAsync()
        {
            // Readers first (a reader left open holds its connection), then the read-only transactions, then the connections.
            foreach (var r in new[] { _rows, _guests }) if (r is not null) await r.DisposeAsync();
            foreach (var c in new[] { _rowsCommand, _guestsCommand }) if (c is not null) await c.DisposeAsync();
            foreach (var t in new[] { _rowsTx, _guestsTx }) if (t is not null) await t.DisposeAsync();
            await _rowsConnection.DisposeAsync();
            await _guestsConnection.DisposeAsync();
        }
    }

    /// <summary>A build's arrays, reused from one group to the next instead of new ones per group: each group's would be
    /// large objects (a group's rows are megabytes), and the large-object heap filling again and again made a full
    /// collection of the process's heap every group (bench/README.md). A slot past a group's count is cleared, so a
    /// reused array keeps nothing of an earlier group alive.</summary>
    internal sealed class GroupBuffers
    {
        public NotificationRow[] Rows = new NotificationRow[4096];
        public GuestRow[] Guests = new GuestRow[4096], Ordered = [];
        public int[] Owner = [], Fill = [];
        public readonly Dictionary<Guid, int> Index = [];
        private int _rows, _guests, _ordered;

        public static void Append<T>(ref T[] buffer, ref int count, in T item)
        {
            if (count == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            buffer[count++] = item;
        }

        public ArraySegment<NotificationRow> TakeRows(int count) => new(Rows, 0, Used(Rows, count, ref _rows));
        public ArraySegment<GuestRow> TakeGuests(int count) => new(Guests, 0, Used(Guests, count, ref _guests));

        public GuestRow[] OrderedFor(int count)
        {
            if (Ordered.Length < count) Ordered = new GuestRow[Math.Max(count, Ordered.Length * 2)];
            Used(Ordered, count, ref _ordered);
            return Ordered;
        }

        public static int[] Grown(ref int[] buffer, int count)
        {
            if (buffer.Length < count) buffer = new int[Math.Max(count, buffer.Length * 2)];
            return buffer;
        }

        /// <summary>Clears what the previous group left past <paramref name="count"/>; returns the count.</summary>
        private static int Used<T>(T[] buffer, int count, ref int previous)
        {
            if (previous > count) Array.Clear(buffer, count, Math.Min(previous, buffer.Length) - count);
            previous = count;
            return count;
        }
    }

    /// <summary>Guests ordered by notification (a counting sort on the row index), rows grouped by commune.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Arrange(ArraySegment<NotificationRow> rowSegment, ArraySegment<GuestRow> guestSegment, GroupBuffers? buffers)
    {
        var (rows, rowCount) = (rowSegment.Array!, rowSegment.Count);
        var (guests, guestCount) = (guestSegment.Array!, guestSegment.Count);
        var index = buffers?.Index ?? new Dictionary<Guid, int>(rowCount);
        index.Clear();
        index.EnsureCapacity(rowCount);
        for (var i = 0; i < rowCount; i++) index[rows[i].Id] = i;
        var owner = buffers is null ? new int[guestCount] : GroupBuffers.Grown(ref buffers.Owner, guestCount);
        for (var i = 0; i < guestCount; i++)
        {
            owner[i] = index.TryGetValue(guests[i].NotificationId, out var n) ? n : -1;
            if (owner[i] >= 0) rows[owner[i]].Guests++;
        }
        var next = 0;
        for (var i = 0; i < rowCount; i++) { rows[i].FirstGuest = next; next += rows[i].Guests; }
        var ordered = buffers is null ? new GuestRow[next] : buffers.OrderedFor(next);
        var fill = buffers is null ? new int[rowCount] : GroupBuffers.Grown(ref buffers.Fill, rowCount);
        Array.Clear(fill, 0, rowCount);
        for (var i = 0; i < guestCount; i++)
            if (owner[i] is var n and >= 0) ordered[rows[n].FirstGuest + fill[n]++] = guests[i];
        for (var i = 0; i < rowCount; i++)
            if (rows[i].Guests > 1) Array.Sort(ordered, rows[i].FirstGuest, rows[i].Guests, GuestOrder.Instance);
        for (var i = 0; i < rowCount; i++)
        {
            if (!_byCommune.TryGetValue(rows[i].Commune, out var list)) _byCommune[rows[i].Commune] = list = [];
            list.Add(i);
        }
        (_rows, _rowCount) = (rows, rowCount);
        (_guests, _guestCount) = (ordered, next);
    }

    private sealed class GuestOrder : IComparer<GuestRow>
    {
        public static readonly GuestOrder Instance = new();
        public int Compare(GuestRow a, GuestRow b) => a.Index.CompareTo(b.Index);
    }

    /// <summary>One commune's report (a <see cref="CommuneReportDto"/>) written straight to JSON from the snapshot, without
    /// a million intermediate objects: exactly the document the serializer would write for the DTO (a test reads it
    /// back and writes it again, byte for byte). Thread-safe. Returns the totals, for the roll-up column and the event.</summary>
    /// <summary>The writer <see cref="Write"/> is given: <paramref name="options"/>' encoder, no validation (the writer
    /// writes the DTO's shape by construction).</summary>
    public static Utf8JsonWriter WriterFor(System.Buffers.IBufferWriter<byte> buffer, JsonSerializerOptions options) =>
        new(buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (ReportTotalsDto Totals, string ProvinceCode, int Version) Write(string code, DateTimeOffset now, string builtBy, Utf8JsonWriter w,
        JsonSerializerOptions options)
    {
        var info = _communes[code];
        var list = (_byCommune.GetValueOrDefault(code) ?? []).ToArray();
        Array.Sort(list, (a, b) => _rows[a].Received != _rows[b].Received ? _rows[a].Received.CompareTo(_rows[b].Received) : _rows[a].Id.CompareTo(_rows[b].Id));

        // First the totals and breakdowns (they come before the register in the document).
        int notifications = 0, guests = 0, vietnamese = 0, children = 0, late = 0, longStays = 0, mismatches = 0, stayingHere = 0;
        var nationalities = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var perEstablishment = new Dictionary<Guid, (int Notifications, int Guests)>();
        foreach (var id in _approved.GetValueOrDefault(code) ?? []) perEstablishment[id] = (0, 0);
        foreach (var i in list)
        {
            ref readonly var n = ref _rows[i];
            if (n.Status == NotificationStatus.Cancelled) continue; // listed in the register, counted nowhere
            for (var k = 0; k < n.Guests; k++)
                if (StayingAtEnd(in n, in _guests[n.FirstGuest + k])) stayingHere++;
            notifications++;
            var arrivalDay = VietnamTime.DayOf(n.Arrival);
            for (var k = 0; k < n.Guests; k++)
            {
                ref readonly var g = ref _guests[n.FirstGuest + k];
                guests++;
                if (g.Nationality == Countries.Vietnam) vietnamese++;
                if (NotificationRules.IsChildOn(g.DateOfBirth, g.DateOfBirthYearOnly, arrivalDay)) children++;
                nationalities[g.Nationality] = nationalities.GetValueOrDefault(g.Nationality) + 1;
            }
            if (n.Late) late++;
            if (n.Flags.Contains(FlagCodes.Stay30DaysOrMore)) longStays++;
            if (n.Flags.Contains(FlagCodes.IdGenderMismatch) || n.Flags.Contains(FlagCodes.IdBirthYearMismatch)) mismatches++;
            reasons[n.Reason] = reasons.GetValueOrDefault(n.Reason) + 1;
            if (n.EstablishmentOrEmpty != Guid.Empty)
            {
                var (c, gs) = perEstablishment.GetValueOrDefault(n.EstablishmentOrEmpty);
                perEstablishment[n.EstablishmentOrEmpty] = (c + 1, gs + n.Guests);
            }
        }
        var totals = new ReportTotalsDto(notifications, guests, vietnamese, guests - vietnamese, children, late, longStays, mismatches,
            _hits.GetValueOrDefault(code), stayingHere + (_stayingRows.GetValueOrDefault(code)?.Count ?? 0), _previous.GetValueOrDefault(code), _lastWeek.GetValueOrDefault(code));
        var version = _versions.GetValueOrDefault(code) + 1;

        w.WriteStartObject();
        w.WriteString(P.CommuneCode, code);
        w.WriteString(P.CommuneName, info.Name);
        w.WriteString(P.ProvinceCode, info.ProvinceCode);
        w.WriteString(P.ProvinceName, info.ProvinceName);
        w.WriteString(P.Day, _day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteString(P.Kind, _kind);
        w.WriteNumber(P.Version, version);
        w.WriteString(P.BuiltAt, now.ToOffset(VietnamTime.Offset));
        w.WriteString(P.BuiltBy, builtBy);
        w.WriteString(P.WindowStart, _start.ToOffset(VietnamTime.Offset));
        w.WriteString(P.WindowEnd, _end.ToOffset(VietnamTime.Offset));
        w.WritePropertyName(P.Totals);
        JsonSerializer.Serialize(w, totals, options);
        w.WritePropertyName(P.ByEstablishment);
        JsonSerializer.Serialize(w, perEstablishment.Select(x => new ReportEstablishmentDto(x.Key, _names.GetValueOrDefault(x.Key, ""), x.Value.Notifications,
            x.Value.Guests)).OrderByDescending(x => x.Notifications).ThenBy(x => x.Name, StringComparer.Ordinal).ToList(), options);
        w.WritePropertyName(P.ByNationality);
        JsonSerializer.Serialize(w, Counts(nationalities), options);
        w.WritePropertyName(P.ByReason);
        JsonSerializer.Serialize(w, Counts(reasons), options);
        w.WriteStartArray(P.Register);
        var line = 0;
        foreach (var i in list)
        {
            ref readonly var n = ref _rows[i];
            w.WriteStartObject();
            w.WriteNumber(P.Line, ++line);
            w.WriteString(P.ReceiptNumber, n.Receipt);
            w.WriteString(P.AcceptedAt, n.Accepted.ToOffset(VietnamTime.Offset));
            w.WriteString(P.Place, n.EstablishmentOrEmpty != Guid.Empty ? _names.GetValueOrDefault(n.EstablishmentOrEmpty, "") : n.Address ?? "");
            w.WriteString(P.Channel, n.Channel);
            w.WriteString(P.ArrivalAt, n.Arrival.ToOffset(VietnamTime.Offset));
            w.WriteString(P.DepartureAt, n.Departure.ToOffset(VietnamTime.Offset));
            w.WriteString(P.Reason, n.Reason);
            w.WriteStartArray(P.Flags);
            foreach (var f in n.Flags) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteStartArray(P.Guests);
            for (var k = 0; k < n.Guests; k++)
            {
                ref readonly var g = ref _guests[n.FirstGuest + k];
                w.WriteStartObject();
                w.WriteString(P.FullName, g.FullName);
                if (g.DateOfBirth is { } dob) w.WriteString(P.DateOfBirth, dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteString(P.DocumentType, DocumentTypeNames[(int)g.DocumentType]);
                if (g.DocumentNumber is not null) w.WriteString(P.DocumentNumber, g.DocumentNumber);
                w.WriteString(P.Nationality, g.Nationality);
                if (g.Gender is { } gender) w.WriteString(P.Gender, GenderNames[(int)gender]);
                if (g.DocumentKind is { } kind) w.WriteString(P.DocumentKind, WireEnum.Name(kind));
                if (g.Visa is not null) w.WriteString(P.Visa, g.Visa);
                if (g.VisaExempt) w.WriteBoolean(P.VisaExempt, true);
                if (g.EntryDate is { } entry) w.WriteString(P.EntryDate, entry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                if (g.EntryPort is not null) w.WriteString(P.EntryPort, g.EntryPort);
                w.WriteBoolean(P.Late, g.Late);
                if (g.Upstream is not null) w.WriteString(P.Upstream, g.Upstream);
                if (StayingAtEnd(in n, in g)) w.WriteBoolean(P.StayingAtEnd, true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString(P.ReceivedAt, n.Received.ToOffset(VietnamTime.Offset));
            w.WriteString(P.Status, StatusNames[(int)n.Status]);
            w.WriteBoolean(P.Late, n.Late);
            // Nulls are left out, as the serializer's options do.
            if (n.ReceivedBy is not null) w.WriteString(P.ReceivedBy, n.ReceivedBy);
            if (n.HostName is not null || n.HostPhone is not null || n.NotifiedByGuest)
            {
                w.WriteStartObject(P.Notifier);
                if (n.HostName is not null) w.WriteString(P.HostName, n.HostName);
                if (n.HostPhone is not null) w.WriteString(P.HostPhone, n.HostPhone);
                w.WriteBoolean(P.GuestNotifiedForSelf, n.NotifiedByGuest);
                w.WriteEndObject();
            }
            if (n.Room is not null) w.WriteString(P.Room, n.Room);
            if (n.Deadline is { } deadline)
            {
                w.WriteString(P.DeadlineAt, deadline.ToOffset(VietnamTime.Offset));
                if (n.Late) w.WriteNumber(P.MinutesLate, (int)Math.Ceiling((n.Received - deadline).TotalMinutes));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean(P.Final, now >= _end);
        w.WriteStartArray(P.Changes);
        foreach (var c in _changes.GetValueOrDefault(code) ?? [])
        {
            w.WriteStartObject();
            w.WriteString(P.At, c.At.ToOffset(VietnamTime.Offset));
            w.WriteString(P.ReceiptNumber, c.Receipt);
            w.WriteString(P.Action, c.Action);
            w.WriteString(P.ActorKind, c.ActorKind);
            if (c.Reason is not null) w.WriteString(P.Reason, c.Reason);
            if (c.Before is not null) w.WriteString(P.Before, c.Before);
            if (c.After is not null) w.WriteString(P.After, c.After);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray(P.StayingTonight);
        foreach (var g in _stayingRows.GetValueOrDefault(code) ?? [])
        {
            w.WriteStartObject();
            w.WriteString(P.ReceiptNumber, g.Receipt);
            w.WriteString(P.Place, g.EstablishmentOrEmpty != Guid.Empty ? _names.GetValueOrDefault(g.EstablishmentOrEmpty, "") : g.Address ?? "");
            if (g.Room is not null) w.WriteString(P.Room, g.Room);
            w.WriteString(P.ArrivalAt, g.Arrival.ToOffset(VietnamTime.Offset));
            w.WriteString(P.DepartureAt, g.Departure.ToOffset(VietnamTime.Offset));
            w.WriteString(P.FullName, g.FullName);
            w.WriteString(P.DocumentType, DocumentTypeNames[(int)g.DocumentType]);
            if (g.DocumentNumber is not null) w.WriteString(P.DocumentNumber, g.DocumentNumber);
            w.WriteString(P.Nationality, g.Nationality);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        return (totals, info.ProvinceCode, version);
    }

    /// <summary>A guest of the window's register still staying at its end (as the snapshot shows the stay and the guest).</summary>
    private bool StayingAtEnd(in NotificationRow n, in GuestRow g) =>
        n.Status == NotificationStatus.Recorded && n.Arrival <= _end && n.Departure > _end && (g.CheckedOutAt is null || g.CheckedOutAt > _end);

    /// <summary>Property names encoded once, as the serializer does.</summary>
    private static class P
    {
        public static readonly JsonEncodedText AcceptedAt = JsonEncodedText.Encode("acceptedAt");
        public static readonly JsonEncodedText ArrivalAt = JsonEncodedText.Encode("arrivalAt");
        public static readonly JsonEncodedText BuiltAt = JsonEncodedText.Encode("builtAt");
        public static readonly JsonEncodedText BuiltBy = JsonEncodedText.Encode("builtBy");
        public static readonly JsonEncodedText ByEstablishment = JsonEncodedText.Encode("byEstablishment");
        public static readonly JsonEncodedText ByNationality = JsonEncodedText.Encode("byNationality");
        public static readonly JsonEncodedText ByReason = JsonEncodedText.Encode("byReason");
        public static readonly JsonEncodedText Channel = JsonEncodedText.Encode("channel");
        public static readonly JsonEncodedText CommuneCode = JsonEncodedText.Encode("communeCode");
        public static readonly JsonEncodedText CommuneName = JsonEncodedText.Encode("communeName");
        public static readonly JsonEncodedText DateOfBirth = JsonEncodedText.Encode("dateOfBirth");
        public static readonly JsonEncodedText Day = JsonEncodedText.Encode("day");
        public static readonly JsonEncodedText DepartureAt = JsonEncodedText.Encode("departureAt");
        public static readonly JsonEncodedText DocumentNumber = JsonEncodedText.Encode("documentNumber");
        public static readonly JsonEncodedText DocumentType = JsonEncodedText.Encode("documentType");
        public static readonly JsonEncodedText Flags = JsonEncodedText.Encode("flags");
        public static readonly JsonEncodedText FullName = JsonEncodedText.Encode("fullName");
        public static readonly JsonEncodedText Guests = JsonEncodedText.Encode("guests");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Final = JsonEncodedText.Encode("final");
        public static readonly JsonEncodedText Late = JsonEncodedText.Encode("late");
        public static readonly JsonEncodedText ReceivedAt = JsonEncodedText.Encode("receivedAt");
        public static readonly JsonEncodedText ReceivedBy = JsonEncodedText.Encode("receivedBy");
        public static readonly JsonEncodedText Notifier = JsonEncodedText.Encode("notifier");
        public static readonly JsonEncodedText HostName = JsonEncodedText.Encode("hostName");
        public static readonly JsonEncodedText HostPhone = JsonEncodedText.Encode("hostPhone");
        public static readonly JsonEncodedText GuestNotifiedForSelf = JsonEncodedText.Encode("guestNotifiedForSelf");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText Nationality = JsonEncodedText.Encode("nationality");
        public static readonly JsonEncodedText Place = JsonEncodedText.Encode("place");
        public static readonly JsonEncodedText ProvinceCode = JsonEncodedText.Encode("provinceCode");
        public static readonly JsonEncodedText ProvinceName = JsonEncodedText.Encode("provinceName");
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
        public static readonly JsonEncodedText ReceiptNumber = JsonEncodedText.Encode("receiptNumber");
        public static readonly JsonEncodedText Register = JsonEncodedText.Encode("register");
        public static readonly JsonEncodedText Totals = JsonEncodedText.Encode("totals");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText WindowEnd = JsonEncodedText.Encode("windowEnd");
        public static readonly JsonEncodedText WindowStart = JsonEncodedText.Encode("windowStart");
        public static readonly JsonEncodedText Gender = JsonEncodedText.Encode("gender");
        public static readonly JsonEncodedText DocumentKind = JsonEncodedText.Encode("documentKind");
        public static readonly JsonEncodedText Visa = JsonEncodedText.Encode("visa");
        public static readonly JsonEncodedText VisaExempt = JsonEncodedText.Encode("visaExempt");
        public static readonly JsonEncodedText EntryDate = JsonEncodedText.Encode("entryDate");
        public static readonly JsonEncodedText EntryPort = JsonEncodedText.Encode("entryPort");
        public static readonly JsonEncodedText Upstream = JsonEncodedText.Encode("upstream");
        public static readonly JsonEncodedText Room = JsonEncodedText.Encode("room");
        public static readonly JsonEncodedText DeadlineAt = JsonEncodedText.Encode("deadlineAt");
        public static readonly JsonEncodedText MinutesLate = JsonEncodedText.Encode("minutesLate");
        public static readonly JsonEncodedText Changes = JsonEncodedText.Encode("changes");
        public static readonly JsonEncodedText StayingTonight = JsonEncodedText.Encode("stayingTonight");
        public static readonly JsonEncodedText StayingAtEnd = JsonEncodedText.Encode("stayingAtEnd");
        public static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
        public static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
        public static readonly JsonEncodedText ActorKind = JsonEncodedText.Encode("actorKind");
        public static readonly JsonEncodedText Before = JsonEncodedText.Encode("before");
        public static readonly JsonEncodedText After = JsonEncodedText.Encode("after");
    }

    private static readonly string[] DocumentTypeNames = Enum.GetValues<DocumentType>().OrderBy(v => (int)v).Select(v => WireEnum.Name(v)).ToArray();
    private static readonly string[] GenderNames = Enum.GetValues<Gender>().OrderBy(v => (int)v).Select(v => WireEnum.Name(v)).ToArray();
    private static readonly string[] StatusNames = Enum.GetValues<NotificationStatus>().OrderBy(v => (int)v).Select(v => WireEnum.Name(v)).ToArray();

    private static List<ReportCountDto> Counts(Dictionary<string, int> counts) =>
        counts.Select(x => new ReportCountDto(x.Key, x.Value)).OrderByDescending(x => x.Count).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
}
