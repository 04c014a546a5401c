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
/// counting what happened; labels carry no personal data; only the networks allowed may read it.</summary>
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
        Assert.DoesNotContain("Trần Văn Đếm", after);
        Assert.DoesNotContain("001090088801", after);
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
