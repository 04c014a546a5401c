using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>No page shows a raw code or an ISO date (issue 17): every page a person reaches (sign-in, the household
/// form, the status and verification pages, the application, the staff tabs, the commune register with a notification's
/// detail, the province view) is read as text, in both languages, and scanned for yyyy-MM-dd and for the API's enum codes.</summary>
public sealed class PageTextTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00190";
    private static readonly Regex IsoDate = new(@"\b\d{4}-\d{2}-\d{2}\b");
    private static readonly string[] Codes =
    [
        // The API's own spellings, which no sentence of either language uses.
        "checked-out", "personal-id", "cmnd", "visiting-family", "establishment-staff", "commune-officer", "province-supervisor", "api-key",
        "staying-elsewhere", "id-gender-mismatch", "foreign-details-missing", "in-person", "corrected-after-receipt", "VNM", "KOR",
    ];

    private static async Task ScanAsync(IPage page, string where, List<string> found)
    {
        await page.WaitForTimeoutAsync(300); // what loads after the first paint
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        foreach (Match m in IsoDate.Matches(text)) found.Add($"{where}: ISO date {m.Value}");
        foreach (var code in Codes)
            if (Regex.IsMatch(text, $@"(?<![\p{{L}}\d-]){Regex.Escape(code)}(?![\p{{L}}\d-])")) found.Add($"{where}: code '{code}'");
    }

    [Fact]
    public async Task No_page_shows_a_raw_code_or_an_iso_date_in_either_language()
    {
        server.Clock.FollowRealTime();
        var now = server.Clock.GetUtcNow();
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Ô Chợ Dừa");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var sent = await api.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(
            new StayDto(now.AddHours(-30), now.AddDays(2), StayReason.Business, Room: "21"),
            [new GuestDto("Kim Min Jun", new DateOnly(1988, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M19000001"), "KOR"),
             new GuestDto("Trần Văn Một", new DateOnly(1990, 1, 1), Gender.Female, new DocumentDto(DocumentType.PersonalId, "001090190001"))]), LuuTruServerFactory.Json);
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(api, receipt.Id);
        await Expect.Status(await api.PatchAsJsonAsync($"/api/v1/notifications/{receipt.Id}",
            new NotificationPatch(new StayPatch(Room: "22"), Reason: "Đổi phòng"), LuuTruServerFactory.Json), HttpStatusCode.OK);
        var (staff, _) = await server.CreateStaffAsync(hotel.Id);
        var (officer, officerClient) = await server.CreateOfficerAsync(Commune);
        // A report on the commune's list, with its day and kind.
        await Expect.Status(await officerClient.PostAsync(
            $"/api/v1/communes/{Commune}/reports/{VietnamTime.DayOf(now):yyyy-MM-dd}/rebuild", null), HttpStatusCode.Created);
        var (supervisor, _) = await server.CreateSupervisorAsync("01");

        await using var browser = await Browser.LaunchAsync();
        var found = new List<string>();
        foreach (var lang in new[] { "vi", "en" })
        {
            async Task<IPage> Open(string path, string? email = null)
            {
                var page = await browser.NewPageAsync(new() { BaseURL = server.ClientOptions.BaseAddress.ToString(), Locale = "vi-VN" });
                await page.AddInitScriptAsync($"localStorage.setItem('luutru.lang', '{lang}')");
                await page.GotoAsync("/");
                if (email is not null)
                {
                    await page.Locator("#email").FillAsync(email);
                    await page.Locator("#password").FillAsync(LuuTruServerFactory.Password);
                    await page.Locator("form.login button[type=submit]").ClickAsync();
                    await page.WaitForSelectorAsync("main", new() { Timeout = 15_000 });
                }
                if (path != "/") await page.GotoAsync(path);
                return page;
            }
            var login = await Open("/");
            await ScanAsync(login, $"{lang} sign-in", found);
            foreach (var path in new[] { "/#/khai-bao", "/#/tra-cuu", "/#/dang-ky-co-so", $"/#/xac-minh?so={receipt.ReceiptNumber}&ma={receipt.VerifyCode}" })
            {
                var page = await Open(path);
                await ScanAsync(page, $"{lang} {path}", found);
            }
            var desk = await Open("/", staff.Email);
            foreach (var tab in new[] { "notify", "staying", "upload", "keys" })
            {
                await desk.Locator($"nav.tabs button[data-tab={tab}]").ClickAsync();
                await ScanAsync(desk, $"{lang} staff {tab}", found);
            }
            var police = await Open("/", officer.Email);
            await Assertions.Expect(police.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await ScanAsync(police, $"{lang} commune register", found);
            await police.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}']").ClickAsync();
            await Assertions.Expect(police.Locator("#detail-history")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await ScanAsync(police, $"{lang} detail", found);
            var province = await Open("/", supervisor.Email);
            await Assertions.Expect(province.Locator("#rollup-rows")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await ScanAsync(province, $"{lang} province", found);
        }
        Assert.True(found.Count == 0, "raw codes or ISO dates on pages:\n" + string.Join("\n", found.Distinct()));
    }
}
