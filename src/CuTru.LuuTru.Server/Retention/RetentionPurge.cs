using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace CuTru.LuuTru.Server.Retention;

/// <summary>What one purge deleted, by kind.</summary>
public sealed record RetentionResult(int Notifications, int Reports, int AuditEntries, int LiveEvents, int WatchlistEntries,
    int WatchlistHits, int IdempotencyRecords, int RelayExchanges = 0, int RelayRows = 0, long DeadLetters = 0);

/// <summary>Deletes what is past its retention, kind by kind, and leaves an audit line with the counts (no personal
/// data). Run nightly by <see cref="RetentionJob"/> (03:30 Vietnam time, one process of the cluster) or by an admin.</summary>
public sealed class RetentionPurge(LuuTruDb db, AuditWriter audit, TimeProvider clock, IOptions<RetentionOptions> options, IOptions<KbttOptions> kbtt,
    IOptions<IntakeOptions> intake, StackExchange.Redis.IConnectionMultiplexer redis, IntakeBuffer buffer, Npgsql.NpgsqlDataSource data,
    ILogger<RetentionPurge> logger)
{
    public async Task<RetentionResult> RunAsync(Caller? by, HttpContext? http, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var registerBefore = now.AddYears(-o.RegisterYears);
        var reportDay = VietnamTime.DayOf(now.AddYears(-o.ReportYears));
        var auditBefore = now.AddYears(-o.AuditYears);
        var eventsBefore = now.AddDays(-o.LiveEventDays);
        var watchlistBefore = now.AddDays(-o.WatchlistEndedDays);
        var idempotencyBefore = now - IntakeBuffer.IdempotencyWindow - TimeSpan.FromDays(1);

        // A stay ended when it was cancelled, checked out, or its planned departure passed.
        var endedStays = db.Notifications.Where(n => (n.CancelledAt ?? n.CheckedOutAt ?? n.DepartureAt) < registerBefore);
        var ended = endedStays.Select(n => n.Id);
        var hits = await db.WatchlistHits.Where(h => ended.Contains(h.NotificationId)
            || db.Watchlist.Any(w => w.Id == h.WatchlistId && (w.RemovedAt ?? w.ExpiresAt) < watchlistBefore)).ExecuteDeleteAsync(ct);
        // Live events: the coming months' partitions made, whole months past their retention dropped, the rest row by row.
        await Partitions.EnsureAheadAsync(data, now, logger, ct);
        var events = (int)await Partitions.DropBeforeAsync(data, Partitions.CommuneEvents, eventsBefore, ct);
        events += await db.CommuneEvents.Where(e => e.OccurredAt < eventsBefore || (e.NotificationId != null && ended.Contains(e.NotificationId.Value)))
            .ExecuteDeleteAsync(ct);
        var idempotency = await db.IdempotencyRecords.Where(r => r.CreatedAt < idempotencyBefore || ended.Contains(r.NotificationId)).ExecuteDeleteAsync(ct);
        // The relay's requests and answers (guests' data) after LuuTru:Kbtt:ExchangeRetentionDays; its rows with their notification.
        var exchangesBefore = now.AddDays(-kbtt.Value.ExchangeRetentionDays);
        var relayRows = db.KbttRelay.Where(r => ended.Contains(r.NotificationId)).Select(r => r.Id);
        var exchanges = await db.KbttRelayExchanges.Where(x => x.At < exchangesBefore || relayRows.Contains(x.ItemId)).ExecuteDeleteAsync(ct);
        var relay = await db.KbttRelay.Where(r => ended.Contains(r.NotificationId)).ExecuteDeleteAsync(ct);
        // The register: whole months whose every stay ended past the retention are dropped with their guests and history;
        // the rest of what ended is deleted row by row. A notification's change history
        // goes with it, never before: the register's lines must stay explainable.
        var notifications = (int)await Partitions.DropEndedRegisterMonthsAsync(data, registerBefore, ct);
        // No foreign key cascades (Storage/LuuTruDb.cs): guests and history first, in the same transaction (retried whole).
        notifications += await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.NotificationGuests.Where(g => ended.Contains(g.NotificationId)).ExecuteDeleteAsync(ct);
            await db.NotificationChanges.Where(c => ended.Contains(c.NotificationId)).ExecuteDeleteAsync(ct);
            var rows = await endedStays.ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            return rows;
        });
        var reports = await db.Reports.Where(r => r.Day < reportDay).ExecuteDeleteAsync(ct);
        var watchlist = await db.Watchlist.Where(w => (w.RemovedAt ?? w.ExpiresAt) < watchlistBefore).ExecuteDeleteAsync(ct);
        var auditEntries = await db.AuditLog.Where(a => a.At < auditBefore).ExecuteDeleteAsync(ct);
        // Dead letters (the drain also trims them as it goes; here they are counted in the audit line).
        long deadLetters = 0;
        try { deadLetters = await DeadLetterEndpoints.TrimAsync(redis.GetDatabase(), buffer, clock, intake.Value); }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException) { logger.LogWarning("Dead letters not trimmed: Redis unavailable"); }

        var result = new RetentionResult(notifications, reports, auditEntries, events, watchlist, hits, idempotency, exchanges, relay, deadLetters);
        if (by is null) audit.Record("system", null, "retention.purge", "retention", null, null, result, http);
        else audit.Record(by, "retention.purge", "retention", null, null, result, http);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Retention purge: {Notifications} notifications, {Reports} reports, {Audit} audit entries, {Events} live events, " +
            "{Watchlist} watchlist entries, {Hits} hits, {Idempotency} idempotency records, {DeadLetters} dead letters deleted",
            notifications, reports, auditEntries, events, watchlist, hits, idempotency, deadLetters);
        return result;
    }
}

/// <summary>The nightly purge, on one process of the cluster.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionPurge purge) : IJob
{
    public static readonly JobKey Key = new("retention", "luutru");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await purge.RunAsync(null, null, ct);
}

public static class RetentionEndpoints
{
    public static IServiceCollection AddLuuTruRetention(this IServiceCollection services)
    {
        services.AddScoped<RetentionPurge>();
        return services;
    }

    /// <summary><c>POST /api/v1/admin/retention/run</c>: the purge now (admins), answering what it deleted.</summary>
    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin/retention").RequireAuthorization(Policies.Admin).WithTags("Admin")
            .MapPost("/run", async (HttpContext http, RetentionPurge purge, CancellationToken ct) => TypedResults.Ok(await purge.RunAsync(http.Caller(), http, ct)))
            .WithSummary("Delete now what is past its retention (the nightly job does it at 03:30); answers the counts");
        return app;
    }
}
