using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Reports;

public sealed class ReportTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00025"; // Phường Giảng Võ, Hà Nội

    private async Task<NotificationReceiptDto> NotifyAsync(HttpClient hotel, NotificationRequest body)
    {
        var response = await hotel.SendAsync(Stays.Post(body, null));
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(hotel, receipt.Id);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        return receipt;
    }

    [Fact]
    public async Task A_child_the_rules_took_without_an_ID_on_a_birth_year_alone_is_a_child_in_the_report()
    {
        // Born "2012" (year only), arriving 21/11/2026: 13 if born on 31 December, 14 if on 1 January. The rules take the
        // youngest age (a child, so no ID is required); the report must count the same guest the same way.
        const string commune = "00004"; // Phường Ba Đình, Hà Nội: no other test of this class uses it
        server.Clock.Set(Vn("2026-11-21T20:00"));
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn Ba Đình");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var (_, officer) = await server.CreateOfficerAsync(commune);
        var receipt = await NotifyAsync(api, new NotificationRequest(new StayDto(Vn("2026-11-21T19:00"), Vn("2026-11-22T12:00"), StayReason.Tourism),
        [
            new GuestDto("Lê Văn Bố", new DateOnly(1985, 2, 3), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001085030111")),
            new GuestDto("Lê Minh Con", new DateOnly(2012, 1, 1), Gender.Male, new DocumentDto(DocumentType.None), DateOfBirthYearOnly: true),
        ]));
        Assert.Contains(receipt.Flags, f => f.Code == "child-without-id" && f.GuestIndex == 1);

        // Asked for before 23:00, the night's report is provisional: more may be received until then.
        var early = await officer.PostAsync($"/api/v1/communes/{commune}/reports/2026-11-21/rebuild?kind=nightly", null);
        await Expect.Status(early, HttpStatusCode.Created);
        Assert.False((await early.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!.Final);

        server.Clock.Set(Vn("2026-11-21T23:00"));
        var rebuilt = await officer.PostAsync($"/api/v1/communes/{commune}/reports/2026-11-21/rebuild?kind=nightly", null);
        await Expect.Status(rebuilt, HttpStatusCode.Created);
        var report = (await rebuilt.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;
        Assert.Equal((1, 2, 1, true), (report.Totals.Notifications, report.Totals.Guests, report.Totals.Children, report.Final));
        // The list of versions says which are provisional.
        var versions = (await officer.GetFromJsonAsync<List<ReportVersionDto>>($"/api/v1/communes/{commune}/reports", LuuTruServerFactory.Json))!
            .Where(v => v.Day == new DateOnly(2026, 11, 21) && v.Kind == "nightly").OrderBy(v => v.Version).Select(v => v.Final).ToList();
        Assert.Equal([false, true], versions);
    }

    [Fact]
    public async Task The_nightly_report_has_the_days_register_with_matching_totals_and_the_morning_one_what_came_after_23()
    {
        server.Clock.Set(Vn("2026-11-21T22:40"));
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Giảng Võ");
        var silent = await server.CreateEstablishmentAsync(Commune, name: "Nhà nghỉ Im Lặng");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var (officerUser, officer) = await server.CreateOfficerAsync(Commune);
        await using var dashboard = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);

        var family = await NotifyAsync(api, new NotificationRequest(new StayDto(Vn("2026-11-21T09:00"), Vn("2026-11-23T12:00"), StayReason.Tourism),
        [
            new GuestDto("Nguyễn Văn An", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090030101")),
            new GuestDto("Nguyễn Bảo Ngọc", new DateOnly(2019, 5, 6), Gender.Female, new DocumentDto(DocumentType.None)),
        ]));
        var foreigner = await NotifyAsync(api, new NotificationRequest(new StayDto(Vn("2026-11-21T22:30"), Vn("2026-11-22T12:00"), StayReason.Business),
        [
            new GuestDto("John Smith", new DateOnly(1980, 1, 1), Gender.Male, new DocumentDto(DocumentType.Passport, "X1234567"), "GBR",
                Foreign: new ForeignDetailsDto("DL-123", new DateOnly(2026, 12, 31), new DateOnly(2026, 11, 20), "Nội Bài")),
        ]));
        var cancelled = await NotifyAsync(api, Stays.One(Vn("2026-11-21T21:00"), "001090030103"));
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{cancelled.Id}/cancel", new CancelRequest("Nhầm"), LuuTruServerFactory.Json),
            HttpStatusCode.OK);

        // 23:00: the nightly report.
        server.Clock.Set(Vn("2026-11-21T23:00"));
        var rebuilt = await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2026-11-21/rebuild?kind=nightly", null);
        await Expect.Status(rebuilt, HttpStatusCode.Created);
        var nightly = (await rebuilt.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;
        // Everything received in the window, in order of reception; the cancelled one stays listed, as cancelled, and is
        // counted in no total.
        Assert.Equal([family.ReceiptNumber, foreigner.ReceiptNumber, cancelled.ReceiptNumber], nightly.Register.Select(e => e.ReceiptNumber).ToArray());
        Assert.Equal([NotificationStatus.Recorded, NotificationStatus.Recorded, NotificationStatus.Cancelled], nightly.Register.Select(e => e.Status).ToArray());
        Assert.Equal(Vn("2026-11-21T22:40"), nightly.Register[0].ReceivedAt);
        Assert.Equal((2, 3, 2, 1, 1), (nightly.Totals.Notifications, nightly.Totals.Guests, nightly.Totals.VietnameseGuests, nightly.Totals.ForeignGuests,
            nightly.Totals.Children));
        var counted = nightly.Register.Where(e => e.Status != NotificationStatus.Cancelled).ToList();
        Assert.Equal(counted.Count, nightly.Totals.Notifications);
        Assert.Equal(counted.Sum(e => e.Guests.Count), nightly.Totals.Guests);
        Assert.Equal(nightly.Totals.Guests, nightly.ByNationality.Sum(x => x.Count));
        Assert.Equal(nightly.Totals.Notifications, nightly.ByReason.Sum(x => x.Count));
        Assert.Contains(nightly.ByEstablishment, x => x.Id == silent.Id && x.Notifications == 0); // silent today, still listed
        Assert.Equal(2, Assert.Single(nightly.ByEstablishment, x => x.Id == hotel.Id).Notifications);
        Assert.Equal(("Phường Giảng Võ", 1, true), (nightly.CommuneName, nightly.Version, nightly.Final)); // built at 23:00: final
        var ready = await dashboard.WaitForAsync<ReportReadyEvent>(r => r.Kind == "nightly");
        Assert.Equal((Commune, new DateOnly(2026, 11, 21), 1), (ready.CommuneCode, ready.Day, ready.Version));

        // Received after 23:00: an arrival at 23:20 and a late one for 22:00 go to the morning follow-up, not tonight's report.
        server.Clock.Set(Vn("2026-11-21T23:30"));
        var night = await NotifyAsync(api, Stays.One(Vn("2026-11-21T23:20"), "001090030104"));
        var lateOne = await NotifyAsync(api, Stays.One(Vn("2026-11-21T22:00"), "001090030105"));
        server.Clock.Set(Vn("2026-11-22T08:00"));
        officer = await server.SignInAsync(officerUser.Email, LuuTruServerFactory.Password); // the evening's sign-in has expired
        var morningResponse = await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2026-11-21/rebuild?kind=morning", null);
        await Expect.Status(morningResponse, HttpStatusCode.Created);
        var morning = (await morningResponse.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;
        Assert.Equal(new[] { night.ReceiptNumber, lateOne.ReceiptNumber }.Order(), morning.Register.Select(e => e.ReceiptNumber).Order());

        // The stored nightly report is unchanged; a rebuild adds version 2 with the same list, and keeps version 1.
        var stored = await officer.GetFromJsonAsync<CommuneReportDto>($"/api/v1/communes/{Commune}/reports/2026-11-21", LuuTruServerFactory.Json);
        Assert.Equal(3, stored!.Register.Count);
        var again = await officer.PostAsync($"/api/v1/communes/{Commune}/reports/2026-11-21/rebuild", null);
        await Expect.Status(again, HttpStatusCode.Created);
        Assert.Equal(nightly.Register.Select(e => e.ReceiptNumber),
            (await again.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!.Register.Select(e => e.ReceiptNumber));
        var versions = await officer.GetFromJsonAsync<List<ReportVersionDto>>($"/api/v1/communes/{Commune}/reports", LuuTruServerFactory.Json);
        Assert.Equal([2, 1], versions!.Where(v => v.Kind == "nightly").Select(v => v.Version).ToArray());
        var v1 = await officer.GetFromJsonAsync<CommuneReportDto>($"/api/v1/communes/{Commune}/reports/2026-11-21?version=1", LuuTruServerFactory.Json);
        Assert.Equal(3, v1!.Register.Count);

        // The province roll-up: the latest version of each commune's report, summed.
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        var province = await supervisor.GetFromJsonAsync<ProvinceReportDto>("/api/v1/provinces/01/reports/2026-11-21", LuuTruServerFactory.Json);
        var mine = Assert.Single(province!.Communes, c => c.CommuneCode == Commune);
        Assert.Equal((2, 2), (mine.Version, mine.Totals.Notifications));
        Assert.Equal(province.Communes.Sum(c => c.Totals.Guests), province.Totals.Guests);
        await Expect.Problem(await officer.GetAsync("/api/v1/provinces/01/reports/2026-11-21"), HttpStatusCode.Forbidden, "forbidden");

        var (_, stranger) = await server.CreateOfficerAsync("00004");
        await Expect.Problem(await stranger.GetAsync($"/api/v1/communes/{Commune}/reports/2026-11-21"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officer.GetAsync($"/api/v1/communes/{Commune}/reports/2026-11-21?kind=weekly"), HttpStatusCode.BadRequest,
            "validation-failed");
    }

    [Fact]
    public async Task The_csv_export_parses_back_to_the_register_rows_with_diacritics_intact()
    {
        server.Clock.Set(Vn("2026-11-19T20:00"));
        using var api = await Stays.HotelClientAsync(server, "00070");
        var (_, officer) = await server.CreateOfficerAsync("00070");
        await NotifyAsync(api, Stays.One(Vn("2026-11-19T10:00"), "001090030110", "Trần Thị \"Bé\", Hoa"));
        await NotifyAsync(api, Stays.One(Vn("2026-11-19T11:00"), "001090030111", "Lê Văn Đức"));
        server.Clock.Set(Vn("2026-11-19T23:00"));
        var report = (await (await officer.PostAsync("/api/v1/communes/00070/reports/2026-11-19/rebuild", null))
            .Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;

        var response = await officer.GetAsync("/api/v1/communes/00070/reports/2026-11-19.csv");
        await Expect.Status(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]); // the BOM Excel needs for the diacritics
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        int Col(string header) => Array.IndexOf(rows[0], header) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException("no column " + header);
        var expected = report.Register.SelectMany(e => e.Guests.Select(g => (e.ReceiptNumber, g.FullName, g.DocumentNumber))).ToList();
        Assert.Equal(expected, rows.Skip(1).Select(r => (r[Col("Số tiếp nhận")], r[Col("Họ và tên")], (string?)r[Col("Số giấy tờ")])).ToList());
        Assert.Contains(rows, r => r[Col("Họ và tên")] == "Trần Thị \"Bé\", Hoa");
        // Words, never codes; times the Vietnamese way.
        Assert.All(rows.Skip(1), r =>
        {
            Assert.Equal(("Đã ghi sổ", "Không", "Phần mềm quản lý của cơ sở", "Kinh doanh, công tác", "Số định danh", "Nam"),
                (r[Col("Trạng thái")], r[Col("Trễ hạn")], r[Col("Kênh")], r[Col("Lý do")], r[Col("Loại số giấy tờ")], r[Col("Giới tính")]));
            Assert.Equal("19/11/2026 23:00", r[Col("Hạn thông báo")]);
        });
        Assert.Equal("19/11/2026 20:00", rows[1][Col("Thời điểm tiếp nhận")]);
        Assert.Equal("19/11/2026 10:00", rows[1][Col("Thời điểm đến")]);
        Assert.DoesNotContain(rows.Skip(1).SelectMany(r => r), c => c is "api" or "business" or "personal-id" or "recorded" or "male");

        // The XLSX: the same rows, times and dates as real dates, read back by a spreadsheet reader.
        var xlsx = await officer.GetAsync("/api/v1/communes/00070/reports/2026-11-19.xlsx");
        await Expect.Status(xlsx, HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["So tiep nhan", "Thay doi", "Dang luu tru", "Tong hop"], MiniExcelLibs.MiniExcel.GetSheetNames(sheet).ToArray());
        var typed = MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true, sheetName: "So tiep nhan").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(new DateTime(2026, 11, 19, 20, 0, 0), Assert.IsType<DateTime>(typed[0]["Thời điểm tiếp nhận"]));
        Assert.Equal(new DateTime(1990, 3, 4), Assert.IsType<DateTime>(typed[0]["Ngày sinh"]));
        Assert.Equal(expected.Select(x => x.FullName), typed.Select(r => (string)r["Họ và tên"]!));
        Assert.Equal(rows.Skip(1).Select(r => r[Col("Cảnh báo")]), typed.Select(r => (string?)r["Cảnh báo"] ?? ""));

        using var admin = await server.SignInAsAdminAsync();
        var trail = await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=report.&limit=50", LuuTruServerFactory.Json);
        Assert.Contains(trail!.Items, a => a.Action == "report.export" && a.CommuneCode == "00070");
    }

    [Fact]
    public async Task A_report_lists_the_windows_changes_who_stays_that_night_how_late_and_who_rebuilt_it()
    {
        const string commune = "00097"; // Phường Hồng Hà: no other test notifies there
        using var api = await Stays.HotelClientAsync(server, commune);
        // The day before: a guest who is still there tonight, and one whose stay is extended today.
        server.Clock.Set(Vn("2026-11-19T20:00"));
        var staying = await NotifyAsync(api, Stays.One(Vn("2026-11-19T19:00"), "001090040001", "Khách Ở Lại") with
            { Stay = new StayDto(Vn("2026-11-19T19:00"), Vn("2026-11-25T12:00"), StayReason.Tourism, Room: "201") });
        var extended = await NotifyAsync(api, Stays.One(Vn("2026-11-19T19:30"), "001090040002", "Khách Gia Hạn"));
        // Today: a late filing (arrived yesterday 20:00, received today 20:05) and one cancelled.
        server.Clock.Set(Vn("2026-11-20T20:05"));
        var late = await NotifyAsync(api, Stays.One(Vn("2026-11-19T20:00"), "001090040003", "Khách Báo Muộn") with
            { Stay = new StayDto(Vn("2026-11-19T20:00"), Vn("2026-11-22T12:00"), StayReason.Tourism) });
        var cancelled = await NotifyAsync(api, Stays.One(Vn("2026-11-20T19:00"), "001090040004", "Khách Bị Hủy"));
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{extended.Id}/extend",
            new ExtendRequest(Vn("2026-11-23T12:00")), LuuTruServerFactory.Json), HttpStatusCode.OK);
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{cancelled.Id}/cancel",
            new CancelRequest("Nhập nhầm"), LuuTruServerFactory.Json), HttpStatusCode.OK);

        server.Clock.Set(Vn("2026-11-20T23:05"));
        var (officerUser, officer) = await server.CreateOfficerAsync(commune); // signed in now: a token of yesterday has expired
        var rebuilt = await officer.PostAsync($"/api/v1/communes/{commune}/reports/2026-11-20/rebuild", null);
        await Expect.Status(rebuilt, HttpStatusCode.Created);
        var report = (await rebuilt.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;

        Assert.Equal("user:" + officerUser.Email, report.BuiltBy);
        var lateLine = Assert.Single(report.Register, e => e.ReceiptNumber == late.ReceiptNumber);
        Assert.Equal((Vn("2026-11-19T23:00"), 21 * 60 + 5), (lateLine.DeadlineAt!.Value, lateLine.MinutesLate!.Value));
        Assert.True(lateLine.Guests[0].Late);
        Assert.Equal([("extend", extended.ReceiptNumber), ("cancel", cancelled.ReceiptNumber)],
            report.Changes!.Select(c => (c.Action, c.ReceiptNumber)).ToList());
        Assert.Contains("2026-11-23", report.Changes![0].After);
        Assert.Equal("Nhập nhầm", report.Changes[1].Reason);
        // Staying at 23:00: yesterday's two (listed apart, notified in an earlier window) and today's late filing (marked on
        // its register line, not repeated); not the cancelled stay.
        Assert.Equal(new[] { "Khách Ở Lại", "Khách Gia Hạn" }.Order(), report.StayingTonight!.Select(g => g.FullName).Order());
        Assert.True(lateLine.Guests[0].StayingAtEnd);
        Assert.Null(report.Register.Single(e => e.ReceiptNumber == cancelled.ReceiptNumber).Guests[0].StayingAtEnd);
        Assert.Equal("201", report.StayingTonight!.Single(g => g.ReceiptNumber == staying.ReceiptNumber).Room);
        Assert.Equal(3, report.Totals.CurrentlyStaying);

        var pdf = await officer.GetAsync($"/api/v1/communes/{commune}/reports/2026-11-20.pdf");
        await Expect.Status(pdf, HttpStatusCode.OK);
        using var doc = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", doc.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)));
        Assert.Contains("THAY ĐỔI TRONG KHUNG GIỜ (2)", text);
        Assert.Contains("Gia hạn", text);
        Assert.Contains("Lập lại theo yêu cầu của " + officerUser.Email, text);
        Assert.Contains("(3 khách)", text);
        Assert.Contains("Khách Ở Lại", text);
        Assert.DoesNotContain("CHƯA CHỐT", text);
    }

    [Fact]
    public async Task The_pdf_is_a_printable_register_with_the_commune_every_receipt_page_numbers_and_signatures()
    {
        server.Clock.Set(Vn("2026-11-18T20:00"));
        using var api = await Stays.HotelClientAsync(server, "00004"); // Phường Ba Đình
        var (_, officer) = await server.CreateOfficerAsync("00004");
        var batch = Enumerable.Range(0, 80).Select(i => (NotificationRequest?)Stays.One(Vn("2026-11-18T08:00").AddMinutes(i), $"0010900{i + 50000:00000}",
            $"Khách Thứ {i + 1}")).ToList();
        var sent = await api.PostAsJsonAsync("/api/v1/notifications/batch", new BatchRequest(batch), LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.OK);
        var items = (await sent.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!;
        Assert.Equal(80, items.Accepted);
        foreach (var item in items.Items) await IntakeTests.WaitRecordedAsync(api, item.Id!.Value);
        server.Clock.Set(Vn("2026-11-18T23:00"));
        await Expect.Status(await officer.PostAsync("/api/v1/communes/00004/reports/2026-11-18/rebuild", null), HttpStatusCode.Created);

        var response = await officer.GetAsync("/api/v1/communes/00004/reports/2026-11-18.pdf");
        await Expect.Status(response, HttpStatusCode.OK);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var dir = Directory.CreateDirectory(Path.Combine(TestEnvironment.ArtifactsDirectory, "reports")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "register-00004-2026-11-18.pdf"), bytes); // kept for a look

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var pages = pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
        Assert.True(pages.Count >= 3, $"80 lines should take several pages, got {pages.Count}");
        var all = string.Join("\n", pages);
        Assert.Contains("Ba Đình", pages[0]);
        Assert.Contains("18/11/2026", pages[0]);
        Assert.All(items.Items, i => Assert.Contains(i.ReceiptNumber!, all)); // every receipt of the register is printed
        for (var n = 1; n <= pages.Count; n++) Assert.Contains($"Trang {n}/{pages.Count}", pages[n - 1]);
        Assert.Contains("CÁN BỘ TIẾP NHẬN", pages[^1]); // the signature block closes the register
        Assert.Contains("Khách Thứ 80", all);
    }

    [Fact]
    public async Task An_admin_rebuilds_every_communes_report_of_a_day_and_officers_cannot()
    {
        server.Clock.Set(Vn("2026-11-17T10:00"));
        using var api = await Stays.HotelClientAsync(server, "00008");
        var receipt = await NotifyAsync(api, Stays.One(Vn("2026-11-17T09:00"), "001090030120"));
        server.Clock.Set(Vn("2026-11-17T23:30"));
        var (_, officer) = await server.CreateOfficerAsync("00008");

        await Expect.Problem(await officer.PostAsync("/api/v1/reports/2026-11-17/rebuild", null), HttpStatusCode.Forbidden, "forbidden");
        using var admin = await server.SignInAsAdminAsync();
        var response = await admin.PostAsync("/api/v1/reports/2026-11-17/rebuild?kind=nightly", null);
        await Expect.Status(response, HttpStatusCode.OK);
        var run = (await response.Content.ReadFromJsonAsync<ReportRunDto>(LuuTruServerFactory.Json))!;
        Assert.True(run.Notifications >= 1 && run.Communes >= 1);
        var report = (await officer.GetFromJsonAsync<CommuneReportDto>("/api/v1/communes/00008/reports/2026-11-17", LuuTruServerFactory.Json))!;
        Assert.Contains(report.Register, e => e.ReceiptNumber == receipt.ReceiptNumber);
        Assert.StartsWith("user:", report.BuiltBy);
    }

    [Fact]
    public async Task The_json_written_straight_from_the_rows_is_what_the_serializer_writes_for_the_report_byte_for_byte()
    {
        server.Clock.Set(Vn("2026-11-14T21:00"));
        var hotel = await server.CreateEstablishmentAsync("00025", name: "Khách sạn \"So Sánh\" <JSON>");
        await server.CreateEstablishmentAsync("00025", name: "Nhà nghỉ Vắng");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        await NotifyAsync(api, new NotificationRequest(new StayDto(Vn("2026-11-14T10:00"), Vn("2026-12-20T10:00"), StayReason.Work),
        [
            new GuestDto("Đặng Văn Ánh", new DateOnly(1986, 1, 2), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001086030190")),
            new GuestDto("Đặng Bé Út", new DateOnly(2022, 2, 3), Gender.Female, new DocumentDto(DocumentType.None)),
        ]));
        await NotifyAsync(api, new NotificationRequest(new StayDto(Vn("2026-11-14T11:00"), Vn("2026-11-16T10:00"), StayReason.Tourism),
        [
            new GuestDto("Kim Min-jun", new DateOnly(1990, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M12345678"), "KOR",
                Foreign: new ForeignDetailsDto("EV1234", new DateOnly(2026, 12, 1), new DateOnly(2026, 11, 10), "Tân Sơn Nhất")),
        ]));

        // A household's (its notifier) and an officer's phoned-in entry (how it came in), then one cancelled: every field a line can have.
        var household = await server.Anonymous().PostAsJsonAsync("/api/v1/household-notifications", new HouseholdNotificationRequest(
            new HostDto("Phan Thị Chủ", "0912000333", new DocumentDto(DocumentType.PersonalId, "001180030194")), new StayDto(Vn("2026-11-14T18:00"), Vn("2026-11-15T18:00"), StayReason.VisitingFamily,
                CommuneCode: "00025", Address: "5 Ngõ Giảng Võ"),
            [new GuestDto("Phan Văn Thăm", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090030191"))]),
            LuuTruServerFactory.Json);
        await Expect.Status(household, HttpStatusCode.Accepted);
        var (_, officer) = await server.CreateOfficerAsync("00025");
        var phoned = await officer.PostAsJsonAsync("/api/v1/communes/00025/notifications", new OfficerNotificationRequest(hotel.Id, null,
            new StayDto(Vn("2026-11-14T19:00"), Vn("2026-11-15T10:00"), StayReason.Tourism),
            [new GuestDto("Vũ Văn Gọi", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090030192"))], "phone",
            ReceivedAt: Vn("2026-11-14T20:30")), LuuTruServerFactory.Json);
        var phonedReceipt = (await phoned.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(officer, phonedReceipt.Id);
        var toCancel = await NotifyAsync(api, Stays.One(Vn("2026-11-14T12:00"), "001090030193"));
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{toCancel.Id}/cancel", new CancelRequest("Nhầm"), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.HostName == "Phan Thị Chủ")));

        var data = server.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var snapshot = await CuTru.LuuTru.Server.Reports.ReportSnapshot.LoadAsync(data, new DateOnly(2026, 11, 14), "nightly", ["00025"], default);
        var options = new System.Text.Json.JsonSerializerOptions(LuuTruJson.CreateOptions())
            { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var now = Vn("2026-11-14T23:00");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = options.Encoder }))
            snapshot.Write("00025", now, "test", writer, options);
        var written = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var report = System.Text.Json.JsonSerializer.Deserialize<CommuneReportDto>(written, options)!;
        var expected = System.Text.Json.JsonSerializer.Serialize(report, options);
        Assert.Equal(expected, written); // same names, order, formats, nulls left out
        Assert.Equal((4, 5, 4, 1, 1, 1), (report.Totals.Notifications, report.Totals.Guests, report.Totals.VietnameseGuests, report.Totals.ForeignGuests,
            report.Totals.Children, report.Totals.LongStays));
        Assert.Equal(["Vũ Văn Gọi", "Đặng Văn Ánh", "Đặng Bé Út", "Kim Min-jun"], // the phoned-in one first: received at 20:30
            report.Register.SelectMany(e => e.Guests).Select(g => g.FullName).Take(4).ToArray());
        ReportEntryDto Of(string guest) => report.Register.Single(e => e.Guests.Any(g => g.FullName == guest));
        Assert.Equal(new NotifierDto("Phan Thị Chủ", "0912000333", false), Of("Phan Văn Thăm").Notifier);
        Assert.Equal(("phone", Vn("2026-11-14T20:30"), (NotifierDto?)null), (Of("Vũ Văn Gọi").ReceivedBy, Of("Vũ Văn Gọi").ReceivedAt, Of("Vũ Văn Gọi").Notifier));
        Assert.Equal(NotificationStatus.Cancelled, Of("Trần Văn Khách").Status);
        Assert.Null(Of("Đặng Bé Út").Guests[1].DocumentNumber);
        Assert.Contains(report.ByEstablishment, e => e.Name == "Nhà nghỉ Vắng" && e.Notifications == 0);
        Assert.Contains("Đặng Bé Út", expected); // letters as they are, not \u escapes
        Assert.DoesNotContain("\"documentNumber\":null", expected);
    }

    /// <summary>RFC 4180: quoted fields, doubled quotes, CRLF rows.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row.ToArray()); row = []; }
            else cell.Append(c);
        }
        return rows;
    }
}
