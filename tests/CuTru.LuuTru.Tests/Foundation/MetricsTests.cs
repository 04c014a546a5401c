using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>A server whose /metrics only a far network may read.</summary>
public sealed class ClosedMetricsServerFactory : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Metrics:AllowedNetworks:0"] = "10.0.0.0/8" };
}

/// <summary>/metrics (issue 19): Prometheus text with the hub's own instruments beside ASP.NET Core's and the runtime's,
/// counting what happened; labels carry no personal data; only the networks allowed may read it. Alone: a meter is
/// known by its name in the whole test process, so another test server's counts would show in this one's.</summary>
[Collection(CuTru.LuuTru.Tests.Reports.RunsAlone.Name)]
public sealed class MetricsTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    /// <summary>The sum of a metric's series (those with <paramref name="label"/> among their labels, when given).</summary>
    private static double Value(string text, string metric, string? label = null) =>
        text.Split('\n').Where(l => (l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
                && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Select(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Sum();

    [Fact]
    public async Task Metrics_count_accepted_and_rejected_notifications_by_channel_and_the_drains_rows()
    {
        server.Clock.Set(TestTime.Vn("2026-11-20T15:00"));
        using var client = server.Anonymous();
        var before = await client.GetStringAsync("/metrics");
        using var hotel = await Stays.HotelClientAsync(server);
        var sent = await hotel.SendAsync(Stays.Post(Stays.One(TestTime.Vn("2026-11-20T14:00"), "001090088801", "Trần Văn Đếm"), null));
        await Expect.Status(sent, HttpStatusCode.Accepted);
        await IntakeTests.WaitRecordedAsync(hotel, (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
        var refused = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(TestTime.Vn("2026-11-20T14:00"), "12"), LuuTruServerFactory.Json);
        await Expect.Status(refused, HttpStatusCode.BadRequest);

        var after = await Eventually.UntilAsync(() => client.GetStringAsync("/metrics"),
            t => Value(t, "luutru_drain_rows_total") > Value(before, "luutru_drain_rows_total"), TimeSpan.FromSeconds(20));
        const string api = "channel=\"api\"";
        Assert.Equal(1, Value(after, "luutru_notifications_accepted_total", api) - Value(before, "luutru_notifications_accepted_total", api));
        Assert.Equal(1, Value(after, "luutru_notifications_rejected_total", api) - Value(before, "luutru_notifications_rejected_total", api));
        Assert.True(Value(after, "luutru_receipts_issued_total") >= 1);
        Assert.Contains("http_server_request_duration_seconds", after); // ASP.NET Core's own
        Assert.Contains("dotnet_gc_", after);                           // the runtime's
        Assert.Contains("luutru_buffer_length", after);
        Assert.Contains("luutru_drain_lag_seconds", after); // the names deploy/prometheus/alerts.yaml watches
        Assert.Contains("luutru_health_status", after);
        Assert.Contains("luutru_reports_nightly_built_today", after);
        Assert.DoesNotContain("Trần Văn Đếm", after);
        Assert.DoesNotContain("001090088801", after);
    }
}

/// <summary>deploy/prometheus/alerts.yaml and deploy/grafana/luutru.json name only metrics the hub has.</summary>
public sealed class DeployedMetricsTests
{
    [Fact]
    public void The_alerts_and_the_dashboard_use_only_metrics_the_hub_exports()
    {
        // The hub's instruments, named as the Prometheus exporter names them.
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var metrics = new CuTru.LuuTru.Server.Infrastructure.LuuTruMetrics())
        using (var listener = new System.Diagnostics.Metrics.MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name != CuTru.LuuTru.Server.Infrastructure.LuuTruMetrics.MeterName) return;
                var name = instrument.Name.Replace('.', '_');
                if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal)) name += "_seconds";
                names.Add(instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) ? name + "_total" : name);
            };
            listener.Start();
        }
        Assert.Contains("luutru_notifications_accepted_total", names);
        var root = TestEnvironment.RepositoryRoot;
        var used = new[] { "deploy/prometheus/alerts.yaml", "deploy/grafana/luutru.json" }
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, f)), @"luutru_[a-z_]+").Select(m => m.Value))
            .Select(n => System.Text.RegularExpressions.Regex.Replace(n, "_(bucket|sum|count)$", "")).Distinct().ToList();
        Assert.True(used.Count >= 10, "the deploy files should watch the hub's metrics");
        var unknown = used.Where(n => !names.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, "not exported by the hub: " + string.Join(", ", unknown));
    }
}

public sealed class ClosedMetricsTests(ClosedMetricsServerFactory server) : IClassFixture<ClosedMetricsServerFactory>
{
    [Fact]
    public async Task Metrics_are_not_there_for_an_address_outside_the_allowed_networks()
    {
        using var client = server.Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
