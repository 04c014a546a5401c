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
        await panel.GetByLabel("Mã xã (cán bộ xã)").FillAsync("00070");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Tạo người dùng" }).ClickAsync();
        var row = panel.Locator($"tr[data-user='{email}']");
        await Assertions.Expect(row).ToContainTextAsync("Cán bộ công an xã", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("00070");
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
}
