using System.Diagnostics;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>Every error the API writes: a stable code, a Vietnamese message (English when the request
/// asks for it with <c>Accept-Language: en</c>). The README's error table is this list.</summary>
public static class ErrorCatalog
{
    private static readonly Dictionary<string, (string Vi, string En)> Messages = new()
    {
        // Problems (the whole request)
        ["validation-failed"] = ("Dữ liệu gửi lên chưa hợp lệ. Xem chi tiết từng trường.", "Some fields are not valid. See each field's error."),
        ["malformed-json"] = ("Nội dung gửi lên không phải JSON hợp lệ.", "The body is not valid JSON."),
        ["bad-request"] = ("Yêu cầu không hợp lệ.", "The request is not valid."),
        ["invalid-credentials"] = ("Email hoặc mật khẩu không đúng.", "Wrong email or password."),
        ["unauthenticated"] = ("Cần đăng nhập hoặc khóa API hợp lệ.", "Sign in or send a valid API key."),
        ["invalid-api-key"] = ("Khóa API không hợp lệ hoặc đã bị thu hồi.", "The API key is not valid or has been revoked."),
        ["forbidden"] = ("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
        ["not-found"] = ("Không tìm thấy.", "Not found."),
        ["method-not-allowed"] = ("Phương thức không được hỗ trợ cho địa chỉ này.", "This method is not allowed here."),
        ["unsupported-media-type"] = ("Chỉ nhận nội dung application/json.", "Only application/json is accepted."),
        ["conflict"] = ("Xung đột với dữ liệu đã có.", "This conflicts with existing data."),
        ["invalid-state"] = ("Không thể thực hiện thao tác ở trạng thái hiện tại.", "Not possible in the current state."),
        ["rate-limited"] = ("Quá nhiều yêu cầu. Vui lòng thử lại sau.", "Too many requests. Try again later."),
        ["internal-error"] = ("Lỗi hệ thống. Vui lòng thử lại sau.", "Something went wrong on our side. Try again later."),
        ["service-unavailable"] = ("Hệ thống tạm thời không sẵn sàng. Vui lòng thử lại sau.", "The service is temporarily unavailable. Try again later."),
        // Field errors
        ["required"] = ("Trường này là bắt buộc.", "This field is required."),
        ["too-long"] = ("Không được dài quá {0} ký tự.", "Must be at most {0} characters."),
        ["unknown-reason-code"] = ("Mã lý do lưu trú phải từ 1 đến 20 (danh mục của hệ thống quốc gia).",
            "The national reason code must be 1 to 20 (the national system's catalogue)."),
        // The KBTT-compatible paths (/kbtt): KBTT's envelope carries these.
        ["kbtt-success"] = ("Thành công", "Success"),
        ["kbtt-item"] = ("Bản khai báo {0}: {1}", "Declaration {0}: {1}"),
        ["kbtt-record"] = ("Bản ghi {0}: {1}", "Record {0}: {1}"),
        ["kbtt-invalid-credentials"] = ("Tên đăng nhập hoặc mật khẩu không đúng (tên đăng nhập: tiền tố của khóa API; mật khẩu: cả khóa).",
            "Wrong username or password (username: the API key's prefix; password: the whole key)."),
        ["kbtt-invalid-grant"] = ("grant-type phải là api_cslt.", "grant-type must be api_cslt."),
        ["kbtt-invalid-refresh-token"] = ("Refresh token không đúng hoặc đã hết hạn: đăng nhập lại.", "The refresh token is wrong or expired: log in again."),
        ["kbtt-unauthorized"] = ("Chưa xác thực hoặc token đã hết hạn: gửi Authorization: Bearer <token> (hoặc khóa API).",
            "Not authenticated or the token expired: send Authorization: Bearer <token> (or the API key)."),
        ["kbtt-forbidden"] = ("Cơ sở chưa được duyệt hoặc đã bị tạm dừng: chưa thể khai báo.", "The establishment is not approved or is suspended: it cannot file."),
        ["kbtt-not-array"] = ("Nội dung phải là một mảng JSON các bản khai báo.", "The body must be a JSON array of declarations."),
        ["kbtt-empty"] = ("Danh sách khai báo trống.", "The list of declarations is empty."),
        ["kbtt-too-many"] = ("Một lần gửi tối đa {0} bản khai báo.", "At most {0} declarations per request."),
        ["kbtt-invalid-time"] = ("Thời điểm không đọc được: viết theo dạng yyyy-MM-dd HH:mm:ss (giờ Việt Nam), ví dụ 2026-11-30 14:05:00.",
            "Not a time: write yyyy-MM-dd HH:mm:ss (Vietnam time), e.g. 2026-11-30 14:05:00."),
        ["kbtt-already-staying"] = ("Giấy tờ này đang lưu trú tại cơ sở và chưa trả phòng (biên nhận {0}).",
            "This document is staying at the establishment and has not checked out (receipt {0})."),
        ["kbtt-not-staying"] = ("Không có khách nào với giấy tờ này đang lưu trú tại cơ sở.", "No guest with this document is staying at the establishment."),
        ["kbtt-extend-too-far"] = ("Gia hạn không quá {0} ngày kể từ ngày đến.", "An extension may not go beyond {0} days from the arrival."),
        ["kbtt-duplicate-in-request"] = ("Giấy tờ này có hai lần trong cùng một yêu cầu.", "The same document appears twice in the request."),
        ["kbtt-unavailable"] = ("Hệ thống tạm thời không nhận được khai báo; gửi lại sau ít phút (những bản đã nhận sẽ không bị ghi hai lần).",
            "The hub cannot take declarations right now; send again in a few minutes (what was taken is never recorded twice)."),
        ["kbtt-relay-off"] = ("Hệ thống chưa được cấu hình để gửi lên hệ thống quốc gia (LuuTru:Kbtt:UpstreamBaseUrl).",
            "The hub is not set up to file with the national system (LuuTru:Kbtt:UpstreamBaseUrl)."),
        ["kbtt-upstream-unreachable"] = ("Không kết nối được hệ thống quốc gia; thử lại sau.", "The national system cannot be reached; try again later."),
        ["kbtt-login-refused"] = ("Hệ thống quốc gia không chấp nhận tài khoản này: {0}", "The national system refused this account: {0}"),
        ["kbtt-commune-mismatch"] = ("Tài khoản KBTT thuộc xã, phường khác với cơ sở.", "The KBTT account belongs to another commune than the establishment."),
        ["kbtt-commune-mismatch-detail"] = ("Tài khoản thuộc mã {0}, cơ sở thuộc mã {1}.", "The account is of {0}, the establishment of {1}."),
        ["personal-data-in-url"] = ("Tên và số giấy tờ không được nằm trong địa chỉ: tra cứu bằng POST …/notifications/search với q trong thân yêu cầu.",
            "Names and document numbers never go in a URL: search with POST …/notifications/search, q in the body."),
        ["too-short"] = ("Phải có ít nhất {0} ký tự.", "Must be at least {0} characters."),
        ["password-too-common"] = ("Mật khẩu này quá phổ biến hoặc dễ đoán: hãy chọn một câu dài, không phải một từ quen thuộc thêm vài chữ số.",
            "This password is too common or easy to guess: choose a long phrase, not a familiar word with a few digits."),
        ["cannot-disable-self"] = ("Không thể tự khóa tài khoản của chính mình.", "You cannot disable your own account."),
        ["wrong-password"] = ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
        ["invalid-value"] = ("Giá trị không hợp lệ.", "Not a valid value."),
        ["invalid-date"] = ("Ngày không đọc được: viết theo dạng yyyy-MM-dd, ví dụ 1990-03-04.", "Not a date: write yyyy-MM-dd, e.g. 1990-03-04."),
        ["invalid-date-time"] = ("Thời điểm không đọc được: viết theo dạng 2026-11-14T20:15 (giờ Việt Nam) hoặc kèm múi giờ, ví dụ 2026-11-14T20:15:00+07:00.",
            "Not a time: write 2026-11-14T20:15 (Vietnam time) or with an offset, e.g. 2026-11-14T20:15:00+07:00."),
        ["invalid-time"] = ("Giờ không đọc được: viết theo dạng HH:mm, ví dụ 20:15.", "Not a time of day: write HH:mm, e.g. 20:15."),
        ["invalid-choice"] = ("Giá trị không có trong danh sách: {0}.", "Not one of: {0}."),
        ["invalid-boolean"] = ("Phải là true hoặc false.", "Must be true or false."),
        ["invalid-number"] = ("Phải là một số.", "Must be a number."),
        ["invalid-text"] = ("Phải là một chuỗi ký tự trong dấu ngoặc kép.", "Must be text in double quotes."),
        ["invalid-id"] = ("Mã không hợp lệ (cần dạng UUID).", "Not a valid id (a UUID)."),
        ["invalid-list"] = ("Phải là một danh sách […].", "Must be a list […]."),
        ["invalid-object"] = ("Phải là một đối tượng {…}.", "Must be an object {…}."),
        ["invalid-email"] = ("Địa chỉ email không hợp lệ.", "Not a valid email address."),
        ["invalid-phone"] = ("Số điện thoại không hợp lệ (9–15 chữ số, có thể bắt đầu bằng +).", "Not a valid phone number (9–15 digits, may start with +)."),
        ["email-taken"] = ("Email này đã được dùng cho một tài khoản khác.", "This email is already used by another account."),
        ["unknown-province"] = ("Không có tỉnh, thành phố với mã này.", "No province has this code."),
        ["unknown-commune"] = ("Không có xã, phường, đặc khu với mã này.", "No commune has this code."),
        ["unknown-establishment"] = ("Không có cơ sở lưu trú với mã này.", "No establishment has this id."),
        ["not-for-role"] = ("Trường này không dùng cho vai trò {0}.", "This field does not apply to the {0} role."),
        ["commune-outside-province"] = ("Xã, phường {0} không thuộc tỉnh, thành phố đã chọn.", "Commune {0} is not in the chosen province."),
        ["outside-your-area"] = ("Nằm ngoài địa bàn bạn quản lý.", "Outside the area you are responsible for."),
        ["too-many"] = ("Không được quá {0} mục.", "At most {0} items."),
        ["arrival-in-future"] = ("Thời điểm đến không được ở tương lai.", "The arrival must not be in the future."),
        ["departure-too-far"] = ("Thời điểm đi không được quá {0} năm sau thời điểm đến.", "The departure must be within {0} years of the arrival."),
        ["expiry-too-far"] = ("Thời hạn theo dõi không được quá {0} năm kể từ hôm nay.", "The expiry must be within {0} years from today."),
        ["departure-before-arrival"] = ("Thời điểm đi phải sau thời điểm đến.", "The departure must be after the arrival."),
        ["dob-in-future"] = ("Ngày sinh không được sau ngày bắt đầu lưu trú.", "The date of birth must not be after the stay began."),
        ["invalid-personal-id"] = ("Số định danh cá nhân phải gồm đúng 12 chữ số, chữ số thứ 4 từ 0 đến 5.", "A personal ID number is exactly 12 digits, the 4th from 0 to 5."),
        ["unknown-id-province"] = ("Số định danh cá nhân không hợp lệ: {0} không phải mã tỉnh nơi đăng ký khai sinh.", "Not a valid personal ID number: {0} is no province code."),
        ["invalid-cmnd"] = ("Số CMND phải gồm 9 hoặc 12 chữ số.", "A CMND number is 9 or 12 digits."),
        ["cmnd-not-accepted"] = ("Từ 01/07/2026 không dùng CMND: hãy ghi số định danh cá nhân hoặc hộ chiếu.", "Since 2026-07-01 CMND is not accepted: give the personal ID or passport number."),
        ["personal-id-required"] = ("Công dân Việt Nam cần số định danh cá nhân (12 chữ số) hoặc số hộ chiếu; số giấy tờ khác (như giấy phép lái xe) không thay được.", "A Vietnamese citizen needs the personal ID number (12 digits) or a passport number; another document's number (such as a driving licence) does not do."),
        ["invalid-passport"] = ("Số hộ chiếu chỉ gồm chữ và số, tối đa 20 ký tự.", "A passport number is letters and digits, at most 20."),
        ["invalid-vn-passport"] = ("Hộ chiếu Việt Nam gồm 1 chữ cái và 7 chữ số (ví dụ C1234567).", "A Vietnamese passport is one letter and 7 digits (e.g. C1234567)."),
        ["unknown-country"] = ("Quốc tịch phải là mã ISO 3166-1 gồm 3 chữ cái (ví dụ VNM, USA).", "The nationality must be an ISO 3166-1 alpha-3 code (e.g. VNM, USA)."),
        ["document-required"] = ("Người từ 14 tuổi trở lên phải có số định danh cá nhân hoặc số hộ chiếu.", "Anyone aged 14 or more needs a personal ID or passport number."),
        ["duplicate-document"] = ("Số giấy tờ này trùng với khách số {0} trong cùng thông báo.", "This document number is the same as guest {0}'s in this notification."),
        ["document-not-for-foreigner"] = ("Người nước ngoài khai báo bằng hộ chiếu hoặc giấy tờ khác.", "Foreign guests are declared with a passport or another document."),
        ["entry-after-arrival"] = ("Ngày nhập cảnh không được sau ngày đến.", "The entry date must not be after the arrival."),
        ["idempotency-key-reused"] = ("Idempotency-Key này đã dùng cho một yêu cầu khác nội dung.", "This Idempotency-Key was used for a request with another body."),
        ["already-staying-here"] = ("Khách đã được thông báo lưu trú tại đây và chưa trả phòng: không thông báo lại.", "A guest is already notified as staying here and has not checked out: not notified again."),
        ["already-staying-here-receipt"] = ("Đang lưu trú tại đây theo thông báo {0}.", "Already staying here under notification {0}."),
        ["invalid-idempotency-key"] = ("Idempotency-Key phải có 1–100 ký tự ASCII nhìn thấy được.", "An Idempotency-Key is 1-100 visible ASCII characters."),
        ["in-future"] = ("Thời điểm này không được ở tương lai.", "This time must not be in the future."),
        ["received-before-arrival"] = ("Thời điểm tiếp nhận không được sớm hơn thời điểm đến quá một ngày.", "The reception time cannot be more than a day before the arrival."),
        ["not-later"] = ("Thời điểm đi mới phải sau thời điểm đi đã báo.", "The new departure must be later than the one notified."),
        ["notification-cancelled"] = ("Thông báo này đã bị hủy.", "This notification was cancelled."),
        ["establishment-not-pending"] = ("Chỉ từ chối được hồ sơ đang chờ duyệt.", "Only a pending application can be turned down."),
        ["notification-not-staying"] = ("Khách đã trả phòng hoặc thông báo đã bị hủy.", "The guests have checked out or the notification was cancelled."),
        ["notification-not-recorded-yet"] = ("Thông báo vừa được tiếp nhận, đang ghi vào sổ. Vui lòng thử lại sau 1 giây.", "Just accepted and still being recorded. Try again in a second."),
        ["establishment-not-approved"] = ("Cơ sở lưu trú chưa được duyệt hoặc đang bị tạm dừng.", "The establishment is not approved or is suspended."),
        ["invalid-document-number"] = ("Số giấy tờ gồm 6–20 chữ cái hoặc chữ số.", "A document number is 6-20 letters or digits."),
        ["in-past"] = ("Thời điểm này phải ở tương lai.", "This time must be in the future."),
        ["to-before-from"] = ("Thời điểm kết thúc phải sau thời điểm bắt đầu.", "The end must be after the start."),
        ["unreadable-date"] = ("Không đọc được ngày: ghi theo dạng 31/12/1990 hoặc 1990-12-31.", "Not a date: write 31/12/1990 or 1990-12-31."),
        ["unreadable-time"] = ("Không đọc được thời điểm: ghi theo dạng 31/12/2026 14:30 hoặc 2026-12-31 14:30.", "Not a time: write 31/12/2026 14:30 or 2026-12-31 14:30."),
        ["unknown-reason"] = ("Lý do không có trong danh mục (ví dụ: Du lịch, Làm việc, Thăm thân).", "Not a reason of the code table (e.g. tourism, work, visiting-family)."),
        ["unknown-gender"] = ("Giới tính ghi Nam hoặc Nữ.", "Gender is Nam (male) or Nữ (female)."),
        ["unknown-document-type"] = ("Loại giấy tờ ghi CCCD, Hộ chiếu, CMND, Khác hoặc Không có.", "The document type is CCCD, Hộ chiếu (passport), CMND, Khác (other) or Không có (none)."),
        ["unreadable-file"] = ("Không đọc được tệp: dùng mẫu CSV (UTF-8) hoặc XLSX tải từ hệ thống.", "The file cannot be read: use the CSV (UTF-8) or XLSX template."),
        ["missing-columns"] = ("Tệp thiếu cột: {0}.", "The file lacks the columns: {0}."),
        ["empty-file"] = ("Tệp không có dòng dữ liệu nào.", "The file has no data rows."),
        ["file-too-large"] = ("Tệp lớn quá {0} MB.", "The file is larger than {0} MB."),
        ["branch-of-branch"] = ("Cơ sở chính phải là cơ sở chính, không phải chi nhánh.", "The main establishment must not itself be a branch."),
    };

    public static string Message(string code, bool english, params object[] args)
    {
        if (!Messages.TryGetValue(code, out var m)) m = Messages["invalid-value"];
        var template = english ? m.En : m.Vi;
        return args.Length == 0 ? template : string.Format(System.Globalization.CultureInfo.InvariantCulture, template, args);
    }

    public static IReadOnlyDictionary<string, (string Vi, string En)> All => Messages;

    /// <summary>English only when the caller's first preferred language is English; Vietnamese otherwise.</summary>
    public static bool PrefersEnglish(HttpContext context)
    {
        var header = context.Request.Headers.AcceptLanguage.ToString();
        return header.TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase);
    }

    public static string CodeForStatus(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        415 => "unsupported-media-type",
        422 => "idempotency-key-reused",
        429 => "rate-limited",
        503 => "service-unavailable",
        _ => status >= 500 ? "internal-error" : "bad-request",
    };
}

/// <summary>Collects field errors keyed by the field's JSON path (<c>guests[1].document.number</c>).</summary>
public sealed class FieldErrors
{
    private readonly List<(string Path, string Code, object[] Args)> _items = [];

    public bool Any => _items.Count > 0;

    /// <summary>Each error: its path, code and the arguments of its message.</summary>
    public IEnumerable<(string Path, string Code, object[] Args)> Items => _items;
    public int Count => _items.Count;

    public FieldErrors Add(string path, string code, params object[] args)
    {
        _items.Add((path, code, args));
        return this;
    }

    public bool Has(string path) => _items.Any(i => i.Path == path);

    /// <summary>Adds every error of another collection.</summary>
    public FieldErrors Merge(FieldErrors other)
    {
        _items.AddRange(other._items);
        return this;
    }

    /// <summary>Puts values that could not be read (<see cref="JsonBody{T}"/>) over the errors found at the same paths or
    /// under them: a date that did not parse is that, not also "required".</summary>
    public FieldErrors Overlay(FieldErrors? valueErrors)
    {
        if (valueErrors is null || !valueErrors.Any) return this;
        var paths = valueErrors._items.Select(i => i.Path).ToHashSet(StringComparer.Ordinal);
        _items.RemoveAll(i => paths.Contains(i.Path) || paths.Any(p => i.Path.StartsWith(p + ".", StringComparison.Ordinal)
            || i.Path.StartsWith(p + "[", StringComparison.Ordinal)));
        _items.AddRange(valueErrors._items);
        return this;
    }

    /// <summary>Any error at a path that does not start with <paramref name="prefix"/>.</summary>
    public bool AnyOutside(string prefix) => _items.Any(i => !i.Path.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The errors under <paramref name="prefix"/> (<c>notifications[3]</c>), re-rooted there: a batch item's own.</summary>
    public FieldErrors Under(string prefix)
    {
        var under = new FieldErrors();
        foreach (var i in _items)
            if (i.Path.StartsWith(prefix + ".", StringComparison.Ordinal)) under._items.Add((i.Path[(prefix.Length + 1)..], i.Code, i.Args));
            else if (i.Path.StartsWith(prefix + "[", StringComparison.Ordinal) || i.Path == prefix) under._items.Add((i.Path[prefix.Length..], i.Code, i.Args));
        return under;
    }

    /// <summary>Checks a required text field and its length in one go. Returns the cleaned value.</summary>
    public string? Text(string path, string? value, int maxLength, bool required = true)
    {
        var cleaned = Infrastructure.Text.Clean(value);
        if (string.IsNullOrEmpty(cleaned))
        {
            if (required) Add(path, "required");
            return null;
        }
        if (cleaned.Length > maxLength) Add(path, "too-long", maxLength);
        return cleaned;
    }

    public Dictionary<string, FieldError[]> ToDictionary(bool english) => Render(english);

    internal Dictionary<string, FieldError[]> Render(bool english) =>
        _items.GroupBy(i => i.Path)
            .ToDictionary(g => g.Key, g => g.Select(i => new FieldError(i.Code, ErrorCatalog.Message(i.Code, english, i.Args))).ToArray());
}

/// <summary>Typed problem results. Messages are rendered when the response is written, in the caller's language.</summary>
public sealed class ProblemResult(int status, string code, FieldErrors? errors = null, string? detailCode = null, object[]? detailArgs = null)
    : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;
    public string Code => code;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var english = ErrorCatalog.PrefersEnglish(httpContext);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ErrorCatalog.Message(code, english),
            Detail = detailCode is null ? null : ErrorCatalog.Message(detailCode, english, detailArgs ?? []),
        };
        problem.Extensions["code"] = code;
        if (errors is { Any: true }) problem.Extensions["errors"] = errors.Render(english);
        httpContext.Response.StatusCode = status;
        var service = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }
}

public static class Problems
{
    /// <summary>429 with Retry-After: the seconds until the limiting window ends (at least 1).</summary>
    public static ProblemResult RateLimited(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Max(1, retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemResult(429, "rate-limited");
    }

    public static ProblemResult Validation(FieldErrors errors) => new(400, "validation-failed", errors);
    public static ProblemResult Validation(string path, string code, params object[] args) =>
        new(400, "validation-failed", new FieldErrors().Add(path, code, args));
    public static ProblemResult Conflict(string path, string code) => new(409, "conflict", new FieldErrors().Add(path, code));
    public static ProblemResult NotFound() => new(404, "not-found");
    public static ProblemResult Forbidden() => new(403, "forbidden");
    public static ProblemResult InvalidState(string detailCode) => new(409, "invalid-state", detailCode: detailCode);
    public static ProblemResult InvalidCredentials() => new(401, "invalid-credentials");

    /// <summary>Problem details for every error response: code and localized title filled in, a trace id, never an exception's text.</summary>
    public static IServiceCollection AddLuuTruProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ctx =>
        {
            var p = ctx.ProblemDetails;
            var status = p.Status ?? ctx.HttpContext.Response.StatusCode;
            p.Status = status;
            if (!p.Extensions.TryGetValue("code", out var code) || code is not string)
            {
                var derived = ErrorCatalog.CodeForStatus(status);
                p.Extensions["code"] = derived;
                p.Title = ErrorCatalog.Message(derived, ErrorCatalog.PrefersEnglish(ctx.HttpContext));
                p.Detail = null;
            }
            p.Type ??= $"https://luutru.example/errors/{p.Extensions["code"]}";
            p.Instance ??= ctx.HttpContext.Request.Path;
            p.Extensions.Remove("exception");
            p.Extensions["traceId"] = Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<LuuTruExceptionHandler>();
        return services;
    }
}

/// <summary>Turns unreadable bodies into 400 problems that name the field, and anything else into a 500 without details.</summary>
internal sealed class LuuTruExceptionHandler(ILogger<LuuTruExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemResult result;
        if (exception is UnreadableValuesException unreadable)
            result = Problems.Validation(unreadable.Errors);
        else if (exception is BadHttpRequestException bad)
        {
            var json = FindJsonException(bad);
            // The endpoint as it was (the exception handler middleware clears it from the context before handlers run).
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            if (json is not null && JsonValues.IsValueError(json) && bodyType is not null && JsonValues.Segments(json.Path) is { Count: > 0 } segments)
            {
                // JSON, but a value that does not fit its field: a field error (endpoints with many fields read their
                // body as JsonBody<T> and report every such value at once).
                var (code, args) = JsonValues.Describe(bodyType, segments);
                result = Problems.Validation(JsonValues.ToFieldPath(segments), code, args);
            }
            else if (json is not null)
            {
                var path = JsonPath(json.Path);
                result = new ProblemResult(400, "malformed-json", path is null ? null : new FieldErrors().Add(path, "invalid-value"));
            }
            else if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
                result = new ProblemResult(415, "unsupported-media-type");
            else
                result = new ProblemResult(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "bad-request");
        }
        else if (Transient.Is(exception))
        {
            // A dependency is down: say so, and when to try again, rather than "internal error".
            logger.LogWarning("{Method} {Path} failed: a dependency is unavailable ({Error})", httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "5";
            result = new ProblemResult(503, "service-unavailable");
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            result = new ProblemResult(500, "internal-error");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is JsonException j) return j;
        return null;
    }

    /// <summary><c>$.guests[1].document.number</c> → <c>guests[1].document.number</c>.</summary>
    internal static string? JsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
