using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Xml.Linq;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>The national portal's own files (issue 18): a day's guests exported as its Vietnamese-guest XLSX template and
/// its foreign-guest XML, read back by the hub's upload (preview, then send) to the same guests; a bad row of a portal
/// file is named by its row in that file.</summary>
public sealed class PortalFilesTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static ByteArrayContent File(byte[] bytes, string type) => Uploads.File(bytes, type);

    private static Task<UploadReportDto> UploadAsync(HttpClient client, byte[] bytes, string type, string mode) => Uploads.UploadAsync(client, bytes, type, mode);

    [Fact]
    public async Task A_days_guests_exported_in_the_portals_files_are_read_back_by_the_upload_as_the_same_guests()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var source = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Xuất Tệp");
        using var hotel = server.WithApiKey((await server.CreateApiKeyAsync(source.Id)).ApiKey);
        var arrival = Vn("2026-11-20T14:00");
        foreach (var request in new[]
        {
            new NotificationRequest(new StayDto(arrival, Vn("2026-11-22T12:00"), null, Room: "301", ReasonCode: 5),
            [
                new GuestDto("Nguyễn Văn Xuất", new DateOnly(1988, 2, 3), Gender.Male, new DocumentDto(null, "001088044001", DocumentKind.CanCuoc),
                    Phone: "0912345678", PermanentAddress: "12 Hàng Gai", ResidenceKind: ResidenceKind.Permanent, ResidenceCommuneCode: "00082"),
                new GuestDto("Trần Thị Xuất", new DateOnly(1990, 7, 8), Gender.Female, new DocumentDto(DocumentType.PersonalId, "001190044002")),
            ]),
            new NotificationRequest(new StayDto(arrival, Vn("2026-11-24T11:00"), StayReason.Tourism, Room: "502"),
            [
                new GuestDto("Anna Müller", new DateOnly(1988, 1, 1), Gender.Female, new DocumentDto(DocumentType.Passport, "C01X44T47"), "DEU",
                    DateOfBirthYearOnly: true, Foreign: new ForeignDetailsDto(null, new DateOnly(2026, 12, 15), null, null, true)),
            ]),
        })
        {
            var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
            await IntakeTests.WaitRecordedAsync(hotel, (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id);
        }

        // The Vietnamese guests as the portal's template: its sheets, data from row 5, "code - label" cells, text dates.
        var xlsx = await hotel.GetByteArrayAsync($"/api/v1/establishments/{source.Id}/kbtt-export?day=2026-11-20&format=xlsx");
        using (var stream = new MemoryStream(xlsx))
        {
            Assert.Equal(["DS_KHACH_VIET_NAM_LUU_TRU", "TINH_THANH", "PHUONG_XA", "DANH_MUC"], MiniExcel.GetSheetNames(stream));
            stream.Position = 0;
            var rows = stream.Query(useHeaderRow: false, sheetName: "DS_KHACH_VIET_NAM_LUU_TRU").Cast<IDictionary<string, object?>>().ToList();
            var first = rows[4]; // row 5
            Assert.Equal(("Nguyễn Văn Xuất", "03/02/1988", "M - Nam", "8 - Thẻ Căn Cước", "001088044001"),
                (first["B"], first["C"], first["D"], first["F"], first["H"]));
            Assert.Equal(("1 - Thường trú", "101 - TP. Hà Nội", "101900073 - Phường Cửa Nam", "20/11/2026", "22/11/2026", "301", "5 - Hội nghị"),
                (first["J"], first["K"], first["L"], first["N"], first["O"], first["P"], first["Q"]));
            Assert.Equal(6, rows.Count); // 4 fixed rows and the two Vietnamese guests
        }
        // The foreigner as the portal's XML, with the national code of Germany.
        var xml = XDocument.Parse(Encoding.UTF8.GetString(await hotel.GetByteArrayAsync($"/api/v1/establishments/{source.Id}/kbtt-export?day=2026-11-20&format=xml")));
        var anna = Assert.Single(xml.Root!.Elements("THONG_TIN_KHACH"));
        Assert.Equal(("D", "C01X44T47", "Y", "15/12/2026", "20/11/2026"),
            ((string)anna.Element("ma_quoc_tich")!, (string)anna.Element("so_ho_chieu")!, (string)anna.Element("ngay_sinh_dung_den")!,
                (string)anna.Element("thoi_han_tam_tru")!, (string)anna.Element("ngay_den")!));

        // Another establishment uploads both files: previewed, then sent; the same guests come out.
        var target = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Nhập Tệp");
        using var other = server.WithApiKey((await server.CreateApiKeyAsync(target.Id)).ApiKey);
        var preview = await UploadAsync(other, xlsx, Xlsx, "preview");
        Assert.Equal((2, 1, 1), (preview.Rows, preview.Notifications, preview.Accepted)); // room 301, one stay
        var sentXlsx = await UploadAsync(other, xlsx, Xlsx, "send");
        var sentXml = await UploadAsync(other, Encoding.UTF8.GetBytes(xml.ToString()), "application/xml", "send");
        Assert.Equal((1, 1), (sentXlsx.Accepted, sentXml.Accepted));
        var stored = await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.Include(n => n.Guests)
            .Where(n => n.EstablishmentId == target.Id).OrderBy(n => n.Room).ToListAsync()), l => l.Count == 2, intervalMs: 100);
        var (pair, foreign) = (stored[0], stored[1]);
        Assert.Equal(((short?)5, StayReason.Business, "301"), (pair.ReasonCode, pair.Reason, pair.Room));
        var g0 = pair.Guests.Single(g => g.Index == 0);
        Assert.Equal(("Nguyễn Văn Xuất", "001088044001", DocumentKind.CanCuoc, ResidenceKind.Permanent, "00082", "12 Hàng Gai", "0912345678"),
            (g0.FullName, g0.DocumentNumber, g0.DocumentKind!.Value, g0.ResidenceKind!.Value, g0.ResidenceCommuneCode, g0.PermanentAddress, g0.Phone));
        var a = Assert.Single(foreign.Guests);
        Assert.Equal(("DEU", true, new DateOnly(2026, 12, 15), DocumentType.Passport), (a.Nationality, a.DateOfBirthYearOnly, a.VisaValidUntil!.Value, a.DocumentType));
        Assert.Equal(Vn("2026-11-20T12:00"), foreign.ArrivalAt); // the portal carries dates only: noon
    }

    [Fact]
    public async Task A_bad_row_of_a_portal_template_is_named_by_its_row_and_column_and_nothing_is_sent()
    {
        server.Clock.Set(Vn("2026-11-20T16:00"));
        var e = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Tệp Lỗi");
        using var hotel = server.WithApiKey((await server.CreateApiKeyAsync(e.Id)).ApiKey);
        // Written as a person fills the official template: four fixed rows, then the guests.
        Dictionary<string, object?> Row(params string[] cells) =>
            "ABCDEFGHIJKLMNOPQRS".Select((c, i) => (c.ToString(), i < cells.Length ? cells[i] : "")).ToDictionary(x => x.Item1, x => (object?)x.Item2);
        var rows = new List<Dictionary<string, object?>>
        {
            Row("DANH SÁCH KHÁCH VIỆT NAM LƯU TRÚ"), Row(), Row("STT", "HỌ TÊN (*)"), Row("1", "Nguyễn Văn Mẫu"),
            Row("2", "Phạm Văn Đúng", "05/06/1991", "M - Nam", "VNM - Viet Nam", "1 - Thẻ CCCD", "", "001091033001", "", "", "", "", "", "20/11/2026", "21/11/2026", "11", "1 - Du lịch"),
            Row("3", "Phạm Văn Sai", "05/06/1991", "M - Nam", "VNM - Viet Nam", "1 - Thẻ CCCD", "", "00109103", "", "", "", "", "", "20/11/2026", "21/11/2026", "12", "1 - Du lịch"),
        };
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object> { ["DS_KHACH_VIET_NAM_LUU_TRU"] = rows }, printHeader: false);
        var report = await UploadAsync(hotel, stream.ToArray(), Xlsx, "preview");
        Assert.Equal((2, 1, 1), (report.Notifications, report.Accepted, report.Rejected));
        var problem = Assert.Single(Assert.Single(report.Items, i => i.Status == "rejected").Problems);
        Assert.Equal((6, "Số giấy tờ", "invalid-personal-id"), (problem.Row, problem.Column, problem.Code));
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == e.Id)));
    }
}
