using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Establishments;

/// <summary>Lodging establishments: registered by the police of their area (or, later, applying online),
/// approved by the police of their commune, suspended when needed.</summary>
public static class EstablishmentEndpoints
{
    public static RouteGroupBuilder MapEstablishments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/establishments").WithTags("Establishments").RequireAuthorization(Policies.Authenticated);
        group.MapPost("/", Create).RequireAuthorization(Policies.Police)
            .WithSummary("Register an establishment (police of its area; it starts pending)");
        group.MapGet("/", List).WithSummary("Establishments the caller may see");
        group.MapGet("/{id:guid}", Get).WithSummary("One establishment");
        group.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(Policies.Police)
            .WithSummary("Approve (police of its commune); approving an approved one changes nothing");
        group.MapPost("/{id:guid}/suspend", Suspend).RequireAuthorization(Policies.Police)
            .WithSummary("Suspend (police of its commune): its API keys stop being accepted for notifications");
        group.MapPost("/{id:guid}/reject", Reject).RequireAuthorization(Policies.Police)
            .WithSummary("Turn down a pending application with a reason (police of its commune); the applicant sees it when signing in");
        group.MapApiKeys();
        app.MapPost("/api/v1/establishment-applications", Apply).AllowAnonymous().WithTags("Establishments")
            .WithSummary("An establishment applies online with the email and password its applicant will sign in with (rate-limited per address); pending until the police of its commune approve it, which lets that account notify");
        return group;
    }

    /// <summary>An online application: the establishment (pending) and its applicant's account (staff of it), made
    /// together. The applicant can sign in at once and sees the application's state and nothing else; approval lets
    /// the same account notify; a rejection shows its reason.</summary>
    internal static async Task<Results<Created<EstablishmentDto>, ProblemResult>> Apply(
        EstablishmentApplicationRequest request, HttpContext http, LuuTruDb db, AuditWriter audit, RedisRateLimiter limiter,
        Microsoft.Extensions.Options.IOptions<HouseholdOptions> options, Microsoft.AspNetCore.Identity.IPasswordHasher<User> hasher, TimeProvider clock,
        CancellationToken ct)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (allowed, retry) = await limiter.TryAcquireAsync("establishment-apply-ip:" + ip, options.Value.PerAddressPerHour, TimeSpan.FromHours(1));
        if (!allowed) return Problems.RateLimited(http, retry);
        // The account first: its errors are answered with the establishment's, all at once.
        var accountErrors = new FieldErrors();
        var email = Accounts.EmailAddress.Read(accountErrors, "email", request.Email);
        Accounts.PasswordRules.Check(accountErrors, "password", request.Password, request.Email);
        // An online application cannot attach itself to someone else's establishment as a branch.
        var (e, commune, problem) = await BuildAsync(new CreateEstablishmentRequest(request.Name ?? "", request.Kind, request.CommuneCode ?? "",
            request.Address ?? "", request.ManagerName ?? "", request.Phone ?? "", request.BusinessRegistrationNumber), db, clock, null, ct, accountErrors);
        if (problem is not null) return problem;
        if (await db.Users.AnyAsync(u => u.Email == email, ct)) return Problems.Conflict("email", "email-taken");
        var user = new User
        {
            Id = Guid.CreateVersion7(), Email = email!, DisplayName = e!.ManagerName, PasswordHash = "", Role = Role.EstablishmentStaff,
            EstablishmentId = e.Id, CreatedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Establishments.Add(e);
        db.Users.Add(user);
        audit.Record(http.Caller(), "establishment.apply", "establishment", e.Id.ToString(), e.CommuneCode, new { e.Kind, e.Status, account = user.Id }, http);
        await db.SaveChangesAsync(ct);
        e.Commune = commune;
        return TypedResults.Created($"/api/v1/establishments/{e.Id}", e.ToDto());
    }

    internal static async Task<Results<Ok<EstablishmentDto>, ProblemResult>> Reject(
        Guid id, RejectEstablishmentRequest request, [AsParameters] ChangeServices s)
    {
        var (http, db, _, audit, clock, directory, ct) = s;
        var (e, reason, denied) = await LoadWithReasonAsync(id, request.Reason, s);
        if (denied is not null) return denied;
        if (e!.Status != EstablishmentStatus.Pending) return Problems.InvalidState("establishment-not-pending");
        var caller = http.Caller();
        e.Status = EstablishmentStatus.Rejected;
        e.RejectedAt = clock.GetUtcNow();
        e.RejectedBy = caller.UserId;
        e.RejectionReason = reason;
        audit.Record(caller, "establishment.reject", "establishment", e.Id.ToString(), e.CommuneCode, new { reason }, http);
        await db.SaveChangesAsync(ct);
        directory.Forget(establishmentId: e.Id);
        return TypedResults.Ok(e.ToDto());
    }

    /// <summary>A new establishment from a request, pending; every field error at once.</summary>
    private static async Task<(Establishment? Establishment, Commune? Commune, ProblemResult? Problem)> BuildAsync(CreateEstablishmentRequest request, LuuTruDb db,
        TimeProvider clock, Guid? createdBy, CancellationToken ct, FieldErrors? errorsSoFar = null)
    {
        var errors = errorsSoFar ?? new FieldErrors();
        var name = errors.Text("name", request.Name, 200);
        if (request.Kind is null) errors.Add("kind", "required");
        var address = errors.Text("address", request.Address, 300);
        var manager = errors.Text("managerName", request.ManagerName, 100);
        var phone = Phone.Normalize(request.Phone);
        if (string.IsNullOrWhiteSpace(request.Phone)) errors.Add("phone", "required");
        else if (phone is null) errors.Add("phone", "invalid-phone");
        var brn = errors.Text("businessRegistrationNumber", request.BusinessRegistrationNumber, 30, required: false);

        Commune? commune = null;
        if (string.IsNullOrWhiteSpace(request.CommuneCode)) errors.Add("communeCode", "required");
        else
        {
            commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == request.CommuneCode.Trim(), ct);
            if (commune is null) errors.Add("communeCode", "unknown-commune");
        }
        if (request.MainEstablishmentId is { } mainId)
        {
            var main = await db.Establishments.AsNoTracking().Where(e => e.Id == mainId).Select(e => new { e.MainEstablishmentId }).FirstOrDefaultAsync(ct);
            if (main is null) errors.Add("mainEstablishmentId", "unknown-establishment");
            else if (main.MainEstablishmentId is not null) errors.Add("mainEstablishmentId", "branch-of-branch");
        }
        if (errors.Any) return (null, null, Problems.Validation(errors));
        var e = new Establishment
        {
            Id = Guid.CreateVersion7(),
            Name = name!,
            SearchKey = Text.Fold(name),
            Kind = request.Kind!.Value,
            CommuneCode = commune!.Code,
            ProvinceCode = commune.ProvinceCode,
            Address = address!,
            ManagerName = manager!,
            Phone = phone!,
            BusinessRegistrationNumber = brn,
            MainEstablishmentId = request.MainEstablishmentId,
            Status = EstablishmentStatus.Pending,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = createdBy,
        };
        return (e, commune, null);
    }

    internal static async Task<Results<Created<EstablishmentDto>, ProblemResult>> Create(
        CreateEstablishmentRequest request, HttpContext http, LuuTruDb db, IAuthorizationService authz, AuditWriter audit,
        TimeProvider clock, CancellationToken ct)
    {
        var caller = http.Caller();
        var (e, commune, problem) = await BuildAsync(request, db, clock, caller.UserId, ct);
        if (problem is not null) return problem;
        if (!(await authz.AuthorizeAsync(http.User, new CommuneRef(e!.CommuneCode, e.ProvinceCode), Policies.CommuneAccess)).Succeeded)
            return new ProblemResult(403, "forbidden", new FieldErrors().Add("communeCode", "outside-your-area"));
        // A branch hangs only from an establishment the caller may see: linking to another area's would reach into it.
        if (e.MainEstablishmentId is { } mainId
            && await db.Establishments.AsNoTracking().Where(x => x.Id == mainId).Select(x => new { x.CommuneCode, x.ProvinceCode }).FirstOrDefaultAsync(ct) is { } main
            && !(await authz.AuthorizeAsync(http.User, new CommuneRef(main.CommuneCode, main.ProvinceCode), Policies.CommuneAccess)).Succeeded)
            return new ProblemResult(403, "forbidden", new FieldErrors().Add("mainEstablishmentId", "outside-your-area"));
        db.Establishments.Add(e);
        audit.Record(caller, "establishment.create", "establishment", e.Id.ToString(), e.CommuneCode, new { e.Kind, e.Status }, http);
        await db.SaveChangesAsync(ct);
        e.Commune = commune;
        return TypedResults.Created($"/api/v1/establishments/{e.Id}", e.ToDto());
    }

    /// <summary>A filter of the establishments list.</summary>
    internal sealed record ListQuery(string? CommuneCode, string? Status, string? Q, string? Cursor, int? Limit);

    internal static async Task<Results<Ok<Page<EstablishmentDto>>, ProblemResult>> List([AsParameters] ListQuery filter, HttpContext http, LuuTruDb db, IAuthorizationService authz,
        CancellationToken ct)
    {
        var (communeCode, status, q, cursor, limit) = filter;
        var errors = new FieldErrors();
        WireEnum.TryParseOptional<EstablishmentStatus>(status, "status", errors, out var wantedStatus);
        if (limit is < 1 or > 200) errors.Add("limit", "invalid-value");
        if (errors.Any) return Problems.Validation(errors);
        var caller = http.Caller();
        var query = db.Establishments.AsNoTracking().Include(e => e.Commune).AsQueryable();

        // Scope first: nobody lists beyond their area.
        if (caller.IsEstablishmentActor) query = query.Where(e => e.Id == caller.EstablishmentId || e.MainEstablishmentId == caller.EstablishmentId);
        else if (caller.Role == Role.ProvinceSupervisor) query = query.Where(e => e.ProvinceCode == caller.ProvinceCode);
        else if (caller.Role == Role.CommuneOfficer) query = query.Where(e => caller.CommuneCodes.Contains(e.CommuneCode));
        else if (!caller.IsAdmin) return Problems.Forbidden();

        if (!string.IsNullOrWhiteSpace(communeCode))
        {
            var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == communeCode, ct);
            if (commune is null) return Problems.Validation("communeCode", "unknown-commune");
            if (caller.IsPolice && !(await authz.AuthorizeAsync(http.User, new CommuneRef(commune.Code, commune.ProvinceCode), Policies.CommuneAccess)).Succeeded)
                return Problems.Forbidden();
            query = query.Where(e => e.CommuneCode == communeCode);
        }
        if (wantedStatus is { } s) query = query.Where(e => e.Status == s);
        var folded = Text.Fold(q);
        if (folded.Length > 0) query = query.Where(e => e.SearchKey.Contains(folded));
        if (Guid.TryParse(cursor, out var after)) query = query.Where(e => e.Id > after);

        var take = limit ?? 50;
        var items = await query.OrderBy(e => e.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? items[take - 1].Id.ToString() : null;
        return TypedResults.Ok(new Page<EstablishmentDto>(items.Take(take).Select(e => e.ToDto()).ToList(), next));
    }

    internal static async Task<Results<Ok<EstablishmentDto>, ProblemResult>> Get(
        Guid id, HttpContext http, LuuTruDb db, IAuthorizationService authz, CancellationToken ct)
    {
        var (e, denied) = await Load(id, http, db, authz, Policies.EstablishmentRead, ct);
        return denied ?? (Results<Ok<EstablishmentDto>, ProblemResult>)TypedResults.Ok(e!.ToDto());
    }

    /// <summary>What a change of an establishment works with, bound by [AsParameters].</summary>
    internal sealed record ChangeServices(HttpContext Http, LuuTruDb Db, IAuthorizationService Authz, AuditWriter Audit, TimeProvider Clock,
        EstablishmentDirectory Directory, CancellationToken Ct);

    internal static async Task<Results<Ok<EstablishmentDto>, ProblemResult>> Approve(Guid id, [AsParameters] ChangeServices s)
    {
        var (http, db, authz, audit, clock, directory, ct) = s;
        var (e, denied) = await Load(id, http, db, authz, Policies.EstablishmentApprove, ct, track: true);
        if (denied is not null) return denied;
        if (e!.Status != EstablishmentStatus.Approved)
        {
            var before = e.Status;
            var caller = http.Caller();
            e.Status = EstablishmentStatus.Approved;
            e.ApprovedAt = clock.GetUtcNow();
            e.ApprovedBy = caller.UserId;
            e.SuspendedAt = null;
            e.SuspendedBy = null;
            e.SuspensionReason = null;
            audit.Record(caller, "establishment.approve", "establishment", e.Id.ToString(), e.CommuneCode, new { before, after = e.Status }, http);
            await db.SaveChangesAsync(ct);
            directory.Forget(establishmentId: e.Id);
        }
        return TypedResults.Ok(e.ToDto());
    }

    internal static async Task<Results<Ok<EstablishmentDto>, ProblemResult>> Suspend(
        Guid id, SuspendEstablishmentRequest request, [AsParameters] ChangeServices s)
    {
        var (http, db, _, audit, clock, directory, ct) = s;
        var (e, reason, denied) = await LoadWithReasonAsync(id, request.Reason, s);
        if (denied is not null) return denied;
        var caller = http.Caller();
        var before = e!.Status;
        e.Status = EstablishmentStatus.Suspended;
        e.SuspendedAt = clock.GetUtcNow();
        e.SuspendedBy = caller.UserId;
        e.SuspensionReason = reason;
        audit.Record(caller, "establishment.suspend", "establishment", e.Id.ToString(), e.CommuneCode, new { before, after = e.Status, reason }, http);
        await db.SaveChangesAsync(ct);
        directory.Forget(establishmentId: e.Id);
        return TypedResults.Ok(e.ToDto());
    }

    /// <summary>A police decision that needs a reason (suspend, reject): the reason (1–500 characters) and the establishment,
    /// if the caller's area holds it.</summary>
    private static async Task<(Establishment? Establishment, string? Reason, ProblemResult? Denied)> LoadWithReasonAsync(Guid id, string? given,
        ChangeServices s)
    {
        var errors = new FieldErrors();
        var reason = errors.Text("reason", given, 500);
        if (errors.Any) return (null, null, Problems.Validation(errors));
        var (e, denied) = await Load(id, s.Http, s.Db, s.Authz, Policies.EstablishmentApprove, s.Ct, track: true);
        return (e, reason, denied);
    }

    /// <summary>Loads an establishment and applies a policy to it. Who may not even know it exists
    /// (another establishment's staff or key) gets 404; police outside its area get 403.</summary>
    internal static async Task<(Establishment? Establishment, ProblemResult? Denied)> Load(
        Guid id, HttpContext http, LuuTruDb db, IAuthorizationService authz, string policy, CancellationToken ct, bool track = false)
    {
        var query = db.Establishments.Include(e => e.Commune).AsQueryable();
        if (!track) query = query.AsNoTracking();
        var e = await query.FirstOrDefaultAsync(x => x.Id == id, ct);
        var caller = http.Caller();
        if (e is null) return (null, Problems.NotFound());
        if ((await authz.AuthorizeAsync(http.User, e, policy)).Succeeded) return (e, null);
        var mayKnowItExists = caller.IsPolice || caller.EstablishmentId == e.Id;
        return (null, mayKnowItExists ? Problems.Forbidden() : Problems.NotFound());
    }

    internal static EstablishmentDto ToDto(this Establishment e) => new(
        e.Id, e.Name, e.Kind, e.CommuneCode, e.Commune?.Name ?? "", e.ProvinceCode, e.Address, e.ManagerName, e.Phone,
        e.BusinessRegistrationNumber, e.MainEstablishmentId, e.Status, e.CreatedAt, e.ApprovedAt, e.ApprovedBy, e.SuspendedAt, e.SuspensionReason,
        e.RejectedAt, e.RejectionReason);
}

/// <summary>Vietnamese phone numbers as people type them: spaces, dots and dashes dropped; 9 to 15 digits, optional +.</summary>
