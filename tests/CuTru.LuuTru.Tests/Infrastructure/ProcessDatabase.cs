using Npgsql;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>A database of its own for a test class that runs the built server as processes (<see cref="ServerProcess"/>):
/// made and dropped with the class, and the settings every such process needs (its database, the test Redis under a
/// key prefix of its own, a signing key, the demo data, warnings only in its log), to which a test adds its own.</summary>
public sealed class ProcessDatabase(string purpose)
{
    public string Name { get; } = $"luutru_{purpose}_" + Guid.NewGuid().ToString("N")[..10];

    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString) { Database = Name }.ConnectionString;

    public Task CreateAsync() => TestEnvironment.CreateDatabaseAsync(Name);
    public Task DropAsync() => TestEnvironment.DropDatabaseAsync(Name);

    /// <summary>The environment of a server process on this database, with <paramref name="more"/> set over it.</summary>
    public Dictionary<string, string> Environment(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["LuuTru__Database__ConnectionString"] = ConnectionString,
            ["LuuTru__Redis__ConnectionString"] = TestEnvironment.RedisConnectionString,
            ["LuuTru__Redis__KeyPrefix"] = $"{purpose}:{Name}:",
            ["LuuTru__Auth__SigningKey"] = $"{purpose}-test-signing-key-0123456789-abcdefghijklmnop",
            ["LuuTru__Demo__Enabled"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in more) env[key] = value;
        return env;
    }

    /// <summary>One value from this database (a count, a state); default when there is none.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
