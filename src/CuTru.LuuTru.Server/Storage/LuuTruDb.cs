using CuTru.LuuTru.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Storage;

public sealed class LuuTruDb(DbContextOptions<LuuTruDb> options) : DbContext(options)
{
    public DbSet<Province> Provinces => Set<Province>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<LegacyProvince> LegacyProvinces => Set<LegacyProvince>();
    public DbSet<Establishment> Establishments => Set<Establishment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserCommune> UserCommunes => Set<UserCommune>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        // pg_trgm makes the diacritic-free "contains" searches use an index instead of scanning.
        b.HasPostgresExtension("pg_trgm");

        b.Entity<Province>(e =>
        {
            e.ToTable("provinces");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(2);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Type).HasMaxLength(20);
            e.Property(x => x.SearchKey).HasMaxLength(100);
        });

        b.Entity<Commune>(e =>
        {
            e.ToTable("communes");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(5);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Type).HasMaxLength(20);
            e.Property(x => x.SearchKey).HasMaxLength(100);
            e.HasOne(x => x.Province).WithMany(p => p.Communes).HasForeignKey(x => x.ProvinceCode).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.ProvinceCode);
            e.HasIndex(x => x.SearchKey).HasMethod("gin").HasOperators("gin_trgm_ops");
        });

        b.Entity<LegacyProvince>(e =>
        {
            e.ToTable("legacy_provinces");
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(2);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasOne<Province>().WithMany().HasForeignKey(x => x.NewProvinceCode).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<Establishment>(e =>
        {
            e.ToTable("establishments");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.SearchKey).HasMaxLength(200);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Address).HasMaxLength(300);
            e.Property(x => x.ManagerName).HasMaxLength(100);
            e.Property(x => x.Phone).HasMaxLength(20);
            e.Property(x => x.BusinessRegistrationNumber).HasMaxLength(30);
            e.Property(x => x.SuspensionReason).HasMaxLength(500);
            e.Property(x => x.ProvinceCode).HasMaxLength(2);
            e.HasOne(x => x.Commune).WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.MainEstablishmentId).OnDelete(DeleteBehavior.Restrict);
            // The commune dashboard lists a commune's establishments; supervisors list a province's.
            e.HasIndex(x => new { x.CommuneCode, x.Status });
            e.HasIndex(x => new { x.ProvinceCode, x.Status });
        });

        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Prefix).HasMaxLength(8);
            e.HasIndex(x => x.Prefix).IsUnique();
            e.Property(x => x.SecretHash).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasOne(x => x.Establishment).WithMany(x => x.ApiKeys).HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.Property(x => x.Email).HasMaxLength(254);
            e.HasIndex(x => x.Email).IsUnique();
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.ProvinceCode).HasMaxLength(2);
            e.HasOne<Province>().WithMany().HasForeignKey(x => x.ProvinceCode).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Communes).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.Role);
        });

        b.Entity<UserCommune>(e =>
        {
            e.ToTable("user_communes");
            e.HasKey(x => new { x.UserId, x.CommuneCode });
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.CommuneCode);
        });

        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.ActorKind).HasMaxLength(20);
            e.Property(x => x.ActorId).HasMaxLength(64);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.EntityType).HasMaxLength(64);
            e.Property(x => x.EntityId).HasMaxLength(64);
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.Property(x => x.Details).HasColumnType("jsonb");
            e.Property(x => x.RemoteAddress).HasMaxLength(64);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.EntityType, x.EntityId });
            e.HasIndex(x => new { x.CommuneCode, x.At });
        });
    }
}
