using System.Text.Json.Serialization;

namespace CuTru.LuuTru.Contracts;

// The national stay-notification system's (KBTT) wire shapes, as documented (shared/domain/kbtt-api.md): the hub's
// /kbtt paths speak them to software written for KBTT, and the relay speaks them upstream. Names are KBTT's own,
// fixed by attribute so that no naming policy can change them.

/// <summary>Every KBTT answer: <c>code</c> "200" with <c>data</c>, or "400" (a business error: <c>message</c> lists each
/// problem as "Bản khai báo N: …"), "401", "403", "500".</summary>
public sealed record KbttEnvelope<T>(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] T? Data);

/// <summary>A KBTT error answer from the hub: KBTT's envelope, plus (the hub's addition) each problem by field, keyed by
/// the element's position in the array (from 0) and KBTT's field name: <c>[1].soGiayTo</c>.</summary>
public sealed record KbttErrorEnvelope(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? Data,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, FieldError[]>? Errors = null);

/// <summary>The token answer (<c>data</c> of <c>POST /authorization-service/oauth/token</c> and of its refresh).</summary>
public sealed record KbttTokenData(
    [property: JsonPropertyName("AccessToken")] string AccessToken,
    [property: JsonPropertyName("RefreshToken")] string RefreshToken,
    [property: JsonPropertyName("TokenType")] string TokenType,
    [property: JsonPropertyName("Exp")] long Exp,
    [property: JsonPropertyName("Authorities")] IReadOnlyList<string> Authorities,
    [property: JsonPropertyName("ClientId")] int ClientId,
    [property: JsonPropertyName("LoaiTK")] string LoaiTK,
    [property: JsonPropertyName("CsltId")] string CsltId,
    [property: JsonPropertyName("CsltKhuVuc")] int CsltKhuVuc,
    [property: JsonPropertyName("CsltDonVi")] int CsltDonVi,
    [property: JsonPropertyName("MaTTCuaCslt")] string MaTTCuaCslt,
    [property: JsonPropertyName("MaPxCuaCslt")] string MaPxCuaCslt,
    [property: JsonPropertyName("IsCsltChinh")] bool IsCsltChinh);

/// <summary>A Vietnamese guest (<c>POST /client-service/kbtt-vn/kbtt-3th</c>, a JSON array of these). Times
/// <c>yyyy-MM-dd HH:mm:ss</c>, Vietnam time; dates <c>yyyy-MM-dd</c>.</summary>
public sealed record KbttVietnameseGuest
{
    [JsonPropertyName("hoTen")] public string? HoTen { get; init; }
    [JsonPropertyName("gioiTinh")] public string? GioiTinh { get; init; }
    [JsonPropertyName("soDienThoai")] public string? SoDienThoai { get; init; }
    [JsonPropertyName("ngayThangNamSinhStr")] public string? NgayThangNamSinhStr { get; init; }
    [JsonPropertyName("ghiChu")] public string? GhiChu { get; init; }
    [JsonPropertyName("noiCuTru")] public long? NoiCuTru { get; init; }
    [JsonPropertyName("maTT")] public string? MaTT { get; init; }
    [JsonPropertyName("maPX")] public string? MaPX { get; init; }
    [JsonPropertyName("diaChi")] public string? DiaChi { get; init; }
    [JsonPropertyName("ngayDenCsltStr")] public string? NgayDenCsltStr { get; init; }
    [JsonPropertyName("ngayDiDuKienStr")] public string? NgayDiDuKienStr { get; init; }
    [JsonPropertyName("soPhong")] public string? SoPhong { get; init; }
    [JsonPropertyName("lyDoCuTru")] public long? LyDoCuTru { get; init; }
    [JsonPropertyName("lyDoChiTiet")] public string? LyDoChiTiet { get; init; }
    [JsonPropertyName("loaiGiayTo")] public long? LoaiGiayTo { get; init; }
    [JsonPropertyName("soGiayTo")] public string? SoGiayTo { get; init; }
    [JsonPropertyName("anhTruocB64")] public string? AnhTruocB64 { get; init; }
    [JsonPropertyName("anhSauB64")] public string? AnhSauB64 { get; init; }
}

/// <summary>A foreign guest (<c>POST /client-service/kbtt/kbtt-3th</c>, a JSON array of these).</summary>
public sealed record KbttForeignGuest
{
    [JsonPropertyName("hoTen")] public string? HoTen { get; init; }
    [JsonPropertyName("quocTich")] public string? QuocTich { get; init; }
    [JsonPropertyName("soHoChieu")] public string? SoHoChieu { get; init; }
    [JsonPropertyName("gioiTinh")] public string? GioiTinh { get; init; }
    /// <summary><c>D</c>: the whole date is known; <c>Y</c>: only the year (the date is then <c>YYYY-01-01</c>).</summary>
    [JsonPropertyName("loaiNgayThangNamSinh")] public string? LoaiNgayThangNamSinh { get; init; }
    [JsonPropertyName("ngayThangNamSinhStr")] public string? NgayThangNamSinhStr { get; init; }
    [JsonPropertyName("ngayDenCsltStr")] public string? NgayDenCsltStr { get; init; }
    [JsonPropertyName("ngayDiDuKienStr")] public string? NgayDiDuKienStr { get; init; }
    [JsonPropertyName("soPhong")] public string? SoPhong { get; init; }
    [JsonPropertyName("anhHoChieuB64")] public string? AnhHoChieuB64 { get; init; }
    /// <summary>The end of the permitted stay (visa or exemption).</summary>
    [JsonPropertyName("thoiHanTamTruStr")] public string? ThoiHanTamTruStr { get; init; }
}

/// <summary>An early departure (<c>TS</c>) or an extension (<c>GH</c>) of a Vietnamese guest still staying
/// (<c>POST /client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong</c>, a JSON array of these).</summary>
public sealed record KbttDepartureChange
{
    [JsonPropertyName("loai")] public string? Loai { get; init; }
    [JsonPropertyName("soGiayTo")] public string? SoGiayTo { get; init; }
    [JsonPropertyName("loaiGiayTo")] public long? LoaiGiayTo { get; init; }
    [JsonPropertyName("thoiGianStr")] public string? ThoiGianStr { get; init; }
}

/// <summary>What the hub adds to a KBTT success: each element's receipt (header <c>X-LuuTru-Receipts</c>, and
/// <c>data</c> when asked for with <c>X-LuuTru-Extensions: receipts</c>).</summary>
public sealed record KbttReceipt(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("receiptNumber")] string ReceiptNumber,
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("late")] bool Late,
    [property: JsonPropertyName("deadlineAt")] DateTimeOffset? DeadlineAt);

/// <summary>API 6: a nationality.</summary>
public sealed record KbttNationalityItem(
    [property: JsonPropertyName("maQT")] string MaQT,
    [property: JsonPropertyName("tenQT")] string TenQT,
    [property: JsonPropertyName("tenQTEn")] string TenQTEn);

/// <summary>API 7: a province.</summary>
public sealed record KbttProvinceItem(
    [property: JsonPropertyName("maTT")] string MaTT,
    [property: JsonPropertyName("tenTT")] string TenTT,
    [property: JsonPropertyName("tenTTEn")] string TenTTEn,
    [property: JsonPropertyName("maTTChu")] string MaTTChu);

/// <summary>API 8: a commune of a province.</summary>
public sealed record KbttCommuneItem(
    [property: JsonPropertyName("maPhuongXa")] string MaPhuongXa,
    [property: JsonPropertyName("tenPhuongXa")] string TenPhuongXa,
    [property: JsonPropertyName("tenPhuongXaEn")] string TenPhuongXaEn,
    [property: JsonPropertyName("trucThuocTinh")] string TrucThuocTinh);

/// <summary>APIs 9–11: a reason, a document type, a residence kind.</summary>
public sealed record KbttCodeItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name);

/// <summary>Body of <c>PUT /api/v1/establishments/{id}/kbtt-link</c>: the establishment's account on the national system.</summary>
public sealed record KbttLinkRequest(string? Username, string? Password);

/// <summary>An establishment's link to the national system (<c>GET /api/v1/establishments/{id}/kbtt-link</c>): never the
/// password. <paramref name="RelayConfigured"/>: the hub has an upstream to file with. <paramref name="Guests"/>: how many
/// of its guests' filings stand in each relay state (pending, sent, rejected, unknown, manual-required).</summary>
public sealed record KbttLinkDto(bool Linked, string? Username, string? KbttProvinceCode, string? KbttCommuneCode, DateTimeOffset? LinkedAt,
    DateTimeOffset? LastLoginAt, string? LastError, DateTimeOffset? LastErrorAt, bool RelayConfigured, IReadOnlyDictionary<string, int> Guests);

/// <summary>A guest's filing on the national system as the relay last left it.</summary>
/// <param name="State"><c>pending</c>, <c>sent</c>, <c>rejected</c>, <c>unknown</c> or <c>manual-required</c>.</param>
/// <param name="Kind">What was (or is to be) sent: <c>declare-vn</c>, <c>declare-foreign</c>, <c>early-checkout</c>,
/// <c>extend</c>, <c>correction</c>, <c>cancellation</c>.</param>
/// <param name="Code">Upstream's answer code; <paramref name="Message"/> its message (or why the hub did not send).</param>
public sealed record UpstreamStateDto(string State, string Kind, DateTimeOffset? SentAt, int Attempts, string? Code, string? Message);
