using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Demo;

/// <summary>Demo data for `make run` (LuuTru:Demo:Enabled): an admin, a commune officer, a province supervisor,
/// an approved hotel with a known API key and a front-desk account. Idempotent: re-running adds nothing twice.</summary>
public sealed class DemoSeeder(LuuTruDb db, IPasswordHasher<User> hasher, IOptions<DemoOptions> options, TimeProvider clock, Kbtt.KbttUpstream kbtt,
    ILogger<DemoSeeder> logger)
{
    public const string AdminEmail = "admin@demo.luutru.vn";
    public const string OfficerEmail = "canbo@demo.luutru.vn";
    public const string SupervisorEmail = "tinh@demo.luutru.vn";
    public const string StaffEmail = "letan@demo.luutru.vn";
    public static readonly Guid EstablishmentId = new("0193a000-0000-7000-8000-000000000001");

    public async Task SeedAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == o.CommuneCode, ct)
            ?? throw new StartupException($"LuuTru:Demo:CommuneCode {o.CommuneCode} is no commune code.");

        if (!await db.Establishments.AnyAsync(e => e.Id == EstablishmentId, ct))
        {
            db.Establishments.Add(new Establishment
            {
                Id = EstablishmentId, Name = "Khách sạn Hồ Gươm (demo)", SearchKey = Text.Fold("Khách sạn Hồ Gươm (demo)"),
                Kind = EstablishmentKind.Hotel, CommuneCode = commune.Code, ProvinceCode = commune.ProvinceCode,
                Address = "12 Hàng Khay", ManagerName = "Nguyễn Thị Lan", Phone = "0241234567", BusinessRegistrationNumber = "0101234567",
                Status = EstablishmentStatus.Approved, CreatedAt = now, ApprovedAt = now,
            });
            await db.SaveChangesAsync(ct);
        }

        ApiKeyFormat.TryParse(o.ApiKey, out var key);
        if (!await db.ApiKeys.AnyAsync(k => k.Prefix == key.Prefix, ct))
        {
            db.ApiKeys.Add(new ApiKey
            {
                Id = Guid.CreateVersion7(), EstablishmentId = EstablishmentId, Prefix = key.Prefix, SecretHash = ApiKeyFormat.Hash(key.Secret),
                Name = "Demo PMS", CreatedAt = now,
            });
        }

        // Linked to the KBTT account given (make run's local stand-in), so the relay shows its work.
        if (o.KbttUsername is { Length: > 0 } username && o.KbttPassword is { Length: > 0 } password
            && !await db.KbttLinks.AnyAsync(l => l.EstablishmentId == EstablishmentId, ct))
        {
            db.KbttLinks.Add(new KbttLink
            {
                EstablishmentId = EstablishmentId, Username = username, ProtectedPassword = kbtt.Protect(password), LinkedAt = now, LinkedBy = "demo",
                KbttProvinceCode = Kbtt.KbttCodes.ProvinceOfGso(commune.ProvinceCode)?.Code, KbttCommuneCode = Kbtt.KbttCodes.CommuneOfGso(commune.Code)?.Code,
            });
        }

        await AddUser(AdminEmail, "Quản trị demo", Role.Admin, u => { }, ct);
        await AddUser(OfficerEmail, "Cán bộ Công an phường (demo)", Role.CommuneOfficer, u => u.Communes.Add(new UserCommune { CommuneCode = commune.Code }), ct);
        await AddUser(SupervisorEmail, "Giám sát cấp tỉnh (demo)", Role.ProvinceSupervisor, u => u.ProvinceCode = commune.ProvinceCode, ct);
        await AddUser(StaffEmail, "Lễ tân (demo)", Role.EstablishmentStaff, u => u.EstablishmentId = EstablishmentId, ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Demo data ready in commune {CommuneCode}", commune.Code);
    }

    private async Task AddUser(string email, string name, Role role, Action<User> scope, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, ct)) return;
        var user = new User { Id = Guid.CreateVersion7(), Email = email, DisplayName = name, PasswordHash = "", Role = role, CreatedAt = clock.GetUtcNow() };
        scope(user);
        user.PasswordHash = hasher.HashPassword(user, options.Value.Password);
        db.Users.Add(user);
    }
}
