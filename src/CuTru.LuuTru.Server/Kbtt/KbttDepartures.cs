using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CuTru.LuuTru.Server.Kbtt;

public static partial class KbttFiling
{
    /// <summary>KBTT API 12: guests still staying, found by document among the establishment's, leave early (<c>TS</c>: checked
    /// out now) or stay longer (<c>GH</c>: the stay's planned departure moves to <c>thoiGianStr</c>, at most 30 days from the
    /// arrival, as upstream). All or nothing; problems said as "Bản ghi N: …". The hub's own API does the same per guest
    /// and for foreigners too (<c>POST /api/v1/notifications/{id}/checkout</c>, <c>…/extend</c>).</summary>
    internal static async Task<IResult> DepartureChanges([AsParameters] LifecycleEndpoints.LifecycleServices s, Security.EstablishmentDirectory directory)
    {
        var (source, denied) = await NotificationEndpoints.EstablishmentSourceAsync(s.Http, directory, s.Ct, Channel.Kbtt);
        if (denied is not null) return KbttAnswers.Error(StatusCodes.Status403Forbidden, "kbtt-forbidden");
        var (items, _, unreadable) = await ReadArrayAsync<KbttDepartureChange>(s.Http, s.Options.Value.MaxBatchSize, s.Ct);
        if (unreadable is not null) return unreadable;

        var errors = new FieldErrors();
        var changes = new List<(int Index, bool Early, string Document, DateTimeOffset? Until)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items!.Count; i++)
        {
            if (items[i] is not { } c) { errors.Add($"[{i}]", "required"); continue; }
            var before = errors.Count;
            var kind = c.Loai?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(kind)) errors.Add($"[{i}].loai", "required");
            else if (kind is not ("TS" or "GH")) errors.Add($"[{i}].loai", "invalid-choice", "TS, GH");
            var number = DocumentNumbers.Normalize(c.SoGiayTo);
            if (number.Length == 0) errors.Add($"[{i}].soGiayTo", "required");
            else if (!seen.Add(number)) errors.Add($"[{i}].soGiayTo", "kbtt-duplicate-in-request");
            if (c.LoaiGiayTo is null) errors.Add($"[{i}].loaiGiayTo", "required");
            else if (c.LoaiGiayTo is < 1 or > 9) errors.Add($"[{i}].loaiGiayTo", "invalid-choice", "1-9");
            var until = kind == "GH" ? Time(c.ThoiGianStr, $"[{i}].thoiGianStr", errors) : null;
            if (errors.Count == before) changes.Add((i, kind == "TS", number, until));
        }

        // Each guest among this establishment's guests staying now, and whether the change can be made.
        var found = new List<(int Index, bool Early, Notification Notification, int Guest, DateTimeOffset? Until)>();
        foreach (var (i, early, document, until) in changes)
        {
            var n = await s.Db.Notifications.Include(x => x.Guests)
                .Where(x => x.EstablishmentId == source!.EstablishmentId && x.Status == NotificationStatus.Recorded
                    && x.Guests.Any(g => g.DocumentNumber == document && g.CheckedOutAt == null))
                .OrderByDescending(x => x.ArrivalAt).FirstOrDefaultAsync(s.Ct);
            if (n is null) { errors.Add($"[{i}].soGiayTo", "kbtt-not-staying"); continue; }
            if (until is { } end)
            {
                if (end <= n.DepartureAt) { errors.Add($"[{i}].thoiGianStr", "not-later"); continue; }
                if (end > n.ArrivalAt.AddDays(MaxExtensionDays)) { errors.Add($"[{i}].thoiGianStr", "kbtt-extend-too-far", MaxExtensionDays); continue; }
            }
            found.Add((i, early, n, n.Guests.First(g => g.DocumentNumber == document && g.CheckedOutAt == null).Index, until));
        }
        if (errors.Any) return KbttAnswers.Rejected(errors, "kbtt-record");

        foreach (var (i, early, n, guest, until) in found)
        {
            var done = early
                ? await LifecycleEndpoints.CheckoutAsync(n, new CheckoutRequest(null, [guest]), s)
                : await LifecycleEndpoints.ExtendAsync(n, new ExtendRequest(until), s);
            if (done.Result is ProblemResult problem) errors.Add($"[{i}]", problem.Code);
        }
        return errors.Any ? KbttAnswers.Rejected(errors, "kbtt-record") : KbttAnswers.Ok<object>(null, s.Http);
    }
}
