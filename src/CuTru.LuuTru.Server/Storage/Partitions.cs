using System.Globalization;
using CuTru.LuuTru.Contracts;
using Npgsql;

namespace CuTru.LuuTru.Server.Storage;

/// <summary>Tables partitioned by month (PostgreSQL range partitioning on a time column): one partition per Vietnam
/// calendar month, named <c>&lt;table&gt;_pYYYYMM</c>, and a DEFAULT partition that takes any row no month partition
/// covers (a test clock in 2020, an old officer entry). Months are made ahead (<see cref="EnsureAheadAsync"/>: at
/// start and by the nightly purge), so rows of the coming months never land in the default partition; the purge drops
/// whole months past their retention (<see cref="DropBeforeAsync"/>) instead of deleting their rows one by one.
/// The live feed's <c>commune_events</c> by <c>occurred_at</c>; the register (<c>notifications</c> and, by their
/// notification's <c>received_at</c>, <c>notification_guests</c> and <c>notification_changes</c>) by <c>received_at</c>.</summary>
public static class Partitions
{
    public const string CommuneEvents = "commune_events";
    public const string Notifications = "notifications";
    /// <summary>The register's tables that hang on a notification (notification_id, received_at): their month goes with
    /// the notifications' month.</summary>
    private static readonly string[] RegisterChildren = ["notification_guests", "notification_changes"];
    private static readonly string[] Partitioned = [CommuneEvents, Notifications, .. RegisterChildren];
    private const int MonthsAhead = 2;

    /// <summary>The partition of a table for the Vietnam month that starts on <paramref name="month"/>'s first day.</summary>
    public static string NameOf(string table, DateOnly month) => $"{table}_p{month:yyyyMM}";

    /// <summary>The instant a Vietnam month begins.</summary>
    public static DateTimeOffset StartOf(DateOnly month) =>
        VietnamTime.StartOf(new DateOnly(month.Year, month.Month, 1));

    /// <summary>SQL that creates the month's partition if it is missing.</summary>
    public static string CreateSql(string table, DateOnly month) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            create table if not exists {NameOf(table, month)} partition of {table}
              for values from ('{StartOf(month):O}') to ('{StartOf(month.AddMonths(1)):O}')
            """);

    /// <summary>Makes this month's and the next <see cref="MonthsAhead"/> months' partitions. A month whose rows already
    /// sit in the default partition cannot be made (PostgreSQL refuses); it is passed over, and those rows are deleted
    /// one by one when their time comes.</summary>
    public static async Task EnsureAheadAsync(NpgsqlDataSource data, DateTimeOffset now, ILogger logger, CancellationToken ct)
    {
        var today = VietnamTime.DayOf(now);
        var first = new DateOnly(today.Year, today.Month, 1);
        foreach (var table in Partitioned)
            for (var i = 0; i <= MonthsAhead; i++)
            {
                try
                {
                    await using var cmd = data.CreateCommand(CreateSql(table, first.AddMonths(i)));
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
                {
                    logger.LogWarning("Partition {Partition} not made: {Reason}", NameOf(table, first.AddMonths(i)), e.SqlState);
                }
            }
    }

    /// <summary>Whether a unique violation is of a notification's primary key: PostgreSQL names the partition's index
    /// (<c>notifications_p202611_pkey</c>), not the parent's <c>pk_notifications</c>.</summary>
    public static bool IsNotificationKey(string? constraint) =>
        constraint is { } c && (c == "pk_notifications" || (c.StartsWith(Notifications + "_", StringComparison.Ordinal) && c.EndsWith("_pkey", StringComparison.Ordinal)));

    /// <summary>Drops the table's month partitions that end at or before <paramref name="cutoff"/>; answers how many rows
    /// they held.</summary>
    public static async Task<long> DropBeforeAsync(NpgsqlDataSource data, string table, DateTimeOffset cutoff, CancellationToken ct)
    {
        long rows = 0;
        foreach (var (name, month) in await MonthsAsync(data, table, ct))
        {
            if (StartOf(month.AddMonths(1)) > cutoff) continue;
            await using var conn = await data.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            rows += await CountAsync(conn, tx, name, ct);
            await ExecuteAsync(conn, tx, $"drop table {name}", ct);
            await tx.CommitAsync(ct);
        }
        return rows;
    }

    /// <summary>Drops the register's months (notifications with their guests and history) in which every stay ended
    /// (cancelled, checked out or departed) before <paramref name="cutoff"/>, and that ended themselves before it; a
    /// month with one stay still inside its retention stays whole, and the purge deletes its ended notifications one by
    /// one. What hangs on these notifications elsewhere (hits, live events, relay rows) is the caller's to delete first.
    /// Answers how many notifications the dropped months held.</summary>
    public static async Task<long> DropEndedRegisterMonthsAsync(NpgsqlDataSource data, DateTimeOffset cutoff, CancellationToken ct)
    {
        long rows = 0;
        foreach (var (name, month) in await MonthsAsync(data, Notifications, ct))
        {
            if (StartOf(month.AddMonths(1)) > cutoff) continue;
            await using var conn = await data.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // The month is locked against writers while it is judged and dropped.
            await ExecuteAsync(conn, tx, $"lock table {name} in access exclusive mode", ct);
            await using (var open = new NpgsqlCommand(
                $"select exists (select 1 from {name} where coalesce(cancelled_at, checked_out_at, departure_at) >= @cutoff)", conn, tx))
            {
                open.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
                if ((bool)(await open.ExecuteScalarAsync(ct))!) { await tx.RollbackAsync(ct); continue; }
            }
            rows += await CountAsync(conn, tx, name, ct);
            // The guests' and history's month with it (no foreign key ties them: the same month by construction).
            foreach (var child in RegisterChildren) await ExecuteAsync(conn, tx, $"drop table if exists {NameOf(child, month)}", ct);
            await ExecuteAsync(conn, tx, $"drop table {name}", ct);
            await tx.CommitAsync(ct);
        }
        return rows;
    }

    private static async Task<long> CountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        await using var count = new NpgsqlCommand($"select count(*) from {table}", conn, tx);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The table's month partitions, by name.</summary>
    private static async Task<List<(string Name, DateOnly Month)>> MonthsAsync(NpgsqlDataSource data, string table, CancellationToken ct)
    {
        var months = new List<(string Name, DateOnly Month)>();
        await using (var cmd = data.CreateCommand("""
            select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
            where p.relname = @table
            """))
        {
            cmd.Parameters.AddWithValue("table", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var name = r.GetString(0);
                if (name.Length == table.Length + 8 && name.StartsWith(table + "_p", StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[^6..] + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                    months.Add((name, month));
            }
        }
        return months;
    }
}
