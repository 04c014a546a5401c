using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CuTru.LuuTru.Server.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the server (make migration NAME=...).</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<LuuTruDb>
{
    public LuuTruDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<LuuTruDb>()
        .UseNpgsql("Host=127.0.0.1;Database=design_time", o => o.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options);
}
