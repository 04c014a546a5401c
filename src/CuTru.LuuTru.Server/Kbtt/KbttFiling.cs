using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>KBTT filings taken by the hub: each element of the array becomes a guest of the hub's own notification
/// (guests sharing room, arrival, departure and reason are one stay), judged by the hub's rules, and everything is
/// refused when anything is (as upstream). Success carries each element's receipt.</summary>
public static partial class KbttFiling
{
    public const string ReceiptsHeader = "X-LuuTru-Receipts";
    public const string ExtensionsHeader = "X-LuuTru-Extensions";
    /// <summary>Upstream's limit for an extension, from the arrival.</summary>
    public const int MaxExtensionDays = 30;

    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];
    /// <summary>KBTT's names are fixed on the records; numbers may come as strings ("1"); every string loses its NUL
    /// characters, as everywhere in the hub, and an unreadable one is a value error at its field.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
        Converters = { new StorableStringConverter() },
    };

    /// <summary>What a filing works with, bound by [AsParameters].</summary>
    public sealed record FilingServices(HttpContext Http, EstablishmentDirectory Directory, IntakeService Intake, IntakeBuffer Buffer, StayingIndex Staying,
        LuuTruDb Db, IOptions<IntakeOptions> Options, CancellationToken Ct);

    /// <summary>One element of the array, read: the guest, and what makes its stay (elements with the same stay are one
    /// notification).</summary>
    private sealed record Element(int Index, GuestDto Guest, StayKey Stay, string? Document);

    private sealed record StayKey(DateTimeOffset ArrivalAt, DateTimeOffset DepartureAt, string? Room, StayReason? Reason, int? ReasonCode, string? ReasonDetail);

    internal static Task<IResult> Vietnamese([AsParameters] FilingServices s) => FileAsync<KbttVietnameseGuest>(s, ReadVietnamese, foreign: false);

    internal static Task<IResult> Foreign([AsParameters] FilingServices s) => FileAsync<KbttForeignGuest>(s, ReadForeign, foreign: true);

    private static async Task<IResult> FileAsync<T>(FilingServices s, Func<T, int, FieldErrors, Element?> read, bool foreign) where T : class
    {
        var http = s.Http;
        var (source, denied) = await NotificationEndpoints.EstablishmentSourceAsync(http, s.Directory, s.Ct, Channel.Kbtt);
        if (denied is not null) return KbttAnswers.Error(StatusCodes.Status403Forbidden, "kbtt-forbidden");
        var (items, body, unreadable) = await ReadArrayAsync<T>(http, s.Options.Value.MaxBatchSize, s.Ct);
        if (unreadable is not null) return unreadable;

        var errors = new FieldErrors();
        var elements = new List<Element>();
        for (var i = 0; i < items!.Count; i++)
        {
            if (items[i] is not { } item) { errors.Add($"[{i}]", "required"); continue; }
            if (read(item, i, errors) is { } e) elements.Add(e);
        }
        // The same document twice in one request is one person declared twice.
        foreach (var twice in elements.Where(e => e.Document is not null).GroupBy(e => e.Document).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
            errors.Add($"[{twice.Index}].{(foreign ? "soHoChieu" : "soGiayTo")}", "kbtt-duplicate-in-request");

        // One stay per room, arrival, departure and reason, in the order the elements came.
        var stays = elements.GroupBy(e => e.Stay).Select(g => g.ToList()).ToList();
        var decisions = new List<(List<Element> Elements, NotificationRequest Request, IntakeDecision Decision)>();
        foreach (var stay in stays)
        {
            var k = stay[0].Stay;
            var request = new NotificationRequest(new StayDto(k.ArrivalAt, k.DepartureAt, k.Reason, k.ReasonDetail, k.Room, ReasonCode: k.ReasonCode),
                stay.Select(e => (GuestDto?)e.Guest).ToList());
            var decision = await s.Intake.DecideAsync(request, source!, addressRequired: false, StayingCheck.WithAppend, s.Ct);
            if (!decision.Outcome.Valid) MapBack(decision.Outcome.Errors, stay, foreign, errors);
            decisions.Add((stay, request, decision));
        }
        if (errors.Any) return KbttAnswers.Rejected(errors);

        // The idempotency key is the request itself: an identical resend gets the same receipts.
        var scope = source!.EstablishmentId!.Value.ToString();
        var key = "kbtt:" + Convert.ToHexString(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(http.Request.Path.Value ?? ""), .. body!]))[..40];
        if (!await ResendAsync(s, scope, key))
        {
            // All or nothing: a guest already staying here refuses the whole request before any stay is taken.
            foreach (var (stay, _, decision) in decisions)
            {
                var here = await AlreadyHereAsync(s, source, decision.Outcome.ArrivalAt!.Value, stay);
                foreach (var (element, receipt) in here)
                    errors.Add($"[{element.Index}].{(foreign ? "soHoChieu" : "soGiayTo")}", "kbtt-already-staying", receipt);
            }
            if (errors.Any) return KbttAnswers.Rejected(errors);
        }

        var english = ErrorCatalog.PrefersEnglish(http);
        var receipts = new KbttReceipt?[items.Count];
        for (var k = 0; k < decisions.Count; k++)
        {
            var (stay, request, decision) = decisions[k];
            var answer = await s.Intake.AcceptAsync(decision, source, scope, $"{key}:{k}", RequestHash.Of(request), english, s.Ct);
            if (answer.Unavailable) { http.Response.Headers.RetryAfter = "5"; return KbttAnswers.Error(StatusCodes.Status503ServiceUnavailable, "kbtt-unavailable"); }
            if (answer.AlreadyStaying is { } here) // staying since the check above (another request at the same moment)
            {
                errors.Add($"[{stay[here.GuestIndex].Index}].{(foreign ? "soHoChieu" : "soGiayTo")}", "kbtt-already-staying", here.Receipt);
                continue;
            }
            if (answer.Receipt is not { } r) { errors.Add($"[{stay[0].Index}]", "invalid-value"); continue; }
            foreach (var e in stay) receipts[e.Index] = new KbttReceipt(e.Index, r.ReceiptNumber, r.Id, r.Late, r.DeadlineAt);
        }
        if (errors.Any) return KbttAnswers.Rejected(errors); // what was taken stays taken: the same request again answers it

        var taken = receipts.OfType<KbttReceipt>().ToList();
        http.Response.Headers[ReceiptsHeader] = string.Join(",", taken.Select(r => r.ReceiptNumber));
        var wantsReceipts = http.Request.Headers[ExtensionsHeader].ToString().Split(',', StringSplitOptions.TrimEntries)
            .Contains("receipts", StringComparer.OrdinalIgnoreCase);
        return wantsReceipts ? KbttAnswers.Ok(taken, http) : KbttAnswers.Ok<object>(null, http);
    }

    /// <summary>Whether this very request was taken before (its first stay's key answered within the last 24 hours).</summary>
    private static async Task<bool> ResendAsync(FilingServices s, string scope, string key)
    {
        try { return await s.Buffer.IdempotencyKeyUsedAsync(scope, key + ":0"); }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            try { return await s.Db.IdempotencyRecords.AnyAsync(r => r.Scope == scope && r.Key == key + ":0", s.Ct); }
            catch (Exception ex) when (Transient.Is(ex)) { return false; }
        }
    }

    /// <summary>The elements of a stay whose document is already staying at this establishment, with that stay's receipt.
    /// Redis unreachable: left to the acceptance, which checks PostgreSQL then.</summary>
    private static async Task<List<(Element Element, string Receipt)>> AlreadyHereAsync(FilingServices s, IntakeSource source, DateTimeOffset arrival,
        List<Element> stay)
    {
        var withDocument = stay.Where(e => e.Document is not null).ToList();
        var found = new List<(Element, string)>();
        Guid?[] here;
        try { here = await s.Staying.StayingHereAsync(StayingIndex.PlaceOf(source.EstablishmentId, source.CommuneCode, source.Address ?? ""), arrival,
            withDocument.Select(e => e.Document!).ToList()); }
        catch (Exception e) when (e is RedisException or TimeoutException) { return found; }
        for (var i = 0; i < withDocument.Count; i++)
            if (here[i] is { } id)
                found.Add((withDocument[i], await s.Db.Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => n.ReceiptNumber).FirstOrDefaultAsync(s.Ct)
                    ?? (await s.Buffer.FindPendingAsync(id))?.ReceiptNumber ?? ""));
        return found;
    }

    /// <summary>The body as a JSON array of <typeparamref name="T"/> (and its bytes, for the idempotency key), or the answer
    /// why not: not JSON, not an array, empty, too long, or a value of the wrong type (at its element and field).</summary>
    private static async Task<(List<T?>? Items, byte[]? Body, IResult? Refusal)> ReadArrayAsync<T>(HttpContext http, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        List<T?>? items;
        try { items = JsonSerializer.Deserialize<List<T?>>(body, Json); }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && ElementPath().Match(path) is { Success: true } m)
        {
            // "$[1].ngayThangNamSinhStr" → that element's field, as every other problem is keyed.
            return (null, null, KbttAnswers.Rejected(new FieldErrors().Add($"[{m.Groups[1].Value}]{(m.Groups[2].Success ? "." + m.Groups[2].Value : "")}",
                "invalid-value")));
        }
        catch (JsonException) { return (null, null, KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-not-array")); }
        if (items is null) return (null, null, KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-not-array"));
        if (items.Count == 0) return (null, null, KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-empty"));
        if (items.Count > max) return (null, null, KbttAnswers.Error(StatusCodes.Status400BadRequest, "kbtt-too-many", max));
        return (items, body, null);
    }

    [GeneratedRegex(@"^\$\[(\d+)\](?:\.([A-Za-z0-9]+))?")]
    private static partial Regex ElementPath();

    private static Element? ReadVietnamese(KbttVietnameseGuest g, int i, FieldErrors errors)
    {
        var before = errors.Count;
        var p = $"[{i}]";
        var gender = Gender(g.GioiTinh, $"{p}.gioiTinh", errors);
        var born = Date(g.NgayThangNamSinhStr, $"{p}.ngayThangNamSinhStr", errors);
        var arrival = Time(g.NgayDenCsltStr, $"{p}.ngayDenCsltStr", errors);
        var departure = Time(g.NgayDiDuKienStr, $"{p}.ngayDiDuKienStr", errors);
        DocumentKind? kind = null;
        if (g.LoaiGiayTo is null) errors.Add($"{p}.loaiGiayTo", "required");
        else if (g.LoaiGiayTo is < 1 or > 9) errors.Add($"{p}.loaiGiayTo", "invalid-choice", "1-9");
        else kind = (DocumentKind)(int)g.LoaiGiayTo.Value;
        ResidenceKind? residence = null;
        if (g.NoiCuTru is { } nc) { if (nc is >= 1 and <= 3) residence = (ResidenceKind)(int)nc; else errors.Add($"{p}.noiCuTru", "invalid-choice", "1, 2, 3"); }
        string? residenceCommune = null;
        if (!string.IsNullOrWhiteSpace(g.MaPX))
        {
            if (KbttCodes.CommuneOf(g.MaPX.Trim()) is not { } c) errors.Add($"{p}.maPX", "unknown-commune");
            else if (!string.IsNullOrWhiteSpace(g.MaTT) && c.ProvinceCode != g.MaTT.Trim()) errors.Add($"{p}.maPX", "commune-outside-province");
            else residenceCommune = c.GsoCode;
        }
        else if (!string.IsNullOrWhiteSpace(g.MaTT) && KbttCodes.ProvinceOf(g.MaTT.Trim()) is null) errors.Add($"{p}.maTT", "unknown-province");
        if (g.LyDoCuTru is null) errors.Add($"{p}.lyDoCuTru", "required");
        if (errors.Count > before) return null;

        var number = DocumentNumbers.Normalize(g.SoGiayTo);
        var guest = new GuestDto(g.HoTen, born, gender, new DocumentDto(null, g.SoGiayTo, kind), Countries.Vietnam, Phone: g.SoDienThoai,
            PermanentAddress: g.DiaChi, ResidenceKind: residence, ResidenceCommuneCode: residenceCommune);
        return new Element(i, guest, new StayKey(arrival!.Value, departure!.Value, Clean(g.SoPhong), null, (int)g.LyDoCuTru!.Value, Clean(g.LyDoChiTiet)),
            number.Length == 0 ? null : number);
    }

    /// <summary>Foreign guests carry no reason upstream: the hub records "other", saying where it came from.</summary>
    internal const string ForeignReasonDetail = "Không khai lý do (khai báo người nước ngoài theo chuẩn KBTT)";

    private static Element? ReadForeign(KbttForeignGuest g, int i, FieldErrors errors)
    {
        var before = errors.Count;
        var p = $"[{i}]";
        var gender = Gender(g.GioiTinh, $"{p}.gioiTinh", errors);
        var birthKind = g.LoaiNgayThangNamSinh?.Trim();
        if (birthKind is not (null or "" or "D" or "Y")) errors.Add($"{p}.loaiNgayThangNamSinh", "invalid-choice", "D, Y");
        var yearOnly = birthKind == "Y";
        var born = Date(g.NgayThangNamSinhStr, $"{p}.ngayThangNamSinhStr", errors);
        var arrival = Time(g.NgayDenCsltStr, $"{p}.ngayDenCsltStr", errors);
        var departure = Time(g.NgayDiDuKienStr, $"{p}.ngayDiDuKienStr", errors);
        var permitted = Time(g.ThoiHanTamTruStr, $"{p}.thoiHanTamTruStr", errors, required: false);
        string? nationality = null;
        if (string.IsNullOrWhiteSpace(g.QuocTich)) errors.Add($"{p}.quocTich", "required");
        else if (KbttCodes.HubNationalityOf(g.QuocTich.Trim()) is { } code) nationality = code;
        else if (Countries.Resolve(g.QuocTich) is { } iso) nationality = iso; // an ISO code upstream may also take (DEU)
        else errors.Add($"{p}.quocTich", "unknown-country");
        if (errors.Count > before) return null;

        var number = DocumentNumbers.Normalize(g.SoHoChieu);
        var guest = new GuestDto(g.HoTen, born, gender, new DocumentDto(DocumentType.Passport, g.SoHoChieu, DocumentKind.Passport), nationality,
            DateOfBirthYearOnly: yearOnly,
            Foreign: new ForeignDetailsDto(null, permitted is { } t ? VietnamTime.DayOf(t) : null, null, null));
        return new Element(i, guest, new StayKey(arrival!.Value, departure!.Value, Clean(g.SoPhong), StayReason.Other, null, ForeignReasonDetail),
            number.Length == 0 ? null : nationality + ":" + number);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Gender? Gender(string? value, string path, FieldErrors errors)
    {
        switch (value?.Trim())
        {
            case "M": return Contracts.Gender.Male;
            case "F": return Contracts.Gender.Female;
            case null or "": errors.Add(path, "required"); return null;
            default: errors.Add(path, "invalid-choice", "M, F"); return null;
        }
    }

    private static DateOnly? Date(string? value, string path, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) { errors.Add(path, "required"); return null; }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && VietnamTime.InRange(d)) return d;
        errors.Add(path, "invalid-date");
        return null;
    }

    /// <summary>A KBTT time: <c>yyyy-MM-dd HH:mm:ss</c>, Vietnam time, no zone.</summary>
    private static DateTimeOffset? Time(string? value, string path, FieldErrors errors, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value)) { if (required) errors.Add(path, "required"); return null; }
        if (DateTime.TryParseExact(value.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            var at = new DateTimeOffset(t, VietnamTime.Offset);
            if (VietnamTime.InRange(at)) return at;
        }
        errors.Add(path, "kbtt-invalid-time");
        return null;
    }

    /// <summary>The hub's rules spoke of <c>guests[j].document.number</c> or <c>stay.arrivalAt</c>: said of the KBTT element
    /// and field they came from (a stay's problem is each of its elements').</summary>
    private static void MapBack(FieldErrors ours, List<Element> stay, bool foreign, FieldErrors into)
    {
        foreach (var (path, code, args) in ours.Items)
        {
            if (GuestPath().Match(path) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var j) && j < stay.Count)
            {
                var field = GuestField(m.Groups[2].Value, foreign);
                into.Add(field is null ? $"[{stay[j].Index}]" : $"[{stay[j].Index}].{field}", code, args);
                continue;
            }
            var stayField = path switch
            {
                "stay.arrivalAt" => "ngayDenCsltStr",
                "stay.departureAt" => "ngayDiDuKienStr",
                "stay.room" => "soPhong",
                "stay.reason" or "stay.reasonCode" => "lyDoCuTru",
                "stay.reasonDetail" => "lyDoChiTiet",
                _ => null,
            };
            foreach (var e in stay) into.Add(stayField is null ? $"[{e.Index}]" : $"[{e.Index}].{stayField}", code, args);
        }
    }

    private static string? GuestField(string ours, bool foreign) => ours switch
    {
        "fullName" => "hoTen",
        "gender" => "gioiTinh",
        "dateOfBirth" => "ngayThangNamSinhStr",
        "phone" => "soDienThoai",
        "document.number" or "document" or "document.type" or "document.kind" => foreign ? "soHoChieu" : ours == "document.number" ? "soGiayTo" : "loaiGiayTo",
        "nationality" => "quocTich",
        "permanentAddress" => "diaChi",
        "residenceCommuneCode" => "maPX",
        "residenceKind" => "noiCuTru",
        "foreign.validUntil" => "thoiHanTamTruStr",
        _ => null,
    };

    [GeneratedRegex(@"^guests\[(\d+)\](?:\.(.+))?$")]
    private static partial Regex GuestPath();
}
