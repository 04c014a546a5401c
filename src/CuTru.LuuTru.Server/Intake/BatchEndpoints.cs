using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Many notifications in one call (a PMS catching up, an uploaded file). Each item stands alone: one bad
/// item never blocks the others, and each gets its own receipt or its own problem.</summary>
public static class BatchEndpoints
{
    public static void MapBatch(this RouteGroupBuilder notifications)
    {
        notifications.MapPost("/batch", Submit).Accepts<BatchRequest>("application/json").WithSummary("Up to 500 notifications; a result per item")
            .WithDescription("With an Idempotency-Key, item i is keyed `<key>:<i>`, so resending the same batch returns the same receipts.");
        notifications.MapPost("/batch/validate", Validate).Accepts<BatchRequest>("application/json").WithSummary("Judge up to 500 notifications without storing anything");
    }

    internal static async Task<Results<Ok<BatchResponse>, ProblemResult>> Submit(
        JsonBody<BatchRequest> body, HttpContext http, EstablishmentDirectory directory, IntakeService intake, IOptions<IntakeOptions> options, CancellationToken ct)
    {
        // Who first: a caller who may not notify is refused before anything of the body is judged.
        var (source, denied) = await NotificationEndpoints.EstablishmentSourceAsync(http, directory, ct, Channel.Batch);
        if (denied is not null) return denied;
        if (!NotificationEndpoints.TryIdempotencyKey(http, out var key)) return Problems.Validation("headers.Idempotency-Key", "invalid-idempotency-key");
        var request = body.Value;
        if (Check(body) is { } unreadable) return unreadable;
        if (Check(request, options.Value) is { } tooMany) return tooMany;
        var english = ErrorCatalog.PrefersEnglish(http);

        var results = new List<BatchItemResult>(request.Notifications!.Count);
        for (var i = 0; i < request.Notifications.Count; i++)
        {
            var item = request.Notifications[i];
            if (item is null) { results.Add(Rejected(i, Unreadable(body, i) ?? new FieldErrors().Add("", "required"), english)); continue; }
            var decision = await intake.DecideAsync(item, source!, addressRequired: false, StayingCheck.WithAppend, ct, body.ValueErrors.Under($"notifications[{i}]"));
            if (!decision.Outcome.Valid) { results.Add(Rejected(i, decision.Outcome.Errors, english)); continue; }
            var answer = await intake.AcceptAsync(decision, source!, source!.EstablishmentId?.ToString(), key is null ? null : $"{key}:{i}",
                RequestHash.Of(item), english, ct);
            results.Add(answer.Refusal is { } refused
                ? new BatchItemResult(i, answer.AlreadyStaying is null ? "rejected" : "already-sent", ReceiptNumber: answer.AlreadyStaying?.Receipt,
                    Problem: Problem(refused.Status, refused.Code, refused.Errors, english))
                : new BatchItemResult(i, "accepted", answer.Receipt!.Id, answer.Receipt.ReceiptNumber, answer.Receipt.DeadlineAt, answer.Receipt.Late, answer.Receipt.Flags));
        }
        return TypedResults.Ok(Summarize(results));
    }

    internal static async Task<Results<Ok<BatchResponse>, ProblemResult>> Validate(
        JsonBody<BatchRequest> body, HttpContext http, EstablishmentDirectory directory, IntakeService intake, IOptions<IntakeOptions> options, CancellationToken ct)
    {
        var (source, denied) = await NotificationEndpoints.EstablishmentSourceAsync(http, directory, ct, Channel.Batch);
        if (denied is not null) return denied;
        var request = body.Value;
        if (Check(body) is { } unreadable) return unreadable;
        if (Check(request, options.Value) is { } tooMany) return tooMany;
        var english = ErrorCatalog.PrefersEnglish(http);
        var results = new List<BatchItemResult>();
        for (var i = 0; i < request.Notifications!.Count; i++)
        {
            var item = request.Notifications[i];
            if (item is null) { results.Add(Rejected(i, Unreadable(body, i) ?? new FieldErrors().Add("", "required"), english)); continue; }
            var decision = await intake.DecideAsync(item, source!, addressRequired: false, StayingCheck.Skip, ct, body.ValueErrors.Under($"notifications[{i}]"));
            results.Add(decision.Outcome.Valid
                ? new BatchItemResult(i, "valid", DeadlineAt: decision.Outcome.DeadlineAt, Late: decision.Outcome.Late,
                    Flags: Flags.Render(decision.Flags, english))
                : Rejected(i, decision.Outcome.Errors, english));
        }
        return TypedResults.Ok(Summarize(results));
    }

    /// <summary>A value outside any item (<c>notifications</c> not a list) fails the whole call; an item's own stay with it.</summary>
    private static ProblemResult? Check(JsonBody<BatchRequest> body) =>
        body.ValueErrors.AnyOutside("notifications[") ? Problems.Validation(body.ValueErrors) : null;

    /// <summary>An item that was not an object at all: its own value error.</summary>
    private static FieldErrors? Unreadable(JsonBody<BatchRequest> body, int i) => body.ValueErrors.Under($"notifications[{i}]") is { Any: true } e ? e : null;

    private static ProblemResult? Check(BatchRequest request, IntakeOptions o)
    {
        if (request.Notifications is null || request.Notifications.Count == 0) return Problems.Validation("notifications", "required");
        if (request.Notifications.Count > o.MaxBatchSize) return Problems.Validation("notifications", "too-many", o.MaxBatchSize);
        return null;
    }

    private static BatchResponse Summarize(List<BatchItemResult> results) =>
        new(results, results.Count(r => r.Status is "accepted" or "valid"), results.Count(r => r.Status == "rejected"),
            results.Count(r => r.Status == "already-sent"));

    private static BatchItemResult Rejected(int index, FieldErrors errors, bool english) =>
        new(index, "rejected", Problem: Problem(400, "validation-failed", errors, english));

    private static ProblemResponse Problem(int status, string code, FieldErrors? errors, bool english) =>
        new(null, ErrorCatalog.Message(code, english), status, null, null, code, null, errors?.ToDictionary(english));
}
