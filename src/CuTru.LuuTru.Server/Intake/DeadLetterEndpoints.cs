using System.Globalization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Audit;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>What the drain could not store, for admins: listed without personal data, shown (audited), replayed into the
/// intake stream once the cause is fixed, or dropped (audited). Entries older than
/// <see cref="IntakeOptions.DeadLetterRetentionDays"/> are removed (they hold personal data).</summary>
public static class DeadLetterEndpoints
{
    public static void MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/dead-letters").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithSummary("Intake entries the drain could not store: where and why, no personal data");
        group.MapGet("/{id}", Show).WithSummary("One dead letter with the notification it carries (audited)");
        group.MapPost("/{id}/replay", Replay).WithSummary("Put a dead letter back into the intake stream (audited)");
        group.MapDelete("/{id}", Drop).WithSummary("Drop a dead letter for good (audited)");
    }

    internal sealed record DeadLetterServices(HttpContext Http, IConnectionMultiplexer Redis, IntakeBuffer Buffer, AuditWriter Audit, LuuTruDb Db,
        TimeProvider Clock, IOptions<IntakeOptions> Options, CancellationToken Ct);

    internal static async Task<Ok<List<DeadLetterDto>>> List([AsParameters] DeadLetterServices s)
    {
        await TrimAsync(s.Redis.GetDatabase(), s.Buffer, s.Clock, s.Options.Value);
        var entries = await s.Redis.GetDatabase().StreamRangeAsync(s.Buffer.DeadLetterKey, "-", "+", 500);
        return TypedResults.Ok(entries.Select(ToDto).ToList());
    }

    internal static async Task<Results<Ok<DeadLetterDetailDto>, ProblemResult>> Show(string id, [AsParameters] DeadLetterServices s)
    {
        if (await FindAsync(s, id) is not { } entry) return Problems.NotFound();
        var letter = ToDto(entry);
        var payload = (byte[]?)entry[AppendProtocol.EntryField.Payload];
        NotificationDto? notification = null;
        try
        {
            if (payload is not null && BufferedNotification.Deserialize(payload) is { } n)
                notification = NotificationViews.ToDto(IntakeBuffer.Complete(n, letter.ReceiptNumber ?? n.ReceiptNumber, (string?)entry[AppendProtocol.EntryField.Staying]),
                    ErrorCatalog.PrefersEnglish(s.Http), police: true);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or BufferedNotification.UnsupportedVersionException) { }
        s.Audit.Record(s.Http.Caller(), "dead-letter.view", "dead-letter", id, letter.CommuneCode, new { letter.ReceiptNumber, people = notification?.Guests.Count }, s.Http);
        await s.Db.SaveChangesAsync(s.Ct);
        return TypedResults.Ok(new DeadLetterDetailDto(letter, notification, notification is null ? (string?)entry[AppendProtocol.EntryField.Payload] : null));
    }

    /// <summary>Back into the intake stream with its receipt and payload, as first accepted: the drain stores it like any
    /// other (once, by id), with fresh tries.</summary>
    internal static async Task<Results<Accepted<DeadLetterDto>, ProblemResult>> Replay(string id, [AsParameters] DeadLetterServices s)
    {
        if (await FindAsync(s, id) is not { } entry) return Problems.NotFound();
        var db = s.Redis.GetDatabase();
        var fields = entry.Values.Where(v => v.Name != "reason" && v.Name != "failedAt").ToArray();
        await db.StreamAddAsync(s.Buffer.StreamKey, fields);
        await db.StreamDeleteAsync(s.Buffer.DeadLetterKey, [entry.Id]);
        var letter = ToDto(entry);
        s.Audit.Record(s.Http.Caller(), "dead-letter.replay", "dead-letter", id, letter.CommuneCode, new { letter.ReceiptNumber, letter.Reason }, s.Http);
        await s.Db.SaveChangesAsync(s.Ct);
        return TypedResults.Accepted((string?)null, letter);
    }

    internal static async Task<Results<NoContent, ProblemResult>> Drop(string id, [AsParameters] DeadLetterServices s)
    {
        if (await FindAsync(s, id) is not { } entry) return Problems.NotFound();
        await s.Redis.GetDatabase().StreamDeleteAsync(s.Buffer.DeadLetterKey, [entry.Id]);
        var letter = ToDto(entry);
        s.Audit.Record(s.Http.Caller(), "dead-letter.drop", "dead-letter", id, letter.CommuneCode, new { letter.ReceiptNumber, letter.Reason }, s.Http);
        await s.Db.SaveChangesAsync(s.Ct);
        return TypedResults.NoContent();
    }

    /// <summary>Removes the dead letters older than the retention (stream ids start with their time in milliseconds);
    /// answers how many went.</summary>
    public static async Task<long> TrimAsync(IDatabase db, IntakeBuffer buffer, TimeProvider clock, IntakeOptions o)
    {
        var oldest = clock.GetUtcNow().AddDays(-o.DeadLetterRetentionDays).ToUnixTimeMilliseconds();
        return (long)await db.ExecuteAsync("XTRIM", (RedisKey)buffer.DeadLetterKey, "MINID", oldest.ToString(CultureInfo.InvariantCulture) + "-0");
    }

    private static async Task<StreamEntry?> FindAsync(DeadLetterServices s, string id)
    {
        if (id.Length is 0 or > 40 || !id.All(c => char.IsAsciiDigit(c) || c == '-')) return null;
        var found = await s.Redis.GetDatabase().StreamRangeAsync(s.Buffer.DeadLetterKey, id, id, 1);
        return found.Length == 1 ? found[0] : null;
    }

    private static DeadLetterDto ToDto(StreamEntry e)
    {
        var receipt = (string?)e[AppendProtocol.EntryField.Receipt];
        var id = (string?)e[AppendProtocol.EntryField.Id];
        return new DeadLetterDto(e.Id!, receipt, Guid.TryParse(id, out var g) ? g : null, receipt is { Length: > 5 } ? receipt[..5] : null,
            (string?)e["reason"] ?? "", DateTimeOffset.TryParse((string?)e["failedAt"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null);
    }
}
