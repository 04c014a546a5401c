using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Server.Retention;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>Issue 19: the live feed's events are partitioned by Vietnam month (Storage/Partitions.cs). A query over a
/// month reads that month's partition only (EXPLAIN); the purge drops a whole month past its retention, deletes row
/// by row inside the month the cutoff falls in, and keeps the rest.</summary>
public sealed class PartitionTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync()) rows.Add(Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }

    private Task<List<string>> PartitionsAsync() => QueryAsync("""
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = 'commune_events' order by 1
        """);

    [Fact]
    public async Task A_month_reads_one_partition_and_the_purge_drops_whole_months_past_their_retention()
    {
        server.Clock.Set(Vn("2026-11-22T10:00"));
        _ = server.Services; // started: the months ahead are made at start
        // Three months of events: August and early October (past the 30 days kept on 22/11), and 20 November.
        foreach (var month in new[] { new DateOnly(2026, 8, 1), new DateOnly(2026, 10, 1) })
            await QueryAsync(Partitions.CreateSql(Partitions.CommuneEvents, month) + "; select 1");
        await QueryAsync("""
            insert into commune_events (commune_code, sequence, kind, occurred_at, notification_id, payload) values
              ('00070', 900001, 'arrival', '2026-08-10T10:00+07', null, '{}'),
              ('00070', 900002, 'arrival', '2026-10-05T10:00+07', null, '{}'),
              ('00070', 900003, 'arrival', '2026-10-30T10:00+07', null, '{}'),
              ('00070', 900004, 'arrival', '2026-11-20T10:00+07', null, '{}');
            select 1
            """);
        Assert.Contains("commune_events_p202608", await PartitionsAsync());
        Assert.Contains("commune_events_p202611", await PartitionsAsync());
        Assert.Contains("commune_events_p202701", await PartitionsAsync()); // two months ahead of the start
        Assert.Contains("commune_events_default", await PartitionsAsync());

        // A dashboard's or report's month: that month's partition, no other.
        var plan = string.Join("\n", await QueryAsync("""
            explain select * from commune_events where occurred_at > '2026-11-01T00:00+07' and occurred_at <= '2026-11-22T00:00+07'
            """));
        Assert.Contains("commune_events_p202611", plan);
        Assert.DoesNotContain("commune_events_p202610", plan);
        Assert.DoesNotContain("commune_events_default", plan);

        using var admin = await server.SignInAsAdminAsync();
        var run = await admin.PostAsync("/api/v1/admin/retention/run", null);
        await Expect.Status(run, HttpStatusCode.OK);
        var purged = (await run.Content.ReadFromJsonAsync<RetentionResult>(LuuTruServerFactory.Json))!;

        var partitions = await PartitionsAsync();
        Assert.DoesNotContain("commune_events_p202608", partitions); // August ended before 23/10: dropped whole
        Assert.Contains("commune_events_p202610", partitions);      // October ends after the cutoff: kept, its old rows deleted
        Assert.Equal(["900003", "900004"], await QueryAsync("select sequence from commune_events where sequence > 900000 order by 1"));
        Assert.True(purged.LiveEvents >= 2, purged.ToString());
    }
}
