using System.Diagnostics.Metrics;
using System.Net;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>LuuTru:Logging: how the hub writes its log (never with personal data: names and document numbers stay out).</summary>
public sealed class LoggingOptions
{
    public const string Section = "LuuTru:Logging";
    /// <summary>One JSON object per line on standard output (for a log collector), instead of text.</summary>
    public bool Json { get; set; }

    public static void Apply(WebApplicationBuilder builder)
    {
        var o = new LoggingOptions();
        builder.Configuration.GetSection(Section).Bind(o);
        if (o.Json) builder.Logging.ClearProviders().AddJsonConsole(j => { j.UseUtcTimestamp = true; j.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
    }
}

/// <summary>LuuTru:Metrics: what the hub says of itself (OpenTelemetry).</summary>
public sealed class MetricsOptions
{
    public const string Section = "LuuTru:Metrics";
    /// <summary>Serve <c>/metrics</c> (Prometheus text) in every process.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Who may read <c>/metrics</c> (CIDR); anyone else gets 404. None set: this machine only (127.0.0.0/8, ::1).</summary>
    public string[] AllowedNetworks { get; set; } = [];
    /// <summary>Send traces over OTLP to this endpoint (e.g. <c>http://127.0.0.1:4317</c>); none: no traces.</summary>
    public string? OtlpEndpoint { get; set; }
    /// <summary>How often the gauges read from Redis and PostgreSQL (buffer, drain lag, dead letters, relay states) are read.</summary>
    public int SampleSeconds { get; set; } = 10;
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions o) =>
        o.AllowedNetworks.FirstOrDefault(n => !IPNetwork.TryParse(n, out _)) is { } bad
            ? ValidateOptionsResult.Fail($"LuuTru:Metrics:AllowedNetworks: '{bad}' is not a network (CIDR, e.g. 10.0.0.0/8).")
            : o.OtlpEndpoint is { Length: > 0 } e && !Uri.TryCreate(e, UriKind.Absolute, out _)
                ? ValidateOptionsResult.Fail($"LuuTru:Metrics:OtlpEndpoint: '{e}' is not a URL.")
                : o.SampleSeconds < 1 ? ValidateOptionsResult.Fail("LuuTru:Metrics:SampleSeconds must be at least 1.")
                : ValidateOptionsResult.Success;
}

/// <summary>The hub's own instruments (meter <c>CuTru.LuuTru</c>), beside ASP.NET Core's and the runtime's. Labels never
/// carry personal data: channels, kinds, states, province codes.</summary>
public sealed class LuuTruMetrics : IDisposable
{
    public const string MeterName = "CuTru.LuuTru";
    private readonly Meter _meter = new(MeterName);

    public Counter<long> Accepted { get; }
    public Counter<long> Rejected { get; }
    public Counter<long> Receipts { get; }
    public Counter<long> DrainRows { get; }
    public Counter<long> DeadLettered { get; }
    public Counter<long> EventsPushed { get; }
    public Counter<long> RateLimited { get; }
    public UpDownCounter<long> HubConnections { get; }
    public Histogram<double> ReportBuildSeconds { get; }
    public Histogram<long> ReportNotifications { get; }

    /// <summary>What the sampler last read (the gauges report it).</summary>
    public volatile Sample Last = new(0, 0, 0, 0, new Dictionary<string, long>(), 2, 0);

    /// <param name="Health">The readiness checks: 2 healthy, 1 degraded, 0 unhealthy.</param>
    /// <param name="NightlyBuiltToday">1 once today's (Vietnam) 23:00 report exists for a commune, else 0.</param>
    public sealed record Sample(long BufferLength, long Pending, double OldestPendingSeconds, long DeadLetters, IReadOnlyDictionary<string, long> RelayStates,
        int Health, int NightlyBuiltToday);

    public LuuTruMetrics()
    {
        Accepted = _meter.CreateCounter<long>("luutru.notifications.accepted", description: "Notifications answered with a receipt, by channel");
        Rejected = _meter.CreateCounter<long>("luutru.notifications.rejected", description: "Notifications refused by the rules, by channel");
        Receipts = _meter.CreateCounter<long>("luutru.receipts.issued", description: "Receipt numbers issued");
        DrainRows = _meter.CreateCounter<long>("luutru.drain.rows", description: "Notifications the drain stored in PostgreSQL");
        DeadLettered = _meter.CreateCounter<long>("luutru.drain.dead_lettered", description: "Buffer entries set aside after their last attempt");
        EventsPushed = _meter.CreateCounter<long>("luutru.live.events_pushed", description: "Events pushed to dashboards, by kind");
        RateLimited = _meter.CreateCounter<long>("luutru.rate_limit.rejections", description: "Requests refused by a rate limit, by limit");
        HubConnections = _meter.CreateUpDownCounter<long>("luutru.live.connections", description: "Dashboards connected to this process, by province");
        ReportBuildSeconds = _meter.CreateHistogram<double>("luutru.reports.build_seconds", "s", "Time to build a report run");
        ReportNotifications = _meter.CreateHistogram<long>("luutru.reports.notifications", description: "Notifications a report run covered");
        _meter.CreateObservableGauge("luutru.buffer.length", () => Last.BufferLength, description: "Entries in the intake stream");
        _meter.CreateObservableGauge("luutru.buffer.pending", () => Last.Pending, description: "Entries read by a drain and not yet acknowledged");
        _meter.CreateObservableGauge("luutru.drain.lag_seconds", () => Last.OldestPendingSeconds, "s", "Age of the oldest entry waiting to be stored");
        _meter.CreateObservableGauge("luutru.drain.dead_letters", () => Last.DeadLetters, description: "Entries waiting in the dead-letter stream");
        _meter.CreateObservableGauge("luutru.relay.guests", () => Last.RelayStates.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            description: "Guests' filings with the national system, by state");
        _meter.CreateObservableGauge("luutru.health.status", () => Last.Health, description: "The readiness checks: 2 healthy, 1 degraded, 0 unhealthy");
        _meter.CreateObservableGauge("luutru.reports.nightly_built_today", () => Last.NightlyBuiltToday,
            description: "1 once today's (Vietnam) 23:00 report is built, else 0");
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Reads the gauges' values every LuuTru:Metrics:SampleSeconds (never on a scrape: a slow Redis must not hang it).</summary>
public sealed class MetricsSampler(LuuTruMetrics metrics, IConnectionMultiplexer redis, Intake.IntakeBuffer buffer, IServiceScopeFactory scopes,
    Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService health, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<MetricsSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        while (!ct.IsCancellationRequested)
        {
            try { metrics.Last = await ReadAsync(ct); }
            catch (Exception e) when (!ct.IsCancellationRequested) { logger.LogDebug("Metrics sample failed: {Error}", e.GetType().Name); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.Value.SampleSeconds), ct); } catch (OperationCanceledException) { }
        }
    }

    public async Task<LuuTruMetrics.Sample> ReadAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var length = await db.StreamLengthAsync(buffer.StreamKey);
        var dead = await db.StreamLengthAsync(buffer.DeadLetterKey);
        long pending = 0;
        double oldest = 0;
        try
        {
            var info = await db.StreamPendingAsync(buffer.StreamKey, Intake.IntakeBuffer.ConsumerGroup);
            pending = info.PendingMessageCount;
            // A stream id starts with its time in milliseconds: the oldest unacknowledged entry's age.
            if (pending > 0 && long.TryParse(((string?)info.LowestPendingMessageId)?.Split('-')[0], out var ms))
                oldest = Math.Max(0, (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds);
        }
        catch (RedisServerException) { /* no group yet: nothing read */ }
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
        var states = await store.KbttRelay.GroupBy(r => r.State).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var today = Contracts.VietnamTime.DayOf(clock.GetUtcNow());
        var built = await store.Reports.AnyAsync(r => r.Day == today && r.Kind == Reports.ReportKinds.Nightly, ct) ? 1 : 0;
        var ready = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        var status = ready.Status switch
        {
            Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy => 2,
            Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded => 1,
            _ => 0,
        };
        return new LuuTruMetrics.Sample(length, pending, oldest, dead, states.ToDictionary(s => WireEnum.Name(s.Key), s => s.Count), status, built);
    }
}

public static class MetricsRegistration
{
    public static IServiceCollection AddLuuTruMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<LuuTruMetrics>();
        services.AddHostedService<MetricsSampler>();
        var o = new MetricsOptions();
        configuration.GetSection(MetricsOptions.Section).Bind(o);
        var telemetry = services.AddOpenTelemetry();
        if (o.Enabled)
            telemetry.WithMetrics(m => m.AddMeter(LuuTruMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter());
        if (o.OtlpEndpoint is { Length: > 0 } endpoint)
            telemetry.WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter(e => e.Endpoint = new Uri(endpoint)));
        return services;
    }

    /// <summary><c>/metrics</c> for the networks allowed (anyone else: 404, as if there were none).</summary>
    public static void MapLuuTruMetrics(this WebApplication app)
    {
        var o = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!o.Enabled) return;
        var allowed = (o.AllowedNetworks.Length > 0 ? o.AllowedNetworks : ["127.0.0.0/8", "::1/128"]).Select(n => IPNetwork.Parse(n)).ToList();
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/metrics"), branch => branch.Use(async (ctx, next) =>
        {
            var address = ctx.Connection.RemoteIpAddress;
            if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
            if (address is null || !allowed.Any(n => n.Contains(address))) { ctx.Response.StatusCode = StatusCodes.Status404NotFound; return; }
            await next(ctx);
        }));
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
