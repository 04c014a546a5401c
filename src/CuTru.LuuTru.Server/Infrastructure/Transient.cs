using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>The whole application's one answer to "is this failure PostgreSQL or Redis being unreachable?": a pause to
/// wait out or to answer 503 with Retry-After, never a verdict on the data (a constraint, a bad value).</summary>
public static class Transient
{
    public static bool Is(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException => false,
        DbUpdateException { InnerException: { } inner } => Is(inner),
        RedisException or TimeoutException or System.Net.Sockets.SocketException => true,
        // EF Core's execution strategy gave up retrying what it judged transient.
        RetryLimitExceededException => true,
        InvalidOperationException { InnerException: { } inner } => Is(inner),
        _ => false,
    };
}
