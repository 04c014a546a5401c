using System.Net;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>The dashboard in a real headless Chromium (Debian's package) against the real server: sign in, watch an
/// arrival appear without a reload, find it by name without diacritics; screenshots kept in artifacts/test/screenshots.</summary>
public sealed class DashboardBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00070";

    [Fact]
    public async Task An_officer_sees_an_arrival_live_and_finds_it_without_diacritics()
    {
        server.Clock.FollowRealTime(); // the browser's "today" is the real one
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Tràng Tiền");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var (officer, officerClient) = await server.CreateOfficerAsync(Commune);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(new() { BaseURL = server.ClientOptions.BaseAddress.ToString(), Locale = "vi-VN" });
        await page.GotoAsync("/");
        await page.GetByLabel("Thư điện tử").FillAsync(officer.Email);
        await page.GetByLabel("Mật khẩu").FillAsync(LuuTruServerFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });
        var before = int.Parse(await page.Locator("[data-counter=arrivals] .value").InnerTextAsync());

        // Posted through the API while the page is open: it must appear without a reload.
        var response = await api.SendAsync(Stays.Post(Stays.One(server.Clock.GetUtcNow().AddMinutes(-20), "001090030070", "Nguyễn Văn An"), null));
        await Expect.Status(response, HttpStatusCode.Accepted);
        var receipt = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<NotificationReceiptDto>(response.Content,
            LuuTruServerFactory.Json))!;
        var row = page.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Assertions.Expect(row).ToContainTextAsync("Nguyễn Văn An");
        await Assertions.Expect(row).ToContainTextAsync("Khách sạn Tràng Tiền");
        await Assertions.Expect(row).Not.ToContainTextAsync("001090030070"); // masked in the live table
        await Assertions.Expect(page.Locator("[data-counter=arrivals] .value")).ToHaveTextAsync((before + 1).ToString());

        await page.GetByLabel("Tra cứu").FillAsync("nguyen van an");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator($"#search-rows tr[data-receipt='{receipt.ReceiptNumber}']")).ToBeVisibleAsync(new() { Timeout = 5_000 });

        // A report built while the page is open shows up with its download links (reportReady).
        var day = VietnamTime.DayOf(server.Clock.GetUtcNow()).ToString("yyyy-MM-dd");
        await Expect.Status(await officerClient.PostAsync($"/api/v1/communes/{Commune}/reports/{day}/rebuild", null), HttpStatusCode.Created);
        await Assertions.Expect(page.Locator($"#reports li[data-report='{day}/nightly/1'] a", new() { HasText = "CSV" })).ToBeVisibleAsync(new() { Timeout = 5_000 });
        // The PDF link works with the page's own session.
        var pdfLink = await page.Locator($"#reports li[data-report='{day}/nightly/1'] a", new() { HasText = "PDF" }).GetAttributeAsync("href");
        var pdf = await page.Context.APIRequest.GetAsync(new Uri(new Uri(page.Url), pdfLink).ToString());
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);

        // Every field has a label a screen reader announces.
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select')]
                  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id || e.name)
            """);
        Assert.Empty(unlabelled);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("dashboard-desktop.png"), FullPage = true });

        // On a phone: nothing wider than the screen, the live table still there; English on the toggle.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Live", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("dashboard-phone-en.png"), FullPage = true });
    }
}

/// <summary>Debian's Chromium through Playwright (no browser download), and where screenshots go.</summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private Browser(IPlaywright playwright, IBrowser browser) { _playwright = playwright; _browser = browser; }

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LUUTRU_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
        return new Browser(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(BrowserNewContextOptions options) => await (await _browser.NewContextAsync(options)).NewPageAsync();

    public static string Artifact(string name)
    {
        var dir = Path.Combine(TestEnvironment.ArtifactsDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
