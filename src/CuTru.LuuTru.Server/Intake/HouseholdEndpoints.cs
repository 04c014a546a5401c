using System.Security.Cryptography;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Establishments;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Families hosting a visitor: no account, a receipt at once, and the receipt's status by number and phone.</summary>
public static class HouseholdEndpoints
{
    public static void MapHouseholds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Households").AllowAnonymous();
        group.MapPost("/household-notifications", Submit).Accepts<HouseholdNotificationRequest>("application/json").WithSummary("A family notifies its visitors (no account; rate-limited per address and per phone)");
        group.MapPost("/household-notifications/validate", Validate).Accepts<HouseholdNotificationRequest>("application/json").WithSummary("Judge a household notification by the same rules; store nothing");
        group.MapPost("/receipts/lookup", Lookup).WithSummary("A household receipt's status, for the phone number that sent it (rate-limited)");
        group.MapPost("/receipts/checkout", HouseholdCheckout)
            .WithSummary("A household ends the stay it notified (its receipt number and phone; rate-limited); answers the receipt's status");
        group.MapPost("/receipts/extend", HouseholdExtend)
            .WithSummary("A household extends the stay it notified to a later departure (its receipt number and phone; rate-limited)");
    }

    internal static async Task<Results<Ok<ReceiptStatusDto>, ProblemResult>> HouseholdCheckout(HouseholdStayChange request, HttpContext http,
        RedisRateLimiter limiter, IOptions<HouseholdOptions> options, [AsParameters] LifecycleEndpoints.LifecycleServices s)
    {
        var (n, denied) = await FindHouseholdAsync(request.ReceiptNumber, request.Phone, http, s.Db, s.Buffer, limiter, options.Value, track: true, s.Ct);
        if (denied is not null) return denied;
        var done = await LifecycleEndpoints.CheckoutAsync(n!, new CheckoutRequest(request.DepartedAt), s);
        return done.Result is ProblemResult problem ? problem : TypedResults.Ok(await StatusOfAsync(n!, s.Db, s.Ct));
    }

    internal static async Task<Results<Ok<ReceiptStatusDto>, ProblemResult>> HouseholdExtend(HouseholdStayChange request, HttpContext http,
        RedisRateLimiter limiter, IOptions<HouseholdOptions> options, [AsParameters] LifecycleEndpoints.LifecycleServices s)
    {
        var (n, denied) = await FindHouseholdAsync(request.ReceiptNumber, request.Phone, http, s.Db, s.Buffer, limiter, options.Value, track: true, s.Ct);
        if (denied is not null) return denied;
        var done = await LifecycleEndpoints.ExtendAsync(n!, new ExtendRequest(request.DepartureAt), s);
        return done.Result is ProblemResult problem ? problem : TypedResults.Ok(await StatusOfAsync(n!, s.Db, s.Ct));
    }

    private static async Task<ReceiptStatusDto> StatusOfAsync(Notification n, LuuTruDb db, CancellationToken ct)
    {
        var communeName = await db.Communes.Where(c => c.Code == n.CommuneCode).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "";
        return new ReceiptStatusDto(n.ReceiptNumber, n.Status, n.CommuneCode, communeName, n.ArrivalAt, n.DepartureAt,
            n.Guests.Count, n.AcceptedAt, n.DeadlineAt, n.Late);
    }

    /// <summary>A household's notification, found with its receipt number and the phone that sent it: rate-limited per
    /// address and per receipt, a wrong phone answered exactly as an unknown number, in the same work (both stores asked
    /// every time, the phone compared in constant time).</summary>
    private static async Task<(Notification? Notification, ProblemResult? Denied)> FindHouseholdAsync(string? receiptNumberGiven, string? phoneGiven,
        HttpContext http, LuuTruDb db, IntakeBuffer buffer, RedisRateLimiter limiter, HouseholdOptions o, bool track, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var receiptNumber = receiptNumberGiven?.Trim() ?? "";
        if (receiptNumber.Length == 0) errors.Add("receiptNumber", "required");
        else if (receiptNumber.Length > 30) errors.Add("receiptNumber", "too-long", 30);
        var wanted = Phone.Normalize(phoneGiven);
        if (wanted is null) errors.Add("phone", phoneGiven is null ? "required" : "invalid-phone");
        if (errors.Any) return (null, Problems.Validation(errors));
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (ipAllowed, ipRetry) = await limiter.TryAcquireAsync("receipt-lookup-ip:" + ip, o.LookupsPerAddressPerHour, TimeSpan.FromHours(1));
        if (!ipAllowed) return (null, Problems.RateLimited(http, ipRetry));
        var (receiptAllowed, receiptRetry) = await limiter.TryAcquireAsync("receipt-lookup:" + receiptNumber, o.LookupsPerReceiptPerHour, TimeSpan.FromHours(1));
        if (!receiptAllowed) return (null, Problems.RateLimited(http, receiptRetry));

        var notifications = track ? db.Notifications.Include(x => x.Guests) : db.Notifications.AsNoTracking().Include(x => x.Guests);
        var stored = await notifications.FirstOrDefaultAsync(x => x.ReceiptNumber == receiptNumber, ct);
        var bufferedId = await buffer.FindIdByReceiptAsync(receiptNumber); // asked whether or not PostgreSQL had it
        var n = stored ?? (bufferedId is { } id ? await buffer.FindPendingAsync(id)
            ?? await notifications.FirstOrDefaultAsync(x => x.ReceiptNumber == receiptNumber, ct) : null);
        // A wrong phone looks exactly like a wrong number: receipts are not to be guessed at.
        var phoneMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(n?.HostPhone ?? ""), Encoding.UTF8.GetBytes(wanted!));
        if (n is null || n.Channel != Channel.Household || !phoneMatches) return (null, Problems.NotFound());
        // One still in the buffer is not there to change yet (retry in a second).
        if (track && stored is null) { http.Response.Headers.RetryAfter = "1"; return (null, Problems.InvalidState("notification-not-recorded-yet")); }
        return (n, null);
    }

    internal static async Task<Results<Accepted<NotificationReceiptDto>, ProblemResult>> Submit(
        JsonBody<HouseholdNotificationRequest> body, HttpContext http, LuuTruDb db, IntakeService intake, RedisRateLimiter limiter,
        IOptions<HouseholdOptions> options, Pseudonyms pseudonyms, CancellationToken ct)
    {
        if (!NotificationEndpoints.TryIdempotencyKey(http, out var key)) return Problems.Validation("headers.Idempotency-Key", "invalid-idempotency-key");
        var o = options.Value;
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (ipAllowed, ipRetry) = await limiter.TryAcquireAsync("household-ip:" + ip, o.PerAddressPerHour, TimeSpan.FromHours(1));
        if (!ipAllowed) return Problems.RateLimited(http, ipRetry);
        if (Phone.Normalize(body.Value.Host?.Phone) is { } phone)
        {
            var (phoneAllowed, phoneRetry) = await limiter.TryAcquireAsync("household-phone:" + pseudonyms.Of(phone), o.PerPhonePerHour, TimeSpan.FromHours(1));
            if (!phoneAllowed) return Problems.RateLimited(http, phoneRetry);
        }

        var judged = await JudgeAsync(body, db, intake, pseudonyms, StayingCheck.WithAppend, ct);
        if (judged.Errors.Any) return Problems.Validation(judged.Errors);
        var answer = await intake.AcceptAsync(judged.Decision, judged.Source, "household:" + pseudonyms.Of(judged.Host.Phone), key,
            RequestHash.Of(judged.Request, judged.Host),
            ErrorCatalog.PrefersEnglish(http), ct, judged.Host);
        return NotificationEndpoints.Answer(answer, http);
    }

    /// <summary>The same judgement without storing anything: the public form checks as the family types.</summary>
    internal static async Task<Results<Ok<ValidationResultDto>, ProblemResult>> Validate(
        JsonBody<HouseholdNotificationRequest> body, HttpContext http, LuuTruDb db, IntakeService intake, RedisRateLimiter limiter,
        IOptions<HouseholdOptions> options, Pseudonyms pseudonyms, CancellationToken ct)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (allowed, retry) = await limiter.TryAcquireAsync("household-validate-ip:" + ip, options.Value.ValidationsPerAddressPerHour, TimeSpan.FromHours(1));
        if (!allowed) return Problems.RateLimited(http, retry);
        var judged = await JudgeAsync(body, db, intake, pseudonyms, StayingCheck.Skip, ct);
        if (judged.Errors.Any) return Problems.Validation(judged.Errors);
        return NotificationEndpoints.Valid(judged.Decision, http);
    }

    private sealed record Judged(FieldErrors Errors, IntakeDecision Decision, IntakeSource Source, HostDetails Host, NotificationRequest Request);

    /// <summary>The host, the commune and the stay judged together: every error at once, keyed by JSON path.</summary>
    private static async Task<Judged> JudgeAsync(JsonBody<HouseholdNotificationRequest> body, LuuTruDb db, IntakeService intake, Pseudonyms pseudonyms,
        StayingCheck staying,
        CancellationToken ct)
    {
        var request = body.Value;
        var errors = new FieldErrors();
        var host = JudgeHost(request.Host, request.NotifiedByGuest, errors);

        Commune? commune = null;
        var communeCode = request.Stay?.CommuneCode?.Trim();
        if (!string.IsNullOrEmpty(communeCode))
        {
            commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == communeCode, ct);
            if (commune is null) errors.Add("stay.communeCode", "unknown-commune");
        }

        var asNotification = new NotificationRequest(request.Stay, request.Guests);
        var source = new IntakeSource(Channel.Household, null, "household:" + pseudonyms.Of(host.Phone), commune?.Code ?? "", commune?.ProvinceCode ?? "",
            Text.Clean(request.Stay?.Address));
        var decision = await intake.DecideAsync(asNotification, source, addressRequired: true,
            errors.Any || commune is null ? StayingCheck.Skip : staying, ct, body.ValueErrors);
        errors.Merge(decision.Outcome.Errors).Overlay(body.ValueErrors);
        return new Judged(errors, decision, source, host, asNotification);
    }

    /// <summary>A household's receipt, found with its number and the phone that sent it: both in the body (a phone in a
    /// URL ends up in logs), rate-limited per address and per receipt, and a wrong phone answered exactly as an unknown
    /// number, in the same work (both stores asked every time, the phone compared in constant time).</summary>
    internal static async Task<Results<Ok<ReceiptStatusDto>, ProblemResult>> Lookup(
        ReceiptLookupRequest request, HttpContext http, LuuTruDb db, IntakeBuffer buffer, RedisRateLimiter limiter, IOptions<HouseholdOptions> options,
        CancellationToken ct)
    {
        var (n, denied) = await FindHouseholdAsync(request.ReceiptNumber, request.Phone, http, db, buffer, limiter, options.Value, track: false, ct);
        return denied ?? (Results<Ok<ReceiptStatusDto>, ProblemResult>)TypedResults.Ok(await StatusOfAsync(n!, db, ct));
    }

    /// <summary>The host (or the guest notifying for an absent host): name, phone and document, errors under <c>host.</c>.
    /// Households and officers entering on a household's behalf judge it the same way.</summary>
    internal static HostDetails JudgeHost(HostDto? host, bool? notifiedByGuest, FieldErrors errors)
    {
        var name = errors.Text("host.fullName", host?.FullName, 100);
        var phone = Phone.Normalize(host?.Phone);
        if (string.IsNullOrWhiteSpace(host?.Phone)) errors.Add("host.phone", "required");
        else if (phone is null) errors.Add("host.phone", "invalid-phone");
        return new HostDetails(name ?? "", phone ?? "", HostDocument(host?.Document, errors), notifiedByGuest == true);
    }

    /// <summary>Host documents are checked like a guest's: a personal ID digit by digit, a passport's characters.</summary>
    private static string? HostDocument(DocumentDto? document, FieldErrors errors)
    {
        var number = DocumentNumbers.Normalize(document?.Number);
        if (document?.Type is null or DocumentType.None || number.Length == 0) { errors.Add("host.document.number", "document-required"); return null; }
        var ok = document.Type switch
        {
            DocumentType.PersonalId => DocumentNumbers.ParsePersonalId(number, out _) == DocumentNumbers.PersonalIdProblem.None,
            DocumentType.Passport => DocumentNumbers.IsPassport(number, "XXX"),
            _ => DocumentNumbers.IsOther(number),
        };
        if (!ok) errors.Add("host.document.number", document.Type == DocumentType.PersonalId ? "invalid-personal-id" : "invalid-value");
        return number;
    }

    /// <summary>Phones are personal data: keys and logs carry a hash.</summary>
}

/// <summary>The household's own details, stored with the notification.</summary>
public sealed record HostDetails(string FullName, string Phone, string? DocumentNumber, bool NotifiedByGuest);
