using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using CuTru.LuuTru.Tests.Police;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Submitting;

/// <summary>The submitting pages in Debian's headless Chromium against the real server: a front desk notifies a family
/// with a child without an ID number and checks one guest out; a household notifies through the public form and finds
/// its status; an invalid ID number is shown inline and nothing is sent. Screenshots in artifacts/test/screenshots.</summary>
public sealed class FormBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    /// <summary>The page at a 390 px phone's width: nothing wider than the screen; a screenshot kept; back to the desktop.</summary>
    private static async Task FitsAPhoneAsync(IPage page, string screenshot)
    {
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{screenshot}: wider than a phone");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact(screenshot), FullPage = true });
        if (size is not null) await page.SetViewportSizeAsync(size.Width, size.Height);
    }

    private async Task<IPage> OpenAsync(Browser browser, string path = "/")
    {
        var page = await browser.NewPageAsync(new() { BaseURL = server.ClientOptions.BaseAddress.ToString(), Locale = "vi-VN" });
        await page.GotoAsync(path);
        return page;
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GetByLabel("Thư điện tử").FillAsync(email);
        await page.GetByLabel("Mật khẩu").FillAsync(LuuTruServerFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
    }

    /// <summary>Every input and select has an accessible name in Chromium's accessibility tree.</summary>
    private static async Task AssertEveryFieldNamedAsync(IPage page)
    {
        var unnamed = new List<string>();
        foreach (var field in await page.Locator("input:visible, select:visible").AllAsync())
        {
            var snapshot = await field.AriaSnapshotAsync();
            // "- textbox \"Họ và tên\"": the role followed by its quoted name; an unnamed field has no quoted name.
            if (!snapshot.Contains('"')) unnamed.Add(await field.GetAttributeAsync("id") ?? snapshot);
        }
        Assert.Empty(unnamed);
    }

    [Fact]
    public async Task Staff_notify_a_family_of_three_with_a_child_without_id_get_a_receipt_and_check_one_guest_out()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Bờ Hồ");
        var (staff, staffClient) = await server.CreateStaffAsync(hotel.Id);
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser);
        await SignInAsync(page, staff.Email);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Khách sạn Bờ Hồ", new() { Timeout = 10_000 });

        // The family: father, mother, and a child with no ID number yet.
        await page.Locator("#stay-reason").SelectOptionAsync("tourism");
        await page.Locator("#stay-room").FillAsync("204");
        var people = new[] { ("Nguyễn Văn Bình", "1988-02-03", "male", "001088012345"), ("Trần Thị Hoa", "1990-07-08", "female", "001190054321") };
        for (var i = 0; i < people.Length; i++)
        {
            if (i > 0) await page.GetByRole(AriaRole.Button, new() { Name = "Thêm khách" }).ClickAsync();
            var (name, dob, gender, id) = people[i];
            await page.Locator($"[data-path='guests[{i}].fullName']").FillAsync(name);
            await page.Locator($"[data-path='guests[{i}].dateOfBirth']").FillAsync(dob);
            await page.Locator($"[data-path='guests[{i}].gender']").SelectOptionAsync(gender);
            await page.Locator($"[data-path='guests[{i}].document.number']").FillAsync(id);
        }
        // Quick add puts the cursor in the next guest's name: the child is typed from the keyboard.
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm khách" }).ClickAsync();
        await page.Keyboard.TypeAsync("Nguyễn Bảo An");
        Assert.Equal("guests[2].fullName", await page.EvaluateAsync<string>("() => document.activeElement.dataset.path"));
        await page.Locator("[data-path='guests[2].dateOfBirth']").FillAsync("2020-05-06");
        await page.Locator("[data-path='guests[2].document.type']").SelectOptionAsync("none");
        await Assertions.Expect(page.Locator("[data-path='guests[2].document.number']")).ToBeHiddenAsync();
        await AssertEveryFieldNamedAsync(page);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-form.png"), FullPage = true });
        await FitsAPhoneAsync(page, "staff-form-phone.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();
        var number = page.Locator(".receipt-number");
        await Assertions.Expect(number).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var receiptNumber = await number.InnerTextAsync();
        Assert.StartsWith("00070-", receiptNumber);
        await Assertions.Expect(page.Locator(".receipt [data-late]")).ToHaveTextAsync("Đúng hạn");
        await Assertions.Expect(page.Locator(".receipt [data-flag='child-without-id']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-receipt.png"), FullPage = true });

        // Filed once, with the three guests, as the API sees it.
        var mine = await Eventually.UntilAsync( // listed once recorded
            async () => (await staffClient.GetFromJsonAsync<Page<NotificationDto>>("/api/v1/notifications?limit=10", LuuTruServerFactory.Json))!,
            page => page.Items.Count > 0, intervalMs: 100);
        var filed = Assert.Single(mine.Items);
        Assert.Equal(receiptNumber, filed.ReceiptNumber);
        Assert.Equal(["Nguyễn Văn Bình", "Trần Thị Hoa", "Nguyễn Bảo An"], filed.Guests.Select(g => g.FullName).ToArray());
        Assert.Equal(DocumentType.None, filed.Guests[2].DocumentType);
        await IntakeTests.WaitRecordedAsync(staffClient, filed.Id);

        // Check the mother out from the staying list.
        await page.Locator(".receipt").GetByRole(AriaRole.Button, new() { Name = "Khách hôm nay và đang lưu trú" }).ClickAsync();
        var row = page.Locator($"table.stays tr[data-receipt='{receiptNumber}']").First;
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await row.GetByRole(AriaRole.Button, new() { Name = "Trả phòng khách này: Trần Thị Hoa" }).ClickAsync();
        // Asked once more in place; "Không" leaves everything as it was, "Có" checks out.
        await row.Locator(".confirm").GetByRole(AriaRole.Button, new() { Name = "Không" }).ClickAsync();
        await Assertions.Expect(row.Locator(".confirm")).ToHaveCountAsync(0);
        Assert.Null((await staffClient.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{filed.Id}", LuuTruServerFactory.Json))!
            .Guests.Single(g => g.FullName == "Trần Thị Hoa").CheckedOutAt);
        await row.GetByRole(AriaRole.Button, new() { Name = "Trả phòng khách này: Trần Thị Hoa" }).ClickAsync();
        await Assertions.Expect(row.Locator(".confirm")).ToContainTextAsync("Xác nhận trả phòng?");
        await row.Locator(".confirm").GetByRole(AriaRole.Button, new() { Name = "Có" }).ClickAsync();
        await Assertions.Expect(page.Locator("#staying-status")).ToContainTextAsync(receiptNumber, new() { Timeout = 10_000 });
        var after = (await staffClient.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{filed.Id}", LuuTruServerFactory.Json))!;
        Assert.NotNull(after.Guests.Single(g => g.FullName == "Trần Thị Hoa").CheckedOutAt);
        Assert.Null(after.Guests.Single(g => g.FullName == "Nguyễn Văn Bình").CheckedOutAt);
        Assert.Equal(NotificationStatus.Recorded, after.Status);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-staying.png"), FullPage = true });
        // On a 390 px phone the staying list fits the screen: each stay a card, nothing wider than the page.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the staying list is wider than a phone");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-staying-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);

        // Correct the father's name: the server judges it again and keeps the history.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sửa {receiptNumber}" }).First.ClickAsync();
        await page.GetByLabel("Họ và tên (1)").FillAsync("Nguyễn Văn Bính");
        await page.Locator("dialog").GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.Locator("dialog p.error:not([data-error-for])")).ToContainTextAsync("Cần ghi lý do sửa"); // a correction says why
        await page.GetByLabel("Ngày sinh (1)").FillAsync("1984-06-07"); // every field is correctable, dates too
        await page.GetByLabel("Lý do sửa").FillAsync("Gõ nhầm dấu");
        await page.Locator("dialog").GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.Locator("dialog")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var corrected = (await staffClient.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{filed.Id}", LuuTruServerFactory.Json))!;
        Assert.Equal(("Nguyễn Văn Bính", new DateOnly(1984, 6, 7)), (corrected.Guests[0].FullName, corrected.Guests[0].DateOfBirth));
        var history = (await staffClient.GetFromJsonAsync<List<NotificationChangeDto>>($"/api/v1/notifications/{filed.Id}/history", LuuTruServerFactory.Json))!;
        Assert.Contains(history, c => c.Reason == "Gõ nhầm dấu" && c.Before!.Contains("Nguyễn Văn Bình") && c.After!.Contains("Nguyễn Văn Bính"));
    }

    [Fact]
    public async Task A_visa_exempt_foreign_guest_is_filed_by_names_and_the_entry_details_are_corrected_on_a_phone()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Tràng Tiền");
        var (staff, staffClient) = await server.CreateStaffAsync(hotel.Id);
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser);
        await SignInAsync(page, staff.Email);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Khách sạn Tràng Tiền", new() { Timeout = 10_000 });

        await page.Locator("#stay-reason").SelectOptionAsync("tourism");
        await page.Locator("[data-path='guests[0].fullName']").FillAsync("Kim Min Jun");
        await page.Locator("[data-path='guests[0].dateOfBirth']").FillAsync("1988-05-06");
        await page.Locator("[data-path='guests[0].gender']").SelectOptionAsync("male");
        await page.Locator("[data-path='guests[0].document.type']").SelectOptionAsync("passport");
        await page.Locator("[data-path='guests[0].document.number']").FillAsync("M70012345");
        await page.Locator("[data-path='guests[0].nationality']").FillAsync("Hàn Quốc"); // by name, as people say it
        // A visa-exempt guest: no visa number asked; the port is offered from the list of international ports.
        await page.GetByLabel("Miễn thị thực").CheckAsync();
        Assert.True(await page.Locator("#entry-ports option[value='Cảng hàng không quốc tế Nội Bài']").CountAsync() == 1);
        await page.Locator("[data-path='guests[0].foreign.entryDate']").FillAsync(DateTime.UtcNow.AddHours(7).AddDays(-1).ToString("yyyy-MM-dd"));
        await page.Locator("[data-path='guests[0].foreign.entryPort']").FillAsync("Cảng hàng không quốc tế Nội Bài");
        await FitsAPhoneAsync(page, "staff-form-foreign-phone.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();
        var number = page.Locator(".receipt-number");
        await Assertions.Expect(number).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var receiptNumber = await number.InnerTextAsync();
        var filed = await Eventually.UntilAsync(
            async () => (await staffClient.GetFromJsonAsync<Page<NotificationDto>>("/api/v1/notifications?limit=10", LuuTruServerFactory.Json))!,
            p => p.Items.Count > 0, intervalMs: 100);
        var n = await IntakeTests.WaitRecordedAsync(staffClient, Assert.Single(filed.Items).Id);
        Assert.Equal(("KOR", true, "Cảng hàng không quốc tế Nội Bài"), (n.Guests[0].Nationality, n.Guests[0].Foreign!.VisaExempt, n.Guests[0].Foreign!.EntryPort));
        Assert.DoesNotContain(n.Flags, f => f.Code == "foreign-details-missing");

        // The port was wrong: corrected from the staying list, on a phone, with the reason.
        await page.Locator(".receipt").GetByRole(AriaRole.Button, new() { Name = "Khách hôm nay và đang lưu trú" }).ClickAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sửa {receiptNumber}" }).First.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Miễn thị thực (1)")).ToBeCheckedAsync();
        await page.GetByLabel("Cửa khẩu nhập cảnh (1)").FillAsync("Mộc Bài"); // the short name is enough
        await page.GetByLabel("Lý do sửa").FillAsync("Khách nhập cảnh qua đường bộ");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the correction is wider than a phone");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-correct-foreign-phone.png"), FullPage = true });
        await page.Locator("dialog").GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.Locator("dialog")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var corrected = (await staffClient.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{n.Id}", LuuTruServerFactory.Json))!;
        Assert.Equal(("Cửa khẩu quốc tế Mộc Bài", true, n.Guests[0].Foreign!.EntryDate),
            (corrected.Guests[0].Foreign!.EntryPort, corrected.Guests[0].Foreign!.VisaExempt, corrected.Guests[0].Foreign!.EntryDate));
        var history = (await staffClient.GetFromJsonAsync<List<NotificationChangeDto>>($"/api/v1/notifications/{n.Id}/history", LuuTruServerFactory.Json))!;
        Assert.Contains(history, c => c.Reason == "Khách nhập cảnh qua đường bộ" && c.Before!.Contains("Nội Bài") && c.After!.Contains("Mộc Bài"));
    }

    [Fact]
    public async Task An_invalid_id_number_is_shown_inline_and_nothing_is_sent()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Sai Số");
        var (staff, _) = await server.CreateStaffAsync(hotel.Id);
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser);
        await SignInAsync(page, staff.Email);
        await page.Locator("#stay-reason").SelectOptionAsync("work");
        await page.Locator("[data-path='guests[0].fullName']").FillAsync("Lê Văn Sai");
        await page.Locator("[data-path='guests[0].dateOfBirth']").FillAsync("1990-01-01");
        var id = page.Locator("[data-path='guests[0].document.number']");
        await id.FillAsync("999"); // not a personal ID number

        // Shown beside the field as the user types, with the server's Vietnamese message, before any send.
        var error = page.Locator("[data-error-for='guests[0].document.number']");
        await Assertions.Expect(error).Not.ToBeEmptyAsync(new() { Timeout = 5_000 });
        await Assertions.Expect(id).ToHaveAttributeAsync("aria-invalid", "true");
        var message = await error.InnerTextAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-error")).ToHaveTextAsync("Vui lòng sửa các mục được đánh dấu.");
        Assert.Equal("guests[0].document.number", await page.EvaluateAsync<string>("() => document.activeElement.dataset.path"));
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("staff-invalid-id.png"), FullPage = true });

        var stored = await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id));
        Assert.Equal(0, stored);
        Assert.Equal(0, await page.Locator(".receipt-number").CountAsync());

        // The same message the API gives for the same number.
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var problem = await api.PostAsJsonAsync("/api/v1/notifications/validate", Stays.One(server.Clock.GetUtcNow(), "999"), LuuTruServerFactory.Json);
        Assert.Contains(message, await problem.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_household_notifies_through_the_public_form_and_finds_its_status()
    {
        server.Clock.FollowRealTime();
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser, "/#/khai-bao");
        await Assertions.Expect(page.Locator("h2#form-title")).ToHaveTextAsync("Gia đình khai báo lưu trú", new() { Timeout = 10_000 });

        await page.GetByLabel("Họ và tên").First.FillAsync("Phạm Thị Chủ");
        await page.GetByLabel("Số điện thoại").FillAsync("0912 345 678");
        await page.GetByLabel("Số giấy tờ của chủ hộ").FillAsync("001180011111");
        await page.Locator("#province").SelectOptionAsync("01");
        // The commune picker searches without diacritics.
        await page.Locator("#commune-find").FillAsync("hoan kiem");
        await Assertions.Expect(page.Locator("#commune")).ToHaveValueAsync("00070");
        await page.Locator("#address").FillAsync("5 Hàng Bạc");
        await page.Locator("#stay-reason").SelectOptionAsync("visiting-family");
        await page.Locator("[data-path='guests[0].fullName']").FillAsync("Phạm Văn Khách");
        await page.Locator("[data-path='guests[0].dateOfBirth']").FillAsync("1995-04-05");
        await page.Locator("[data-path='guests[0].document.number']").FillAsync("001095022222");
        await AssertEveryFieldNamedAsync(page);
        await page.SetViewportSizeAsync(390, 844); // on a phone: nothing wider than the screen
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("household-form-phone.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();

        var number = page.Locator(".receipt-number");
        await Assertions.Expect(number).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var receiptNumber = await number.InnerTextAsync();
        Assert.StartsWith("00070-", receiptNumber);

        // The status page, reached from the receipt and driven from the keyboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Xem trạng thái biên nhận" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status-result [data-status]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.GotoAsync("/#/tra-cuu");
        await page.Locator("#status-number").FocusAsync();
        await page.Keyboard.TypeAsync(receiptNumber);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("0912345678");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status-result")).ToContainTextAsync("Phường Hoàn Kiếm", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#status-result")).ToContainTextAsync(receiptNumber);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("household-status.png"), FullPage = true });
        await FitsAPhoneAsync(page, "household-status-phone.png");
        Assert.DoesNotContain("0912345678", page.Url); // the phone never in an address

        // The family ends the stay, asked once more: the status follows (once the notification is in the register).
        await Eventually.UntilAsync(() => server.WithDbAsync(db => db.Notifications.AnyAsync(n => n.ReceiptNumber == receiptNumber)), x => x);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#end-stay").ClickAsync();
        await page.Locator(".confirm").GetByRole(AriaRole.Button, new() { Name = "Có" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status-result [data-status]")).ToHaveAttributeAsync("data-status", "checked-out", new() { Timeout = 10_000 });

        // A wrong phone finds nothing.
        await page.Locator("#status-phone").FillAsync("0987000000");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status-result")).ToContainTextAsync("Không tìm thấy");
    }

    [Fact]
    public async Task An_establishment_applies_online_follows_its_application_and_once_approved_files_its_first_notification()
    {
        server.Clock.FollowRealTime();
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser, "/#/dang-ky-co-so");
        var name = $"Nhà nghỉ Hoa Sữa {Guid.NewGuid().ToString("N")[..4]}";
        var email = $"hoasua.{Guid.NewGuid():N}@nhanghi.vn";
        await page.GetByLabel("Tên cơ sở").FillAsync(name);
        await page.GetByLabel("Loại hình").SelectOptionAsync("guesthouse");
        await page.GetByLabel("Người quản lý").FillAsync("Vũ Văn Quản");
        await page.GetByLabel("Số điện thoại").FillAsync("0904555666");
        await page.Locator("#province").SelectOptionAsync("01");
        await page.Locator("#commune-find").FillAsync("hoan kiem");
        await page.Locator("#est-address").FillAsync("8 Lò Sũ");
        await page.Locator("#est-email").FillAsync(email);
        await page.Locator("#est-password").FillAsync("hoa-sua-lo-su-2026");
        await AssertEveryFieldNamedAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi đăng ký" }).ClickAsync();
        // Signed in at once: the application's state and nothing else.
        await Assertions.Expect(page.Locator("#application-status")).ToContainTextAsync("Hồ sơ đang chờ duyệt", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("nav.tabs")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("onboarding-pending.png"), FullPage = true });
        await FitsAPhoneAsync(page, "onboarding-pending-phone.png");

        var (officer, _) = await server.CreateOfficerAsync("00070");
        var dashboard = await OpenAsync(browser);
        await SignInAsync(dashboard, officer.Email);
        var item = dashboard.Locator("#pending li", new() { HasText = name });
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await item.GetByRole(AriaRole.Button, new() { Name = $"Duyệt: {name}" }).ClickAsync();
        await Assertions.Expect(item).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var status = await server.WithDbAsync(db => db.Establishments.Where(e => e.Name == name).Select(e => e.Status).SingleAsync());
        Assert.Equal(EstablishmentStatus.Approved, status);

        // The applicant's next visit: the staff pages, and a first notification filed.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("nav.tabs")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var guest = page.Locator("#staff form");
        await guest.Locator("[data-path='stay.reason']").SelectOptionAsync("tourism");
        await guest.Locator("[data-path='guests[0].fullName']").FillAsync("Đặng Văn Đầu");
        await guest.Locator("[data-path='guests[0].dateOfBirth']").FillAsync("1985-02-03");
        await guest.Locator("[data-path='guests[0].document.number']").FillAsync("001085070777");
        await guest.GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();
        await Assertions.Expect(page.Locator(".receipt-number")).ToContainTextAsync("00070-", new() { Timeout = 10_000 });
        // A receipt worth keeping: the place and the guest (number masked), the server's reception time, a QR code.
        await Assertions.Expect(page.Locator("#receipt-place")).ToContainTextAsync(name, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#receipt-guests")).ToContainTextAsync("Đặng Văn Đầu");
        await Assertions.Expect(page.Locator("#receipt-guests")).ToContainTextAsync("00********77");
        await Assertions.Expect(page.Locator("#receipt-qr svg")).ToBeVisibleAsync();
        Assert.Equal("receipt-title", await page.EvaluateAsync<string>("() => document.activeElement.id")); // announced to a screen reader
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("onboarding-first-filing.png"), FullPage = true });
        await FitsAPhoneAsync(page, "receipt-phone.png");
        var pdf = await page.Context.APIRequest.GetAsync(new Uri(new Uri(page.Url), await page.Locator("#receipt-pdf").GetAttributeAsync("href")).ToString());
        Assert.Equal(("application/pdf", 200), (pdf.Headers["content-type"], pdf.Status));
        // The QR code's link: a public page that says the receipt is genuine, and nothing of anyone.
        var receiptNumber = await page.Locator(".receipt-number").InnerTextAsync();
        var check = await OpenAsync(browser, new Uri(await page.Locator("#receipt-verify").GetAttributeAsync("href") ?? "").PathAndQuery
            + new Uri(await page.Locator("#receipt-verify").GetAttributeAsync("href") ?? "").Fragment);
        await Assertions.Expect(check.Locator("#verify-result [data-valid=true]")).ToContainTextAsync("Biên nhận hợp lệ", new() { Timeout = 10_000 });
        await Assertions.Expect(check.Locator("#verify-result")).ToContainTextAsync(receiptNumber);
        await Assertions.Expect(check.Locator("#verify-result")).Not.ToContainTextAsync("Đặng");
        await check.ScreenshotAsync(new() { Path = Browser.Artifact("receipt-verified.png"), FullPage = true });
        await FitsAPhoneAsync(check, "receipt-verified-phone.png");

        // Another application, turned down with a reason the applicant reads on signing in.
        var other = await OpenAsync(browser, "/#/dang-ky-co-so");
        var refused = $"Nhà trọ Chưa Phép {Guid.NewGuid().ToString("N")[..4]}";
        var refusedEmail = $"chuaphep.{Guid.NewGuid():N}@nhatro.vn";
        await other.GetByLabel("Tên cơ sở").FillAsync(refused);
        await other.GetByLabel("Loại hình").SelectOptionAsync("motel");
        await other.GetByLabel("Người quản lý").FillAsync("Lý Văn Tú");
        await other.GetByLabel("Số điện thoại").FillAsync("0904555777");
        await other.Locator("#province").SelectOptionAsync("01");
        await other.Locator("#commune-find").FillAsync("hoan kiem");
        await other.Locator("#est-address").FillAsync("3 Hàng Bạc");
        await other.Locator("#est-email").FillAsync(refusedEmail);
        await other.Locator("#est-password").FillAsync("hang-bac-nha-tro-2026");
        await other.GetByRole(AriaRole.Button, new() { Name = "Gửi đăng ký" }).ClickAsync();
        await Assertions.Expect(other.Locator("#application-status")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await dashboard.ReloadAsync();
        var refusedItem = dashboard.Locator("#pending li", new() { HasText = refused });
        await Assertions.Expect(refusedItem).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await refusedItem.GetByRole(AriaRole.Button, new() { Name = $"Từ chối: {refused}" }).ClickAsync();
        await refusedItem.GetByLabel("Lý do từ chối").FillAsync("Chưa có giấy phép kinh doanh");
        await refusedItem.Locator("form button[type=submit]").ClickAsync();
        await Assertions.Expect(refusedItem).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await other.ReloadAsync();
        await Assertions.Expect(other.Locator("#application-status")).ToContainTextAsync("Chưa có giấy phép kinh doanh", new() { Timeout = 10_000 });

        // The officer registers one met on patrol: it joins the pending list too.
        var walkIn = $"Nhà trọ Phố Huế {Guid.NewGuid().ToString("N")[..4]}";
        await dashboard.Locator("#register-establishment").ClickAsync();
        var form = dashboard.Locator("#pending-panel form");
        await form.GetByLabel("Tên cơ sở").FillAsync(walkIn);
        await form.GetByLabel("Loại hình").SelectOptionAsync("motel");
        await form.GetByLabel("Người quản lý").FillAsync("Trịnh Văn Trọ");
        await form.GetByLabel("Số điện thoại").FillAsync("0905777888");
        await form.Locator("#province").SelectOptionAsync("01");
        await form.Locator("#commune-find").FillAsync("hoan kiem");
        await form.Locator("#est-address").FillAsync("20 Phố Huế");
        await form.GetByRole(AriaRole.Button, new() { Name = "Gửi đăng ký" }).ClickAsync();
        await Assertions.Expect(dashboard.Locator("#pending li", new() { HasText = walkIn })).ToBeVisibleAsync(new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task An_officer_enters_a_phoned_in_notification_from_the_dashboard_and_sees_it_arrive()
    {
        server.Clock.FollowRealTime();
        var (officer, _) = await server.CreateOfficerAsync("00070");
        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser);
        await SignInAsync(page, officer.Email);
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });
        await page.Locator("#open-entry").ClickAsync();
        await page.Locator("#received-by").SelectOptionAsync("email");
        // The email came in 40 minutes ago: lateness is judged against that, not against the typing.
        var cameIn = VietnamTime.ToVietnam(DateTimeOffset.UtcNow.AddMinutes(-40));
        await page.Locator("#received-at").FillAsync(cameIn.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        // The arrival follows the reception time (a stay the call was about had begun by then).
        Assert.Equal(await page.Locator("#received-at").InputValueAsync(), await page.Locator("#stay-arrival").InputValueAsync());
        await page.Locator("#host-name").FillAsync("Hà Thị Gọi");
        await page.Locator("#host-phone").FillAsync("0913222333");
        await page.Locator("#host-doc-number").FillAsync("001180044444");
        await page.Locator("#address").FillAsync("17 Hàng Gai");
        await page.Locator("#stay-reason").SelectOptionAsync("visiting-family");
        await page.Locator("[data-path='guests[0].fullName']").FillAsync("Hà Văn Điện");
        await page.Locator("[data-path='guests[0].dateOfBirth']").FillAsync("1991-09-09");
        await page.Locator("[data-path='guests[0].document.number']").FillAsync("001091055555");
        await AssertEveryFieldNamedAsync(page);
        await FitsAPhoneAsync(page, "officer-entry-phone.png");
        await page.Locator("#entry-panel").GetByRole(AriaRole.Button, new() { Name = "Gửi thông báo" }).ClickAsync();
        var number = page.Locator("#entry-panel .receipt-number");
        await Assertions.Expect(number).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var receiptNumber = await number.InnerTextAsync();
        // The entry is an arrival like any other: it reaches the live table once recorded.
        await Assertions.Expect(page.Locator($"#arrival-rows tr[data-receipt='{receiptNumber}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var stored = await server.WithDbAsync(db => db.Notifications.Where(n => n.ReceiptNumber == receiptNumber)
            .Select(n => new { n.Channel, n.ReceivedBy, n.ReceivedAt }).SingleAsync());
        Assert.Equal(("Officer", "email"), (stored.Channel.ToString(), stored.ReceivedBy));
        Assert.Equal(new DateTimeOffset(cameIn.Year, cameIn.Month, cameIn.Day, cameIn.Hour, cameIn.Minute, 0, cameIn.Offset), stored.ReceivedAt);
        // The detail shows when and how it came in, and who notified.
        await page.Locator($"#arrival-rows tr[data-receipt='{receiptNumber}']").ClickAsync();
        await Assertions.Expect(page.Locator("#detail-received")).ToContainTextAsync("Thư điện tử");
        await Assertions.Expect(page.Locator("#detail-received")).ToContainTextAsync(cameIn.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#detail-notifier")).ToContainTextAsync("Hà Thị Gọi");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("officer-entry.png"), FullPage = true });
    }

    [Fact]
    public async Task A_csv_with_one_bad_row_shows_that_rows_error_and_sends_the_rest_only_after_confirmation()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn Tải Tệp");
        var (staff, _) = await server.CreateStaffAsync(hotel.Id);
        var arrival = VnNow().AddHours(-1).ToString("dd/MM/yyyy HH:mm");
        var departure = VnNow().AddDays(1).ToString("dd/MM/yyyy HH:mm");
        var csv = "Nhóm,Thời điểm đến,Dự kiến đi,Lý do,Phòng,Họ và tên,Ngày sinh,Giới tính,Loại giấy tờ,Số giấy tờ,Quốc tịch\r\n" +
            $"1,{arrival},{departure},Du lịch,201,Đỗ Văn Một,04/03/1990,Nam,CCCD,001090030160,VNM\r\n" +
            $"2,{arrival},{departure},Du lịch,202,Đỗ Văn Hai,04/03/1990,Nam,CCCD,12,VNM\r\n" +
            $"3,{arrival},{departure},Làm việc,203,Đỗ Thị Ba,05/06/1991,Nữ,CCCD,001191030161,VNM\r\n";

        await using var browser = await Browser.LaunchAsync();
        var page = await OpenAsync(browser);
        await SignInAsync(page, staff.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tải tệp danh sách" }).ClickAsync();
        await page.GetByLabel("Chọn tệp CSV hoặc XLSX").SetInputFilesAsync(new FilePayload
            { Name = "khach.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.Locator("#upload-preview").ClickAsync();
        var bad = page.Locator("#upload-result tr[data-rows='3']");
        await Assertions.Expect(bad).ToContainTextAsync("Số giấy tờ", new() { Timeout = 10_000 });
        await Assertions.Expect(bad).ToHaveAttributeAsync("data-status", "rejected");
        await Assertions.Expect(page.Locator("#upload-summary")).ToContainTextAsync("2 hợp lệ, 1 có lỗi");
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id))); // nothing sent yet
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("upload-preview.png"), FullPage = true });
        await FitsAPhoneAsync(page, "upload-preview-phone.png"); // each row's errors readable on a phone

        // Sending asks first, because one row will not go; dismissing sends nothing.
        var sends = new List<string>();
        page.Request += (_, request) => { if (request.Url.Contains("mode=send", StringComparison.Ordinal)) lock (sends) sends.Add(request.Url); };
        page.Dialog += DismissOnce;
        await page.Locator("#upload-send").ClickAsync();
        // A sentinel request from the page, issued after anything the click could have sent: once it has gone out, a
        // send would have been seen before it.
        await page.EvaluateAsync("() => fetch('/health/live').then(r => r.status)");
        lock (sends) Assert.Empty(sends);
        await Assertions.Expect(page.Locator("#upload-summary")).ToContainTextAsync("2 hợp lệ, 1 có lỗi"); // still the preview
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.EstablishmentId == hotel.Id)));
        page.Dialog -= DismissOnce;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.Locator("#upload-send").ClickAsync();
        await Assertions.Expect(page.Locator("#upload-summary")).ToContainTextAsync("Đã gửi 2 thông báo", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#upload-result tr[data-rows='2'] td").Nth(2)).ToContainTextAsync("00070-");
        await Assertions.Expect(page.Locator("#upload-result tr[data-rows='3']")).ToHaveAttributeAsync("data-status", "rejected");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("upload-sent.png"), FullPage = true });
        Assert.Equal(2, await CountFiledAsync(hotel.Id));

        static async void DismissOnce(object? _, IDialog dialog) => await dialog.DismissAsync();
    }

    // Accepted ones may still be in the buffer: wait for the drain.
    private Task<int> CountFiledAsync(Guid establishment) =>
        Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(x => x.EstablishmentId == establishment)), atLeast: 2);
}
