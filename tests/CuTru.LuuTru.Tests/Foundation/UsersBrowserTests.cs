using Microsoft.EntityFrameworkCore;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Police;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The admins' users screen (issue 17): create an officer for a commune, who then signs in; disable them (the
/// sign-in stops), enable them again, set a new password (the new one works).</summary>
public sealed class UsersBrowserTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private Task<IPage> SignInAsync(Browser browser, string email, string password) => browser.SignedInAsync(server, email, password);

    [Fact]
    public async Task An_admin_creates_disables_enables_and_resets_an_officer_who_signs_in_accordingly()
    {
        server.Clock.FollowRealTime();
        await using var browser = await Browser.LaunchAsync();
        var admin = await SignInAsync(browser, LuuTruServerFactory.AdminEmail, LuuTruServerFactory.AdminPassword);
        var panel = admin.Locator("#users-panel");
        await Assertions.Expect(panel.Locator("#users")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var email = $"can.bo.{Guid.NewGuid():N}@congan.vn";
        await panel.GetByLabel("Thư điện tử").FillAsync(email);
        await panel.GetByLabel("Họ tên").FillAsync("Đỗ Văn Cán Bộ");
        await panel.GetByLabel("Mật khẩu (ít nhất 12 ký tự)").FillAsync("hoan-kiem-truc-ban-2026");
        await panel.GetByLabel("Vai trò").SelectOptionAsync("commune-officer");
        // The commune by its name (the old ward name leads to it too), not by a code.
        await panel.Locator("#new-user-province").SelectOptionAsync(new SelectOptionValue { Label = "Thành phố Hà Nội" });
        await panel.Locator("#new-user-commune-find").FillAsync("hoan kiem");
        await Assertions.Expect(panel.Locator("#new-user-commune")).ToHaveValueAsync("00070", new() { Timeout = 10_000 }); // the province's communes loaded
        await panel.GetByRole(AriaRole.Button, new() { Name = "Thêm xã, phường này" }).ClickAsync();
        await Assertions.Expect(panel.Locator("#new-user-chosen li[data-commune='00070']")).ToHaveTextAsync("Phường Hoàn Kiếm Bỏ");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Tạo người dùng" }).ClickAsync();
        var row = panel.Locator($"tr[data-user='{email}']");
        await Assertions.Expect(row).ToContainTextAsync("Cán bộ công an xã", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("Phường Hoàn Kiếm");
        await admin.ScreenshotAsync(new() { Path = Browser.Artifact("users-admin.png"), FullPage = true });

        var officer = await SignInAsync(browser, email, "hoan-kiem-truc-ban-2026");
        await Assertions.Expect(officer.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });

        await row.GetByRole(AriaRole.Button, new() { Name = $"Khóa: {email}" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Đã khóa", new() { Timeout = 10_000 });
        var refused = await SignInAsync(browser, email, "hoan-kiem-truc-ban-2026");
        await Assertions.Expect(refused.Locator("#login-error")).Not.ToBeEmptyAsync(new() { Timeout = 10_000 });

        await row.GetByRole(AriaRole.Button, new() { Name = $"Mở khóa: {email}" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Đang hoạt động", new() { Timeout = 10_000 });
        await row.GetByLabel($"Mật khẩu mới: {email}").FillAsync("mat-khau-moi-cua-can-bo-2026");
        await row.GetByRole(AriaRole.Button, new() { Name = "Đặt lại mật khẩu" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#users-message")).ToContainTextAsync("Đã lưu", new() { Timeout = 10_000 });
        var again = await SignInAsync(browser, email, "mat-khau-moi-cua-can-bo-2026");
        await Assertions.Expect(again.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_supervisor_on_a_phone_gives_an_officer_a_second_commune_of_the_province_by_name()
    {
        server.Clock.FollowRealTime();
        var (supervisor, _) = await server.CreateSupervisorAsync("01");
        var (officer, _) = await server.CreateOfficerAsync("00070");
        await using var browser = await Browser.LaunchAsync();
        var page = await SignInAsync(browser, supervisor.Email, LuuTruServerFactory.Password);
        await page.SetViewportSizeAsync(390, 844);
        var panel = page.Locator("#users-panel");
        var row = panel.Locator($"tr[data-user='{officer.Email}']");
        await Assertions.Expect(row).ToContainTextAsync("Phường Hoàn Kiếm", new() { Timeout = 15_000 });
        // A supervisor creates officers only, in their own province (chosen for them).
        Assert.Equal(["commune-officer"], await panel.Locator("#new-user-role option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await Assertions.Expect(panel.Locator("#new-user-province")).ToBeDisabledAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = $"Đổi địa bàn: {officer.Email}" }).ClickAsync();
        var dialog = page.Locator("dialog[open]");
        await Assertions.Expect(dialog.Locator("#edit-user-chosen li[data-commune='00070']")).ToBeVisibleAsync();
        await dialog.Locator("#edit-user-commune-find").FillAsync("hang trong"); // Hàng Trống, before 2025: Hoàn Kiếm or Cửa Nam
        await Assertions.Expect(dialog.Locator("#edit-user-commune option[value='00082']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await dialog.Locator("#edit-user-commune").SelectOptionAsync("00082");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Thêm xã, phường này" }).ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the users screen is wider than a phone");
        await page.ScreenshotAsync(new() { Path = Browser.Artifact("users-supervisor-phone.png"), FullPage = true });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Phường Hoàn Kiếm, Phường Cửa Nam", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#users-message")).ToContainTextAsync("đăng nhập lại");
        Assert.Equal(["00070", "00082"], (await server.WithDbAsync(db => db.UserCommunes.Where(c => c.UserId == officer.Id)
            .Select(c => c.CommuneCode).OrderBy(c => c).ToListAsync())));
    }
}
