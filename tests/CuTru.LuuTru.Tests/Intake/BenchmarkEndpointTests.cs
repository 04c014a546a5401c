using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>A server in benchmark mode, as `make bench` runs it.</summary>
public sealed class BenchmarkModeServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Benchmark:Enabled"] = "true" };
}

public sealed class BenchmarkEndpointsOffTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Theory]
    [InlineData("/bench/bare")]
    [InlineData("/bench/append")]
    public async Task A_normal_server_has_no_benchmark_endpoints(string path)
    {
        using var anonymous = server.Anonymous();
        var response = await anonymous.PostAsJsonAsync(path, Stays.One(Vn("2026-11-18T09:00")), LuuTruServerFactory.Json);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class BenchmarkEndpointsTests(BenchmarkModeServer server) : IClassFixture<BenchmarkModeServer>
{
    [Fact]
    public async Task The_append_yardstick_answers_202_only_with_its_entry_in_redis()
    {
        using var anonymous = server.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/bench/append", Stays.One(Vn("2026-11-18T09:00")), LuuTruServerFactory.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;

        var key = BenchmarkEndpoints.AppendStreamKey(server.Services.GetRequiredService<IOptions<RedisOptions>>().Value);
        var entries = await server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().StreamRangeAsync(key);
        var entry = Assert.Single(entries, e => e["id"] == receipt.Id.ToString());
        Assert.Contains("Trần Văn Khách", entry["n"].ToString());
    }
}
