using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Accounts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Demo;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.ReferenceData;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CuTru.LuuTru.Server.Storage;

/// <summary>Runs before the server takes requests: applies migrations, loads the reference data, creates the
/// bootstrap admin and (for `make run`) the demo data. Several processes starting at once take turns through a
/// PostgreSQL advisory lock. A database that cannot be reached stops the start with a one-line message.</summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> dbOptions,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private const long AdvisoryLockKey = 0x4C75755472750001; // "LuuTru" + 1

    public async Task StartAsync(CancellationToken ct)
    {
        NpgsqlConnection lockConnection;
        try
        {
            lockConnection = await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            var csb = new NpgsqlConnectionStringBuilder(dbOptions.Value.ConnectionString);
            throw new StartupException(
                $"cannot connect to PostgreSQL at {csb.Host}:{csb.Port} database '{csb.Database}' named by LuuTru:Database:ConnectionString: {e.Message}");
        }

        await using (lockConnection)
        {
            await using (var cmd = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey})", lockConnection))
                await cmd.ExecuteNonQueryAsync(ct);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
                if (dbOptions.Value.MigrateOnStart)
                {
                    var strategy = db.Database.CreateExecutionStrategy();
                    await strategy.ExecuteAsync(async () =>
                    {
                        // Create the history table up front, so a first start does not log a failed query looking for it.
                        var history = db.GetService<IHistoryRepository>();
                        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
                        await db.Database.MigrateAsync(ct);
                    });
                }
                await Partitions.EnsureAheadAsync(dataSource, clock.GetUtcNow(), logger, ct); // this month's and the next ones'
                await scope.ServiceProvider.GetRequiredService<ReferenceDataSeeder>().SeedAsync(ct);
                var demo = scope.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value;
                if (demo.Enabled) await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct);
                await BootstrapAdminAsync(scope.ServiceProvider, ct);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({AdvisoryLockKey})", lockConnection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task BootstrapAdminAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<LuuTruDb>();
        if (await db.Users.AnyAsync(u => u.Role == Role.Admin, ct)) return;
        var o = services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        if (string.IsNullOrWhiteSpace(o.AdminEmail) || string.IsNullOrEmpty(o.AdminPassword))
        {
            logger.LogWarning("No admin exists yet: set LuuTru__Bootstrap__AdminEmail and LuuTru__Bootstrap__AdminPassword to create the first one on start");
            return;
        }
        var email = EmailAddress.Normalize(o.AdminEmail);
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
        {
            logger.LogWarning("No admin exists, but the bootstrap admin's email is already used by another account: no admin was created");
            return;
        }
        var admin = new User
        {
            Id = Guid.CreateVersion7(), Email = email, DisplayName = "Quản trị hệ thống", PasswordHash = "", Role = Role.Admin,
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        admin.PasswordHash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(admin, o.AdminPassword);
        db.Users.Add(admin);
        services.GetRequiredService<AuditWriter>().Record("system", null, "user.bootstrap-admin", "user", admin.Id.ToString(), null, null, null);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Created the bootstrap admin from LuuTru:Bootstrap (user {UserId})", admin.Id);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A start-up failure the operator must fix; Program prints its message as one line and exits.</summary>
public sealed class StartupException(string message) : Exception(message);
