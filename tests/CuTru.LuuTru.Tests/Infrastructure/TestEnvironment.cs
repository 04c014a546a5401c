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

    /// <summary>A PostgreSQL of its own that outage tests stop and start (scripts/infra.sh, profile chaos).</summary>
    public static string ChaosPostgresConnectionString =>
        Environment.GetEnvironmentVariable("LUUTRU_CHAOS_PG")
        ?? throw new InvalidOperationException("LUUTRU_CHAOS_PG is not set: run the tests with `make test`.");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CuTru.LuuTru.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>Runs scripts/infra.sh with the given arguments and waits for it.</summary>
    public static async Task InfraAsync(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("scripts/infra.sh");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"infra.sh {string.Join(' ', args)} failed: {await err}");
    }

    private static NpgsqlConnection AdminConnection(string? server = null)
    {
        var csb = new NpgsqlConnectionStringBuilder(server ?? PostgresConnectionString) { Database = "postgres", Pooling = false };
        return new NpgsqlConnection(csb.ConnectionString);
    }

    public static async Task CreateDatabaseAsync(string name, string? server = null)
    {
        await using var conn = AdminConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"create database \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string name, string? server = null)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = AdminConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
