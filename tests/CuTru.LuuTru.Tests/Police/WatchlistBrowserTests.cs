using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>Watchlist hits are records (issue 17): a hit that came while nobody was signed in alerts on sign-in, survives a
/// reload, shows on every device of the commune, and closes everywhere when an officer deals with it, with a note.</summary>
public sealed class WatchlistBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00145";

    private async Task<IPage> SignInAsync(Browser browser, string email)
    {
        var page = await browser.SignedInAsync(server, email);
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });
        return page;
    }

    [Fact]
    public async Task A_hit_while_nobody_watched_alerts_on_sign_in_survives_a_reload_and_closes_on_every_device_once_dealt_with()
    {
        server.Clock.FollowRealTime();
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        await Expect.Status(await supervisor.PostAsJsonAsync("/api/v1/watchlist",
            new WatchlistRequest("001090145777", "Truy tìm theo quyết định 12/QĐ", server.Clock.GetUtcNow().AddDays(30)), LuuTruServerFactory.Json),
            HttpStatusCode.Created);
        using var hotel = await Stays.HotelClientAsync(server, Commune);
        var sent = await hotel.SendAsync(Stays.Post(Stays.One(server.Clock.GetUtcNow().AddMinutes(-10), "001090145777", "Đinh Văn Trốn"), null));
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var (officer, officerApi) = await server.CreateOfficerAsync(Commune);
        var open = await Eventually.UntilAsync(
            async () => (await officerApi.GetFromJsonAsync<Page<WatchlistHitDto>>("/api/v1/watchlist/hits?status=open", LuuTruServerFactory.Json))!.Items,
            items => items.Count == 1);
        var hit = Assert.Single(open);

        // Signed in after the hit: the alert is there, the line highlighted, the counter says one.
        await using var browser = await Browser.LaunchAsync();
        var desk = await SignInAsync(browser, officer.Email);
        var alert = desk.Locator($"#alerts [data-hit='{hit.Id}']");
        await Assertions.Expect(alert).ToContainTextAsync("Đinh Văn Trốn");
        await Assertions.Expect(desk.Locator($"#arrival-rows tr.hit[data-receipt='{receipt.ReceiptNumber}']")).ToBeVisibleAsync();
        await Assertions.Expect(desk.Locator("[data-counter=openHits] .value")).ToHaveTextAsync("1");
        await desk.ReloadAsync();
        await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // A second device of the commune (a phone) shows it too; dealt with on the desk, it closes on both.
        var phone = await SignInAsync(browser, officer.Email);
        await phone.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(phone.Locator($"#alerts [data-hit='{hit.Id}']")).ToBeVisibleAsync();
        await desk.ScreenshotAsync(new() { Path = Browser.Artifact("watchlist-hit-open.png") });
        await alert.GetByRole(AriaRole.Button, new() { Name = "Đã xử lý" }).ClickAsync();
        await desk.GetByLabel("Đã xử lý thế nào (bắt buộc)").FillAsync("Đã mời lên trụ sở làm việc");
        await desk.Locator("#ack button[type=submit]").ClickAsync();
        await Assertions.Expect(alert).ToHaveCountAsync(0);
        await Assertions.Expect(phone.Locator($"#alerts [data-hit='{hit.Id}']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Assertions.Expect(phone.Locator("[data-counter=openHits] .value")).ToHaveTextAsync("0");
        await phone.ScreenshotAsync(new() { Path = Browser.Artifact("watchlist-hit-closed-phone.png"), FullPage = true });

        var done = (await officerApi.GetFromJsonAsync<Page<WatchlistHitDto>>("/api/v1/watchlist/hits?status=acknowledged", LuuTruServerFactory.Json))!.Items;
        Assert.Equal(("Đã mời lên trụ sở làm việc", officer.Id), (Assert.Single(done).AcknowledgementNote, done[0].AcknowledgedBy!.Value));
        Assert.Empty((await officerApi.GetFromJsonAsync<Page<WatchlistHitDto>>("/api/v1/watchlist/hits?status=open", LuuTruServerFactory.Json))!.Items);
        // A note is required; the submitter never learns of any of it.
        var again = await officerApi.PostAsJsonAsync($"/api/v1/watchlist/hits/{hit.Id}/acknowledge", new AcknowledgeHitRequest(" "), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(again, HttpStatusCode.BadRequest, "validation-failed"), "note", "required");
        Assert.DoesNotContain("watchlist", await hotel.GetStringAsync($"/api/v1/notifications/{receipt.Id}"), StringComparison.OrdinalIgnoreCase);
    }
}
