using Microsoft.Extensions.Options;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Contracts;
using Quartz;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>LuuTru:Reports: when the reports are built.</summary>
public sealed class ReportOptions
{
    public const string Section = "LuuTru:Reports";
    /// <summary>Run the Quartz scheduler in this process (clustered: each firing runs on one process only).</summary>
    public bool SchedulerEnabled { get; set; } = true;
    /// <summary>How often a waiting scheduler looks for triggers that became due (also after the clock moved).</summary>
    public int SchedulerIdleWaitMilliseconds { get; set; } = 30_000;
    /// <summary>How often a scheduler instance checks in with the cluster; a silent one's work is taken over after that.</summary>
    public int ClusterCheckinIntervalMilliseconds { get; set; } = 7_500;
    /// <summary>A night's reports are built a group of communes at a time, each group holding about this many
    /// notifications in memory (never more, unless one commune alone has more): the build's memory stays bounded
    /// whatever the night's size.</summary>
    public int BuildChunkNotifications { get; set; } = 50_000;
    /// <summary>A process that builds the night's reports (role scheduler) rehearses a build over this many made-up
    /// notifications <see cref="WarmUpDelaySeconds"/> after its start (<see cref="ReportWarmUp"/>), so that its first real build does not
    /// compile as it goes; 0: no rehearsal.</summary>
    public int WarmUpNotifications { get; set; } = 2_000;
    /// <summary>How long after the start the rehearsal waits: past the first minute, whose live push it would otherwise slow.</summary>
    public int WarmUpDelaySeconds { get; set; } = 60;
}

/// <summary>Builds every commune's report for the firing: <c>nightly</c> at 23:00 for that day, <c>morning</c> at
/// 08:00 for the day before. The day comes from the trigger's scheduled time, so a misfired 23:00 that runs at
/// 00:40 after a restart still builds the day it was meant for.</summary>
[DisallowConcurrentExecution]
public sealed class ReportJob(ReportBuilder builder, ILogger<ReportJob> logger) : IJob
{
    public static readonly JobKey Key = new("commune-reports", "reports");
    public const string KindKey = "kind";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var kind = context.MergedJobDataMap.GetString(KindKey) ?? ReportKinds.Nightly;
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var day = DayFor(scheduled, kind);
        logger.LogInformation("Building the {Kind} reports of {Day} (scheduled {Scheduled:O}, fired {Fired:O})", kind,
            day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), scheduled, context.FireTimeUtc);
        await builder.BuildAsync(day, kind, null, "scheduler", ct);
    }

    /// <summary>The report day of a firing: the day of the latest 23:00 (nightly) or the day before the latest 08:00
    /// (morning) at or before it, in Vietnam time. A firing on time gives that evening's day; a missed one run later
    /// (after a restart: fired once, now) still gives the day it was due for.</summary>
    public static DateOnly DayFor(DateTimeOffset firing, string kind)
    {
        var date = VietnamTime.DayOf(firing);
        var at = VietnamTime.TimeOf(firing);
        return kind == ReportKinds.Morning
            ? (at >= ReportKinds.MorningAt ? date.AddDays(-1) : date.AddDays(-2))
            : (at >= ReportKinds.NightlyAt ? date : date.AddDays(-1));
    }
}

public static class ReportScheduling
{
    public const string SchedulerName = "luutru-reports";
    public static readonly TriggerKey Nightly = new("nightly-23h", "reports"), Morning = new("morning-08h", "reports");
    public static readonly TriggerKey RetentionNightly = new("retention-03h30", "retention");

    /// <summary>Quartz with its job store in PostgreSQL (qrtz_* tables, made by the migrations), clustered, on the
    /// server's TimeProvider; the two daily triggers in Vietnam time; a missed firing runs once as soon as a scheduler
    /// is back.</summary>
    public static IServiceCollection AddLuuTruReports(this IServiceCollection services, IConfiguration configuration, ProcessRoles roles)
    {
        services.AddScoped<ReportBuilder>();
        if (roles.Scheduler) services.AddHostedService<ReportWarmUp>(); // with the schedule off too: a rebuild by an admin is the same build
        var o = new ReportOptions();
        configuration.GetSection(ReportOptions.Section).Bind(o);
        if (!o.SchedulerEnabled || !roles.Scheduler) return services;
        var connectionString = configuration["LuuTru:Database:ConnectionString"] ?? "";
        var clock = new SchedulerClock();
        services.AddSingleton(clock);
        services.AddHostedService<SchedulerClock.Binder>(); // before Quartz starts: hand it the server's TimeProvider
        var properties = new System.Collections.Specialized.NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = SchedulerName,
            ["quartz.scheduler.instanceId"] = "AUTO",
            ["quartz.scheduler.idleWaitTime"] = o.SchedulerIdleWaitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        services.AddQuartz(properties, q =>
        {
            q.UseTimeProvider(clock);
            q.UseDefaultThreadPool(2);
            q.UsePersistentStore(store =>
            {
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromMilliseconds(o.ClusterCheckinIntervalMilliseconds));
                store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer(_ => { });
                store.ProvisionSchema(); // qrtz_* tables, made when missing
            });
            q.AddJob<ReportJob>(j => j.WithIdentity(ReportJob.Key).StoreDurably().WithDescription("Builds every commune's report"));
            q.AddTrigger(t => t.WithIdentity(Nightly).ForJob(ReportJob.Key).UsingJobData(ReportJob.KindKey, ReportKinds.Nightly)
                .WithCronSchedule("0 0 23 * * ?", c => c.InTimeZone(VietnamTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddTrigger(t => t.WithIdentity(Morning).ForJob(ReportJob.Key).UsingJobData(ReportJob.KindKey, ReportKinds.Morning)
                .WithCronSchedule("0 0 8 * * ?", c => c.InTimeZone(VietnamTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            // The same clustered scheduler deletes what is past its retention (Retention/), once a night.
            q.AddJob<Kbtt.KbttOverdueJob>(j => j.WithIdentity(Kbtt.KbttOverdueJob.Key).StoreDurably().WithDescription("Guests not on the national system by 20:00 the day after"));
            q.AddTrigger(t => t.WithIdentity("kbtt-overdue-daily", "kbtt").ForJob(Kbtt.KbttOverdueJob.Key)
                .WithCronSchedule("0 0 20 * * ?", c => c.InTimeZone(VietnamTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJob<Retention.RetentionJob>(j => j.WithIdentity(Retention.RetentionJob.Key).StoreDurably().WithDescription("Deletes what is past its retention"));
            q.AddTrigger(t => t.WithIdentity(RetentionNightly).ForJob(Retention.RetentionJob.Key)
                .WithCronSchedule("0 30 3 * * ?", c => c.InTimeZone(VietnamTime.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        // UseTimeProvider also registers the forwarding clock as the application's TimeProvider: take that back out,
        // the server's own clock (TimeProvider.System, or the tests' clock) stays the one everybody uses.
        foreach (var d in services.Where(d => d.ServiceType == typeof(TimeProvider) && ReferenceEquals(d.ImplementationInstance, clock)).ToList())
            services.Remove(d);
                // Triggers already in the store are kept as they are: a restart must not forget a firing it missed.
        services.Configure<QuartzOptions>(q =>
        {
            q.Scheduling.IgnoreDuplicates = true;
            q.Scheduling.OverwriteExistingData = false;
        });
        // The job store's database and the timings as the process's options have them when the scheduler is made (the
        // values read above are the configuration seen while services are registered, which a host can still extend
        // before it starts: tests do, each with a database of its own; without this every test server shared one store).
        services.AddOptions<QuartzOptions>().Configure<IOptions<DatabaseOptions>, IOptions<ReportOptions>>((q, database, reports) =>
        {
            q.Properties["quartz.dataSource.default.connectionString"] = database.Value.ConnectionString;
            q.Properties["quartz.scheduler.idleWaitTime"] = reports.Value.SchedulerIdleWaitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            q.Properties["quartz.jobStore.clusterCheckinInterval"] = reports.Value.ClusterCheckinIntervalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        services.AddQuartzHostedService(h => h.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>Quartz's clock: the server's TimeProvider (the tests' clock in tests), bound when the host starts;
/// Quartz is configured before the container exists, so it gets this forwarding instance.</summary>
public sealed class SchedulerClock : TimeProvider
{
    private TimeProvider _inner = System;
    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();
    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    internal sealed class Binder(SchedulerClock clock, TimeProvider server) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (!ReferenceEquals(server, clock)) clock._inner = server;
            return Task.CompletedTask;
        }
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
