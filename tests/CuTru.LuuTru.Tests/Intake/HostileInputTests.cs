using System.Net;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Defects found by attacking the running hub (issue 16), each retried as it was found: what is answered 202 is
/// stored, invisible characters do not hide a name, where a person stays is the police's to know, dates out of any
/// sense are field errors, not 500s.</summary>
public sealed class HostileInputTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00118"; // Phường Bồ Đề: no other class notifies there

    [Fact]
    public async Task A_nul_character_in_any_text_field_never_yields_a_receipt_for_a_notification_that_is_then_lost()
    {
        server.Clock.Set(Vn("2026-11-22T20:00"));
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var body = """
            {"stay": {"arrivalAt": "2026-11-22T19:00", "departureAt": "2026-11-23T12:00", "reason": "tourism", "room": "3\u000001"},
             "guests": [{"fullName": "Trần\u0000 Văn Nul", "dateOfBirth": "1990-03-04", "document": {"type": "personal-id", "number": "001090060001"}}],
             "externalRef": "BK\u0000-9"}
            """;
        var response = await hotel.PostAsync("/api/v1/notifications", new StringContent(body, Encoding.UTF8, "application/json"));
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        // Answered 202, so it is in the register: with the invisible byte gone.
        var stored = await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
        Assert.Equal(("301", "Trần Văn Nul", "BK-9"), (stored.Room!, stored.Guests[0].FullName, stored.ExternalRef!));

        // The household form too.
        using var family = server.Anonymous();
        var visit = new HouseholdNotificationRequest(new HostDto("Lê Thị\0 Chủ", "0912 600 001", new DocumentDto(DocumentType.PersonalId, "001180060002")),
            new StayDto(Vn("2026-11-22T18:00"), Vn("2026-11-24T08:00"), StayReason.VisitingFamily, Address: "Số 7\0 ngõ Bồ Đề", CommuneCode: Commune),
            [new GuestDto("Lê Văn\0 Khách", new DateOnly(2000, 1, 1), null, new DocumentDto(DocumentType.PersonalId, "001200060003"))]);
        var sent = await family.PostAsJsonAsync("/api/v1/household-notifications", visit, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var householdReceipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var recorded = await Eventually.UntilAsync(
            () => server.WithDbAsync(db => db.Notifications.Include(n => n.Guests).AsNoTracking().FirstOrDefaultAsync(n => n.Id == householdReceipt.Id)),
            n => n is not null);
        Assert.Equal(("Số 7 ngõ Bồ Đề", "Lê Thị Chủ", "Lê Văn Khách"), (recorded!.Address, recorded.HostName!, recorded.Guests[0].FullName));
    }

    [Fact]
    public async Task Invisible_characters_are_removed_at_intake_so_a_name_is_found_and_shown_as_written()
    {
        server.Clock.Set(Vn("2026-11-22T20:00"));
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        var hidden = new NotificationRequest(new StayDto(Vn("2026-11-22T19:30"), Vn("2026-11-23T12:00"), StayReason.Tourism),
            [new GuestDto("Nguy\u200Bễn Văn \u202EẨn\uFEFF", new DateOnly(1991, 2, 3), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001091060004"))]);
        var response = await hotel.PostAsJsonAsync("/api/v1/notifications", hidden, LuuTruServerFactory.Json);
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var stored = await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
        Assert.Equal("Nguyễn Văn Ẩn", stored.Guests[0].FullName);

        var found = await officer.SearchAsync($"/api/v1/communes/{Commune}", "nguyen van an");
        Assert.Contains(found.Items, n => n.Id == receipt.Id);
        Assert.Equal("Nguyễn Văn Ẩn", Text.Clean("Nguy\u200Bễn\tVăn\r\n\u202EẨn\u0000"));
        Assert.Equal("Kim Min-jun 김민준", Text.Clean("Kim Min-jun 김민준")); // letters of every script stay
    }

    [Fact]
    public async Task Where_a_person_is_staying_is_shown_to_the_police_and_never_to_a_submitter_or_a_validate_call()
    {
        server.Clock.Set(Vn("2026-11-22T21:00"));
        using var first = await Stays.HotelClientAsync(server, Commune);
        using var second = await Stays.HotelClientAsync(server, Commune);
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        var staying = await first.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-22T14:00"), "001090060005"), LuuTruServerFactory.Json);
        await Expect.Status(staying, HttpStatusCode.Accepted);
        await IntakeTests.WaitRecordedAsync(first, (await staying.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);

        var elsewhere = Stays.One(Vn("2026-11-22T20:30"), "001090060005");
        var validated = await second.PostAsJsonAsync("/api/v1/notifications/validate", elsewhere, LuuTruServerFactory.Json);
        await Expect.Status(validated, HttpStatusCode.OK);
        Assert.DoesNotContain((await validated.Content.ReadFromJsonAsync<ValidationResultDto>(LuuTruServerFactory.Json))!.Flags, f => f.Code == "staying-elsewhere");
        var batch = await second.PostAsJsonAsync("/api/v1/notifications/batch/validate", new BatchRequest([elsewhere]), LuuTruServerFactory.Json);
        Assert.DoesNotContain((await batch.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!.Items[0].Flags ?? [], f => f.Code == "staying-elsewhere");

        var sent = await second.PostAsJsonAsync("/api/v1/notifications", elsewhere, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.DoesNotContain(receipt.Flags, f => f.Code == "staying-elsewhere");
        var own = await IntakeTests.WaitRecordedAsync(second, receipt.Id);
        Assert.DoesNotContain(own.Flags, f => f.Code == "staying-elsewhere");
        // Recorded all the same, for the police.
        var seen = (await officer.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{receipt.Id}", LuuTruServerFactory.Json))!;
        Assert.Contains(seen.Flags, f => f.Code == "staying-elsewhere");
    }

    [Fact]
    public async Task Dates_out_of_any_sense_are_field_errors_and_break_nothing_afterwards()
    {
        server.Clock.Set(Vn("2026-11-22T21:00"));
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        var (_, supervisor) = await server.CreateSupervisorAsync("01");

        var farExpiry = await supervisor.PostAsync("/api/v1/watchlist", new StringContent(
            """{"documentNumber": "001090060099", "reason": "Kiểm tra", "expiresAt": "9999-12-31T23:59:59+07:00"}""", Encoding.UTF8, "application/json"));
        Expect.Field(await Expect.Problem(farExpiry, HttpStatusCode.BadRequest, "validation-failed"), "expiresAt", "invalid-date-time");
        var tooFar = await supervisor.PostAsJsonAsync("/api/v1/watchlist",
            new { documentNumber = "001090060099", reason = "Kiểm tra", expiresAt = Vn("2031-01-01T00:00") }, LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(tooFar, HttpStatusCode.BadRequest, "validation-failed"), "expiresAt", "expiry-too-far");
        await Expect.Status(await supervisor.GetAsync("/api/v1/watchlist"), HttpStatusCode.OK);

        var body = """
            {"stay": {"arrivalAt": "2026-11-22T19:00", "departureAt": "2040-01-01T12:00", "reason": "tourism"},
             "guests": [{"fullName": "Đỗ Văn Xa", "dateOfBirth": "9999-01-01", "document": {"type": "personal-id", "number": "001090060006"}}]}
            """;
        var problem = await Expect.Problem(await hotel.PostAsync("/api/v1/notifications", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "stay.departureAt", "departure-too-far");
        Expect.Field(problem, "guests[0].dateOfBirth", "invalid-date");

        var ok = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-22T20:00"), "001090060007"), LuuTruServerFactory.Json);
        var receipt = (await ok.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
        var extend = await hotel.PostAsync($"/api/v1/notifications/{receipt.Id}/extend", new StringContent(
            """{"departureAt": "9999-12-31T00:00"}""", Encoding.UTF8, "application/json"));
        Expect.Field(await Expect.Problem(extend, HttpStatusCode.BadRequest, "validation-failed"), "departureAt", "invalid-date-time");
        var extendFar = await hotel.PostAsJsonAsync($"/api/v1/notifications/{receipt.Id}/extend", new ExtendRequest(Vn("2035-01-01T00:00")), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(extendFar, HttpStatusCode.BadRequest, "validation-failed"), "departureAt", "departure-too-far");
        await Expect.Problem(await officer.GetAsync($"/api/v1/communes/{Commune}/reports/9999-12-31"), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task A_search_by_document_number_is_audited_with_the_number_masked()
    {
        server.Clock.Set(Vn("2026-11-22T21:00"));
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await officer.SearchAsync($"/api/v1/communes/{Commune}", "001090060123");
        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>($"/api/v1/audit?action=notification.search&communeCode={Commune}&limit=50",
            LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.Details!.Contains("001*******23"));
        Assert.DoesNotContain(trail.Items, a => a.Details!.Contains("001090060123"));
    }

    [Fact]
    public async Task A_formula_in_a_guests_name_reaches_the_police_csv_as_text_not_as_a_formula()
    {
        server.Clock.Set(Vn("2026-11-21T20:00"));
        using var family = server.Anonymous();
        const string formula = "=HYPERLINK(\"http://x.example\",\"Bấm\")";
        var visit = new HouseholdNotificationRequest(new HostDto("Lê Thị Chủ", "0912 600 009", new DocumentDto(DocumentType.PersonalId, "001180060010")),
            new StayDto(Vn("2026-11-21T18:00"), Vn("2026-11-23T08:00"), StayReason.VisitingFamily, Address: "@SUM(1+1) ngõ Bồ Đề", CommuneCode: Commune),
            [new GuestDto(formula, new DateOnly(2000, 1, 1), null, new DocumentDto(DocumentType.PersonalId, "001200060011"))]);
        var sent = await family.PostAsJsonAsync("/api/v1/household-notifications", visit, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var id = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id;
        await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Id == id)), found => found);

        server.Clock.Set(Vn("2026-11-21T23:00"));
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await Expect.Status(await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2026-11-21/rebuild", null), HttpStatusCode.Created);
        var bytes = await (await officer.GetAsync($"/api/v1/communes/{Commune}/reports/2026-11-21.csv")).Content.ReadAsByteArrayAsync();
        var rows = Csv.Read(Encoding.UTF8.GetString(bytes[3..])).Select(r => r.Fields).ToList();
        var name = rows[0].ToList().IndexOf("Họ và tên");
        var place = rows[0].ToList().IndexOf("Cơ sở / địa chỉ");
        var line = rows.Single(r => r[name].Contains("HYPERLINK"));
        Assert.Equal("'" + formula, line[name]);
        Assert.Equal("'@SUM(1+1) ngõ Bồ Đề", line[place]);
    }

    [Fact]
    public async Task Every_police_read_of_personal_data_leaves_a_trace_with_how_many_people()
    {
        const string commune = "00127"; // Phường Việt Hưng: this test alone
        server.Clock.Set(Vn("2026-11-22T21:00"));
        using var hotel = await Stays.HotelClientAsync(server, commune);
        var (officerUser, officer) = await server.CreateOfficerAsync(commune);
        await using var live = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", Stays.One(Vn("2026-11-22T20:00"), "001090060200"), LuuTruServerFactory.Json);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);

        await Expect.Status(await officer.GetAsync($"/api/v1/communes/{commune}/dashboard"), HttpStatusCode.OK);
        await Expect.Status(await officer.GetAsync($"/api/v1/notifications/{receipt.Id}/history"), HttpStatusCode.OK);
        await Expect.Status(await officer.GetAsync("/api/v1/watchlist/hits"), HttpStatusCode.OK);
        await Expect.Status(await officer.GetAsync("/api/v1/watchlist"), HttpStatusCode.OK);
        var resumed = await live.Connection.InvokeAsync<ResumeResult>("Resume", new Dictionary<string, long> { [commune] = 0 });
        Assert.True(resumed.Replayed >= 1);

        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>($"/api/v1/audit?actorId={officerUser.Id}&limit=100", LuuTruServerFactory.Json))!.Items;
        foreach (var action in new[] { "live.connect", "dashboard.view", "notification.history", "watchlist.hits", "watchlist.list", "live.resume" })
            Assert.Contains(trail, a => a.Action == action);
        int People(string action) => System.Text.Json.JsonDocument.Parse(trail.First(a => a.Action == action).Details!).RootElement.GetProperty("people").GetInt32();
        Assert.Equal((1, 1), (People("dashboard.view"), People("live.resume")));
        Assert.Equal(commune, trail.First(a => a.Action == "notification.history").CommuneCode);
    }

    [Fact]
    public async Task A_page_of_another_site_cannot_use_an_officers_session_for_the_live_feed_or_a_change()
    {
        server.Clock.Set(Vn("2026-11-22T21:00"));
        var (officerUser, _) = await server.CreateOfficerAsync(Commune);
        // The session cookie alone, as a browser sends it.
        using var session = server.Anonymous();
        var login = await session.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(officerUser.Email, LuuTruServerFactory.Password), LuuTruServerFactory.Json);
        await Expect.Status(login, HttpStatusCode.OK);
        session.DefaultRequestHeaders.Add("Cookie", login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("luutru_session=")).Split(';')[0]);
        var own = server.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        HttpRequestMessage Enter(string? origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/communes/{Commune}/notifications/validate")
            {
                Content = JsonContent.Create(new OfficerNotificationRequest(null, null, null, null, "phone"), options: LuuTruServerFactory.Json),
            };
            if (origin is not null) request.Headers.Add("Origin", origin);
            return request;
        }
        await Expect.Problem(await session.SendAsync(Enter("https://evil.example")), HttpStatusCode.Forbidden, "forbidden");
        // From the hub's own page the same call goes through (and is judged: nothing was filled in).
        await Expect.Problem(await session.SendAsync(Enter(own)), HttpStatusCode.BadRequest, "validation-failed");

        var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/police/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "https://sibling.example");
        await Expect.Problem(await session.SendAsync(negotiate), HttpStatusCode.Forbidden, "forbidden");

        // An upload is the file itself, never a form or text/plain (which a foreign page could post without asking).
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var plain = await hotel.PostAsync("/api/v1/notifications/upload?mode=preview", new StringContent("Họ và tên\r\nA", Encoding.UTF8, "text/plain"));
        await Expect.Problem(plain, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Pages_and_personal_data_carry_the_security_headers()
    {
        using var client = server.Anonymous();
        var page = await client.GetAsync("/");
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var api = await hotel.GetAsync("/api/v1/notifications");
        Assert.True(api.Headers.CacheControl?.NoStore, "personal data must not be cached");
    }

}

/// <summary>Settings that must not stay as shipped (issue 16, 14): no server needed.</summary>
public sealed class SecretSettingsTests
{
    [Theory]
    [InlineData("CHANGE-ME-TO-A-RANDOM-STRING-OF-48-CHARACTERS-OR-MORE", "placeholder")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "different characters")]
    [InlineData("abababababababababababababababababababab12", "different characters")]
    public void A_shipped_placeholder_or_a_low_entropy_signing_key_stops_the_start_naming_the_setting(string key, string why)
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { SigningKey = key });
        Assert.True(result.Failed);
        Assert.Contains("LuuTru:Auth:SigningKey", result.FailureMessage);
        Assert.Contains(why, result.FailureMessage);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { SigningKey = "q8W1zR4tYp0Lk9vN3sXb7Hc2Jm6Fd5Ge" }).Succeeded);
        Assert.True(new BootstrapOptionsValidator().Validate(null, new BootstrapOptions { AdminEmail = "a@b.vn", AdminPassword = "CHANGE-ME-NOW" }).Failed);
    }

    [Fact]
    public void A_phone_in_a_key_or_record_is_a_keyed_pseudonym_not_a_bare_hash()
    {
        Pseudonyms With(string key) => new(Microsoft.Extensions.Options.Options.Create(new AuthOptions { SigningKey = key }));
        var one = With("q8W1zR4tYp0Lk9vN3sXb7Hc2Jm6Fd5Ge");
        var other = With("Zx9Lm2Qw8Er4Ty6Ui1Op3As5Df7Gh0Jk");
        Assert.Equal(one.Of("0912000001"), one.Of("0912000001"));
        Assert.NotEqual(one.Of("0912000001"), other.Of("0912000001"));
        Assert.NotEqual(CuTru.LuuTru.Server.Intake.RequestHash.Short("0912000001"), one.Of("0912000001"));
    }
}
