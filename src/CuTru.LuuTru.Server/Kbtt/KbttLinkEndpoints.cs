using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>An establishment links its national-system account so the relay files its guests upstream: its staff or an
/// admin. The hub logs in with it first and checks that the account is the establishment's commune's.</summary>
public static class KbttLinkEndpoints
{
    public static void MapKbttLink(this IEndpointRouteBuilder app)
    {
        var link = app.MapGroup("/api/v1/establishments/{id:guid}/kbtt-link").WithTags("National system (KBTT-compatible)")
            .RequireAuthorization(Policies.Authenticated)
            .AddEndpointFilter(async (ctx, next) =>
            {
                // Its staff (signed in, not a key: a key is the software, not the people who own the account) or an admin.
                var caller = ctx.HttpContext.Caller();
                var id = ctx.HttpContext.GetRouteValue("id") is string s && Guid.TryParse(s, out var g) ? g : Guid.Empty;
                return caller.IsAdmin || (caller.Role == Role.EstablishmentStaff && caller.EstablishmentId == id) ? await next(ctx) : Problems.Forbidden();
            });
        link.MapGet("/", Get).WithSummary("The establishment's link to the national system: account name, state, its guests' relay states (never the password)");
        link.MapPut("/", Put).WithSummary("Link the establishment's national-system account: the hub logs in with it, checks its commune, keeps the password encrypted");
        link.MapDelete("/", Delete).WithSummary("Unlink: the account and its password are wiped; guests not yet sent become manual-required");

        app.MapGet("/api/v1/establishments/{id:guid}/kbtt-export", Export).WithTags("National system (KBTT-compatible)").RequireAuthorization(Policies.Authenticated)
            .WithSummary("A day's guests (by arrival, Vietnam time) in the national portal's files, to file by hand: format=xlsx (Vietnamese guests, "
                + "the portal's template) or format=xml (foreign guests, KHAI_BAO_TAM_TRU). Its staff and keys, police of its area (audited)");
    }

    internal static async Task<Results<FileContentHttpResult, ProblemResult>> Export(Guid id, DateOnly? day, string? format, HttpContext http, LuuTruDb db,
        Microsoft.AspNetCore.Authorization.IAuthorizationService authz, AuditWriter audit, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (day is null) errors.Add("day", "required");
        if (format is not ("xlsx" or "xml")) errors.Add("format", "invalid-choice", "xlsx, xml");
        var (e, denied) = await Establishments.EstablishmentEndpoints.Load(id, http, db, authz, Policies.EstablishmentRead, ct);
        if (denied is not null) return denied;
        if (errors.Any) return Problems.Validation(errors);
        var (from, to) = (VietnamTime.StartOf(day!.Value).ToUniversalTime(), VietnamTime.StartOf(day.Value.AddDays(1)).ToUniversalTime());
        var stays = await db.Notifications.AsNoTracking().Include(n => n.Guests)
            .Where(n => n.EstablishmentId == id && n.Status != NotificationStatus.Cancelled && n.ArrivalAt >= from && n.ArrivalAt < to)
            .OrderBy(n => n.ArrivalAt).ThenBy(n => n.ReceiptNumber).ToListAsync(ct);
        var foreign = format == "xml";
        var guests = stays.SelectMany(n => n.Guests.OrderBy(g => g.Index).Select(g => (n, g)))
            .Where(x => (x.g.Nationality != Intake.Rules.Countries.Vietnam) == foreign).ToList();
        var caller = http.Caller();
        if (caller.IsPolice)
        {
            audit.Record(caller, "establishment.kbtt-export", "establishment", id.ToString(), e!.CommuneCode, new { day, format, guests = guests.Count }, http);
            await db.SaveChangesAsync(ct);
        }
        var name = $"khai-bao-{(foreign ? "nguoi-nuoc-ngoai" : "khach-viet-nam")}-{day:yyyyMMdd}";
        return foreign
            ? TypedResults.File(PortalFiles.WriteForeignXml(guests), "application/xml", name + ".xml")
            : TypedResults.File(PortalFiles.WriteVietnameseXlsx(guests), MediaTypes.Xlsx, name + ".xlsx");
    }

    internal sealed record LinkServices(HttpContext Http, LuuTruDb Db, KbttUpstream Upstream, AuditWriter Audit, TimeProvider Clock,
        IOptions<KbttOptions> Options, CancellationToken Ct);

    internal static async Task<Results<Ok<KbttLinkDto>, ProblemResult>> Get(Guid id, [AsParameters] LinkServices s)
    {
        if (!await s.Db.Establishments.AnyAsync(e => e.Id == id, s.Ct)) return Problems.NotFound();
        return TypedResults.Ok(await DtoAsync(id, s));
    }

    internal static async Task<Results<Ok<KbttLinkDto>, ProblemResult>> Put(Guid id, KbttLinkRequest request, [AsParameters] LinkServices s)
    {
        var e = await s.Db.Establishments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, s.Ct);
        if (e is null) return Problems.NotFound();
        var errors = new FieldErrors();
        var username = errors.Text("username", request.Username, 100);
        if (string.IsNullOrEmpty(request.Password)) errors.Add("password", "required");
        else if (request.Password.Length > 200) errors.Add("password", "too-long", 200);
        if (errors.Any) return Problems.Validation(errors);
        if (!s.Options.Value.UpstreamConfigured) return Problems.InvalidState("kbtt-relay-off");

        var login = await s.Upstream.LoginAsync(username!, request.Password!, s.Ct);
        if (login.Unreachable) return new ProblemResult(StatusCodes.Status503ServiceUnavailable, "kbtt-upstream-unreachable");
        if (login.Token is not { } token) return Problems.Validation("password", "kbtt-login-refused", login.Refusal ?? "");
        var expected = KbttCodes.CommuneOfGso(e.CommuneCode)?.Code;
        if (token.MaPxCuaCslt != expected)
            return new ProblemResult(StatusCodes.Status409Conflict, "kbtt-commune-mismatch", detailCode: "kbtt-commune-mismatch-detail",
                detailArgs: [token.MaPxCuaCslt, expected ?? ""]);

        var link = await s.Db.KbttLinks.FirstOrDefaultAsync(l => l.EstablishmentId == id, s.Ct);
        if (link is null) s.Db.KbttLinks.Add(link = new KbttLink { EstablishmentId = id, Username = username!, ProtectedPassword = "" });
        link.Username = username!;
        link.ProtectedPassword = s.Upstream.Protect(request.Password!);
        (link.CsltId, link.KbttProvinceCode, link.KbttCommuneCode) = (token.CsltId, token.MaTTCuaCslt, token.MaPxCuaCslt);
        link.LinkedAt = s.Clock.GetUtcNow();
        link.LastLoginAt = link.LinkedAt;
        link.LinkedBy = s.Http.Caller().AuditId;
        (link.LastError, link.LastErrorAt) = (null, null);
        s.Upstream.Forget(id);
        s.Audit.Record(s.Http.Caller(), "establishment.kbtt-link", "establishment", id.ToString(), e.CommuneCode, new { username, token.MaPxCuaCslt }, s.Http);
        await s.Db.SaveChangesAsync(s.Ct);
        return TypedResults.Ok(await DtoAsync(id, s));
    }

    internal static async Task<Results<NoContent, ProblemResult>> Delete(Guid id, [AsParameters] LinkServices s)
    {
        var e = await s.Db.Establishments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, s.Ct);
        if (e is null) return Problems.NotFound();
        var link = await s.Db.KbttLinks.FirstOrDefaultAsync(l => l.EstablishmentId == id, s.Ct);
        if (link is null) return TypedResults.NoContent();
        s.Db.KbttLinks.Remove(link);
        // What was still to send has no account to go with: a person files it on the portal (its file is offered).
        await s.Db.KbttRelay.Where(r => r.EstablishmentId == id && r.State == RelayState.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RelayState.ManualRequired).SetProperty(r => r.Message, "Đã gỡ liên kết tài khoản KBTT"), s.Ct);
        s.Upstream.Forget(id);
        s.Audit.Record(s.Http.Caller(), "establishment.kbtt-unlink", "establishment", id.ToString(), e.CommuneCode, null, s.Http);
        await s.Db.SaveChangesAsync(s.Ct);
        return TypedResults.NoContent();
    }

    private static async Task<KbttLinkDto> DtoAsync(Guid id, LinkServices s)
    {
        var link = await s.Db.KbttLinks.AsNoTracking().FirstOrDefaultAsync(l => l.EstablishmentId == id, s.Ct);
        var counts = await s.Db.KbttRelay.Where(r => r.EstablishmentId == id).GroupBy(r => r.State)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(s.Ct);
        var guests = Enum.GetValues<RelayState>().ToDictionary(st => WireEnum.Name(st), st => counts.FirstOrDefault(c => c.Key == st)?.Count ?? 0);
        return new KbttLinkDto(link is not null, link?.Username, link?.KbttProvinceCode, link?.KbttCommuneCode, link?.LinkedAt, link?.LastLoginAt,
            link?.LastError, link?.LastErrorAt, s.Options.Value.UpstreamConfigured, guests);
    }
}
