using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>A province supervisor's screen (issue 17): every commune's day at a glance, live; the establishments that
/// notified nothing with whom to call; province-wide search; a drill-down into a commune and back.</summary>
public sealed class ProvinceBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string NghiaDo = "00160", CauGiay = "00166";

    private async Task<NotificationReceiptDto> NotifyAsync(HttpClient hotel, NotificationRequest request)
    {
        var sent = await hotel.PostAsJsonAsync("/api/v1/notifications", request, LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        return (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
    }

    [Fact]
    public async Task A_supervisor_sees_the_province_commune_by_commune_live_calls_the_silent_and_drills_down()
    {
        server.Clock.FollowRealTime();
        var now = server.Clock.GetUtcNow();
        using var nghiaDo = server.WithApiKey((await server.CreateApiKeyAsync((await server.CreateEstablishmentAsync(NghiaDo, name: "Khách sạn Nghĩa Đô")).Id)).ApiKey);
        var silent = await server.CreateEstablishmentAsync(CauGiay, name: "Nhà nghỉ Cầu Giấy Im Lặng");
        var stay = new StayDto(now.AddMinutes(-40), now.AddDays(2), StayReason.Tourism, Room: "12");
        var first = await NotifyAsync(nghiaDo, new NotificationRequest(stay, [
            new GuestDto("Kim Min Jun", new DateOnly(1988, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M16000001"), "KOR",
                Foreign: new ForeignDetailsDto(null, null, null, null, VisaExempt: true)),
            new GuestDto("Trần Văn Một", new DateOnly(1990, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090160001"))]));
        await IntakeTests.WaitRecordedAsync(nghiaDo, first.Id);
        var (supervisor, _) = await server.CreateSupervisorAsync("01");

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.SignedInAsync(server, supervisor.Email);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("CuTru.LuuTru — Công an tỉnh", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });

        var nghiaDoLine = page.Locator($"#rollup-rows tr[data-commune='{NghiaDo}']");
        await Assertions.Expect(nghiaDoLine).ToContainTextAsync("Phường Nghĩa Đô");
        await Assertions.Expect(nghiaDoLine.Locator("td").Nth(1)).ToHaveTextAsync("1");  // arrivals
        await Assertions.Expect(nghiaDoLine.Locator("td").Nth(2)).ToHaveTextAsync("2");  // guests
        await Assertions.Expect(nghiaDoLine.Locator("td").Nth(3)).ToHaveTextAsync("1");  // foreigners
        var silentLine = page.Locator($"#silent-rows tr[data-establishment='{silent.Id}']");
        await Assertions.Expect(silentLine).ToContainTextAsync("Nhà nghỉ Cầu Giấy Im Lặng");
        await Assertions.Expect(silentLine).ToContainTextAsync("Phường Cầu Giấy");
        Assert.Equal("tel:0912345678", await silentLine.Locator("a").GetAttributeAsync("href"));

        // Live: another arrival in Nghĩa Đô moves its line without a reload.
        await NotifyAsync(nghiaDo, new NotificationRequest(stay with { Room = "14" },
            [new GuestDto("Trần Văn Hai", new DateOnly(1991, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001091160002"))]));
        await Assertions.Expect(nghiaDoLine.Locator("td").Nth(1)).ToHaveTextAsync("2", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-counter=arrivals] .value")).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("province-desktop.png"), FullPage = true });

        // Province-wide search, then a drill-down into the commune and back.
        await page.GetByLabel("Tra cứu").FillAsync("min jun kim");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator($"#search-rows tr[data-receipt='{first.ReceiptNumber}']")).ToContainTextAsync("Hàn Quốc", new() { Timeout = 5_000 });
        await nghiaDoLine.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator($"#arrival-rows tr[data-receipt='{first.ReceiptNumber}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#commune")).ToHaveValueAsync(NghiaDo);
        await page.Locator("#to-province").ClickAsync();
        await Assertions.Expect(nghiaDoLine).ToBeVisibleAsync(new() { Timeout = 10_000 });

        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("province-phone.png"), FullPage = true });
    }
}
