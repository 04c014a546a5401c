using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Storage;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using CuTru.LuuTru.Tests.Police;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>A server whose relay files with the KBTT stand-in, started in its own process with two accounts (one of
/// Phường Hoàn Kiếm, one of Phường Cửa Nam), and fast relay timings.</summary>
public sealed class RelayServerFactory : LuuTruServerFactory
{
    public const string Account = "ks-hoankiem", AccountPassword = "mat-khau-kbtt-2026", OtherCommuneAccount = "ks-cuanam";
    public KbttStandIn Upstream { get; } = new([$"{Account}:{AccountPassword}:101:101900070", $"{OtherCommuneAccount}:{AccountPassword}:101:101900073"]);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["LuuTru:Kbtt:UpstreamBaseUrl"] = Upstream.BaseAddress.ToString(),
        ["LuuTru:Kbtt:RelayPollMilliseconds"] = "100",
        ["LuuTru:Kbtt:RequestTimeoutSeconds"] = "2",
        ["LuuTru:Kbtt:RelayUnknownResendSeconds"] = "1",
        ["LuuTru:Kbtt:RelayMinBackoffSeconds"] = "1",
        ["LuuTru:Kbtt:RelayMaxBackoffSeconds"] = "2",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Upstream.Dispose();
    }
}

/// <summary>The relay (issue 18) against the KBTT stand-in: an establishment links its account (checked upstream, its
/// commune matched, the password kept encrypted); every guest its software or staff notify is filed upstream exactly once,
/// through answers lost after acceptance, upstream errors and expired tokens; what upstream refuses keeps its message;
/// what upstream cannot take is manual-required; households are not relayed.</summary>
public sealed class RelayTests(RelayServerFactory server) : IClassFixture<RelayServerFactory>
{
    private const string Commune = "00070";

    private async Task<(EstablishmentDto Hotel, HttpClient Staff, HttpClient Key)> LinkedHotelAsync(string name)
    {
        var hotel = await server.CreateEstablishmentAsync(Commune, name: name);
        var (_, staff) = await server.CreateStaffAsync(hotel.Id);
        await Expect.Status(await staff.PutAsJsonAsync($"/api/v1/establishments/{hotel.Id}/kbtt-link",
            new KbttLinkRequest(RelayServerFactory.Account, RelayServerFactory.AccountPassword), LuuTruServerFactory.Json), HttpStatusCode.OK);
        return (hotel, staff, server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey));
    }

    private Task<List<KbttRelayItem>> RowsAsync(Guid establishment) =>
        server.WithDbAsync(db => db.KbttRelay.AsNoTracking().Where(r => r.EstablishmentId == establishment).OrderBy(r => r.Id).ToListAsync());

    [Fact]
    public async Task Linking_checks_the_account_upstream_and_its_commune_and_keeps_the_password_encrypted()
    {
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Liên Kết");
        var (_, staff) = await server.CreateStaffAsync(hotel.Id);
        var path = $"/api/v1/establishments/{hotel.Id}/kbtt-link";

        var wrong = await staff.PutAsJsonAsync(path, new KbttLinkRequest(RelayServerFactory.Account, "sai-mat-khau"), LuuTruServerFactory.Json);
        Expect.Field(await Expect.Problem(wrong, HttpStatusCode.BadRequest, "validation-failed"), "password", "kbtt-login-refused");
        var elsewhere = await staff.PutAsJsonAsync(path, new KbttLinkRequest(RelayServerFactory.OtherCommuneAccount, RelayServerFactory.AccountPassword),
            LuuTruServerFactory.Json);
        await Expect.Problem(elsewhere, HttpStatusCode.Conflict, "kbtt-commune-mismatch");

        var linked = await staff.PutAsJsonAsync(path, new KbttLinkRequest(RelayServerFactory.Account, RelayServerFactory.AccountPassword), LuuTruServerFactory.Json);
        await Expect.Status(linked, HttpStatusCode.OK);
        var dto = (await linked.Content.ReadFromJsonAsync<KbttLinkDto>(LuuTruServerFactory.Json))!;
        Assert.Equal((true, RelayServerFactory.Account, "101900070", true), (dto.Linked, dto.Username, dto.KbttCommuneCode, dto.RelayConfigured));
        var stored = await server.WithDbAsync(db => db.KbttLinks.SingleAsync(l => l.EstablishmentId == hotel.Id));
        Assert.DoesNotContain(RelayServerFactory.AccountPassword, stored.ProtectedPassword);
        Assert.DoesNotContain(RelayServerFactory.AccountPassword, await (await staff.GetAsync(path)).Content.ReadAsStringAsync());

        // Its software and the police do not manage the link; another establishment's staff do not even see it.
        using var key = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        await Expect.Problem(await key.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
        var (_, officer) = await server.CreateOfficerAsync(Commune);
        await Expect.Problem(await officer.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");

        await Expect.Status(await staff.DeleteAsync(path), HttpStatusCode.NoContent);
        Assert.False((await staff.GetFromJsonAsync<KbttLinkDto>(path, LuuTruServerFactory.Json))!.Linked);
        Assert.Equal(0, await server.WithDbAsync(db => db.KbttLinks.CountAsync(l => l.EstablishmentId == hotel.Id)));
    }

    [Fact]
    public async Task Every_guest_is_filed_upstream_exactly_once_through_lost_answers_errors_and_expired_tokens()
    {
        server.Clock.FollowRealTime();
        var (hotel, _, key) = await LinkedHotelAsync("Khách sạn Gửi Lên");
        // The first request is accepted upstream but its answer is lost; the next fails with a 500; the next gets no answer
        // within the timeout (upstream never took it); then every token is refused once.
        await server.Upstream.FailAsync("drop-after-accept");
        await server.Upstream.FailAsync("error-500");
        await server.Upstream.FailAsync("timeout");
        await server.Upstream.FailAsync("expire-tokens");

        var arrival = DateTimeOffset.UtcNow.AddHours(-1);
        var pair = await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism, Room: "201"),
        [
            new GuestDto("Nguyễn Văn Lên", new DateOnly(1988, 2, 3), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001088066001")),
            new GuestDto("Trần Thị Lên", new DateOnly(1990, 7, 8), Gender.Female, new DocumentDto(DocumentType.PersonalId, "001190066002")),
        ]), LuuTruServerFactory.Json);
        await Expect.Status(pair, HttpStatusCode.Accepted);
        var foreign = await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(arrival, arrival.AddDays(3), StayReason.Tourism, Room: "202"),
            [new GuestDto("Anna Müller", new DateOnly(1988, 7, 1), Gender.Female, new DocumentDto(DocumentType.Passport, "C01X66T47"), "DEU",
                Foreign: new ForeignDetailsDto(null, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)), "Nội Bài", true))]),
            LuuTruServerFactory.Json);
        await Expect.Status(foreign, HttpStatusCode.Accepted);

        var rows = await Eventually.UntilAsync(() => RowsAsync(hotel.Id), r => r.Count == 3 && r.All(x => x.State == RelayState.Sent), TimeSpan.FromSeconds(60));
        Assert.True(rows.All(r => r.State == RelayState.Sent), string.Join("; ", rows.Select(r => $"{r.Kind} {r.GuestIndex}: {r.State} {r.Message}")));
        var filed = (await server.Upstream.FilingsAsync()).Where(f => f.User == RelayServerFactory.Account).ToList();
        foreach (var document in new[] { "001088066001", "001190066002", "C01X66T47" })
            Assert.Single(filed, f => f.Document == document); // exactly once upstream, whatever was lost on the way
        Assert.Contains(filed, f => f.Document == "C01X66T47" && f.Kind == "foreign");
        Assert.Contains(rows, r => r.Resent || r.Attempts > 1); // the failures did happen

        // Each guest shows it, to the establishment and to the police.
        var id = (await pair.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id;
        var n = (await key.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{id}", LuuTruServerFactory.Json))!;
        Assert.All(n.Guests, g => Assert.Equal(("sent", "declare-vn"), (g.Upstream!.State, g.Upstream.Kind)));
        Assert.All(n.Guests, g => Assert.NotNull(g.Upstream!.SentAt));
        Assert.True(await server.WithDbAsync(db => db.KbttRelayExchanges.CountAsync(x => x.Request.Contains("001088066001"))) >= 1);
        Assert.Equal(0, await server.WithDbAsync(db => db.KbttRelayExchanges.CountAsync(x => x.Request.Contains(RelayServerFactory.AccountPassword)
            || x.Request.Contains("Bearer"))));
    }

    [Fact]
    public async Task What_upstream_refuses_keeps_its_message_and_what_it_cannot_take_is_manual_required_households_are_not_relayed()
    {
        server.Clock.FollowRealTime();
        var (hotel, _, key) = await LinkedHotelAsync("Khách sạn Bị Từ Chối");
        // Upstream wants the permitted stay from today on; the hub takes what the guest shows. The refusal comes as HTTP 200.
        await server.Upstream.FailAsync("http200-code400");
        var arrival = DateTimeOffset.UtcNow.AddHours(-1);
        await Expect.Status(await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(arrival, arrival.AddDays(2), StayReason.Tourism, Room: "301"),
            [new GuestDto("Kim Min Jun", new DateOnly(1990, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "M77012345"), "KOR",
                Foreign: new ForeignDetailsDto(null, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)), null, null, true))]), LuuTruServerFactory.Json),
            HttpStatusCode.Accepted);
        // Notified three days late: upstream takes only today's or yesterday's arrivals.
        var late = DateTimeOffset.UtcNow.AddDays(-3);
        await Expect.Status(await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(late, late.AddDays(5), StayReason.Work, Room: "302"),
            [new GuestDto("Lê Văn Muộn", new DateOnly(1985, 1, 1), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001085066003"))]), LuuTruServerFactory.Json),
            HttpStatusCode.Accepted);

        var rows = await Eventually.UntilAsync(() => RowsAsync(hotel.Id), r => r.Count == 2 && r.All(x => x.State is not (RelayState.Pending or RelayState.Unknown)),
            TimeSpan.FromSeconds(30));
        var refused = Assert.Single(rows, r => r.Kind == RelayKind.DeclareForeign);
        Assert.Equal((RelayState.Rejected, "400"), (refused.State, refused.Code));
        Assert.Contains("Thời hạn tạm trú", refused.Message);
        var old = Assert.Single(rows, r => r.Kind == RelayKind.DeclareVn);
        Assert.Equal(RelayState.ManualRequired, old.State);
        Assert.Contains("hôm nay hoặc hôm qua", old.Message);
        Assert.DoesNotContain(await server.Upstream.FilingsAsync(), f => f.Document is "M77012345" or "001085066003");

        // A household in the same commune: no upstream API, never relayed.
        using var anyone = server.Anonymous();
        await Expect.Status(await anyone.PostAsJsonAsync("/api/v1/household-notifications", new HouseholdNotificationRequest(
            new HostDto("Phạm Thị Chủ", "0912 700 001", new DocumentDto(DocumentType.PersonalId, "001180066004")),
            new StayDto(arrival, arrival.AddDays(1), StayReason.VisitingFamily, Address: "5 Hàng Bạc", CommuneCode: Commune),
            [new GuestDto("Phạm Văn Khách", new DateOnly(1992, 2, 2), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001092066005"))]),
            LuuTruServerFactory.Json), HttpStatusCode.Accepted);
        await Task.Delay(1000);
        Assert.Equal(0, await server.WithDbAsync(db => db.KbttRelay.CountAsync(r => !db.Notifications.Any(n => n.Id == r.NotificationId && n.EstablishmentId != null))));
    }

    [Fact]
    public async Task Changes_follow_upstream_an_early_checkout_and_an_extension_are_sent_a_cancel_or_a_foreigners_change_is_manual()
    {
        server.Clock.FollowRealTime();
        var (hotel, _, key) = await LinkedHotelAsync("Khách sạn Đổi Lịch");
        var arrival = DateTimeOffset.UtcNow.AddHours(-2);
        var sent = await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(arrival, arrival.AddDays(3), StayReason.Tourism, Room: "401"),
        [
            new GuestDto("Đỗ Văn Sớm", new DateOnly(1980, 1, 2), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001080055001")),
            new GuestDto("Đỗ Thị Ở Lại", new DateOnly(1982, 3, 4), Gender.Female, new DocumentDto(DocumentType.PersonalId, "001182055002")),
            new GuestDto("John Smith", new DateOnly(1975, 5, 6), Gender.Male, new DocumentDto(DocumentType.Passport, "533380055"), "GBR",
                Foreign: new ForeignDetailsDto(null, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(40)), null, null, true)),
        ]), LuuTruServerFactory.Json);
        var id = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!.Id;
        await Eventually.UntilAsync(() => RowsAsync(hotel.Id), r => r.Count == 3 && r.All(x => x.State == RelayState.Sent), TimeSpan.FromSeconds(30));

        // The first leaves early, the British guest too; then the stay is extended by a day.
        await Expect.Status(await key.PostAsJsonAsync($"/api/v1/notifications/{id}/checkout", new CheckoutRequest(null, [0, 2]), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        await Expect.Status(await key.PostAsJsonAsync($"/api/v1/notifications/{id}/extend", new ExtendRequest(arrival.AddDays(4)), LuuTruServerFactory.Json),
            HttpStatusCode.OK);
        var rows = await Eventually.UntilAsync(() => RowsAsync(hotel.Id), r => r.Count == 6 && r.All(x => x.State is not (RelayState.Pending or RelayState.Unknown)),
            TimeSpan.FromSeconds(30));
        Assert.Equal(RelayState.Sent, rows.Single(r => r.Kind == RelayKind.EarlyCheckout && r.GuestIndex == 0).State);
        Assert.Equal(RelayState.ManualRequired, rows.Single(r => r.Kind == RelayKind.EarlyCheckout && r.GuestIndex == 2).State);
        var extended = Assert.Single(rows, r => r.Kind == RelayKind.Extend);
        Assert.Equal((1, RelayState.Sent), (extended.GuestIndex, extended.State)); // only the guest still staying
        var filed = await server.Upstream.FilingsAsync();
        Assert.Single(filed, f => f.Document == "001080055001" && f.Kind == "early-checkout");
        Assert.Single(filed, f => f.Document == "001182055002" && f.Kind == "extend");

        // A cancel has no upstream API: each guest declared is left for a person, with what to do.
        await Expect.Status(await key.PostAsJsonAsync($"/api/v1/notifications/{id}/cancel", new CancelRequest("Nhập nhầm"), LuuTruServerFactory.Json), HttpStatusCode.OK);
        var cancelled = (await RowsAsync(hotel.Id)).Where(r => r.Kind == RelayKind.Cancellation).ToList();
        Assert.Equal(3, cancelled.Count);
        Assert.All(cancelled, r => Assert.Equal(RelayState.ManualRequired, r.State));
        var n = (await key.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{id}", LuuTruServerFactory.Json))!;
        Assert.All(n.Guests, g => Assert.Equal(("manual-required", "cancellation"), (g.Upstream!.State, g.Upstream.Kind)));
    }

    [Fact]
    public async Task The_front_desk_links_its_account_on_its_page_and_desk_and_police_see_each_guest_filed_upstream_live()
    {
        server.Clock.FollowRealTime();
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Trang Liên Kết");
        var (staffUser, _) = await server.CreateStaffAsync(hotel.Id);
        var (officerUser, _) = await server.CreateOfficerAsync(Commune);
        await using var browser = await Browser.LaunchAsync();
        var police = await browser.SignedInAsync(server, officerUser.Email);
        await Assertions.Expect(police.Locator("#conn")).ToHaveTextAsync("Trực tuyến", new() { Timeout = 15_000 });

        var desk = await browser.SignedInAsync(server, staffUser.Email);
        await desk.Locator("nav.tabs button[data-tab=kbtt]").ClickAsync();
        await Assertions.Expect(desk.Locator("#kbtt-state")).ToContainTextAsync("Chưa liên kết", new() { Timeout = 10_000 });
        await desk.GetByLabel("Tên đăng nhập KBTT").FillAsync(RelayServerFactory.Account);
        await desk.GetByLabel("Mật khẩu KBTT (được mã hóa, không hiển thị lại)").FillAsync(RelayServerFactory.AccountPassword);
        await desk.Locator("#kbtt-link button[type=submit]").ClickAsync();
        await Assertions.Expect(desk.Locator("#kbtt-state")).ToContainTextAsync($"Đã liên kết tài khoản: {RelayServerFactory.Account}", new() { Timeout = 10_000 });
        await desk.SetViewportSizeAsync(390, 844);
        Assert.True(await desk.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the link page is wider than a phone");
        await desk.ScreenshotAsync(new() { Path = Browser.Artifact("kbtt-link-phone.png"), FullPage = true });
        await desk.SetViewportSizeAsync(1280, 900);

        // A guest notified through the hotel's software: filed upstream; the desk's list and the police's line say so.
        using var key = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-30);
        var sent = await key.PostAsJsonAsync("/api/v1/notifications", new NotificationRequest(new StayDto(arrival, arrival.AddDays(1), StayReason.Tourism, Room: "12"),
            [new GuestDto("Vũ Văn Trực Tuyến", new DateOnly(1987, 7, 7), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001087033301"))]), LuuTruServerFactory.Json);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await Assertions.Expect(police.Locator($"#arrival-rows tr[data-receipt='{receipt.ReceiptNumber}'] [data-upstream=sent]"))
            .ToHaveTextAsync("Đã gửi lên hệ thống quốc gia", new() { Timeout = 15_000 });
        await police.ScreenshotAsync(new() { Path = Browser.Artifact("kbtt-dashboard-sent.png"), FullPage = true });
        await desk.Locator("nav.tabs button[data-tab=staying]").ClickAsync();
        await Assertions.Expect(desk.Locator($"table.stays tr[data-receipt='{receipt.ReceiptNumber}'] [data-upstream=sent]").First)
            .ToContainTextAsync("Đã gửi lên hệ thống quốc gia", new() { Timeout = 10_000 });
        // The dashboard read afterwards says the same as the live line; the report built now has it in its own column.
        using var officer = await server.SignInAsync(officerUser.Email, LuuTruServerFactory.Password);
        var dashboard = (await officer.GetFromJsonAsync<CommuneDashboardDto>($"/api/v1/communes/{Commune}/dashboard", LuuTruServerFactory.Json))!;
        Assert.Equal("sent", dashboard.Rows.Single(r => r.ReceiptNumber == receipt.ReceiptNumber).Upstream);
        var day = $"{dashboard.Day:yyyy-MM-dd}";
        var csv = "";
        foreach (var kind in new[] { "nightly", "morning" }) // the window it was received in, whatever the hour the test runs at
        {
            await Expect.Status(await officer.PostAsync($"/api/v1/communes/{Commune}/reports/{day}/rebuild?kind={kind}", null), HttpStatusCode.Created);
            csv += await (await officer.GetAsync($"/api/v1/communes/{Commune}/reports/{day}.csv?kind={kind}")).Content.ReadAsStringAsync();
        }
        var line = csv.Split('\n').Single(l => l.Contains("Vũ Văn Trực Tuyến"));
        Assert.Contains("Đã gửi", line);
        Assert.Contains("Hệ thống quốc gia (KBTT)", csv);
    }
}
