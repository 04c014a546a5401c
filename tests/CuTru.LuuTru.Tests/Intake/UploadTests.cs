using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Files of guests: the templates, a preview naming each bad row and column before anything is stored, the
/// send with a receipt per stay, and the same file sent again answering the same receipts.</summary>
public sealed class UploadTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private static ByteArrayContent File(byte[] bytes, string type) => Uploads.File(bytes, type);

    private static Task<UploadReportDto> UploadAsync(HttpClient client, byte[] bytes, string type, string mode) => Uploads.UploadAsync(client, bytes, type, mode);

    private const string Csv = """
        Nhóm,Thời điểm đến,Dự kiến đi,Lý do,Phòng,Họ và tên,Ngày sinh,Giới tính,Loại giấy tờ,Số giấy tờ,Quốc tịch
        1,20/11/2026 14:00,22/11/2026 12:00,Du lịch,101,Nguyễn Văn Một,04/03/1990,Nam,CCCD,001090030150,VNM
        1,20/11/2026 14:00,22/11/2026 12:00,Du lịch,101,Nguyễn Bé Hai,06/05/2019,Nữ,Không có,,VNM
        2,20/11/2026 15:00,21/11/2026 10:00,Công tác,102,Trần Văn Ba,31/02/1985,Nam,CCCD,001085030151,VNM
        3,20/11/2026 16:00,21/11/2026 10:00,Thăm thân,103,Lê Thị Bốn,01/01/1992,Nữ,CCCD,12345,VNM
        ,20/11/2026 17:00,21/11/2026 10:00,work,104,Phạm Văn Năm,02/02/1993,Nam,CCCD,001093030152,VNM
        """;

    [Fact]
    public async Task A_csv_with_bad_rows_is_previewed_row_by_row_and_only_the_good_stays_are_sent_once()
    {
        server.Clock.Set(Vn("2026-11-20T20:00"));
        using var api = await Stays.HotelClientAsync(server, "00070");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv.Replace("\n", "\r\n"))).ToArray();

        var preview = await UploadAsync(api, bytes, "text/csv", "preview");
        Assert.Equal((5, 4, 2, 2), (preview.Rows, preview.Notifications, preview.Accepted, preview.Rejected));
        Assert.Equal([2, 3], preview.Items[0].Rows);
        Assert.Equal("valid", preview.Items[0].Status);
        Assert.Contains(preview.Items[0].Flags, f => f.Code == "child-without-id");
        var badDate = Assert.Single(preview.Items[1].Problems);
        Assert.Equal((4, "Ngày sinh", "unreadable-date"), (badDate.Row, badDate.Column, badDate.Code));
        var badId = Assert.Single(preview.Items[2].Problems);
        Assert.Equal((5, "Số giấy tờ"), (badId.Row, badId.Column));
        Assert.Equal("valid", preview.Items[3].Status);
        Assert.Equal(0, await server.WithDbAsync(db => Task.FromResult(db.Notifications.Count(n => n.ExternalRef == null && n.Room == "101")))); // nothing stored

        var sent = await UploadAsync(api, bytes, "text/csv", "send");
        Assert.Equal(["accepted", "rejected", "rejected", "accepted"], sent.Items.Select(i => i.Status).ToArray());
        Assert.All(sent.Items.Where(i => i.Status == "accepted"), i => Assert.StartsWith("00070-", i.ReceiptNumber));
        var first = await IntakeTests.WaitRecordedAsync(api, sent.Items[0].Id!.Value);
        Assert.Equal(["Nguyễn Văn Một", "Nguyễn Bé Hai"], first.Guests.Select(g => g.FullName).ToArray());
        Assert.Equal("batch", first.Channel);

        // The same file again (a retry after a lost answer): the same receipts, nothing filed twice.
        var again = await UploadAsync(api, bytes, "text/csv", "send");
        Assert.Equal(sent.Items.Select(i => i.ReceiptNumber), again.Items.Select(i => i.ReceiptNumber));
        Assert.Equal(2, await server.WithDbAsync(db => Task.FromResult(db.Notifications.Count(n => n.Room == "101" || n.Room == "104"))));

        // The file corrected (the two bad rows fixed) and uploaded anew: the stays sent before are said to be, with their
        // receipts, and only the fixed ones go.
        var corrected = Csv.Replace("31/02/1985", "28/02/1985").Replace("CCCD,12345,", "CCCD,001092030153,");
        var fixedBytes = Encoding.UTF8.GetBytes(corrected.Replace("\n", "\r\n"));
        var resent = await UploadAsync(api, fixedBytes, "text/csv", "send");
        Assert.Equal(["already-sent", "accepted", "accepted", "already-sent"], resent.Items.Select(i => i.Status).ToArray());
        Assert.Equal((2, 2, 0), (resent.Accepted, resent.AlreadySent, resent.Rejected));
        Assert.Equal(sent.Items[0].ReceiptNumber, resent.Items[0].ReceiptNumber);
        Assert.Equal(sent.Items[3].ReceiptNumber, resent.Items[3].ReceiptNumber);
        Assert.Contains(sent.Items[0].ReceiptNumber!, resent.Items[0].Problems[0].Message);
        foreach (var item in resent.Items.Where(i => i.Status == "accepted")) await IntakeTests.WaitRecordedAsync(api, item.Id!.Value);
        Assert.Equal(4, await server.WithDbAsync(db => Task.FromResult(db.Notifications.Count(n => n.Room != null && n.Room.CompareTo("101") >= 0 && n.Room.CompareTo("104") <= 0
            && n.EstablishmentId == first.EstablishmentId))));
    }

    [Fact]
    public async Task The_xlsx_template_uploads_as_it_is_and_files_that_are_not_ours_are_refused_clearly()
    {
        server.Clock.Set(Vn("2027-03-10T09:00")); // any day: the examples are dated around today
        using var api = await Stays.HotelClientAsync(server, "00070");
        using var anonymous = server.CreateClient();
        var xlsx = await anonymous.GetAsync("/api/v1/notifications/upload/template.xlsx");
        await Expect.Status(xlsx, HttpStatusCode.OK);
        var preview = await UploadAsync(api, await xlsx.Content.ReadAsByteArrayAsync(), xlsx.Content.Headers.ContentType!.MediaType!, "preview");
        Assert.Equal((3, 2, 2, 0), (preview.Rows, preview.Notifications, preview.Accepted, preview.Rejected));

        var csv = await anonymous.GetAsync("/api/v1/notifications/upload/template.csv");
        var csvPreview = await UploadAsync(api, await csv.Content.ReadAsByteArrayAsync(), "text/csv", "preview");
        Assert.Equal(preview.Items.Select(i => (i.Rows.Count, i.Status)), csvPreview.Items.Select(i => (i.Rows.Count, i.Status)));

        var wrong = await api.PostAsync("/api/v1/notifications/upload?mode=preview", File(Encoding.UTF8.GetBytes("a,b\r\n1,2\r\n"), "text/csv"));
        var problem = await Expect.Problem(wrong, HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains("Họ và tên", problem.Errors!["file"][0].Message);
        var binary = await api.PostAsync("/api/v1/notifications/upload?mode=preview", File([0xFF, 0xFE, 0x00, 0x41], "text/csv"));
        Assert.Equal("unreadable-file", (await Expect.Problem(binary, HttpStatusCode.BadRequest, "validation-failed")).Errors!["file"][0].Code);
    }

    [Fact]
    public async Task Police_import_a_paper_register_with_each_rows_reception_time_judged_by_the_law_of_its_day()
    {
        const string commune = "00025"; // Phường Giảng Võ
        server.Clock.Set(Vn("2026-11-20T09:00"));
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Nhà nghỉ Sổ Giấy");
        var (_, officer) = await server.CreateOfficerAsync(commune);
        var register = $"""
            Nhóm,Thời điểm tiếp nhận,Tiếp nhận qua,Mã cơ sở lưu trú,Địa chỉ nơi lưu trú,Người thông báo,Điện thoại người thông báo,Thời điểm đến,Dự kiến đi,Lý do,Họ và tên,Ngày sinh,Giới tính,Loại giấy tờ,Số giấy tờ,Quốc tịch
            1,10/05/2026 09:00,Trực tiếp,{hotel.Id},,,,09/05/2026 20:00,11/05/2026 12:00,Du lịch,Đỗ Văn Cũ,04/03/1970,Nam,CMND,123456789,VNM
            2,14/11/2026 22:30,Điện thoại,,"12 ngõ Giảng Võ",Bà Lan,0912345678,14/11/2026 20:00,16/11/2026 10:00,Thăm thân,Ngô Thị Khách,05/06/1995,Nữ,CCCD,001195030160,VNM
            3,,Trực tiếp,,"14 ngõ Giảng Võ",,,14/11/2026 20:00,16/11/2026 10:00,Thăm thân,Ngô Văn Thiếu,05/06/1995,Nam,CCCD,001095030161,VNM
            """;
        var bytes = Encoding.UTF8.GetBytes(register.Replace("\n", "\r\n"));
        async Task<UploadReportDto> ImportAsync(HttpClient client, string mode)
        {
            var response = await client.PostAsync($"/api/v1/communes/{commune}/notifications/upload?mode={mode}", File(bytes, "text/csv"));
            await Expect.Status(response, HttpStatusCode.OK);
            return (await response.Content.ReadFromJsonAsync<UploadReportDto>(LuuTruServerFactory.Json))!;
        }

        var preview = await ImportAsync(officer, "preview");
        Assert.Equal(["valid", "valid", "rejected"], preview.Items.Select(i => i.Status).ToArray());
        var missing = Assert.Single(preview.Items[2].Problems);
        Assert.Equal((4, "Thời điểm tiếp nhận", "required"), (missing.Row, missing.Column, missing.Code));
        Assert.Equal(0, await server.WithDbAsync(db => Task.FromResult(db.Notifications.Count(n => n.CommuneCode == commune))));

        var imported = await ImportAsync(officer, "import");
        Assert.Equal(["accepted", "accepted", "rejected"], imported.Items.Select(i => i.Status).ToArray());
        // The old record: the 2020 rules (CMND accepted), late against its own day's 23:00, received when the register says.
        var old = await IntakeTests.WaitRecordedAsync(officer, imported.Items[0].Id!.Value);
        Assert.Equal(("residence-2020", "officer", "in-person", hotel.Id), (old.LawVersion, old.Channel, old.ReceivedBy!, old.EstablishmentId!.Value));
        Assert.Equal((Vn("2026-05-10T09:00"), Vn("2026-05-09T23:00"), true), (old.ReceivedAt, old.DeadlineAt!.Value, old.Late));
        var household = await IntakeTests.WaitRecordedAsync(officer, imported.Items[1].Id!.Value);
        Assert.Equal(("12 ngõ Giảng Võ", "phone", false), (household.Address, household.ReceivedBy!, household.Late));
        Assert.Equal(("Bà Lan", "0912345678"), (household.Notifier!.HostName!, household.Notifier.HostPhone!));
        // It lands in the window it was received in.
        var report = await officer.PostAsync($"/api/v1/communes/{commune}/reports/2026-11-14/rebuild", null);
        await Expect.Status(report, HttpStatusCode.Created);
        Assert.Contains((await report.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!.Register,
            e => e.ReceiptNumber == imported.Items[1].ReceiptNumber);

        // The same file again: the same receipts, nothing new.
        var again = await ImportAsync(officer, "import");
        Assert.Equal(imported.Items.Select(i => i.ReceiptNumber), again.Items.Select(i => i.ReceiptNumber));
        Assert.Equal(2, await server.WithDbAsync(db => Task.FromResult(db.Notifications.Count(n => n.CommuneCode == commune))));

        // Establishments do not import registers; officers of another commune neither.
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/communes/{commune}/notifications/upload?mode=preview", File(bytes, "text/csv"))).StatusCode);
        var (_, stranger) = await server.CreateOfficerAsync("00070");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsync($"/api/v1/communes/{commune}/notifications/upload?mode=preview", File(bytes, "text/csv"))).StatusCode);
        using var admin = await server.SignInAsAdminAsync();
        var trail = (await admin.GetFromJsonAsync<Page<AuditEntryDto>>("/api/v1/audit?action=notification.import&limit=50", LuuTruServerFactory.Json))!;
        Assert.Contains(trail.Items, a => a.CommuneCode == commune);
    }

    [Fact]
    public async Task Upload_bombs_are_refused_without_being_read_whole()
    {
        server.Clock.Set(Vn("2026-11-20T20:00"));
        using var api = await Stays.HotelClientAsync(server, "00070");
        // 20,000 one-guest stays: reading stops at the 501st, and the answer is "too many".
        var many = Enumerable.Range(0, 20_000).Select(i => new Dictionary<string, object?>
        {
            ["Thời điểm đến"] = "20/11/2026 14:00", ["Dự kiến đi"] = "21/11/2026 12:00", ["Lý do"] = "Du lịch", ["Họ và tên"] = "Khách " + i,
            ["Ngày sinh"] = "04/03/1990", ["Loại giấy tờ"] = "CCCD", ["Số giấy tờ"] = $"0010900{i:D5}",
        }).ToList();
        using var sheet = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(sheet, many);
        var tooMany = await api.PostAsync("/api/v1/notifications/upload?mode=preview", File(sheet.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.Equal("too-many", (await Expect.Problem(tooMany, HttpStatusCode.BadRequest, "validation-failed")).Errors!["file"][0].Code);

        // A small zip that unpacks to 60 MB is refused before it is unpacked.
        using var bomb = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(bomb, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 60; i++) await entry.WriteAsync(spaces);
        }
        Assert.True(bomb.Length < 1024 * 1024);
        var refused = await api.PostAsync("/api/v1/notifications/upload?mode=preview", File(bomb.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.Equal("file-too-large", (await Expect.Problem(refused, HttpStatusCode.RequestEntityTooLarge, "validation-failed")).Errors!["file"][0].Code);

        // An XLSX whose sheet declares a DTD, or is broken XML: a clear 400, never a 500.
        var template = await (await api.GetAsync("/api/v1/notifications/upload/template.xlsx")).Content.ReadAsByteArrayAsync();
        foreach (var sheetXml in new[] { "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]><worksheet>&a;</worksheet>", "<worksheet><sheetData><row>" })
        {
            using var edited = new MemoryStream();
            edited.Write(template);
            using (var zip = new System.IO.Compression.ZipArchive(edited, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
            {
                var name = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).FullName;
                zip.GetEntry(name)!.Delete();
                await using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                await writer.WriteAsync(sheetXml);
            }
            var broken = await api.PostAsync("/api/v1/notifications/upload?mode=preview", File(edited.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        }
    }
}
