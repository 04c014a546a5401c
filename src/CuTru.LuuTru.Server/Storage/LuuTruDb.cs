using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Storage;

public sealed class LuuTruDb(DbContextOptions<LuuTruDb> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection's keys (what encrypts the relay's KBTT passwords), shared by every process.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<KbttLink> KbttLinks => Set<KbttLink>();
    public DbSet<KbttRelayItem> KbttRelay => Set<KbttRelayItem>();
    public DbSet<KbttRelayExchange> KbttRelayExchanges => Set<KbttRelayExchange>();
    public DbSet<Province> Provinces => Set<Province>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<LegacyProvince> LegacyProvinces => Set<LegacyProvince>();
    public DbSet<Establishment> Establishments => Set<Establishment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserCommune> UserCommunes => Set<UserCommune>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationGuest> NotificationGuests => Set<NotificationGuest>();
    public DbSet<ReceiptCounter> ReceiptCounters => Set<ReceiptCounter>();
    public DbSet<NotificationChange> NotificationChanges => Set<NotificationChange>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<CommuneEvent> CommuneEvents => Set<CommuneEvent>();
    public DbSet<CommuneEventCounter> CommuneEventCounters => Set<CommuneEventCounter>();
    public DbSet<WatchlistEntry> Watchlist => Set<WatchlistEntry>();
    public DbSet<WatchlistHit> WatchlistHits => Set<WatchlistHit>();
    public DbSet<CommuneReport> Reports => Set<CommuneReport>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        // pg_trgm makes the diacritic-free "contains" searches use an index instead of scanning.
        b.HasPostgresExtension("pg_trgm");

        b.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));
        b.Entity<KbttLink>(e =>
        {
            e.ToTable("kbtt_links");
            e.HasKey(x => x.EstablishmentId);
            e.Property(x => x.Username).HasMaxLength(100);
            e.Property(x => x.CsltId).HasMaxLength(50);
            e.Property(x => x.KbttProvinceCode).HasMaxLength(3);
            e.Property(x => x.KbttCommuneCode).HasMaxLength(9);
            e.Property(x => x.LinkedBy).HasMaxLength(100);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.HasOne<Establishment>().WithOne().HasForeignKey<KbttLink>(x => x.EstablishmentId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<KbttRelayItem>(e =>
        {
            e.ToTable("kbtt_relay");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Code).HasMaxLength(20);
            e.Property(x => x.Message).HasMaxLength(1000);
            // The worker's question: what is due, establishment by establishment.
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => new { x.NotificationId, x.GuestIndex });
        });
        b.Entity<KbttRelayExchange>(e =>
        {
            e.ToTable("kbtt_relay_exchanges");
            e.HasKey(x => x.Id);
            e.Property(x => x.Path).HasMaxLength(200);
            e.HasIndex(x => x.ItemId);
            e.HasIndex(x => x.At);
        });

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
            e.Property(x => x.RejectionReason).HasMaxLength(500);
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
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
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
    
        b.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            // Partitioned by Vietnam month of received_at (Storage/Partitions.cs): every key and unique index holds it.
            // The id alone stays unique (made by the hub, time-ordered); the receipt number holds its day.
            e.HasKey(x => new { x.Id, x.ReceivedAt });
            e.Property(x => x.ReceiptNumber).HasMaxLength(24);
            e.HasIndex(x => new { x.ReceiptNumber, x.ReceivedAt }).IsUnique();
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Reason).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.SubmittedBy).HasMaxLength(64);
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.Property(x => x.ProvinceCode).HasMaxLength(2);
            e.Property(x => x.Address).HasMaxLength(300);
            e.Property(x => x.ReasonDetail).HasMaxLength(200);
            e.Property(x => x.Room).HasMaxLength(20);
            e.Property(x => x.ExternalRef).HasMaxLength(100);
            e.Property(x => x.LawVersion).HasMaxLength(32);
            e.Property(x => x.Flags).HasColumnType("jsonb");
            e.Property(x => x.HostName).HasMaxLength(100);
            e.Property(x => x.HostPhone).HasMaxLength(20);
            e.Property(x => x.HostDocumentNumber).HasMaxLength(30);
            e.Property(x => x.CancelReason).HasMaxLength(500);
            e.Property(x => x.ReceivedBy).HasMaxLength(16);
            e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
            // The navigation EF Core needs; the database has no foreign key behind it (migration PartitionRegister): a foreign
            // key into a partitioned table made PostgreSQL check every guest row against the month's key, which doubled the
            // drain's cost of a row (DEVELOPERS.md). Guests are written only with their notification (one COPY transaction)
            // and deleted with it (RetentionPurge, a month's partition dropped with the notifications' month).
            e.HasMany(x => x.Guests).WithOne().HasForeignKey(x => new { x.NotificationId, x.ReceivedAt }).OnDelete(DeleteBehavior.Cascade);
            // A commune's day (dashboard, 23:00 report) and an establishment's own filings, both by time.
            e.HasIndex(x => new { x.CommuneCode, x.ArrivalAt });
            e.HasIndex(x => new { x.EstablishmentId, x.AcceptedAt });
            // Who is staying now, per commune: only stays not yet over, and only their departures.
            e.HasIndex(x => new { x.CommuneCode, x.DepartureAt }).HasFilter("status = 'Recorded'").HasDatabaseName("ix_notifications_staying");
            // The report windows: one range over what was received, for every commune at once or for one.
            e.HasIndex(x => x.ReceivedAt);
            e.HasIndex(x => new { x.CommuneCode, x.ReceivedAt });
        });

        b.Entity<NotificationChange>(e =>
        {
            e.ToTable("notification_changes");
            // Partitioned with its notification (received_at, Storage/Partitions.cs).
            e.HasKey(x => new { x.Id, x.ReceivedAt });
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.ActorKind).HasMaxLength(20);
            e.Property(x => x.ActorId).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Before).HasColumnType("jsonb");
            e.Property(x => x.After).HasColumnType("jsonb");
            // No foreign key to notifications (see the guests' below): the history is written with its notification's
            // change and deleted with it (RetentionPurge), a month of it dropped with the notifications' month.
            e.HasIndex(x => new { x.NotificationId, x.At });
            // A report lists the changes made in its window.
            e.HasIndex(x => x.At);
        });

        b.Entity<CommuneReport>(e =>
        {
            e.ToTable("commune_reports");
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.Property(x => x.Kind).HasMaxLength(10);
            e.Property(x => x.BuiltBy).HasMaxLength(300); // scheduler, or user: and the person's email
            // Text, compressed by PostgreSQL with lz4 (see the migration): a million-line night is stored in a second, not parsed as jsonb.
            e.Property(x => x.Content).HasColumnType("text");
            e.Property(x => x.Totals).HasColumnType("jsonb");
            // Keyed by (commune, day, kind): the latest version is the last of the index.
            e.HasIndex(x => new { x.CommuneCode, x.Day, x.Kind, x.Version }).IsUnique();
        });

        b.Entity<CommuneEvent>(e =>
        {
            e.ToTable("commune_events");
            // The primary key is the resume query's index: one commune, sequences after N, in order. Partitioned by month
            // of occurred_at (Storage/Partitions.cs), so the key holds it too (sequences are unique by their counter).
            e.HasKey(x => new { x.CommuneCode, x.Sequence, x.OccurredAt });
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.Property(x => x.Kind).HasMaxLength(20);
            // Text, not jsonb: only stored and given back whole (the hub wrote it); jsonb's parse on every insert cost
            // PostgreSQL 15-16 µs per notification against 9-11 (scripts/bench-copy.sh events events-text).
            e.Property(x => x.Payload).HasColumnType("text");
            e.HasIndex(x => x.OccurredAt);
        });

        b.Entity<CommuneEventCounter>(e =>
        {
            e.ToTable("commune_event_counters");
            e.HasKey(x => x.CommuneCode);
            e.Property(x => x.CommuneCode).HasMaxLength(5);
        });

        b.Entity<WatchlistEntry>(e =>
        {
            e.ToTable("watchlist");
            e.Property(x => x.DocumentNumber).HasMaxLength(30);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.ListedInCommune).HasMaxLength(5);
            // Active entries by document: the intake's lookup.
            e.HasIndex(x => x.DocumentNumber).HasFilter("removed_at is null");
        });

        b.Entity<WatchlistHit>(e =>
        {
            e.ToTable("watchlist_hits");
            e.Property(x => x.CommuneCode).HasMaxLength(5);
            e.HasIndex(x => new { x.WatchlistId, x.At });
            e.HasIndex(x => new { x.CommuneCode, x.At });
            e.HasIndex(x => new { x.NotificationId, x.GuestIndex, x.WatchlistId }).IsUnique();
            e.Property(x => x.AcknowledgementNote).HasMaxLength(500);
            e.HasIndex(x => new { x.CommuneCode, x.At }, "ix_watchlist_hits_open").HasFilter("acknowledged_at is null").HasDatabaseName("ix_watchlist_hits_open");
        });

        b.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_records");
            e.HasKey(x => new { x.Scope, x.Key });
            e.Property(x => x.Scope).HasMaxLength(100);
            e.Property(x => x.Key).HasMaxLength(100);
            e.Property(x => x.Answer).HasColumnType("jsonb");
            e.HasIndex(x => x.CreatedAt);
        });

        b.Entity<ReceiptCounter>(e =>
        {
            e.ToTable("receipt_counters");
            e.HasKey(x => new { x.CommuneCode, x.Day });
            e.Property(x => x.CommuneCode).HasMaxLength(5);
        });

        b.Entity<NotificationGuest>(e =>
        {
            e.ToTable("notification_guests");
            // Partitioned with its notification (received_at, Storage/Partitions.cs).
            e.HasKey(x => new { x.Id, x.ReceivedAt });
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.FullName).HasMaxLength(100);
            e.Property(x => x.NameKey).HasMaxLength(100);
            e.Property(x => x.Gender).HasConversion<string>().HasMaxLength(8);
            e.Property(x => x.DocumentType).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.DocumentKind).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.DocumentNumber).HasMaxLength(30);
            e.Property(x => x.Nationality).HasMaxLength(3);
            e.Property(x => x.Phone).HasMaxLength(20);
            e.Property(x => x.PermanentAddress).HasMaxLength(300);
            e.Property(x => x.ResidenceCommuneCode).HasMaxLength(5);
            e.Property(x => x.ResidenceKind).HasConversion<string>().HasMaxLength(12);
            e.Property(x => x.VisaOrResidenceDocument).HasMaxLength(50);
            e.Property(x => x.EntryPort).HasMaxLength(100);
            e.HasIndex(x => new { x.NotificationId, x.ReceivedAt, x.Index }).IsUnique();
            // "Is this document staying elsewhere?" and search by ID or passport number.
            e.HasIndex(x => x.DocumentNumber).HasFilter("document_number is not null");
            // Police search by name without diacritics ("nguyen van an" finds "Nguyễn Văn An"): trigram index on the folded name.
            e.HasIndex(x => x.NameKey).HasMethod("gin").HasOperators("gin_trgm_ops");
        });
    }
}
