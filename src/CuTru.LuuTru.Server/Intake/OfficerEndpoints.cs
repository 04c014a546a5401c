using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>An officer enters a notification received in person or by phone, on behalf of an establishment of the
/// commune or of a household; recorded with the officer channel, who entered it and how it was received (audit).</summary>
public static class OfficerEndpoints
{
    public static void MapOfficerEntry(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/communes/{code}/notifications").WithTags("Notifications").RequireAuthorization(Policies.Police)
            .RequireCommuneAccess();
        group.MapPost("/", Submit).Accepts<OfficerNotificationRequest>("application/json").WithSummary("An officer enters a notification received in person or by phone (channel officer)");
        group.MapPost("/validate", Validate).Accepts<OfficerNotificationRequest>("application/json").WithSummary("Judge an officer's entry by the same rules; store nothing");
        group.MapPost("/upload", UploadEndpoints.Import).WithSummary("Import the commune's paper register (CSV or XLSX): mode=preview judges every row, mode=import records")
            .WithDescription("The upload template's columns plus Thời điểm tiếp nhận (when each notification reached the police; required), Tiếp nhận qua, " +
                "Mã cơ sở lưu trú or Địa chỉ nơi lưu trú, Người thông báo, Điện thoại người thông báo. Importing the same file again answers the same receipts.");
    }

    internal static readonly string[] ReceivedWays = ["in-person", "phone", "email", "other"];

    private sealed record Judged(FieldErrors Errors, IntakeDecision? Decision, IntakeSource? Source, HostDetails? Host, NotificationRequest Request);

    /// <summary>What an officer's entry works with, bound by [AsParameters].</summary>
    internal sealed record OfficerServices(HttpContext Http, IntakeService Intake, EstablishmentDirectory Directory, LuuTruDb Db, AuditWriter Audit,
        TimeProvider Clock, IOptions<IntakeOptions> Options, ILogger<AuditWriter> Logger, CancellationToken Ct);

    private static async Task<Judged> JudgeAsync(string code, JsonBody<OfficerNotificationRequest> body, OfficerServices s, StayingCheck staying)
    {
        var request = body.Value;
        var (http, intake, directory, ct) = (s.Http, s.Intake, s.Directory, s.Ct);
        var asNotification = new NotificationRequest(request.Stay is null ? null : request.Stay with { CommuneCode = code }, request.Guests); // the commune is the officer's
        var commune = http.Commune();

        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.ReceivedBy)) errors.Add("receivedBy", "required");
        else if (!ReceivedWays.Contains(request.ReceivedBy)) errors.Add("receivedBy", "invalid-value");
        // When it reached the police: not in the future, and not more than a day before the stay began.
        var now = s.Clock.GetUtcNow();
        var receivedAt = request.ReceivedAt?.ToUniversalTime() ?? now;
        if (receivedAt > now + TimeSpan.FromMinutes(s.Options.Value.ArrivalFutureToleranceMinutes)) errors.Add("receivedAt", "in-future");
        else if (request.Stay?.ArrivalAt is { } arrival && receivedAt < arrival - Rules.NotificationRules.ArrivalAfterReceptionLimit) errors.Add("receivedAt", "received-before-arrival");
        var caller = http.Caller();
        IntakeSource source;
        HostDetails? host = null;
        var addressRequired = false;
        if (request.EstablishmentId is { } id)
        {
            var e = await directory.EstablishmentAsync(id, ct);
            if (e is null || e.CommuneCode != code) errors.Add("establishmentId", "unknown-establishment");
            else if (e.Status != EstablishmentStatus.Approved) errors.Add("establishmentId", "establishment-not-approved");
            source = new IntakeSource(Channel.Officer, e?.Id, caller.AuditId, commune.Code, commune.ProvinceCode, e?.Address, receivedAt, request.ReceivedBy);
        }
        else
        {
            host = HouseholdEndpoints.JudgeHost(request.Host, request.NotifiedByGuest, errors);
            source = new IntakeSource(Channel.Officer, null, caller.AuditId, commune.Code, commune.ProvinceCode, Text.Clean(request.Stay?.Address),
                receivedAt, request.ReceivedBy);
            addressRequired = true;
        }
        var decision = await intake.DecideAsync(asNotification, source, addressRequired, errors.Any ? StayingCheck.Skip : staying, ct, body.ValueErrors);
        errors.Merge(decision.Outcome.Errors).Overlay(body.ValueErrors);
        return new Judged(errors, decision, source, host, asNotification);
    }

    internal static async Task<Results<Accepted<NotificationReceiptDto>, ProblemResult>> Submit(string code, JsonBody<OfficerNotificationRequest> body,
        [AsParameters] OfficerServices s)
    {
        var request = body.Value;
        var (http, db, intake, audit, logger, ct) = (s.Http, s.Db, s.Intake, s.Audit, s.Logger, s.Ct);
        if (!NotificationEndpoints.TryIdempotencyKey(http, out var key)) return Problems.Validation("headers.Idempotency-Key", "invalid-idempotency-key");
        var judged = await JudgeAsync(code, body, s, StayingCheck.WithAppend);
        if (judged.Errors.Any) return Problems.Validation(judged.Errors);
        var caller = http.Caller();
        var answer = await intake.AcceptAsync(judged.Decision!, judged.Source!, caller.AuditId, key,
            RequestHash.Of(judged.Request, judged.Host, request.EstablishmentId),
            ErrorCatalog.PrefersEnglish(http), ct, judged.Host);
        if (answer.Receipt is { } receipt && !answer.Replayed)
        {
            // Who entered it and how it came in; the notification itself carries channel "officer" and the officer as submitter.
            audit.Record(caller, "notification.officer-entry", "notification", receipt.Id.ToString(), code,
                new { receipt.ReceiptNumber, request.ReceivedBy, request.EstablishmentId }, http);
            try { await db.SaveChangesAsync(ct); }
            catch (Exception e) when (Transient.Is(e))
            {
                // Accepted all the same (the notification itself names the officer as its submitter); the lost line is said.
                logger.LogWarning(e, "The audit line of officer entry {NotificationId} was not written: PostgreSQL unavailable", receipt.Id);
            }
        }
        return NotificationEndpoints.Answer(answer, http);
    }

    internal static async Task<Results<Ok<ValidationResultDto>, ProblemResult>> Validate(string code, JsonBody<OfficerNotificationRequest> body,
        [AsParameters] OfficerServices s)
    {
        var http = s.Http;
        var judged = await JudgeAsync(code, body, s, StayingCheck.Skip);
        if (judged.Errors.Any) return Problems.Validation(judged.Errors);
        return NotificationEndpoints.Valid(judged.Decision!, http);
    }
}
