using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Reports;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Reports;

/// <summary>A server whose scheduler looks for due triggers every second (of real time, Quartz's least), so the tests can move its clock.</summary>
public class SchedulerServer : LuuTruServerFactory
{
    public SchedulerServer() { }
    protected SchedulerServer(string existingDatabase) : base(existingDatabase) { }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Reports:SchedulerIdleWaitMilliseconds"] = "1000",
        ["LuuTru:Reports:ClusterCheckinIntervalMilliseconds"] = "1000",
    };

    public async Task<DateTimeOffset> NextFiringAsync(TriggerKey key)
    {
        var scheduler = (await Services.GetRequiredService<ISchedulerFactory>().GetAllSchedulers()).Single(s => s.SchedulerName == ReportScheduling.SchedulerName);
        return (await scheduler.GetTrigger(key))!.NextFireTimeUtc!.Value;
    }

    /// <summary>Whether the report job is running anywhere in the cluster: the job disallows concurrent runs, so while
    /// it runs its triggers are BLOCKED in the shared store.</summary>
    public async Task<bool> ReportJobRunningAsync()
    {
        var scheduler = (await Services.GetRequiredService<ISchedulerFactory>().GetAllSchedulers()).Single(s => s.SchedulerName == ReportScheduling.SchedulerName);
        return await scheduler.GetTriggerState(ReportScheduling.Nightly) == TriggerState.Blocked;
    }
}

/// <summary>Another server process of the same cluster: same database, same Redis.</summary>
public sealed class ClusterPeer(string database) : SchedulerServer(database);

public sealed class SchedulerTests(SchedulerServer server) : IClassFixture<SchedulerServer>
{
    private Task<List<Server.Storage.CommuneReport>> ReportsAsync(DateOnly day, string kind) =>
        server.WithDbAsync(db => db.Reports.AsNoTracking().Where(r => r.Day == day && r.Kind == kind).ToListAsync());

    private Task<List<Server.Storage.CommuneReport>> WaitForReportsAsync(DateOnly day, string kind, int count) =>
        Eventually.UntilAsync(() => ReportsAsync(day, kind), r => r.Count >= count, TimeSpan.FromSeconds(20), 200);

    [Fact]
    public async Task Nothing_fires_at_22_59_59_and_at_23_00_every_commune_with_activity_or_establishments_gets_its_report_once()
    {
        var fire = await server.NextFiringAsync(ReportScheduling.Nightly);
        Assert.Equal(new TimeOnly(23, 0), TimeOnly.FromDateTime(fire.ToOffset(VnOffset).DateTime)); // Vietnam time, whatever the machine's zone
        var day = DateOnly.FromDateTime(fire.ToOffset(VnOffset).DateTime);

        server.Clock.Set(fire.AddHours(-2));
        using var busy = await Stays.HotelClientAsync(server, "00004");
        await server.CreateEstablishmentAsync("00008", name: "Nhà nghỉ Chưa Báo");
        var receipt = (await (await busy.SendAsync(Stays.Post(Stays.One(fire.AddHours(-3), "001090030120"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(busy, receipt.Id);

        // A peer process on the same store: the firing must still run once.
        await using var peer = new ClusterPeer(server.DatabaseName);
        peer.Clock.Set(fire.AddHours(-2));
        await ((IAsyncLifetime)peer).InitializeAsync();

        server.Clock.Set(fire.AddSeconds(-1));
        peer.Clock.Set(fire.AddSeconds(-1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await ReportsAsync(day, ReportKinds.Nightly));

        server.Clock.Set(fire);
        peer.Clock.Set(fire);
        await WaitForReportsAsync(day, ReportKinds.Nightly, 2); // the other tests' establishments may add communes
        // The sentinel for "once": the trigger has moved on in the shared store (no process can acquire this firing any
        // more) and no process of the cluster is still running the job (none can still be writing a second build).
        Assert.True(await Eventually.UntilAsync(async () => await server.NextFiringAsync(ReportScheduling.Nightly) != fire
            && !await server.ReportJobRunningAsync(), settled => settled, TimeSpan.FromSeconds(20), 100));
        var reports = await ReportsAsync(day, ReportKinds.Nightly);
        Assert.Contains(reports, r => r.CommuneCode == "00004");
        Assert.Contains(reports, r => r.CommuneCode == "00008");
        Assert.All(reports, r => Assert.Equal((1, "scheduler"), (r.Version, r.BuiltBy))); // once, though two schedulers ran
        Assert.Equal(1, reports.Single(r => r.CommuneCode == "00004").Notifications);
        Assert.Equal(0, reports.Single(r => r.CommuneCode == "00008").Notifications);
        Assert.NotEqual(fire, await server.NextFiringAsync(ReportScheduling.Nightly)); // moved on to the next evening
    }

    [Fact]
    public async Task A_morning_firing_missed_while_no_server_ran_is_built_as_soon_as_one_starts()
    {
        var due = await server.NextFiringAsync(ReportScheduling.Morning);
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(due.ToOffset(VnOffset).DateTime));
        var day = DateOnly.FromDateTime(due.ToOffset(VnOffset).DateTime).AddDays(-1); // the 08:00 follow-up is of the day before
        server.Clock.Set(due.AddDays(-3)); // the running server stays before the firing: it never fires it
        await server.CreateEstablishmentAsync("00025", name: "Khách sạn Sáng Sớm");

        // A server that starts two hours late finds the firing missed and runs it once, for the day it was due.
        await using var late = new ClusterPeer(server.DatabaseName);
        late.Clock.Set(due.AddHours(2));
        await ((IAsyncLifetime)late).InitializeAsync();
        // The late process's misfire handling runs the firing once, for the day it was due (bounded wait, generous: on two
        // busy cores a fresh clustered scheduler may take a while to get to it).
        var reports = await Eventually.UntilAsync(() => ReportsAsync(day, ReportKinds.Morning), r => r.Any(x => x.CommuneCode == "00025"),
            TimeSpan.FromSeconds(60), 200);
        Assert.Contains(reports, r => r.CommuneCode == "00025" && r.BuiltBy == "scheduler");
    }

    [Theory]
    [InlineData("2026-11-21T23:00:00+07:00", "nightly", "2026-11-21")]
    [InlineData("2026-11-22T01:30:00+07:00", "nightly", "2026-11-21")] // missed, run after midnight
    [InlineData("2026-11-22T08:00:00+07:00", "morning", "2026-11-21")]
    [InlineData("2026-11-22T07:59:00+07:00", "morning", "2026-11-20")]
    [InlineData("2026-11-21T16:00:00+00:00", "nightly", "2026-11-21")] // the same instant in UTC
    public void The_report_day_of_a_firing_is_counted_in_Vietnam_time(string firing, string kind, string day) =>
        Assert.Equal(DateOnly.Parse(day), ReportJob.DayFor(DateTimeOffset.Parse(firing), kind));
}
