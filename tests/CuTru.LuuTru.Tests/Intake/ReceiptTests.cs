using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Receipts worth keeping (issue 17): the receipt as kept and printed for its establishment and the police, with
/// masked document numbers; its PDF with a QR code; a public check that says it exists and nothing of anyone.</summary>
public sealed class ReceiptTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00175";

    [Fact]
    public async Task A_receipt_is_kept_printed_and_checked_without_showing_anyone()
    {
        server.Clock.Set(Vn("2026-11-22T21:00"));
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Yên Hòa");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        using var other = await Stays.HotelClientAsync(server, Commune);
        var request = new NotificationRequest(new StayDto(Vn("2026-11-22T20:00"), Vn("2026-11-24T12:00"), StayReason.Tourism, Room: "808"),
            [new GuestDto("Hoàng Văn Biên", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090175001"))]);
        var sent = await api.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Matches("^[A-Za-z0-9]{8}$", receipt.VerifyCode!);
        await IntakeTests.WaitRecordedAsync(api, receipt.Id);

        var view = (await api.GetFromJsonAsync<ReceiptViewDto>($"/api/v1/receipts/{receipt.ReceiptNumber}", LuuTruServerFactory.Json))!;
        Assert.Equal(("Khách sạn Yên Hòa", "808", Vn("2026-11-22T21:00"), receipt.VerifyCode), (view.PlaceName, view.Room, view.ReceivedAt, view.VerifyCode));
        Assert.Equal(("Hoàng Văn Biên", "00********01"), (view.Guests[0].FullName, view.Guests[0].DocumentMasked));
        Assert.Contains($"#/xac-minh?so={receipt.ReceiptNumber}&ma={receipt.VerifyCode}", view.VerifyUrl);
        await Expect.Problem(await other.GetAsync($"/api/v1/receipts/{receipt.ReceiptNumber}"), HttpStatusCode.NotFound, "not-found"); // not theirs
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/receipts/{receipt.ReceiptNumber}")).StatusCode);
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await Expect.Status(await officer.GetAsync($"/api/v1/receipts/{receipt.ReceiptNumber}"), HttpStatusCode.OK);

        // The print: one page, the number, the place, the masked number, never the whole one.
        var pdf = await api.GetAsync($"/api/v1/receipts/{receipt.ReceiptNumber}/pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(1, document.NumberOfPages);
            var text = string.Concat(document.GetPage(1).Letters.Select(l => l.Value));
            foreach (var expected in new[] { "GIẤYBIÊNNHẬN", receipt.ReceiptNumber, "KháchsạnYênHòa", "00********01", receipt.VerifyCode! })
                Assert.Contains(expected, text.Replace(" ", ""));
            Assert.DoesNotContain("001090175001", text);
        }

        // Anyone may check it with the printed code, and learns nothing of anyone; a wrong code is an unknown receipt.
        var check = await anonymous.GetAsync($"/api/v1/receipts/verify?number={receipt.ReceiptNumber}&code={receipt.VerifyCode}");
        await Expect.Status(check, HttpStatusCode.OK);
        var body = await check.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Hoàng", body);
        Assert.DoesNotContain("Yên Hòa\",\"room", body);
        var verified = (await check.Content.ReadFromJsonAsync<ReceiptVerificationDto>(LuuTruServerFactory.Json))!;
        Assert.Equal((new DateOnly(2026, 11, 22), NotificationStatus.Recorded, "Phường Yên Hòa"), (verified.ReceivedOn, verified.Status, verified.CommuneName));
        await Expect.Problem(await anonymous.GetAsync($"/api/v1/receipts/verify?number={receipt.ReceiptNumber}&code=AAAAAAAA"), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await anonymous.GetAsync($"/api/v1/receipts/verify?number=00175-261122-0099&code={receipt.VerifyCode}"), HttpStatusCode.NotFound, "not-found");
    }
}
