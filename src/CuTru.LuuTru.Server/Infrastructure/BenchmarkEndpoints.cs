using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>The yardstick of `make bench`: the same server, the same JSON, nothing else. Mapped only when
/// LuuTru:Benchmark:Enabled is true.</summary>
public static class BenchmarkEndpoints
{
    public static void MapBenchmark(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<BenchmarkOptions>>().Value.Enabled) return;
        app.MapPost("/bench/bare", Bare).AllowAnonymous().ExcludeFromDescription();
    }

    private static Accepted<NotificationReceiptDto> Bare(NotificationRequest request) =>
        TypedResults.Accepted((string?)null, new NotificationReceiptDto(Guid.Empty, "00000-000000-0000", NotificationStatus.Accepted,
            request.Stay?.ArrivalAt ?? DateTimeOffset.UnixEpoch, false, []));
}
