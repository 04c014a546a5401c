using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Refit;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The relay: files each linked establishment's guests with the national system from the outbox. Any process may
/// run it; an establishment is served by one process at a time (a PostgreSQL advisory lock), one request at a time, and a
/// row's state changes only after its answer is recorded. Timeouts and 5xx after sending leave the outcome unknown: the
/// request is sent once more after two minutes, and upstream's "already staying" then settles it as sent. A crash
/// mid-request is found later as a request in flight, and treated the same way.</summary>
public sealed class KbttRelayWorker(IServiceScopeFactory scopes, KbttUpstream upstream, IKbttApi api, IOptions<KbttOptions> options, TimeProvider clock,
    Police.PoliceFeed feed, Police.PoliceEvents events, ProcessRoles roles, ILogger<KbttRelayWorker> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.RelayEnabled || !roles.Relay || !o.UpstreamConfigured) return;
        logger.LogInformation("KBTT relay started (upstream {Upstream})", new Uri(o.UpstreamBaseUrl!).GetLeftPart(UriPartial.Authority));
        while (!ct.IsCancellationRequested)
        {
            try { await PassAsync(ct); }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError("KBTT relay pass failed: {Error}", e.GetType().Name); // a failed pass never stops the host
            }
            try { await Task.Delay(TimeSpan.FromMilliseconds(o.RelayPollMilliseconds), clock, ct); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>One pass: every establishment with something due, a few at a time.</summary>
    public async Task PassAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
            var now = clock.GetUtcNow();
            due = await db.KbttRelay.Where(r => (r.State == RelayState.Pending || (r.State == RelayState.Unknown && !r.Resent)) && r.NextAttemptAt <= now)
                // the longest-waiting establishments first (an order: Take without one warned on every pass and served any 200)
                .GroupBy(r => r.EstablishmentId).OrderBy(g => g.Min(r => r.NextAttemptAt)).Select(g => g.Key).Take(200).ToListAsync(ct);
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.RelayConcurrency, CancellationToken = ct },
            async (establishment, token) => await ServeAsync(establishment, token));
    }

    /// <summary>One establishment's due rows, oldest first, one request at a time, under its lock.</summary>
    private async Task ServeAsync(Guid establishment, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LuuTruDb>();
        await db.Database.OpenConnectionAsync(ct);
        var key = $"kbtt-relay:{establishment:N}";
        try
        {
            if (!await db.Database.SqlQuery<bool>($"select pg_try_advisory_lock(hashtextextended({key}, 0)) as \"Value\"").SingleAsync(ct)) return;
            try
            {
                var now = clock.GetUtcNow();
                var rows = await db.KbttRelay.Where(r => r.EstablishmentId == establishment && r.NextAttemptAt <= now
                        && (r.State == RelayState.Pending || (r.State == RelayState.Unknown && !r.Resent)))
                    .OrderBy(r => r.Id).Take(100).ToListAsync(ct);
                foreach (var row in rows)
                {
                    if (!await SendAsync(db, row, ct)) break; // the account or upstream failed: the rest waits with it
                }
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"select pg_advisory_unlock(hashtextextended({key}, 0))", CancellationToken.None);
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>Sends one row and records what came of it; false when the establishment's other rows should wait too.</summary>
    private async Task<bool> SendAsync(LuuTruDb db, KbttRelayItem row, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        // Found in flight: this process (or another) stopped while its request was out. Sent or not, nobody knows.
        if (row.InFlightSince is { } since && row.State == RelayState.Pending)
        {
            (row.State, row.InFlightSince, row.NextAttemptAt, row.Message) = (RelayState.Unknown, null, since.AddSeconds(o.RelayUnknownResendSeconds),
                "Không rõ kết quả (máy chủ dừng khi đang gửi): sẽ gửi lại");
            await db.SaveChangesAsync(ct);
            return true;
        }

        var n = await db.Notifications.AsNoTracking().Include(x => x.Guests).FirstOrDefaultAsync(x => x.Id == row.NotificationId, ct);
        var guest = n?.Guests.FirstOrDefault(g => g.Index == row.GuestIndex);
        if (n is null || guest is null) return await SettleAsync(db, row, RelayState.ManualRequired, null, "Thông báo không còn trong sổ", ct);

        // A departure change waits for the guest's declaration; without one upstream, it cannot be sent.
        if (row.Kind is RelayKind.EarlyCheckout or RelayKind.Extend)
        {
            var declared = await db.KbttRelay.AsNoTracking().Where(r => r.NotificationId == row.NotificationId && r.GuestIndex == row.GuestIndex
                && (r.Kind == RelayKind.DeclareVn || r.Kind == RelayKind.DeclareForeign)).Select(r => (RelayState?)r.State).FirstOrDefaultAsync(ct);
            if (declared is RelayState.Pending or RelayState.Unknown) return true; // later, after it
            if (declared is not RelayState.Sent)
                return await SettleAsync(db, row, RelayState.ManualRequired, null, "Khách chưa được khai trên hệ thống quốc gia", ct);
        }

        // Upstream takes only today's or yesterday's arrivals: an older one goes by the portal's file.
        if (row.Kind is RelayKind.DeclareVn or RelayKind.DeclareForeign && VietnamTime.DayOf(n.ArrivalAt) < VietnamTime.DayOf(now).AddDays(-1))
            return await SettleAsync(db, row, RelayState.ManualRequired, null,
                "Hệ thống quốc gia chỉ nhận khách đến hôm nay hoặc hôm qua: khai trên cổng bằng tệp xuất của ngày", ct);

        string path;
        object payload;
        string? missing;
        switch (row.Kind)
        {
            case RelayKind.DeclareVn:
                (var vn, missing) = KbttPayloads.Vietnamese(n, guest);
                (path, payload) = ("/client-service/kbtt-vn/kbtt-3th", new[] { vn! });
                break;
            case RelayKind.DeclareForeign:
                (var f, missing) = KbttPayloads.Foreign(n, guest);
                (path, payload) = ("/client-service/kbtt/kbtt-3th", new[] { f! });
                break;
            case RelayKind.EarlyCheckout or RelayKind.Extend:
                (var change, missing) = KbttPayloads.Departure(guest, row.Kind == RelayKind.EarlyCheckout, row.Until);
                (path, payload) = ("/client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong", new[] { change! });
                break;
            default:
                return await SettleAsync(db, row, RelayState.ManualRequired, null, "Hệ thống quốc gia không có chức năng này: sửa trên cổng", ct);
        }
        if (missing is not null) return await SettleAsync(db, row, RelayState.ManualRequired, null, missing, ct);

        var (token, failure) = await upstream.TokenAsync(row.EstablishmentId, db, ct);
        if (token is null)
        {
            // Not sent: wait and try again (a wrong password waits for the establishment to link again).
            await BackOffAsync(db, row, failure?.Refusal is { } refusal ? $"Đăng nhập hệ thống quốc gia không được: {refusal}" : "Không kết nối được hệ thống quốc gia", ct);
            return false;
        }

        var wasUncertain = row.State == RelayState.Unknown;
        if (wasUncertain) row.Resent = true;
        row.InFlightSince = now;
        row.Attempts++;
        await db.SaveChangesAsync(ct);

        var watch = Stopwatch.StartNew();
        IApiResponse<KbttEnvelope<object>>? answer = null;
        Exception? error = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(o.RequestTimeoutSeconds));
            try
            {
                answer = payload switch
                {
                    KbttVietnameseGuest[] v => await api.DeclareVietnameseAsync(v, token, timeout.Token),
                    KbttForeignGuest[] f => await api.DeclareForeignAsync(f, token, timeout.Token),
                    _ => await api.ChangeDepartureAsync((KbttDepartureChange[])payload, token, timeout.Token),
                };
            }
            catch (Exception e) when (KbttUpstream.Unreachable(e, ct)) { error = e; }
        }
        // Refit may hand a failure of the connection back as an answer without a status: that is no answer at all.
        if (answer is { StatusCode: null }) (error, answer) = (answer.Error?.InnerException ?? answer.Error, null);
        var body = answer?.Content is { } c ? JsonSerializer.Serialize(c, Json) : (answer?.Error as ApiException)?.Content;
        db.KbttRelayExchanges.Add(new KbttRelayExchange
        {
            ItemId = row.Id, At = now, Path = path, Request = JsonSerializer.Serialize(payload, Json), HttpStatus = answer?.StatusCode is { } sc ? (int)sc : null,
            Response = body is { Length: > 4000 } ? body[..4000] : body ?? error?.GetType().Name, DurationMs = (int)watch.ElapsedMilliseconds,
        });
        row.InFlightSince = null;

        if (answer is null)
        {
            // Refused before anything left: not sent. Anything else (a timeout, a reset): it may have arrived.
            if (error is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound } }
                || error?.InnerException is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound } })
            {
                row.Attempts--; // nothing was sent
                if (wasUncertain) row.Resent = false; // nor the one resend it is owed
                await BackOffAsync(db, row, "Không kết nối được hệ thống quốc gia", ct);
                return false;
            }
            return await UncertainAsync(db, row, wasUncertain, "Không nhận được trả lời (quá thời gian chờ)", ct);
        }
        var status = (int)(answer.StatusCode ?? 0);
        // A 4xx answer's body is not deserialized by Refit: read KBTT's envelope from it.
        var envelope = answer.Content ?? Envelope((answer.Error as ApiException)?.Content);
        var code = envelope?.Code;
        var message = envelope?.Message ?? (answer.Error as ApiException)?.Content;
        if (status == 401)
        {
            upstream.Forget(row.EstablishmentId); // the token: log in again next time
            row.Attempts--;
            if (wasUncertain) row.Resent = false; // refused at the door: the one resend it is owed is still to come
            await BackOffAsync(db, row, "Token hết hạn, đăng nhập lại", ct, immediately: true);
            return true;
        }
        if (status is >= 200 and < 300 && code == "200") return await SettleAsync(db, row, RelayState.Sent, code, message, ct, sent: true);
        if (code == "400" && status is (>= 200 and < 300) or 400)
        {
            // What we sent before without an answer is there already: upstream says the guest is staying.
            if (wasUncertain && AlreadyThere(message)) return await SettleAsync(db, row, RelayState.Sent, code, message, ct, sent: true);
            return await SettleAsync(db, row, RelayState.Rejected, code, message, ct);
        }
        if (status >= 500) return await UncertainAsync(db, row, wasUncertain, $"HTTP {status}", ct);
        return await SettleAsync(db, row, RelayState.Rejected, status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, ct);
    }

    private static KbttEnvelope<object>? Envelope(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonSerializer.Deserialize<KbttEnvelope<object>>(text); } catch (JsonException) { return null; }
    }

    /// <summary>Upstream's refusal of a guest still staying ("…đang tạm trú tại CSLT và chưa checkout") or of an overlapping period.</summary>
    private static bool AlreadyThere(string? message) =>
        message is not null && (message.Contains("chưa checkout", StringComparison.OrdinalIgnoreCase) || message.Contains("đang tạm trú", StringComparison.OrdinalIgnoreCase)
            || message.Contains("trùng", StringComparison.OrdinalIgnoreCase));

    private async Task<bool> UncertainAsync(LuuTruDb db, KbttRelayItem row, bool resentAlready, string message, CancellationToken ct)
    {
        row.State = RelayState.Unknown;
        row.Message = resentAlready ? message + "; đã gửi lại một lần: cần kiểm tra trên cổng" : message + "; sẽ gửi lại sau 2 phút";
        row.NextAttemptAt = clock.GetUtcNow().AddSeconds(options.Value.RelayUnknownResendSeconds);
        await SaveWithEventAsync(db, row, ct);
        return true;
    }

    /// <summary>The row's new state, and the police's line of the notification as it now stands upstream, in one
    /// transaction; the dashboards are told after it commits.</summary>
    private async Task SaveWithEventAsync(LuuTruDb db, KbttRelayItem row, CancellationToken ct)
    {
        var n = await db.Notifications.AsNoTracking().Include(x => x.Guests).FirstOrDefaultAsync(x => x.Id == row.NotificationId, ct);
        if (n is null) { await db.SaveChangesAsync(ct); return; }
        var others = await db.KbttRelay.AsNoTracking().Where(r => r.NotificationId == row.NotificationId && r.Id != row.Id)
            .Select(r => new { r.Id, r.GuestIndex, r.State }).ToListAsync(ct);
        var summary = KbttRelayViews.Summary(others.Select(r => (r.Id, r.GuestIndex, r.State)).Append((row.Id, row.GuestIndex, row.State)));
        await feed.SaveAndPublishAsync(db, [Police.PoliceEvents.Changed(n, "upstream", await events.PlaceNameAsync(n, ct), clock.GetUtcNow(), summary)], ct);
    }

    private async Task BackOffAsync(LuuTruDb db, KbttRelayItem row, string message, CancellationToken ct, bool immediately = false)
    {
        var o = options.Value;
        row.Message = message;
        var wait = Math.Min(o.RelayMaxBackoffSeconds, o.RelayMinBackoffSeconds * Math.Pow(2, Math.Max(0, row.Attempts)));
        row.Attempts++;
        row.NextAttemptAt = immediately ? clock.GetUtcNow() : clock.GetUtcNow().AddSeconds(wait);
        row.InFlightSince = null;
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> SettleAsync(LuuTruDb db, KbttRelayItem row, RelayState state, string? code, string? message, CancellationToken ct, bool sent = false)
    {
        row.State = state;
        row.Code = code;
        row.Message = message is { Length: > 1000 } ? message[..1000] : message;
        row.InFlightSince = null;
        if (sent) row.SentAt = clock.GetUtcNow();
        await SaveWithEventAsync(db, row, ct);
        logger.LogInformation("KBTT relay: {Kind} of guest {Index} of notification {Notification}: {State}", row.Kind, row.GuestIndex, row.NotificationId, state);
        return true;
    }
}
