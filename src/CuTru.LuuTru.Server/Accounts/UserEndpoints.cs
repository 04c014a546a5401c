using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Accounts;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        // Admins manage everyone; a province supervisor manages the commune officers and establishment staff of their
        // province (and nobody else: others are answered as if they did not exist).
        var group = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.Police)
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Caller() is { IsAdmin: true } or { Role: Role.ProvinceSupervisor } ? await next(context) : Problems.Forbidden());
        group.MapPost("/", Create).WithSummary("Create a person who signs in (admins; supervisors: officers and staff of their province)");
        group.MapGet("/", List).WithSummary("List people who sign in (admins: all; supervisors: their province's officers and staff)");
        group.MapGet("/{id:guid}", Get).WithSummary("One person (admins; supervisors within their province)");
        group.MapPost("/{id:guid}/disable", Disable).WithSummary("Disable a person: no sign-in, every token ends (audited)");
        group.MapPost("/{id:guid}/enable", Enable).WithSummary("Enable a disabled person again (audited)");
        group.MapPut("/{id:guid}/communes", SetCommunes)
            .WithSummary("Set the communes a commune officer covers (supervisors: communes of their province); their sessions end (audited)");
        group.MapPost("/{id:guid}/password", ResetPassword).WithSummary("Set a new password for a person; every session of theirs ends (audited)");
        return group;
    }

    /// <summary>The people a caller manages: everyone for an admin; for a province supervisor the commune officers of
    /// communes of their province and the staff of establishments of their province.</summary>
    private static IQueryable<User> Managed(LuuTruDb db, Caller caller)
    {
        var users = db.Users.Include(u => u.Communes).AsQueryable();
        if (caller.IsAdmin) return users;
        var province = caller.ProvinceCode;
        return users.Where(u =>
            (u.Role == Role.CommuneOfficer && u.Communes.Any() && u.Communes.All(c => db.Communes.Any(x => x.Code == c.CommuneCode && x.ProvinceCode == province)))
            || (u.Role == Role.EstablishmentStaff && db.Establishments.Any(e => e.Id == u.EstablishmentId && e.ProvinceCode == province)));
    }

    internal static async Task<Results<Created<UserDto>, ProblemResult>> Create(
        CreateUserRequest request, HttpContext http, LuuTruDb db, IPasswordHasher<User> hasher, AuditWriter audit,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var email = EmailAddress.Read(errors, "email", request.Email);
        PasswordRules.Check(errors, "password", request.Password, request.Email);

        var displayName = errors.Text("displayName", request.DisplayName, 100, required: false);
        var communeCodes = (request.CommuneCodes ?? []).Select(c => c?.Trim() ?? "").ToList();

        if (request.Role is not { } role) errors.Add("role", "required");
        else
        {
            var roleName = RoleNames.Of(role);
            if (role == Role.ProvinceSupervisor)
            {
                if (string.IsNullOrWhiteSpace(request.ProvinceCode)) errors.Add("provinceCode", "required");
                else if (!await db.Provinces.AnyAsync(p => p.Code == request.ProvinceCode, ct)) errors.Add("provinceCode", "unknown-province");
            }
            else if (request.ProvinceCode is not null) errors.Add("provinceCode", "not-for-role", roleName);

            if (role == Role.CommuneOfficer) await CheckCommunesAsync(errors, communeCodes, db, ct);
            else if (communeCodes.Count > 0) errors.Add("communeCodes", "not-for-role", roleName);

            if (role == Role.EstablishmentStaff)
            {
                if (request.EstablishmentId is not { } eid) errors.Add("establishmentId", "required");
                else if (!await db.Establishments.AnyAsync(e => e.Id == eid, ct)) errors.Add("establishmentId", "unknown-establishment");
            }
            else if (request.EstablishmentId is not null) errors.Add("establishmentId", "not-for-role", roleName);
        }
        if (errors.Any) return Problems.Validation(errors);
        // A supervisor makes officers of their province's communes and staff of its establishments, nobody else.
        var caller = http.Caller();
        if (!caller.IsAdmin)
        {
            var inProvince = request.Role switch
            {
                Role.CommuneOfficer => await AllInProvinceAsync(communeCodes, caller, db, ct),
                Role.EstablishmentStaff => await db.Establishments.AnyAsync(e => e.Id == request.EstablishmentId && e.ProvinceCode == caller.ProvinceCode, ct),
                _ => false,
            };
            if (!inProvince) return Problems.Forbidden();
        }

        if (await db.Users.AnyAsync(u => u.Email == email, ct)) return Problems.Conflict("email", "email-taken");

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email!,
            DisplayName = displayName,
            PasswordHash = "",
            Role = request.Role!.Value,
            ProvinceCode = request.Role == Role.ProvinceSupervisor ? request.ProvinceCode : null,
            EstablishmentId = request.Role == Role.EstablishmentStaff ? request.EstablishmentId : null,
            Communes = communeCodes.Distinct().Select(c => new UserCommune { CommuneCode = c }).ToList(),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = http.Caller().UserId,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password);
        db.Users.Add(user);
        audit.Record(http.Caller(), "user.create", "user", user.Id.ToString(), null,
            new { role = RoleNames.Of(user.Role), user.ProvinceCode, communes = communeCodes, user.EstablishmentId }, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/users/{user.Id}", await user.ToDtoAsync(db, ct));
    }

    internal static async Task<Results<Ok<Page<UserDto>>, ProblemResult>> List(HttpContext http, LuuTruDb db, string? role, string? cursor, int? limit,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        WireEnum.TryParseOptional<Role>(role, "role", errors, out var wantedRole);
        if (limit is < 1 or > 200) errors.Add("limit", "invalid-value");
        if (errors.Any) return Problems.Validation(errors);
        var take = limit ?? 50;
        var q = Managed(db, http.Caller()).AsNoTracking();
        if (wantedRole is { } r) q = q.Where(u => u.Role == r);
        if (Guid.TryParse(cursor, out var after)) q = q.Where(u => u.Id > after);
        var items = await q.OrderBy(u => u.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? items[take - 1].Id.ToString() : null;
        return TypedResults.Ok(new Page<UserDto>(await items.Take(take).ToList().ToDtosAsync(db, ct), next));
    }

    internal static async Task<Results<Ok<UserDto>, ProblemResult>> Get(Guid id, HttpContext http, LuuTruDb db, CancellationToken ct)
    {
        var user = await Managed(db, http.Caller()).AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? Problems.NotFound() : TypedResults.Ok(await user.ToDtoAsync(db, ct));
    }

    internal static async Task<Results<Ok<UserDto>, ProblemResult>> Disable(Guid id, HttpContext http, LuuTruDb db, AuditWriter audit,
        SessionStamps stamps, TimeProvider clock, CancellationToken ct)
    {
        if (await Managed(db, http.Caller()).FirstOrDefaultAsync(u => u.Id == id, ct) is not { } user) return Problems.NotFound();
        if (http.Caller().UserId == id) return Problems.InvalidState("cannot-disable-self");
        user.DisabledAt ??= clock.GetUtcNow();
        SessionStamps.EndSessions(user);
        audit.Record(http.Caller(), "user.disable", "user", id.ToString(), null, null, http);
        await db.SaveChangesAsync(ct);
        stamps.Forget(id);
        return TypedResults.Ok(await user.ToDtoAsync(db, ct));
    }

    internal static async Task<Results<Ok<UserDto>, ProblemResult>> Enable(Guid id, HttpContext http, LuuTruDb db, AuditWriter audit,
        SessionStamps stamps, CancellationToken ct)
    {
        if (await Managed(db, http.Caller()).FirstOrDefaultAsync(u => u.Id == id, ct) is not { } user) return Problems.NotFound();
        user.DisabledAt = null;
        audit.Record(http.Caller(), "user.enable", "user", id.ToString(), null, null, http);
        await db.SaveChangesAsync(ct);
        stamps.Forget(id);
        return TypedResults.Ok(await user.ToDtoAsync(db, ct));
    }

    /// <summary>Every code a known commune, at least one.</summary>
    private static async Task CheckCommunesAsync(FieldErrors errors, List<string> communeCodes, LuuTruDb db, CancellationToken ct)
    {
        if (communeCodes.Count == 0) errors.Add("communeCodes", "required");
        var known = await db.Communes.Where(c => communeCodes.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        for (var i = 0; i < communeCodes.Count; i++)
            if (!known.Contains(communeCodes[i])) errors.Add($"communeCodes[{i}]", "unknown-commune");
    }

    /// <summary>A supervisor gives only communes of their own province.</summary>
    private static async Task<bool> AllInProvinceAsync(List<string> communeCodes, Caller caller, LuuTruDb db, CancellationToken ct) =>
        await db.Communes.CountAsync(c => communeCodes.Contains(c.Code) && c.ProvinceCode == caller.ProvinceCode, ct) == communeCodes.Distinct().Count();

    internal static async Task<Results<Ok<UserDto>, ProblemResult>> SetCommunes(Guid id, UserCommunesRequest request, HttpContext http, LuuTruDb db,
        AuditWriter audit, SessionStamps stamps, CancellationToken ct)
    {
        var caller = http.Caller();
        if (await Managed(db, caller).FirstOrDefaultAsync(u => u.Id == id, ct) is not { } user) return Problems.NotFound();
        var errors = new FieldErrors();
        var communeCodes = (request.CommuneCodes ?? []).Select(c => c?.Trim() ?? "").ToList();
        if (user.Role != Role.CommuneOfficer) errors.Add("communeCodes", "not-for-role", RoleNames.Of(user.Role));
        else await CheckCommunesAsync(errors, communeCodes, db, ct);
        if (errors.Any) return Problems.Validation(errors);
        if (!caller.IsAdmin && !await AllInProvinceAsync(communeCodes, caller, db, ct)) return Problems.Forbidden();

        var before = user.Communes.Select(c => c.CommuneCode).Order(StringComparer.Ordinal).ToList();
        var after = communeCodes.Distinct().Order(StringComparer.Ordinal).ToList();
        if (!before.SequenceEqual(after))
        {
            user.Communes.RemoveAll(c => !after.Contains(c.CommuneCode));
            user.Communes.AddRange(after.Where(c => !before.Contains(c)).Select(c => new UserCommune { CommuneCode = c }));
            // What they may see is in their token: the old one ends, the next sign-in carries the new communes.
            SessionStamps.EndSessions(user);
            audit.Record(caller, "user.communes", "user", id.ToString(), null, new { before, after }, http);
            await db.SaveChangesAsync(ct);
            stamps.Forget(id);
        }
        return TypedResults.Ok(await user.ToDtoAsync(db, ct));
    }

    internal static async Task<Results<NoContent, ProblemResult>> ResetPassword(Guid id, ResetPasswordRequest request, HttpContext http, LuuTruDb db,
        IPasswordHasher<User> hasher, AuditWriter audit, SessionStamps stamps, CancellationToken ct)
    {
        if (await Managed(db, http.Caller()).FirstOrDefaultAsync(u => u.Id == id, ct) is not { } user) return Problems.NotFound();
        if (string.IsNullOrEmpty(request.NewPassword)) return Problems.Validation("newPassword", "required");
        if (PasswordRules.Problem(request.NewPassword, user.Email) is { } weak)
            return Problems.Validation("newPassword", weak, weak == "too-long" ? PasswordRules.MaxLength : PasswordRules.MinLength);
        user.PasswordHash = hasher.HashPassword(user, request.NewPassword);
        SessionStamps.EndSessions(user);
        audit.Record(http.Caller(), "user.password-reset", "user", id.ToString(), null, null, http);
        await db.SaveChangesAsync(ct);
        stamps.Forget(id);
        return TypedResults.NoContent();
    }
}
