using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Reports;
using CuTru.LuuTru.Server.Retention;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>Issue 19: the live feed's events and the register (notifications, their guests and history) are partitioned by
/// Vietnam month (Storage/Partitions.cs). A query over a month reads that month's partition only (EXPLAIN; a dated
/// search does not wait on a locked earlier month); the purge drops a whole month past its retention, deletes row by
/// row inside the month the cutoff falls in, and keeps the rest; a register month goes whole only when every stay in
/// it ended past the retention.</summary>
public sealed class PartitionTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private static readonly string[] Register = ["notifications", "notification_guests", "notification_changes"];

    private async Task<List<string>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync()) rows.Add(Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }

    private Task<List<string>> PartitionsAsync(string table = Partitions.CommuneEvents) => QueryAsync("""
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = @table order by 1
        """, ("table", table));

    /// <summary>The server starts on the machine's clock (the months ahead of the real date are made then); a test whose
    /// clock is set to another month makes that month's partitions first, or its rows would land in the DEFAULT
    /// partitions and no later test could make the month.</summary>
    private async Task MonthAsync(DateOnly month)
    {
        foreach (var table in Register.Append(Partitions.CommuneEvents)) await QueryAsync(Partitions.CreateSql(table, month) + "; select 1");
    }

    private static async Task<Guid> PostAsync(HttpClient hotel, NotificationRequest request)
    {
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var id = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id;
        await IntakeTests.WaitRecordedAsync(hotel, id);
        return id;
    }

    [Fact]
    public async Task A_month_reads_one_partition_and_the_purge_drops_whole_months_past_their_retention()
    {
        server.Clock.Set(Vn("2026-11-22T10:00"));
        _ = server.Services; // started (on the machine's clock): the months ahead of that date are made at start
        var started = VietnamTime.DayOf(DateTimeOffset.UtcNow);
        await MonthAsync(new DateOnly(2026, 11, 1));
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
        var thisMonth = new DateOnly(started.Year, started.Month, 1);
        Assert.Contains(Partitions.NameOf(Partitions.CommuneEvents, thisMonth.AddMonths(2)), await PartitionsAsync()); // two months ahead of the start
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

    [Fact]
    public async Task The_register_is_read_by_month_and_a_month_goes_whole_once_every_stay_in_it_ended_past_the_retention()
    {
        server.Clock.Set(Vn("2020-01-15T20:00"));
        _ = server.Services;
        // January and February 2020, made as the scheduler makes the coming months.
        foreach (var table in Register)
            foreach (var month in new[] { new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1) })
                await QueryAsync(Partitions.CreateSql(table, month) + "; select 1");
        using var hotel = await Stays.HotelClientAsync(server);
        var january = await PostAsync(hotel, Stays.One(Vn("2020-01-15T19:00"), "001090080001"));
        await Expect.Status(await hotel.PostAsJsonAsync($"/api/v1/notifications/{january}/extend", new ExtendRequest(Vn("2020-01-17T12:00")),
            LuuTruServerFactory.Json), HttpStatusCode.OK); // a line of history
        server.Clock.Set(Vn("2020-02-10T20:00"));
        var februaryShort = await PostAsync(hotel, Stays.One(Vn("2020-02-10T19:00"), "001090080002"));
        var longStay = Stays.One(Vn("2020-02-10T19:00"), "001090080003");
        var februaryLong = await PostAsync(hotel, longStay with { Stay = longStay.Stay! with { DepartureAt = Vn("2022-01-10T12:00") } });

        // Each row sits in its notification's month: the notification, its guests, its history.
        Assert.Equal(["notifications_p202001"], await QueryAsync("select tableoid::regclass::text from notifications where id = @id", ("id", january)));
        Assert.Equal(["notification_guests_p202001"], await QueryAsync("select tableoid::regclass::text from notification_guests where notification_id = @id", ("id", january)));
        Assert.Equal(["notification_changes_p202001"], await QueryAsync("select tableoid::regclass::text from notification_changes where notification_id = @id", ("id", january)));

        // The 23:00 report's register and guests of 10 February read February's partitions, no other month's.
        var (start, end) = ReportKinds.Window(new DateOnly(2020, 2, 10), ReportKinds.Nightly);
        foreach (var sql in new[] { ReportSnapshot.RegisterSql(ReportSnapshot.WindowSql), ReportSnapshot.GuestsSql(ReportSnapshot.WindowSql) })
        {
            var plan = string.Join("\n", await QueryAsync("explain " + sql, ("s", start.ToUniversalTime()), ("e", end.ToUniversalTime())));
            Assert.Contains("_p202002", plan);
            Assert.DoesNotContain("_p202001", plan);
            Assert.DoesNotContain("_default", plan);
        }

        // A dated search of arrivals from 5 February (so of what was received from the 4th: no stay begins more than a day
        // after its reception) never reads January: with January's register locked by someone else, it answers.
        var (_, officer) = await server.CreateOfficerAsync("00070");
        await using (var conn = new NpgsqlConnection(server.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var lockJanuary = new NpgsqlCommand("lock table notifications_p202001 in access exclusive mode", conn, tx))
                await lockJanuary.ExecuteNonQueryAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var search = await officer.PostAsJsonAsync("/api/v1/communes/00070/notifications/search",
                new NotificationSearchRequest(From: Vn("2020-02-05T00:00"), To: Vn("2020-03-01T00:00")), LuuTruServerFactory.Json, timeout.Token);
            await Expect.Status(search, HttpStatusCode.OK);
            var found = (await search.Content.ReadFromJsonAsync<Page<NotificationDto>>(LuuTruServerFactory.Json))!.Items.Select(n => n.Id).ToHashSet();
            Assert.Contains(februaryShort, found);
            Assert.Contains(februaryLong, found);
            Assert.DoesNotContain(january, found);
        }

        // An entry the drain delivers again: its COPY meets the key of the month's partition (PostgreSQL names the
        // partition's index), which the drain must know as "already stored", and the rerun leaving stored ids out adds nothing.
        var stored = await server.WithDbAsync(db => db.Notifications.AsNoTracking().Include(n => n.Guests).FirstAsync(n => n.Id == februaryShort));
        await using (var conn = new NpgsqlConnection(server.ConnectionString))
        {
            await conn.OpenAsync();
            await using (var tx = await conn.BeginTransactionAsync())
            {
                var again = await Assert.ThrowsAsync<PostgresException>(() => NotificationCopy.InsertAsync(conn, tx, [stored], skipStored: false, default));
                Assert.Equal("notifications_p202002_pkey", again.ConstraintName);
                Assert.True(NotificationCopy.IsAlreadyStored(again));
            }
            await using (var tx = await conn.BeginTransactionAsync())
                Assert.Empty(await NotificationCopy.InsertAsync(conn, tx, [stored], skipStored: true, default));
        }

        // On 22/11/2026 the register keeps five years after a stay ended (cutoff 22/11/2021): January 2020 goes whole with
        // its guests and history; February stays (one stay there ends in 2022), its ended stay deleted on its own.
        server.Clock.Set(Vn("2026-11-22T10:00"));
        using var admin = await server.SignInAsAdminAsync();
        var run = await admin.PostAsync("/api/v1/admin/retention/run", null);
        await Expect.Status(run, HttpStatusCode.OK);
        var purged = (await run.Content.ReadFromJsonAsync<RetentionResult>(LuuTruServerFactory.Json))!;
        Assert.True(purged.Notifications >= 2, purged.ToString());
        foreach (var table in Register)
        {
            var partitions = await PartitionsAsync(table);
            Assert.DoesNotContain(table + "_p202001", partitions);
            Assert.Contains(table + "_p202002", partitions);
        }
        Assert.Equal([februaryLong.ToString()], await QueryAsync("select id from notifications where received_at < '2020-03-01T00:00+07'"));
        Assert.Equal(["1"], await QueryAsync("select count(*) from notification_guests where received_at < '2020-03-01T00:00+07'"));
    }

    [Fact]
    public async Task A_notifications_commune_and_establishment_must_exist_and_stay_while_it_names_them()
    {
        // Checked once per statement (triggers over the statement's rows), not per row as foreign keys were: the same
        // guarantee for every writer, the drain's COPY included (BufferTests dead-letters an entry of an unknown place).
        server.Clock.Set(Vn("2026-11-22T10:00"));
        await MonthAsync(new DateOnly(2026, 11, 1));
        using var hotel = await Stays.HotelClientAsync(server);
        var id = await PostAsync(hotel, Stays.One(Vn("2026-11-22T09:00"), "001090080011"));
        var place = (await QueryAsync("select establishment_id from notifications where id = @id", ("id", id))).Single();
        var commune = (await QueryAsync("select commune_code from notifications where id = @id", ("id", id))).Single();

        async Task<PostgresException> RefusedAsync(string sql, params (string, object)[] parameters) =>
            await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(sql + "; select 1", parameters));

        // A copy of the notification in a commune, then at a place, that does not exist: refused, nothing stored.
        var copy = """
            insert into notifications select (jsonb_populate_record(null::notifications, to_jsonb(n) || @changes::jsonb)).*
            from notifications n where n.id = @id
            """;
        var unknownCommune = await RefusedAsync(copy, ("id", id),
            ("changes", """{"id": "0193a000-0000-7000-8000-000000000001", "receipt_number": "copy-1", "commune_code": "99999"}"""));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, unknownCommune.SqlState);
        Assert.Contains("commune 99999", unknownCommune.MessageText);
        var unknownPlace = await RefusedAsync(copy, ("id", id),
            ("changes", """{"id": "0193a000-0000-7000-8000-000000000002", "receipt_number": "copy-2", "establishment_id": "0193a000-0000-7000-8000-0000000000ff"}"""));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, unknownPlace.SqlState);
        Assert.Contains("establishment 0193a000-0000-7000-8000-0000000000ff", unknownPlace.MessageText);
        Assert.Equal(["0"], await QueryAsync("select count(*) from notifications where receipt_number like 'copy-%'"));
        // Moved to a commune that does not exist: refused.
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation,
            (await RefusedAsync("update notifications set commune_code = '99999' where id = @id", ("id", id))).SqlState);

        // A commune and a place of their own, named by the notification: neither deleted nor renumbered while it names them.
        await QueryAsync("""
            insert into communes select (jsonb_populate_record(null::communes, to_jsonb(c) || '{"code": "T0001"}')).* from communes c where c.code = @c;
            insert into establishments select (jsonb_populate_record(null::establishments, to_jsonb(e) || '{"id": "0193a000-0000-7000-8000-0000000000ee"}')).*
            from establishments e where e.id = @e::uuid;
            update notifications set commune_code = 'T0001', establishment_id = '0193a000-0000-7000-8000-0000000000ee' where id = @id;
            select 1
            """, ("c", commune), ("e", place), ("id", id));
        foreach (var sql in new[]
                 {
                     "delete from communes where code = 'T0001'", "update communes set code = 'T0002' where code = 'T0001'",
                     "delete from establishments where id = '0193a000-0000-7000-8000-0000000000ee'",
                     "update establishments set id = '0193a000-0000-7000-8000-0000000000ef' where id = '0193a000-0000-7000-8000-0000000000ee'",
                 })
        {
            var refused = await RefusedAsync(sql);
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
            Assert.Contains("still named by notifications", refused.MessageText);
        }
        // Once nothing names them, they go.
        await QueryAsync("""
            update notifications set commune_code = @c, establishment_id = @e::uuid where id = @id;
            delete from communes where code = 'T0001';
            delete from establishments where id = '0193a000-0000-7000-8000-0000000000ee';
            select 1
            """, ("c", commune), ("e", place), ("id", id));
        Assert.Equal(["0"], await QueryAsync("select count(*) from communes where code = 'T0001'"));
        Assert.Equal([commune], await QueryAsync("select commune_code from notifications where id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_commune_deleted_while_a_notification_naming_it_is_being_written_waits_for_it_and_is_refused()
    {
        // The per-statement check locks the rows it names, as a foreign key's check does: a delete at the same moment
        // waits for the writing transaction, then finds the notification and is refused (without the lock it would
        // pass, seeing nothing yet, and the notification would name a commune that is gone).
        server.Clock.Set(Vn("2026-11-22T10:00"));
        await MonthAsync(new DateOnly(2026, 11, 1));
        using var hotel = await Stays.HotelClientAsync(server);
        var id = await PostAsync(hotel, Stays.One(Vn("2026-11-22T09:30"), "001090080012"));
        var commune = (await QueryAsync("select commune_code from notifications where id = @id", ("id", id))).Single();
        await QueryAsync("""
            insert into communes select (jsonb_populate_record(null::communes, to_jsonb(c) || '{"code": "T0003"}')).* from communes c where c.code = @c;
            select 1
            """, ("c", commune));

        await using var writer = new NpgsqlConnection(server.ConnectionString);
        await writer.OpenAsync();
        await using var tx = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            insert into notifications select (jsonb_populate_record(null::notifications, to_jsonb(n)
              || '{"id": "0193a000-0000-7000-8000-000000000003", "receipt_number": "copy-3", "commune_code": "T0003"}')).*
            from notifications n where n.id = @id
            """, writer, tx))
        {
            insert.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        var delete = QueryAsync("delete from communes where code = 'T0003'; select 1");
        await Task.Delay(500);
        Assert.False(delete.IsCompleted); // waiting on the writer's lock
        await tx.CommitAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => delete);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Contains("still named by notifications", refused.MessageText);

        await QueryAsync("delete from notifications where receipt_number = 'copy-3'; delete from communes where code = 'T0003'; select 1");
        Assert.Equal(["0"], await QueryAsync("select count(*) from communes where code = 'T0003'"));
    }
}
