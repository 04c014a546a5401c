using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>The hub's KBTT-compatible paths (issue 18) as software written for the national system uses them: its token
/// flow with an API key as the account, its JSON arrays for Vietnamese and foreign guests, its departure changes and
/// catalogues, answered in its envelope, all or nothing; what the hub adds (receipts, the police see it at once).</summary>
public sealed class KbttIntakeTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00070"; // Phường Hoàn Kiếm: KBTT 101900070

    private async Task<(EstablishmentDto Hotel, ApiKeyCreatedResponse Key)> HotelAsync(string name = "Khách sạn Hồ Gươm")
    {
        var hotel = await server.CreateEstablishmentAsync(Commune, name: name);
        return (hotel, await server.CreateApiKeyAsync(hotel.Id, "PMS theo chuẩn KBTT"));
    }

    /// <summary>A client pointed at the hub's /kbtt base URL, as a PMS is after changing its base URL.</summary>
    private HttpClient Pms(string? bearer = null)
    {
        var client = server.Anonymous();
        client.BaseAddress = new Uri(server.ClientOptions.BaseAddress, "/kbtt/");
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static async Task<JsonElement> EnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient pms, string username, string password, string grantField = "grant-type") =>
        pms.PostAsync("authorization-service/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["username"] = username, ["password"] = password, [grantField] = "api_cslt" }));

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Two guests of room 301 (one stay) and one of room 302, as a KBTT client writes them.</summary>
    private static string ThreeGuests(string day = "2026-11-20", string doc1 = "001088012345", string doc2 = "001190054321", string doc3 = "001085070777") => $$"""
        [
          {"hoTen":"Nguyễn Văn Khách","gioiTinh":"M","ngayThangNamSinhStr":"1988-02-03","loaiGiayTo":1,"soGiayTo":"{{doc1}}",
           "ngayDenCsltStr":"{{day}} 14:00:00","ngayDiDuKienStr":"2026-11-22 12:00:00","soPhong":"301","lyDoCuTru":1,
           "noiCuTru":1,"maTT":"101","maPX":"101900073","diaChi":"12 Hàng Gai","soDienThoai":"0912345678"},
          {"hoTen":"Trần Thị Khách","gioiTinh":"F","ngayThangNamSinhStr":"1990-07-08","loaiGiayTo":8,"soGiayTo":"{{doc2}}",
           "ngayDenCsltStr":"{{day}} 14:00:00","ngayDiDuKienStr":"2026-11-22 12:00:00","soPhong":"301","lyDoCuTru":1},
          {"hoTen":"Đặng Văn Công Tác","gioiTinh":"M","ngayThangNamSinhStr":"1985-02-03","loaiGiayTo":1,"soGiayTo":"{{doc3}}",
           "ngayDenCsltStr":"{{day}} 15:30:00","ngayDiDuKienStr":"2026-11-21 09:00:00","soPhong":"302","lyDoCuTru":2}
        ]
        """;

    [Fact]
    public async Task The_token_flow_takes_an_api_key_as_the_account_and_answers_with_the_establishments_national_codes()
    {
        var (_, key) = await HotelAsync();
        using var pms = Pms();
        // Any Basic header (upstream's fixed client credential) is ignored.
        pms.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("client:secret")));
        var token = (await EnvelopeAsync(await TokenAsync(pms, key.Prefix, key.ApiKey), HttpStatusCode.OK, "200")).GetProperty("data");
        Assert.Equal("bearer", token.GetProperty("TokenType").GetString());
        Assert.Equal("101", token.GetProperty("MaTTCuaCslt").GetString());
        Assert.Equal("101900070", token.GetProperty("MaPxCuaCslt").GetString());
        Assert.True(token.GetProperty("IsCsltChinh").GetBoolean());
        Assert.Contains("kbtt:create-3th", token.GetProperty("Authorities").EnumerateArray().Select(a => a.GetString()));
        Assert.True(token.GetProperty("Exp").GetInt64() > server.Clock.GetUtcNow().ToUnixTimeSeconds());
        var access = token.GetProperty("AccessToken").GetString()!;
        var refresh = token.GetProperty("RefreshToken").GetString()!;
        Assert.DoesNotContain(key.ApiKey, access);

        // grant_type with an underscore too; a wrong password or another key's prefix: 401 in KBTT's shape.
        await EnvelopeAsync(await TokenAsync(pms, key.Prefix, key.ApiKey, "grant_type"), HttpStatusCode.OK, "200");
        var wrong = key.ApiKey[..^1] + (key.ApiKey[^1] == 'x' ? "y" : "x"); // always another key (one in 62 ended in 'x')
        await EnvelopeAsync(await TokenAsync(pms, key.Prefix, wrong), HttpStatusCode.Unauthorized, "401");
        await EnvelopeAsync(await TokenAsync(pms, "ABCDEFGH", key.ApiKey), HttpStatusCode.Unauthorized, "401");

        // The access token files; a refresh gives a new pair and spends the old refresh token; a revoked token is refused.
        using var filing = Pms(access);
        await EnvelopeAsync(await filing.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[]")), HttpStatusCode.BadRequest, "400"); // authenticated: judged
        var renewed = (await EnvelopeAsync(await pms.PostAsync($"authorization-service/oauth/refresh-token?refresh_token={refresh}", null),
            HttpStatusCode.OK, "200")).GetProperty("data");
        Assert.NotEqual(access, renewed.GetProperty("AccessToken").GetString());
        await EnvelopeAsync(await pms.PostAsync($"authorization-service/oauth/refresh-token?refresh_token={refresh}", null), HttpStatusCode.Unauthorized, "401");
        await EnvelopeAsync(await pms.DeleteAsync($"authorization-service/oauth/revoke?access_token={access}"), HttpStatusCode.OK, "200");
        await EnvelopeAsync(await filing.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[]")), HttpStatusCode.Unauthorized, "401");

        // Without credentials, or with a signed-in person's token (not an establishment's software): 401, KBTT's shape.
        using var nobody = Pms();
        await EnvelopeAsync(await nobody.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[]")), HttpStatusCode.Unauthorized, "401");
        using var admin = await server.SignInAsAdminAsync();
        using var person = Pms(admin.DefaultRequestHeaders.Authorization!.Parameter);
        await EnvelopeAsync(await person.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[]")), HttpStatusCode.Unauthorized, "401");
    }

    [Fact]
    public async Task A_pms_filing_as_for_kbtt_gets_200_with_receipts_the_police_see_the_guests_and_a_resend_answers_the_same()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var (hotel, key) = await HotelAsync("Khách sạn Chuẩn KBTT");
        using var pms = Pms(key.ApiKey); // the API key itself as the bearer token also works
        var body = ThreeGuests();
        var sent = await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(body));
        var answer = await EnvelopeAsync(sent, HttpStatusCode.OK, "200");
        Assert.Equal("Thành công", answer.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("data").ValueKind);
        var receipts = sent.Headers.GetValues("X-LuuTru-Receipts").Single().Split(',');
        Assert.Equal(3, receipts.Length);
        Assert.Equal(receipts[0], receipts[1]); // room 301: one stay
        Assert.NotEqual(receipts[0], receipts[2]);
        Assert.All(receipts, r => Assert.StartsWith("00070-261120-", r));

        // Stored as the hub's own notifications, with what KBTT carried.
        var stored = await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.Include(n => n.Guests)
            .Where(n => n.EstablishmentId == hotel.Id).OrderBy(n => n.ReceiptNumber).ToListAsync()), l => l.Count == 2, intervalMs: 100);
        var (pair, single) = (stored[0], stored[1]);
        Assert.Equal(("Kbtt", "301", StayReason.Tourism, (short?)1), (pair.Channel.ToString(), pair.Room, pair.Reason, pair.ReasonCode));
        Assert.Equal((StayReason.Business, (short?)2), (single.Reason, single.ReasonCode));
        var guest = pair.Guests.Single(g => g.Index == 0);
        Assert.Equal((ResidenceKind.Permanent, "00082", "12 Hàng Gai", "0912345678"), // maPX 101900073 is Phường Cửa Nam (00082)
            (guest.ResidenceKind!.Value, guest.ResidenceCommuneCode, guest.PermanentAddress, guest.Phone));
        Assert.Equal((DocumentKind.CanCuoc, DocumentType.PersonalId), (pair.Guests.Single(g => g.Index == 1).DocumentKind!.Value, pair.Guests.Single(g => g.Index == 1).DocumentType));
        Assert.Equal(Vn("2026-11-20T14:00"), pair.ArrivalAt);

        // The commune's police see them in the day's register and in the night's report.
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        var dashboard = await officer.GetFromJsonAsync<CommuneDashboardDto>($"/api/v1/communes/{Commune}/dashboard?day=2026-11-20", LuuTruServerFactory.Json);
        var lines = dashboard!.Rows.Select(l => l.ReceiptNumber).ToList();
        Assert.Contains(receipts[0], lines);
        Assert.Contains(receipts[2], lines);
        await Expect.Status(await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2026-11-20/rebuild", null), HttpStatusCode.Created);
        var report = await officer.GetStringAsync($"/api/v1/communes/{Commune}/reports/2026-11-20.csv?kind=nightly");
        Assert.Contains("Nguyễn Văn Khách", report);
        Assert.Contains("Đặng Văn Công Tác", report);

        // The same request again (a PMS that lost the answer): the same receipts, nothing stored twice.
        var again = await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(body));
        await EnvelopeAsync(again, HttpStatusCode.OK, "200");
        Assert.Equal(receipts, again.Headers.GetValues("X-LuuTru-Receipts").Single().Split(','));
        Assert.Equal(2, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));

        // Asked for, the receipts come in data too.
        using var asking = Pms(key.ApiKey);
        asking.DefaultRequestHeaders.Add("X-LuuTru-Extensions", "receipts");
        var withData = await EnvelopeAsync(await asking.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(body)), HttpStatusCode.OK, "200");
        Assert.Equal(receipts, withData.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("receiptNumber").GetString()).ToArray());
    }

    [Fact]
    public async Task Any_bad_element_refuses_the_whole_request_in_kbtt_wording_with_each_problem_by_element_and_field()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var (hotel, key) = await HotelAsync("Khách sạn Tất Cả Hoặc Không");
        using var pms = Pms(key.ApiKey);
        var body = ThreeGuests(doc2: "001190054").Replace("\"ngayDenCsltStr\":\"2026-11-20 15:30:00\"", "\"ngayDenCsltStr\":\"20/11/2026 15:30\"");
        var refused = await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(body)), HttpStatusCode.BadRequest, "400");
        var message = refused.GetProperty("message").GetString()!;
        Assert.StartsWith("Bản khai báo 2: Số giấy tờ:", message);
        Assert.Contains(", Bản khai báo 3: Ngày đến CSLT:", message);
        Assert.DoesNotContain("Bản khai báo 1", message);
        var errors = refused.GetProperty("errors");
        Assert.Equal("invalid-personal-id", errors.GetProperty("[1].soGiayTo")[0].GetProperty("code").GetString());
        Assert.Equal("kbtt-invalid-time", errors.GetProperty("[2].ngayDenCsltStr")[0].GetProperty("code").GetString());
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id))); // not even the good one

        // Not an array, empty, a value of the wrong type: said so, in the same envelope.
        await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("{\"hoTen\":\"A\"}")), HttpStatusCode.BadRequest, "400");
        await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[]")), HttpStatusCode.BadRequest, "400");
        var typed = await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody("[{\"hoTen\":\"A\"},{\"loaiGiayTo\":{}}]")),
            HttpStatusCode.BadRequest, "400");
        Assert.True(typed.GetProperty("errors").TryGetProperty("[1].loaiGiayTo", out _));

        // English on request.
        using var english = Pms(key.ApiKey);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var en = await EnvelopeAsync(await english.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(body)), HttpStatusCode.BadRequest, "400");
        Assert.StartsWith("Declaration 2: soGiayTo:", en.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_guest_already_staying_refuses_the_request_naming_the_receipt_and_a_different_guest_in_it_is_not_taken_either()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var (hotel, key) = await HotelAsync("Khách sạn Đang Ở");
        using var pms = Pms(key.ApiKey);
        var first = await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(ThreeGuests(doc1: "001088099001", doc2: "001190099002", doc3: "001085099003")));
        await EnvelopeAsync(first, HttpStatusCode.OK, "200");
        var receipt = first.Headers.GetValues("X-LuuTru-Receipts").Single().Split(',')[0];

        // The first guest again, moved to room 305 (a different request), with a new guest beside them.
        var again = $$"""
            [{"hoTen":"Nguyễn Văn Khách","gioiTinh":"M","ngayThangNamSinhStr":"1988-02-03","loaiGiayTo":1,"soGiayTo":"001088099001",
              "ngayDenCsltStr":"2026-11-20 15:00:00","ngayDiDuKienStr":"2026-11-22 12:00:00","soPhong":"305","lyDoCuTru":1},
             {"hoTen":"Lê Văn Mới","gioiTinh":"M","ngayThangNamSinhStr":"1991-01-01","loaiGiayTo":1,"soGiayTo":"001091099004",
              "ngayDenCsltStr":"2026-11-20 15:00:00","ngayDiDuKienStr":"2026-11-22 12:00:00","soPhong":"306","lyDoCuTru":1}]
            """;
        var refused = await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th", JsonBody(again)), HttpStatusCode.BadRequest, "400");
        Assert.Contains(receipt, refused.GetProperty("message").GetString());
        Assert.Equal("kbtt-already-staying", refused.GetProperty("errors").GetProperty("[0].soGiayTo")[0].GetProperty("code").GetString());
        await Task.Delay(300);
        Assert.Equal(0, await server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.DocumentNumber == "001091099004")));
    }

    [Fact]
    public async Task Foreign_guests_take_kbtt_nationality_codes_year_only_births_and_the_permitted_stay_with_reason_other()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var (hotel, key) = await HotelAsync("Khách sạn Quốc Tế");
        using var pms = Pms(key.ApiKey);
        var body = """
            [{"hoTen":"ANNA MULLER","quocTich":"D","soHoChieu":"C01X00T47","gioiTinh":"F","loaiNgayThangNamSinh":"Y","ngayThangNamSinhStr":"1988-01-01",
              "ngayDenCsltStr":"2026-11-20 13:00:00","ngayDiDuKienStr":"2026-11-25 11:00:00","soPhong":"501","thoiHanTamTruStr":"2026-12-15 00:00:00"},
             {"hoTen":"KIM MIN JUN","quocTich":"KOR","soHoChieu":"M70012345","gioiTinh":"M","loaiNgayThangNamSinh":"D","ngayThangNamSinhStr":"1990-05-06",
              "ngayDenCsltStr":"2026-11-20 13:00:00","ngayDiDuKienStr":"2026-11-25 11:00:00","soPhong":"501","thoiHanTamTruStr":"2026-12-05 00:00:00"}]
            """;
        var sent = await pms.PostAsync("client-service/kbtt/kbtt-3th", JsonBody(body));
        await EnvelopeAsync(sent, HttpStatusCode.OK, "200");
        var n = await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.Include(x => x.Guests)
            .FirstOrDefaultAsync(x => x.EstablishmentId == hotel.Id)), x => x is not null, intervalMs: 100);
        Assert.Equal(StayReason.Other, n!.Reason);
        var anna = n.Guests.Single(g => g.Index == 0);
        Assert.Equal(("DEU", true, new DateOnly(1988, 1, 1), new DateOnly(2026, 12, 15), DocumentType.Passport),
            (anna.Nationality, anna.DateOfBirthYearOnly, anna.DateOfBirth!.Value, anna.VisaValidUntil!.Value, anna.DocumentType));
        Assert.Contains("foreign-details-missing", n.Flags); // no visa number or entry: flagged, not refused

        var unknown = await EnvelopeAsync(await pms.PostAsync("client-service/kbtt/kbtt-3th", JsonBody(body.Replace("\"D\"", "\"ATL\""))),
            HttpStatusCode.BadRequest, "400");
        Assert.Equal("unknown-country", unknown.GetProperty("errors").GetProperty("[0].quocTich")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Departure_changes_check_a_guest_out_early_or_extend_within_30_days_all_or_nothing()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var (hotel, key) = await HotelAsync("Khách sạn Đổi Ngày");
        using var pms = Pms(key.ApiKey);
        await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th",
            JsonBody(ThreeGuests(doc1: "001088077001", doc2: "001190077002", doc3: "001085077003"))), HttpStatusCode.OK, "200");
        await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(x => x.EstablishmentId == hotel.Id && x.Status == NotificationStatus.Recorded)),
            c => c == 2, intervalMs: 100);

        // One bad record refuses all: beyond 30 days from the arrival, and a document not staying here.
        var refused = await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong", JsonBody("""
            [{"loai":"TS","soGiayTo":"001190077002","loaiGiayTo":8},
             {"loai":"GH","soGiayTo":"001085077003","loaiGiayTo":1,"thoiGianStr":"2026-12-25 12:00:00"},
             {"loai":"TS","soGiayTo":"001099000000","loaiGiayTo":1}]
            """)), HttpStatusCode.BadRequest, "400");
        Assert.StartsWith("Bản ghi 2: Thời gian:", refused.GetProperty("message").GetString());
        Assert.Equal("kbtt-not-staying", refused.GetProperty("errors").GetProperty("[2].soGiayTo")[0].GetProperty("code").GetString());
        Assert.Null(await server.WithDbAsync(db => db.NotificationGuests.Where(g => g.DocumentNumber == "001190077002").Select(g => g.CheckedOutAt).SingleAsync()));

        await EnvelopeAsync(await pms.PostAsync("client-service/kbtt-vn/kbtt-3th/doi-ngay-tra-phong", JsonBody("""
            [{"loai":"TS","soGiayTo":"001190077002","loaiGiayTo":8},
             {"loai":"GH","soGiayTo":"001085077003","loaiGiayTo":1,"thoiGianStr":"2026-12-10 12:00:00"}]
            """)), HttpStatusCode.OK, "200");
        Assert.Equal(server.Clock.GetUtcNow(),
            await server.WithDbAsync(db => db.NotificationGuests.Where(g => g.DocumentNumber == "001190077002").Select(g => g.CheckedOutAt).SingleAsync()));
        Assert.Equal(Vn("2026-12-10T12:00"), await server.WithDbAsync(db => db.Notifications
            .Where(n => n.Guests.Any(g => g.DocumentNumber == "001085077003")).Select(n => n.DepartureAt).SingleAsync()));
        // Checked out already: not staying any more.
        await EnvelopeAsync(await pms.PostAsync("client-service/kbtt/kbtt-3th/doi-ngay-tra-phong",
            JsonBody("""[{"loai":"TS","soGiayTo":"001190077002","loaiGiayTo":8}]""")), HttpStatusCode.BadRequest, "400");
    }

    [Fact]
    public async Task The_catalogues_answer_from_the_seeded_tables_without_a_token()
    {
        using var pms = Pms();
        var communes = (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/dm-phuong-xa?trucThuocTinh=101"), HttpStatusCode.OK, "200")).GetProperty("data");
        var cuaNam = communes.EnumerateArray().Single(c => c.GetProperty("maPhuongXa").GetString() == "101900073");
        Assert.Equal(("Phường Cửa Nam", "101"), (cuaNam.GetProperty("tenPhuongXa").GetString(), cuaNam.GetProperty("trucThuocTinh").GetString()));
        Assert.Equal(126, communes.GetArrayLength());
        var provinces = (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/dm-tinh-tp/get-all"), HttpStatusCode.OK, "200")).GetProperty("data");
        Assert.Equal(34, provinces.GetArrayLength());
        var reasons = (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/ly-do-cu-tru/get-all"), HttpStatusCode.OK, "200")).GetProperty("data");
        Assert.Equal(Enumerable.Range(1, 20), reasons.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        var nationalities = (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/dm-qt/3th/get-all"), HttpStatusCode.OK, "200")).GetProperty("data");
        Assert.Contains(nationalities.EnumerateArray(), n => n.GetProperty("maQT").GetString() == "D" && n.GetProperty("tenQTEn").GetString() == "Germany");
        Assert.Equal(9, (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/loai-giay-to/get-all"), HttpStatusCode.OK, "200")).GetProperty("data").GetArrayLength());
        Assert.Equal(3, (await EnvelopeAsync(await pms.GetAsync("cms-backend/public/noi-cu-tru/get-all"), HttpStatusCode.OK, "200")).GetProperty("data").GetArrayLength());
    }
}
