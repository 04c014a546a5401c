using System.Net;
using System.Net.Http.Json;
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
        // The detail on the phone: readable in words, nothing wider than the screen.
        await page.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}']").ClickAsync();
        await Assertions.Expect(page.Locator("#detail[open]")).ToContainTextAsync("Nguyễn Văn An", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#detail[open]")).ToContainTextAsync("Khách sạn Tràng Tiền");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the detail is wider than a phone");
        Assert.True(await page.EvaluateAsync<bool>("() => { const d = document.querySelector('#detail'); return d.scrollWidth <= d.clientWidth + 1; }"),
            "the detail scrolls sideways on a phone");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("detail-phone-en.png"), FullPage = true });
    }
}

/// <summary>The dashboard is the register, live (issue 17): the day's lines with their dates, counters counted from the same
/// lines, every change (cancel, correction, checkout) replacing its line in place, and a reload showing the same.</summary>
public sealed class RegisterBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00082"; // Phường Cửa Nam: this class alone

    /// <summary>What the page shows: each line's status and guest count, and the counters.</summary>
    public sealed class Shown
    {
        public int Lines { get; set; }
        public int LiveLines { get; set; }
        public int CancelledLines { get; set; }
        public int Guests { get; set; }
        public int Arrivals { get; set; }
        public int GuestCounter { get; set; }
        public int Cancelled { get; set; }
        public int Staying { get; set; }
        public string Text { get; set; } = "";
    }

    private static Task<Shown> ShownAsync(IPage page) => page.EvaluateAsync<Shown>("""
        () => {
          const rows = [...document.querySelectorAll('#arrival-rows tr')];
          const live = rows.filter(r => r.dataset.status !== 'cancelled');
          const counter = k => Number(document.querySelector(`[data-counter=${k}] .value`).textContent);
          return {
            lines: rows.length, liveLines: live.length, cancelledLines: rows.length - live.length,
            guests: live.reduce((n, r) => n + r.querySelectorAll('td:nth-child(5) > div').length, 0),
            arrivals: counter('arrivals'), guestCounter: counter('guests'), cancelled: counter('cancelled'), staying: counter('staying'),
            text: rows.map(r => r.innerText).join('\n'),
          };
        }
        """);

    private static void CountersMatchLines(Shown shown) =>
        Assert.Equal((shown.LiveLines, shown.Guests, shown.CancelledLines), (shown.Arrivals, shown.GuestCounter, shown.Cancelled));

    [Fact]
    public async Task Counters_equal_the_lines_after_arrivals_cancels_corrections_and_checkouts_and_after_a_reload()
    {
        server.Clock.FollowRealTime(); // the browser's clock and the server's agree
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Hai Bà");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var (officer, _) = await server.CreateOfficerAsync(Commune);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.SignedInAsync(server, officer.Email);
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });

        var now = server.Clock.GetUtcNow();
        var receipts = new List<NotificationReceiptDto>();
        foreach (var (doc, name) in new[] { ("001090082001", "Lê Văn Một"), ("001090082002", "Lê Văn Hai"), ("001090082003", "Lê Văn Ba") })
        {
            var sent = await api.SendAsync(Stays.Post(Stays.One(now.AddMinutes(-30), doc, name), null));
            await Expect.Status(sent, HttpStatusCode.Accepted);
            receipts.Add((await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<NotificationReceiptDto>(sent.Content, LuuTruServerFactory.Json))!);
        }
        ILocator Line(int i) => page.Locator($"#arrival-rows tr[data-receipt='{receipts[i].ReceiptNumber}']");
        for (var i = 0; i < 3; i++) await Assertions.Expect(Line(i)).ToBeVisibleAsync(new() { Timeout = 10_000 });
        // Dates and times in full: dd/MM/yyyy HH:mm.
        await Assertions.Expect(Line(0).Locator("td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"));
        CountersMatchLines(await ShownAsync(page));

        // A cancel, a correction and a checkout, each through the API: each line changes in place, without a reload.
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{receipts[0].Id}/cancel", new CancelRequest("Khách không đến"), LuuTruServerFactory.Json), HttpStatusCode.OK);
        await Expect.Status(await api.PatchAsJsonAsync($"/api/v1/notifications/{receipts[1].Id}",
            new NotificationPatch(Guests: [new GuestPatch(0, FullName: "Lê Văn Hải")], Reason: "Sai tên"), LuuTruServerFactory.Json), HttpStatusCode.OK);
        await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{receipts[2].Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json), HttpStatusCode.OK);
        await Assertions.Expect(Line(0)).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 10_000 });
        await Assertions.Expect(Line(0)).ToContainTextAsync("Đã hủy");
        await Assertions.Expect(Line(1)).ToContainTextAsync("Lê Văn Hải", new() { Timeout = 10_000 });
        await Assertions.Expect(Line(2)).ToContainTextAsync("Đã trả phòng", new() { Timeout = 10_000 });
        var live = await ShownAsync(page);
        CountersMatchLines(live);
        Assert.Equal((3, 1, 1), (live.Lines, live.Cancelled, live.Staying)); // of the three, one cancelled and one gone: one stays
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("register-live.png"), FullPage = true });

        // A reload shows the register exactly as the live page had it.
        await page.ReloadAsync();
        await Assertions.Expect(Line(2)).ToContainTextAsync("Đã trả phòng", new() { Timeout = 10_000 });
        var reloaded = await ShownAsync(page);
        CountersMatchLines(reloaded);
        Assert.Equal((live.Text, live.Arrivals, live.Guests, live.Staying), (reloaded.Text, reloaded.Arrivals, reloaded.Guests, reloaded.Staying));
        // No ISO date and no raw code on the register.
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", reloaded.Text);
        Assert.DoesNotContain("checked-out", reloaded.Text);
        Assert.DoesNotContain("VNM", reloaded.Text);

        // The detail in words: the place, the guests' nationality by name, the history with who, why and what changed.
        await Line(1).ClickAsync();
        var detail = page.Locator("#detail");
        await Assertions.Expect(detail.Locator("#detail-place")).ToContainTextAsync("Khách sạn Hai Bà");
        await Assertions.Expect(detail.Locator("#detail-guests")).ToContainTextAsync("Việt Nam");
        await Assertions.Expect(detail.Locator("#detail-guests")).ToContainTextAsync("04/03/1990");
        var history = detail.Locator("#detail-history");
        await Assertions.Expect(history).ToContainTextAsync("Sửa thông tin");
        await Assertions.Expect(history).ToContainTextAsync("Lý do: Sai tên");
        await Assertions.Expect(history).ToContainTextAsync("Lê Văn Hai → Lê Văn Hải");
        await Assertions.Expect(history).ToContainTextAsync("PMS"); // the API key that did it, by its name
        var detailText = await detail.InnerTextAsync();
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", detailText);
        foreach (var code in new[] { "recorded", "business", "personal-id", "VNM", "api-key" }) Assert.DoesNotContain(code, detailText);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("register-detail.png"), FullPage = true });
        await detail.GetByRole(AriaRole.Button, new() { Name = "Đóng" }).Last.ClickAsync();

        // Search by words in any order without diacritics: headers, words, and Enter on a result opens it.
        await page.GetByLabel("Tra cứu").FillAsync("hai le van");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        var found = page.Locator($"#search-rows tr[data-receipt='{receipts[1].ReceiptNumber}']");
        await Assertions.Expect(found).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Assertions.Expect(page.Locator("#search-results thead")).ToContainTextAsync("Trạng thái");
        await Assertions.Expect(found).ToContainTextAsync("Đã vào sổ");
        await found.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(detail.Locator("#detail-history")).ToContainTextAsync("Sửa thông tin");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Đóng" }).Last.ClickAsync();

        // On a phone the register scrolls within its card; the page itself is not wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("register-phone.png"), FullPage = true });
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

    /// <summary>A new page (its own cookies) on <paramref name="server"/>, signed in through the sign-in form, in Vietnamese.</summary>
    public async Task<IPage> SignedInAsync(LuuTruServerFactory server, string email, string password = LuuTruServerFactory.Password)
    {
        var page = await NewPageAsync(new() { BaseURL = server.ClientOptions.BaseAddress.ToString(), Locale = "vi-VN" });
        await page.GotoAsync("/");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("form.login button[type=submit]").ClickAsync();
        return page;
    }

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
