using System.Globalization;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CuTru.LuuTru.Server.Police;

/// <summary>A commune's day at a glance: counters, arrivals per hour, establishments and when each last notified,
/// the latest arrivals. Each query is bounded by an index on the commune (no whole-table scan):
/// notifications (commune_code, arrival_at) for the day, the partial index (commune_code, departure_at) where
/// status = 'Recorded' for who is staying, notifications (establishment_id, accepted_at) for each establishment's
/// last notification, commune_events (commune_code, sequence) for the latest arrivals.</summary>
public static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/communes/{code}/dashboard", Dashboard).WithTags("Police").RequireAuthorization(Policies.Police).RequireCommuneAccess()
            .WithSummary("A commune's day: counters, arrivals per hour, establishments, latest arrivals (day in Vietnam time, default today)");

    internal static async Task<Results<Ok<CommuneDashboardDto>, ProblemResult>> Dashboard(string code, string? day, HttpContext http, LuuTruDb db,
        NpgsqlDataSource data, TimeProvider clock, Audit.AuditWriter audit, CancellationToken ct)
    {
        var commune = http.Commune();
        var now = clock.GetUtcNow();
        var today = VietnamTime.DayOf(now);
        var date = today;
        if (!string.IsNullOrEmpty(day) && (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || !VietnamTime.InRange(date)))
            return Problems.Validation("day", "invalid-value");
        var start = VietnamTime.StartOf(date).ToUniversalTime();
        var end = start.AddDays(1);

        await using var conn = await data.OpenConnectionAsync(ct);
        var perHour = new int[24];
        int arrivals = 0, guests = 0, foreigners = 0, late = 0, flagged = 0, staying = 0;
        await using (var cmd = new NpgsqlCommand("""
            select extract(hour from n.arrival_at at time zone @zone)::int as hour,
                   count(*)::int, sum(g.guests)::int, sum(g.foreigners)::int,
                   count(*) filter (where n.late)::int, count(*) filter (where jsonb_array_length(n.flags) > 0)::int
            from notifications n
            cross join lateral (select count(*) as guests, count(*) filter (where ng.nationality <> 'VNM') as foreigners
                                from notification_guests ng where ng.notification_id = n.id) g
            where n.commune_code = @commune and n.arrival_at >= @start and n.arrival_at < @end and n.status <> 'Cancelled'
            group by 1
            """, conn))
        {
            cmd.Parameters.AddWithValue("commune", code);
            cmd.Parameters.AddWithValue("zone", VietnamTime.ZoneId);
            cmd.Parameters.AddWithValue("start", start);
            cmd.Parameters.AddWithValue("end", end);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                perHour[r.GetInt32(0)] = r.GetInt32(1);
                arrivals += r.GetInt32(1); guests += r.GetInt32(2); foreigners += r.GetInt32(3); late += r.GetInt32(4); flagged += r.GetInt32(5);
            }
        }
        await using (var cmd = new NpgsqlCommand("""
            select count(*)::int from notifications n join notification_guests g on g.notification_id = n.id
            where n.commune_code = @commune and n.status = 'Recorded' and n.departure_at > @now and n.arrival_at <= @now and g.checked_out_at is null
            """, conn))
        {
            cmd.Parameters.AddWithValue("commune", code);
            cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
            staying = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        var establishments = new List<EstablishmentActivityDto>();
        await using (var cmd = new NpgsqlCommand("""
            select e.id, e.name, e.address, last.at from establishments e
            left join lateral (select max(n.accepted_at) as at from notifications n where n.establishment_id = e.id) last on true
            where e.commune_code = @commune and e.status = 'Approved'
            order by last.at desc nulls last, e.name
            """, conn))
        {
            cmd.Parameters.AddWithValue("commune", code);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                DateTimeOffset? last = r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3);
                establishments.Add(new EstablishmentActivityDto(r.GetGuid(0), r.GetString(1), r.GetString(2), last, last >= start && last < end));
            }
        }
        var recent = new List<ArrivalEvent>();
        long lastSequence = 0;
        await using (var cmd = new NpgsqlCommand("""
            select coalesce((select last_sequence from commune_event_counters where commune_code = @commune), 0);
            select payload::text from commune_events
            where commune_code = @commune and kind = 'arrival' and occurred_at >= @start and occurred_at < @end
            order by sequence desc limit 100
            """, conn))
        {
            cmd.Parameters.AddWithValue("commune", code);
            cmd.Parameters.AddWithValue("start", start);
            cmd.Parameters.AddWithValue("end", end);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) lastSequence = r.GetInt64(0);
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) recent.Add(JsonSerializer.Deserialize<ArrivalEvent>(r.GetString(0), CommuneEventStore.Json)!);
        }
        // The latest arrivals carry names and masked numbers: the opening of a dashboard is traced.
        audit.Record(http.Caller(), "dashboard.view", "commune", code, code,
            new { day = date, arrivals = recent.Count, people = recent.Sum(a => a.Guests.Count) }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CommuneDashboardDto(code, commune.Name, commune.ProvinceCode, date,
            new DashboardCountersDto(arrivals, guests, staying, foreigners, late, flagged), perHour, establishments, recent, lastSequence));
    }
}
