using Npgsql;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>Where the real PostgreSQL and Redis of `make test` are (scripts/infra.sh env test).</summary>
public static class TestEnvironment
{
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("LuuTru__Database__ConnectionString")
        ?? throw new InvalidOperationException("LuuTru__Database__ConnectionString is not set: run the tests with `make test`, which starts PostgreSQL and Redis.");

    public static string RedisConnectionString =>
        Environment.GetEnvironmentVariable("LuuTru__Redis__ConnectionString")
        ?? throw new InvalidOperationException("LuuTru__Redis__ConnectionString is not set: run the tests with `make test`.");

    public static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("LUUTRU_TEST_ARTIFACTS") ?? Path.Combine(Path.GetTempPath(), "luutru-test-artifacts");

    private static NpgsqlConnection AdminConnection()
    {
        var csb = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = "postgres", Pooling = false };
        return new NpgsqlConnection(csb.ConnectionString);
    }

    public static async Task CreateDatabaseAsync(string name)
    {
        await using var conn = AdminConnection();
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"create database \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = AdminConnection();
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
