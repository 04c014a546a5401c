using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Stay notifications from establishments: submit, validate, read back.</summary>
public static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reasons", ReasonList).AllowAnonymous().WithTags("Notifications").WithSummary("The reason code table");

        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(Policies.Authenticated);
        group.MapPost("/", Submit).Accepts<NotificationRequest>("application/json").WithSummary("Notify one stay with its guests (establishments: X-Api-Key or staff)")
            .WithDescription("Answers 202 with the receipt once the notification is safely accepted. Errors come all at once, keyed by JSON path.");
        group.MapPost("/validate", Validate).Accepts<NotificationRequest>("application/json").WithSummary("Judge a notification by the same rules without storing anything");
        group.MapGet("/{id:guid}", Get).WithSummary("One notification: its establishment, or police of its commune");
        group.MapLifecycle();
        group.MapBatch();
        group.MapUpload();
        return group;
    }

    internal static Ok<List<ReasonDto>> ReasonList() => TypedResults.Ok(Reasons.Table.ToList());

    public const string IdempotencyHeader = "Idempotency-Key";

    internal static async Task<Results<Accepted<NotificationReceiptDto>, ProblemResult>> Submit(
        JsonBody<NotificationRequest> body, HttpContext http, EstablishmentDirectory directory, IntakeService intake, CancellationToken ct)
    {
        if (!TryIdempotencyKey(http, out var key)) return Problems.Validation("headers.Idempotency-Key", "invalid-idempotency-key");
        var (source, denied) = await EstablishmentSourceAsync(http, directory, ct);
        if (denied is not null) return denied;
        var request = body.Value;
        var decision = await intake.DecideAsync(request, source!, addressRequired: false, StayingCheck.WithAppend, ct, body.ValueErrors);
        if (!decision.Outcome.Valid) return Problems.Validation(decision.Outcome.Errors);
        var answer = await intake.AcceptAsync(decision, source!, source!.EstablishmentId?.ToString(), key, RequestHash.Of(request),
            ErrorCatalog.PrefersEnglish(http), ct);
        return Answer(answer, http);
    }

    internal static Results<Accepted<NotificationReceiptDto>, ProblemResult> Answer(IntakeAnswer answer, HttpContext http)
    {
        if (answer.Refusal is { } refused)
        {
            if (answer.Unavailable) http.Response.Headers.RetryAfter = "5";
            return new ProblemResult(refused.Status, refused.Code, refused.Errors);
        }
        if (answer.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        // The code that lets anyone check the receipt (its QR code): the submitter prints or keeps it.
        var receipt = answer.Receipt! with { VerifyCode = http.RequestServices.GetRequiredService<ReceiptCodes>().Of(answer.Receipt!.ReceiptNumber) };
        return TypedResults.Accepted($"/api/v1/notifications/{receipt.Id}", receipt);
    }

    /// <summary>An optional client-chosen key, 1 to 100 visible ASCII characters.</summary>
    internal static bool TryIdempotencyKey(HttpContext http, out string? key)
    {
        key = null;
        if (!http.Request.Headers.TryGetValue(IdempotencyHeader, out var values)) return true;
        var k = values.ToString().Trim();
        if (k.Length is 0 or > 100 || k.Any(c => c is < '!' or > '~')) return false;
        key = k;
        return true;
    }

    internal static async Task<Results<Ok<ValidationResultDto>, ProblemResult>> Validate(
        JsonBody<NotificationRequest> body, HttpContext http, EstablishmentDirectory directory, IntakeService intake, CancellationToken ct)
    {
        var (source, denied) = await EstablishmentSourceAsync(http, directory, ct);
        if (denied is not null) return denied;
        var decision = await intake.DecideAsync(body.Value, source!, addressRequired: false, StayingCheck.Skip, ct, body.ValueErrors);
        if (!decision.Outcome.Valid) return Problems.Validation(decision.Outcome.Errors);
        return Valid(decision, http);
    }

    /// <summary>The answer of every validate endpoint when the rules accept: what the real call would answer, nothing stored.</summary>
    internal static Ok<ValidationResultDto> Valid(IntakeDecision decision, HttpContext http) =>
        TypedResults.Ok(new ValidationResultDto(true, decision.Outcome.DeadlineAt, decision.Outcome.Late, Flags.Render(decision.Flags, ErrorCatalog.PrefersEnglish(http))));

    internal static async Task<Results<Ok<NotificationDto>, ProblemResult>> Get(Guid id, HttpContext http, LuuTruDb db, IntakeBuffer buffer,
        Health.DatabaseProbe probe, Audit.AuditWriter audit, Police.PoliceEvents events, CancellationToken ct)
    {
        // Read your own write: a notification still in the buffer is answered from there, status accepted.
        var (n, _) = await NotificationLookup.FindAsync(
            () => db.Notifications.AsNoTracking().Include(x => x.Guests).FirstOrDefaultAsync(x => x.Id == id, ct), () => buffer.FindPendingAsync(id),
            probe.Available);
        var caller = http.Caller();
        if (n is null) return Problems.NotFound();
        if (await NotificationViews.MayReadAsync(http, n) is { } denied) return denied;
        if (caller.IsPolice)
        {
            // The police opening someone's details leaves a trace (who, when, which notification, from where).
            audit.Record(caller, "notification.view", "notification", n.Id.ToString(), n.CommuneCode, new { n.ReceiptNumber }, http);
            try { await db.SaveChangesAsync(ct); }
            catch (Exception e) when (Transient.Is(e)) { return new ProblemResult(503, "service-unavailable"); }
        }
        var dto = NotificationViews.ToDto(n, http) with { PlaceName = await events.PlaceNameAsync(n, ct) };
        return TypedResults.Ok(await Kbtt.KbttRelayViews.WithUpstreamAsync(dto, db, ct));
    }

    /// <summary>Only an approved establishment's staff or keys notify; the stay is at its commune and address.</summary>
    internal static async Task<(IntakeSource? Source, ProblemResult? Denied)> EstablishmentSourceAsync(HttpContext http, EstablishmentDirectory directory,
        CancellationToken ct,
        Channel? channelOverride = null)
    {
        var caller = http.Caller();
        if (!caller.IsEstablishmentActor) return (null, Problems.Forbidden());
        var e = await directory.EstablishmentAsync(caller.EstablishmentId!.Value, ct);
        if (e is null) return (null, Problems.Forbidden());
        if (e.Status != EstablishmentStatus.Approved) return (null, new ProblemResult(403, "forbidden", detailCode: "establishment-not-approved"));
        var channel = channelOverride ?? (caller.Kind == Caller.ApiKeyKind ? Channel.Api : Channel.WebForm);
        return (new IntakeSource(channel, e.Id, caller.AuditId, e.CommuneCode, e.ProvinceCode, e.Address), null);
    }
}
