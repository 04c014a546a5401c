using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>Answers in KBTT's envelope (<c>{code, message, data}</c>, the code a string) with the hub's messages, in the
/// caller's language (Vietnamese unless English is asked for).</summary>
public static class KbttAnswers
{
    public static IResult Ok<T>(T? data, HttpContext http) =>
        TypedResults.Json(new KbttEnvelope<T>("200", ErrorCatalog.Message("kbtt-success", ErrorCatalog.PrefersEnglish(http)), data));

    /// <summary>An error without field detail (authentication, an unreadable body, a refusal of the whole call).</summary>
    public static IResult Error(int status, string messageCode, params object[] args) => new ErrorResult(status, messageCode, args, null, "kbtt-item");

    /// <summary>A business error (400) of elements of the array: KBTT's one sentence, "Bản khai báo N: …" per problem
    /// (N from 1; "Bản ghi N" for departure changes), plus each problem keyed <c>[i].field</c> (i from 0).</summary>
    public static IResult Rejected(FieldErrors errors, string itemCode = "kbtt-item") => new ErrorResult(400, null, [], errors, itemCode);

    private sealed class ErrorResult(int status, string? messageCode, object[] args, FieldErrors? errors, string itemCode) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var english = ErrorCatalog.PrefersEnglish(http);
            var message = messageCode is not null
                ? ErrorCatalog.Message(messageCode, english, args)
                : string.Join(", ", errors!.Items.OrderBy(e => ElementNumber(e.Path)) // stable: each element's problems in the order found
                    .Select(e => ErrorCatalog.Message(itemCode, english, ElementNumber(e.Path), Describe(e.Path, e.Code, e.Args, english))));
            var body = new KbttErrorEnvelope(status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, null,
                errors is { Any: true } ? errors.ToDictionary(english) : null);
            http.Response.StatusCode = status;
            return http.Response.WriteAsJsonAsync(body, http.RequestAborted);
        }
    }

    /// <summary>"[2].soGiayTo" → 3 (KBTT counts from 1).</summary>
    private static int ElementNumber(string path) =>
        path.StartsWith('[') && path.IndexOf(']') is var end and > 1 && int.TryParse(path.AsSpan(1, end - 1), out var i) ? i + 1 : 1;

    private static string Describe(string path, string code, object[] args, bool english)
    {
        var field = path.IndexOf("].", StringComparison.Ordinal) is var dot and >= 0 ? path[(dot + 2)..] : "";
        var message = ErrorCatalog.Message(code, english, args);
        if (field.Length == 0) return message;
        var label = english ? field : Labels.GetValueOrDefault(field, field);
        return $"{label}: {message}";
    }

    /// <summary>KBTT's fields as its own messages name them.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["hoTen"] = "Họ tên", ["gioiTinh"] = "Giới tính", ["soDienThoai"] = "Số điện thoại", ["ngayThangNamSinhStr"] = "Ngày sinh",
        ["loaiNgayThangNamSinh"] = "Loại ngày sinh", ["noiCuTru"] = "Nơi cư trú", ["maTT"] = "Tỉnh/thành phố", ["maPX"] = "Phường/xã/đặc khu",
        ["diaChi"] = "Địa chỉ", ["ngayDenCsltStr"] = "Ngày đến CSLT", ["ngayDiDuKienStr"] = "Ngày đi dự kiến", ["soPhong"] = "Số phòng",
        ["lyDoCuTru"] = "Lý do cư trú", ["lyDoChiTiet"] = "Lý do chi tiết", ["loaiGiayTo"] = "Loại giấy tờ", ["soGiayTo"] = "Số giấy tờ",
        ["quocTich"] = "Quốc tịch", ["soHoChieu"] = "Số hộ chiếu", ["thoiHanTamTruStr"] = "Thời hạn tạm trú", ["loai"] = "Loại",
        ["thoiGianStr"] = "Thời gian", ["ghiChu"] = "Ghi chú",
    };
}
