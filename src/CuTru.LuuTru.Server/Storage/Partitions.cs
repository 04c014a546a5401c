using System.Globalization;
using CuTru.LuuTru.Contracts;
using Npgsql;

namespace CuTru.LuuTru.Server.Storage;

/// <summary>Tables partitioned by month (PostgreSQL range partitioning on a time column): one partition per Vietnam
/// calendar month, named <c>&lt;table&gt;_pYYYYMM</c>, and a DEFAULT partition that takes any row no month partition
/// covers (a test clock in 2020, an old officer entry). Months are made ahead (<see cref="EnsureAheadAsync"/>: at
/// start and by the nightly purge), so rows of the coming months never land in the default partition; the purge drops
/// whole months past their retention (<see cref="DropBeforeAsync"/>) instead of deleting their rows one by one.
/// Today: <c>commune_events</c> by <c>occurred_at</c>.</summary>
public static class Partitions
{
    public const string CommuneEvents = "commune_events";
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
        for (var i = 0; i <= MonthsAhead; i++)
        {
            try
            {
                await using var cmd = data.CreateCommand(CreateSql(CommuneEvents, first.AddMonths(i)));
                await cmd.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
            {
                logger.LogWarning("Partition {Partition} not made: {Reason}", NameOf(CommuneEvents, first.AddMonths(i)), e.SqlState);
            }
        }
    }

    /// <summary>Drops the table's month partitions that end at or before <paramref name="cutoff"/>; answers how many rows
    /// they held.</summary>
    public static async Task<long> DropBeforeAsync(NpgsqlDataSource data, string table, DateTimeOffset cutoff, CancellationToken ct)
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
        long rows = 0;
        foreach (var (name, month) in months.Where(m => StartOf(m.Month.AddMonths(1)) <= cutoff))
        {
            await using var conn = await data.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var count = new NpgsqlCommand($"select count(*) from {name}", conn, tx)) rows += (long)(await count.ExecuteScalarAsync(ct))!;
            await using (var drop = new NpgsqlCommand($"drop table {name}", conn, tx)) await drop.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        return rows;
    }
}
