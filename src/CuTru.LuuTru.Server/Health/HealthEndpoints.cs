using System.Text.Json;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Health;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: PostgreSQL and Redis answer too.
/// Mapped in every environment: orchestrators and load balancers need them in production most of all.</summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddLuuTruHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseProbe>());
        // One dependency down is Degraded (200: the server still takes notifications); both down is Unhealthy (503).
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", failureStatus: HealthStatus.Degraded, tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<IntakeModeHealthCheck>("intake", tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<DeadLetterHealthCheck>("dead-letters", failureStatus: HealthStatus.Degraded, tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapLuuTruHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write }).AllowAnonymous();
        return app;
    }

    private static readonly JsonSerializerOptions Json = LuuTruJson.CreateOptions();

    private static Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        var dto = new HealthReportDto(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntryDto(e.Value.Status.ToString(), e.Value.Description, e.Value.Duration.TotalMilliseconds)));
        return http.Response.WriteAsync(JsonSerializer.Serialize(dto, Json));
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("select 1");
            await cmd.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL does not answer");
        }
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var rtt = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answers ({rtt.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer");
        }
    }
}

/// <summary>Which way notifications go right now: normal, direct-to-postgresql, buffering-in-redis, or unavailable.</summary>
internal sealed class IntakeModeHealthCheck(DatabaseProbe probe, IConnectionMultiplexer redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var mode = IntakeMode.Of(probe.Available, IntakeMode.RedisUp(redis));
        return Task.FromResult(mode switch
        {
            "normal" => HealthCheckResult.Healthy(mode),
            "unavailable" => HealthCheckResult.Unhealthy(mode),
            _ => HealthCheckResult.Degraded(mode),
        });
    }
}

/// <summary>The alert for entries the drain could not store: degraded while any waits for an admin (replay or drop).</summary>
internal sealed class DeadLetterHealthCheck(IConnectionMultiplexer redis, Intake.IntakeBuffer buffer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var waiting = await redis.GetDatabase().StreamLengthAsync(buffer.DeadLetterKey);
            return waiting == 0
                ? HealthCheckResult.Healthy("none")
                : HealthCheckResult.Degraded($"{waiting} intake entries could not be stored: see GET /api/v1/admin/dead-letters");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Healthy("not checked: Redis unavailable");
        }
    }
}
