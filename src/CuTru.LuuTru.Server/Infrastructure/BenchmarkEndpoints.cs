using System.Text.Json;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>The yardsticks of `make bench`: the same server and the same JSON, with nothing else (<c>/bench/bare</c>) or
/// with one XADD and nothing else (<c>/bench/append</c>, the lean prototype the intake's target was set against: no
/// key, no rules, no idempotency, no receipt, no drain). Mapped only when LuuTru:Benchmark:Enabled is true.</summary>
public static class BenchmarkEndpoints
{
    /// <summary>Entries kept in the append yardstick's stream (approximately): its memory stays bounded.</summary>
    public const int AppendStreamLength = 10_000;

    public static void MapBenchmark(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<BenchmarkOptions>>().Value.Enabled) return;
        var bench = app.MapGroup("/bench").AllowAnonymous().ExcludeFromDescription();
        bench.MapPost("/bare", Bare);
        bench.MapPost("/append", Append);
    }

    public static RedisKey AppendStreamKey(RedisOptions redis) => redis.KeyPrefix + "bench:append";

    private static Accepted<NotificationReceiptDto> Bare(NotificationRequest request) => TypedResults.Accepted((string?)null, Receipt(request, Guid.Empty));

    private static async Task<Accepted<NotificationReceiptDto>> Append(NotificationRequest request, IConnectionMultiplexer redis,
        IOptions<RedisOptions> redisOptions, IOptions<JsonOptions> json)
    {
        var id = Guid.CreateVersion7();
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, json.Value.SerializerOptions);
        await redis.GetDatabase().StreamAddAsync(AppendStreamKey(redisOptions.Value), [new("id", id.ToString()), new("n", payload)],
            maxLength: AppendStreamLength, useApproximateMaxLength: true);
        return TypedResults.Accepted((string?)null, Receipt(request, id));
    }

    private static NotificationReceiptDto Receipt(NotificationRequest request, Guid id) =>
        new(id, "00000-000000-0000", NotificationStatus.Accepted, request.Stay?.ArrivalAt ?? DateTimeOffset.UnixEpoch, false, []);
}
