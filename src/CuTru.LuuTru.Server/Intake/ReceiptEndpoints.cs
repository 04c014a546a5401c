using System.Globalization;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Security;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>Receipts worth keeping: the receipt as kept and printed (its establishment or household, guests with masked
/// document numbers, room, stay, reception time, deadline, status) for the establishment that sent it and the police of
/// its area, as JSON or a one-page PDF with a QR code; and the public check that a receipt exists, with nothing of anyone.</summary>
public static class ReceiptEndpoints
{
    public static void MapReceipts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/receipts").WithTags("Receipts");
        group.MapGet("/verify", Verify).AllowAnonymous()
            .WithSummary("Check that a receipt exists (its number and the code printed with it): where and when it was received and its status, no personal data; rate-limited per address");
        group.MapGet("/{number}", View).RequireAuthorization()
            .WithSummary("A receipt as kept: place, guests (document numbers masked), room, stay, reception, deadline, status, verification link (its establishment, or police of its area)");
        group.MapGet("/{number}/pdf", Pdf).RequireAuthorization().WithSummary("The receipt as a one-page PDF with its verification QR code");
    }

    /// <summary>What the receipt endpoints work with, bound by [AsParameters].</summary>
    internal sealed record ReceiptServices(HttpContext Http, LuuTruDb Db, IntakeBuffer Buffer, Police.PoliceEvents Events, ReceiptCodes Codes,
        Audit.AuditWriter Audit, CancellationToken Ct);

    internal static async Task<Results<Ok<ReceiptViewDto>, ProblemResult>> View(string number, [AsParameters] ReceiptServices s)
    {
        var (view, denied) = await LoadAsync(number, s);
        return denied ?? (Results<Ok<ReceiptViewDto>, ProblemResult>)TypedResults.Ok(view!);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemResult>> Pdf(string number, [AsParameters] ReceiptServices s)
    {
        var (view, denied) = await LoadAsync(number, s);
        if (denied is not null) return denied;
        return TypedResults.File(ReceiptPdf.Write(view!), "application/pdf", $"bien-nhan-{view!.ReceiptNumber}.pdf");
    }

    internal static async Task<Results<Ok<ReceiptVerificationDto>, ProblemResult>> Verify(string? number, string? code, HttpContext http, LuuTruDb db,
        ReceiptCodes codes, RedisRateLimiter limiter, IOptions<HouseholdOptions> options, CancellationToken ct)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (allowed, retry) = await limiter.TryAcquireAsync("receipt-verify-ip:" + ip, options.Value.LookupsPerAddressPerHour, TimeSpan.FromHours(1));
        if (!allowed) return Problems.RateLimited(http, retry);
        var receipt = number?.Trim() ?? "";
        // A wrong code is answered as an unknown number: numbers are sequential and not to be tried one by one.
        if (receipt.Length is 0 or > 30 || !codes.Matches(receipt, code?.Trim())) return Problems.NotFound();
        var found = await db.Notifications.AsNoTracking().Where(n => n.ReceiptNumber == receipt)
            .Select(n => new { n.ReceiptNumber, n.ReceivedAt, n.Status, Commune = db.Communes.Where(c => c.Code == n.CommuneCode).Select(c => c.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (found is null) return Problems.NotFound();
        return TypedResults.Ok(new ReceiptVerificationDto(found.ReceiptNumber, found.Commune ?? "", VietnamTime.DayOf(found.ReceivedAt), found.Status));
    }

    /// <summary>The receipt, if the caller may see it: the establishment that sent it (404 for anyone else's), or police of
    /// its area (a read of names: audited).</summary>
    private static async Task<(ReceiptViewDto? View, ProblemResult? Denied)> LoadAsync(string number, ReceiptServices s)
    {
        var (http, db, buffer, ct) = (s.Http, s.Db, s.Buffer, s.Ct);
        var receipt = number.Trim();
        if (receipt.Length > 30) return (null, Problems.NotFound());
        var n = await db.Notifications.AsNoTracking().Include(x => x.Guests).FirstOrDefaultAsync(x => x.ReceiptNumber == receipt, ct);
        if (n is null && await buffer.FindIdByReceiptAsync(receipt) is { } pending) n = await buffer.FindPendingAsync(pending);
        var caller = http.Caller();
        if (n is null) return (null, Problems.NotFound());
        if (await NotificationViews.MayReadAsync(http, n) is { } denied) return (null, denied);
        if (caller.IsPolice)
        {
            s.Audit.Record(caller, "receipt.view", "notification", n.Id.ToString(), n.CommuneCode, new { n.ReceiptNumber, people = n.Guests.Count }, http);
            await db.SaveChangesAsync(ct);
        }
        var place = n.EstablishmentId is null ? n.HostName ?? n.Address : await s.Events.PlaceNameAsync(n, ct);
        var commune = await db.Communes.Where(c => c.Code == n.CommuneCode).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? n.CommuneCode;
        return (new ReceiptViewDto(n.ReceiptNumber, n.Status, place, n.Address, commune, n.Room, n.ArrivalAt, n.DepartureAt, n.ReceivedAt, n.DeadlineAt,
            n.Late, n.Guests.OrderBy(g => g.Index).Select(g => new ReceiptGuestDto(g.FullName, g.Nationality, DocumentMask.Mask(g.DocumentNumber))).ToList(),
            s.Codes.Of(n.ReceiptNumber), s.Codes.UrlOf(http.Request, n.ReceiptNumber)), null);
    }
}

/// <summary>A receipt on one A5 page: the police's heading, what was received, the guests, and a QR code of the public
/// verification link (QRCoder's module matrix, drawn with SkiaSharp like the report).</summary>
public static class ReceiptPdf
{
    private const float Width = 420, Height = 595, Margin = 28;

    public static byte[] Write(ReceiptViewDto r)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { Title = $"Biên nhận {r.ReceiptNumber}", Creator = "CuTru.LuuTru" }))
        using (var regular = new SKFont(Reports.ReportPdf.Regular.Value, 9))
        using (var bold = new SKFont(Reports.ReportPdf.Bold.Value, 9))
        using (var title = new SKFont(Reports.ReportPdf.Bold.Value, 12))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            var canvas = document.BeginPage(Width, Height);
            var y = Margin + 10;
            canvas.DrawText($"CÔNG AN {r.CommuneName.ToUpperInvariant()}", Margin, y, SKTextAlign.Left, bold, ink);
            y += 30;
            canvas.DrawText("GIẤY BIÊN NHẬN THÔNG BÁO LƯU TRÚ", Width / 2, y, SKTextAlign.Center, title, ink);
            y += 16;
            canvas.DrawText($"Số: {r.ReceiptNumber}", Width / 2, y, SKTextAlign.Center, bold, ink);
            y += 24;
            static string At(DateTimeOffset t) => VietnamTime.ToVietnam(t).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
            var facts = new List<(string, string)>
            {
                ("Nơi lưu trú", r.PlaceName == r.Address ? r.Address : $"{r.PlaceName} · {r.Address}"),
                ("Phòng", r.Room ?? "—"),
                ("Thời gian đến", At(r.ArrivalAt)),
                ("Dự kiến đi", At(r.DepartureAt)),
                ("Tiếp nhận lúc", At(r.ReceivedAt)),
                ("Hạn thông báo", r.DeadlineAt is { } d ? At(d) + (r.Late ? " (báo muộn)" : "") : "—"),
                ("Trạng thái", Reports.ReportLabels.Status(r.Status)),
            };
            foreach (var (label, value) in facts)
            {
                canvas.DrawText(label, Margin, y, SKTextAlign.Left, regular, ink);
                canvas.DrawText(value, Margin + 95, y, SKTextAlign.Left, bold, ink);
                y += 14;
            }
            y += 8;
            canvas.DrawText($"Khách ({r.Guests.Count})", Margin, y, SKTextAlign.Left, bold, ink);
            y += 14;
            foreach (var (g, i) in r.Guests.Select((g, i) => (g, i)))
            {
                canvas.DrawText($"{i + 1}. {g.FullName} · {g.DocumentMasked ?? "—"} · {Rules.Countries.Of(g.Nationality)?.NameVi ?? g.Nationality}", Margin + 6, y,
                    SKTextAlign.Left, regular, ink);
                y += 13;
            }
            // The QR code of the verification link, bottom right, with the link written under it.
            using var qr = new QRCoder.QRCodeGenerator().CreateQrCode(r.VerifyUrl, QRCoder.QRCodeGenerator.ECCLevel.M);
            var modules = qr.ModuleMatrix;
            const float size = 110;
            var cell = size / modules.Count;
            var (left, top) = (Width - Margin - size, Height - Margin - size - 30);
            for (var row = 0; row < modules.Count; row++)
                for (var col = 0; col < modules.Count; col++)
                    if (modules[row][col]) canvas.DrawRect(left + col * cell, top + row * cell, cell + 0.2f, cell + 0.2f, ink);
            canvas.DrawText("Kiểm tra biên nhận:", Margin, top + 12, SKTextAlign.Left, regular, ink);
            canvas.DrawText($"mã {r.VerifyCode}", Margin, top + 26, SKTextAlign.Left, bold, ink);
            using var small = new SKFont(Reports.ReportPdf.Regular.Value, 6);
            canvas.DrawText(r.VerifyUrl, Width - Margin, Height - Margin - 14, SKTextAlign.Right, small, ink);
            document.EndPage();
        }
        return stream.ToArray();
    }
}
