using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The built server, started as an operator would start it, with one setting wrong.</summary>
public sealed class StartupTests
{
    private static Dictionary<string, string> ValidSettings() => new()
    {
        ["LuuTru__Database__ConnectionString"] = TestEnvironment.PostgresConnectionString,
        ["LuuTru__Redis__ConnectionString"] = TestEnvironment.RedisConnectionString,
        ["LuuTru__Auth__SigningKey"] = "test-signing-key-0123456789-abcdefghijklmnop",
    };

    [Theory]
    [InlineData("LuuTru__Database__ConnectionString", "", "LuuTru:Database:ConnectionString")]
    [InlineData("LuuTru__Database__ConnectionString", "Host=127.0.0.1;Nonsense Key=1", "LuuTru:Database:ConnectionString")]
    [InlineData("LuuTru__Database__ConnectionString", "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y;Timeout=3", "LuuTru:Database:ConnectionString")]
    [InlineData("LuuTru__Redis__ConnectionString", "", "LuuTru:Redis:ConnectionString")]
    [InlineData("LuuTru__Auth__SigningKey", "too-short", "LuuTru:Auth:SigningKey")]
    [InlineData("LuuTru__Bootstrap__AdminEmail", "admin@x.vn", "LuuTru:Bootstrap:AdminPassword")]
    [InlineData("LuuTru__Reports__ClusterCheckinIntervalMilliseconds", "5", "LuuTru:Reports:ClusterCheckinIntervalMilliseconds")]
    [InlineData("LuuTru__Roles", "api,web", "LuuTru:Roles")]
    [InlineData("LuuTru__Roles", "api,scheduler", "LuuTru:Roles")]
    public async Task A_missing_or_wrong_setting_stops_the_server_with_one_line_naming_it(string variable, string value, string named)
    {
        var settings = ValidSettings();
        settings[variable] = value;
        var (exitCode, stderr) = await ServerProcess.RunUntilExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, l => l.StartsWith("luutru: cannot start:", StringComparison.Ordinal));
        Assert.Contains(named, line);
    }
}

public sealed class ApiSurfaceTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task Ready_reports_postgres_and_redis_and_live_answers_without_them()
    {
        using var client = server.Anonymous();
        var ready = await client.GetAsync("/health/ready");
        await Expect.Status(ready, HttpStatusCode.OK);
        var report = (await ready.Content.ReadFromJsonAsync<HealthReportDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("Healthy", report.Status);
        Assert.Equal("Healthy", report.Checks["postgresql"].Status);
        Assert.Equal("Healthy", report.Checks["redis"].Status);

        await Expect.Status(await client.GetAsync("/health/live"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints_and_the_reference_page_is_served()
    {
        using var client = server.Anonymous();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/auth/login", "/api/v1/provinces", "/api/v1/communes", "/api/v1/users", "/api/v1/establishments",
                     "/api/v1/establishments/{id}/approve", "/api/v1/establishments/{id}/api-keys", "/api/v1/establishments/{id}/api-keys/{prefix}" })
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");

        var page = await client.GetAsync("/docs/");
        await Expect.Status(page, HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("scalar", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cdn.", html); // served from the server itself: works on a closed network
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_problem_details()
    {
        using var client = server.Anonymous();
        await Expect.Problem(await client.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await client.DeleteAsync("/api/v1/provinces"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }
}

/// <summary>A server whose Redis is unreachable: it still starts, serves, and says it is not ready.</summary>
public sealed class NoRedisServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Redis:ConnectionString"] = "127.0.0.1:1,connectTimeout=500",
    };
}

public sealed class DegradedHealthTests(NoRedisServer server) : IClassFixture<NoRedisServer>
{
    [Fact]
    public async Task Ready_stays_up_degraded_and_names_the_mode_when_redis_is_down()
    {
        using var client = server.Anonymous();
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // still takes notifications: keep it in the load balancer
        var report = (await ready.Content.ReadFromJsonAsync<HealthReportDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("Degraded", report.Status);
        Assert.Equal("Degraded", report.Checks["redis"].Status);
        Assert.Equal("Healthy", report.Checks["postgresql"].Status);
        Assert.Equal("direct-to-postgresql", report.Checks["intake"].Description);

        await Expect.Status(await client.GetAsync("/health/live"), HttpStatusCode.OK);
        await Expect.Status(await client.GetAsync("/api/v1/provinces"), HttpStatusCode.OK);
    }
}
