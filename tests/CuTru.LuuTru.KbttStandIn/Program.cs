using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CuTru.LuuTru.Contracts;

// A stand-in for the national stay-notification system (KBTT), behaving as its API document says (shared/domain/kbtt-api.md):
// the token flow, the two filing endpoints with their documented checks and wording, the departure changes, "already
// staying", business errors as HTTP 200 with body code "400" when told to. Accounts come from KBTT_STANDIN_ACCOUNTS
// ("user:password:maTT:maPX;…") or POST /_standin/accounts. Failures on demand: POST /_standin/fail {mode, count}, mode
// one of timeout (no answer, nothing recorded), error-500 (nothing recorded), drop-after-accept (recorded, then the connection
// dropped), accept-then-hang (recorded, then no answer for a minute),
// http200-code400 (a business error answered with HTTP 200), expire-tokens (every token refused once). GET /_standin/filings
// lists what was accepted, in order.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
var vietnam = TimeSpan.FromHours(7);
var tokenLifetime = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("KBTT_STANDIN_TOKEN_SECONDS"), out var s) ? s : 3600);

var accounts = new ConcurrentDictionary<string, Account>();
foreach (var a in (Environment.GetEnvironmentVariable("KBTT_STANDIN_ACCOUNTS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
{
    var p = a.Split(':');
    accounts[p[0]] = new Account(p[0], p[1], p[2], p[3]);
}
var tokens = new ConcurrentDictionary<string, (string User, DateTimeOffset Exp)>();
var refreshTokens = new ConcurrentDictionary<string, string>();
var staying = new ConcurrentDictionary<(string User, string Document), DateTimeOffset>();
var filings = new ConcurrentQueue<Filing>();
var failures = new ConcurrentQueue<string>();
var gate = new SemaphoreSlim(1, 1);
var calls = new ConcurrentDictionary<string, int>(); // token, refresh: how often each was called

IResult Answer(string code, string message, object? data = null, int status = 200) =>
    Results.Json(new { code, message, data }, statusCode: status);

KbttTokenData Issue(Account account)
{
    var (access, refresh) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
    var exp = DateTimeOffset.UtcNow + tokenLifetime;
    tokens[access] = (account.User, exp);
    refreshTokens[refresh] = account.User;
    return new KbttTokenData(access, refresh, "bearer", exp.ToUnixTimeSeconds(), ["kbtt:create-3th", "CLIENT_API_CSLT"], 7, "CSLT",
        "cslt-" + account.User, 1, 1, account.MaTT, account.MaPX, true);
}

string? Caller(HttpContext http)
{
    var auth = http.Request.Headers.Authorization.ToString();
    if (!auth.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
    return tokens.TryGetValue(auth[7..], out var t) && t.Exp > DateTimeOffset.UtcNow ? t.User : null;
}

app.MapPost("/authorization-service/oauth/token", async (HttpContext http) =>
{
    calls.AddOrUpdate("token", 1, (_, n) => n + 1);
    var form = await http.Request.ReadFormAsync();
    if (form["grant-type"] != "api_cslt" || !accounts.TryGetValue(form["username"].ToString(), out var account) || account.Password != form["password"])
        return Answer("401", "Tên đăng nhập hoặc mật khẩu không đúng", status: 401);
    return Answer("200", "Thành công", Issue(account));
});
app.MapPost("/authorization-service/oauth/refresh-token", (string refresh_token) =>
    calls.AddOrUpdate("refresh", 1, (_, n) => n + 1) > 0 && refreshTokens.TryRemove(refresh_token, out var user) && accounts.TryGetValue(user, out var account)
        ? Answer("200", "Thành công", Issue(account))
        : Answer("401", "Refresh token không hợp lệ", status: 401));

// The filings: one at a time, as a single system of record would serialise them per account.
async Task<IResult> FileAsync<T>(HttpContext http, string kind, Func<T, int, string, List<string>, (string Document, DateTimeOffset Departure)?> check)
{
    if (failures.TryPeek(out var mode) && mode == "expire-tokens") { failures.TryDequeue(out _); tokens.Clear(); }
    var user = Caller(http);
    if (user is null) return Answer("401", "Unauthorized", status: 401);
    failures.TryDequeue(out var failure);
    if (failure == "timeout") { await Task.Delay(TimeSpan.FromSeconds(60), http.RequestAborted); return Answer("500", "late"); }
    if (failure == "error-500") return Answer("500", "Lỗi hệ thống", status: 500);
    List<T>? items;
    try { items = await JsonSerializer.DeserializeAsync<List<T>>(http.Request.Body); }
    catch (JsonException) { return Answer("400", "Dữ liệu không hợp lệ", status: 400); }
    if (items is null || items.Count == 0) return Answer("400", "Danh sách khai báo trống", status: 400);
    await gate.WaitAsync();
    try
    {
        var problems = new List<string>();
        var accepted = new List<(string Document, DateTimeOffset Departure)>();
        for (var i = 0; i < items.Count; i++)
        {
            var mine = new List<string>();
            var ok = check(items[i], i, user, mine);
            if (ok is { } a && staying.TryGetValue((user, a.Document), out var until) && until > DateTimeOffset.UtcNow)
                mine.Add($"Số giấy tờ {a.Document} đang tạm trú tại CSLT và chưa checkout");
            problems.AddRange(mine.Select(m => $"Bản khai báo {i + 1}: {m}"));
            if (mine.Count == 0 && ok is { } good) accepted.Add(good);
        }
        if (problems.Count > 0)
            return Answer("400", string.Join(", ", problems), status: failure == "http200-code400" ? 200 : 400);
        foreach (var a in accepted)
        {
            staying[(user, a.Document)] = a.Departure;
            filings.Enqueue(new Filing(user, kind, a.Document, DateTimeOffset.UtcNow));
        }
    }
    finally { gate.Release(); }
    if (failure == "drop-after-accept") { http.Abort(); return Results.Empty; }
    if (failure == "accept-then-hang") { await Task.Delay(TimeSpan.FromSeconds(60), http.RequestAborted); return Answer("200", "Thành công"); }
    return Answer("200", "Thành công");
}

DateTimeOffset? Time(string? text) =>
    DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? new DateTimeOffset(t, vietnam) : null;
DateOnly Today() => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(vietnam).DateTime);

// The documented checks (§5): arrival today or yesterday, departure on or after yesterday and the arrival, document rules.
(string, DateTimeOffset)? Stay(string? arrivalText, string? departureText, List<string> problems)
{
    var (arrival, departure) = (Time(arrivalText), Time(departureText));
    if (arrival is null) { problems.Add("Ngày đến Cslt không đúng định dạng"); return null; }
    if (departure is null) { problems.Add("Ngày đi dự kiến không đúng định dạng"); return null; }
    var day = DateOnly.FromDateTime(arrival.Value.DateTime);
    if (day != Today() && day != Today().AddDays(-1)) problems.Add("Ngày đến Cslt phải là ngày hiện tại hoặc hôm qua");
    if (departure < arrival) problems.Add("Ngày đi dự kiến phải sau ngày đến");
    return ("", departure.Value);
}

app.MapPost("/client-service/kbtt-vn/kbtt-3th", (HttpContext http, CancellationToken _) => FileAsync<KbttVietnameseGuest>(http, "vn", (g, i, user, problems) =>
{
    if (string.IsNullOrWhiteSpace(g.HoTen)) problems.Add("Họ tên không được để trống");
    if (g.GioiTinh is not ("M" or "F")) problems.Add("Giới tính không hợp lệ");
    if (g.LyDoCuTru is null or < 1 or > 20) problems.Add("Lý do cư trú không hợp lệ");
    var number = g.SoGiayTo ?? "";
    var valid = g.LoaiGiayTo switch
    {
        1 or 8 => number.Length == 12 && number.All(char.IsAsciiDigit),
        2 => number.Length is 9 or 12 && number.All(char.IsAsciiDigit),
        3 or 6 => number.Length is > 0 and <= 20 && number.All(char.IsAsciiLetterOrDigit),
        4 => number.Length is > 0 and <= 10 && number.All(char.IsAsciiLetterOrDigit),
        5 or 7 => number.Length > 0 && number.All(char.IsAsciiLetterOrDigit),
        _ => false,
    };
    if (!valid) problems.Add("Số giấy tờ không hợp lệ");
    var stay = Stay(g.NgayDenCsltStr, g.NgayDiDuKienStr, problems);
    return stay is { } st && problems.Count == 0 ? (number, st.Item2) : null;
}));

app.MapPost("/client-service/kbtt/kbtt-3th", (HttpContext http, CancellationToken _) => FileAsync<KbttForeignGuest>(http, "foreign", (g, i, user, problems) =>
{
    if (string.IsNullOrWhiteSpace(g.HoTen)) problems.Add("Họ tên không được để trống");
    if (string.IsNullOrWhiteSpace(g.QuocTich)) problems.Add("Quốc tịch không được để trống");
    if (string.IsNullOrWhiteSpace(g.SoHoChieu)) problems.Add("Số hộ chiếu không được để trống");
    if (Time(g.ThoiHanTamTruStr) is not { } permitted || DateOnly.FromDateTime(permitted.DateTime) < Today())
        problems.Add("Thời hạn tạm trú phải từ ngày hiện tại trở đi");
    var stay = Stay(g.NgayDenCsltStr, g.NgayDiDuKienStr, problems);
    return stay is { } st && problems.Count == 0 ? (g.SoHoChieu!, st.Item2) : null;
}));

async Task<IResult> DepartureAsync(HttpContext http)
{
    var user = Caller(http);
    if (user is null) return Answer("401", "Unauthorized", status: 401);
    var items = await JsonSerializer.DeserializeAsync<List<KbttDepartureChange>>(http.Request.Body);
    if (items is null || items.Count == 0) return Answer("400", "Danh sách trống", status: 400);
    var problems = new List<string>();
    for (var i = 0; i < items.Count; i++)
        if (!staying.TryGetValue((user, items[i].SoGiayTo ?? ""), out var until) || until <= DateTimeOffset.UtcNow)
            problems.Add($"Bản ghi {i + 1}: Không tìm thấy khách đang lưu trú với số giấy tờ này");
    if (problems.Count > 0) return Answer("400", string.Join(", ", problems), status: 400);
    foreach (var c in items)
    {
        if (c.Loai == "TS") staying.TryRemove((user, c.SoGiayTo!), out _);
        else if (Time(c.ThoiGianStr) is { } t) staying[(user, c.SoGiayTo!)] = t;
        filings.Enqueue(new Filing(user, c.Loai == "TS" ? "early-checkout" : "extend", c.SoGiayTo!, DateTimeOffset.UtcNow));
    }
    return Answer("200", "Thành công");
}
app.MapPost("/client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong", (HttpContext http, CancellationToken _) => DepartureAsync(http));

app.MapPost("/_standin/accounts", (Account a) => { accounts[a.User] = a; return Results.NoContent(); });
app.MapPost("/_standin/fail", (Failure f) => { for (var i = 0; i < f.Count; i++) failures.Enqueue(f.Mode); return Results.NoContent(); });
app.MapGet("/_standin/filings", () => filings.ToArray());
app.MapGet("/_standin/health", () => "ok");
app.MapGet("/_standin/calls", () => calls.ToDictionary());
app.Run();

record Account(string User, string Password, string MaTT, string MaPX);
record Filing(string User, string Kind, string Document, DateTimeOffset At);
record Failure(string Mode, int Count);
