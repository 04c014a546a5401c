using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Police;

public sealed class WatchlistTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Lister = "00004", CheckIn = "00008", Elsewhere = "00025";
    private Uri Base => server.ClientOptions.BaseAddress;

    [Fact]
    public async Task A_hit_alerts_the_commune_where_the_person_checked_in_and_the_listing_officer_but_never_the_submitter()
    {
        server.Clock.Set(Vn("2026-11-21T09:00"));
        var (listerUser, lister) = await server.CreateSupervisorAsync("01"); // a watchlist is a province supervisor's power
        var (_, local) = await server.CreateOfficerAsync(CheckIn);
        var (_, other) = await server.CreateOfficerAsync(Elsewhere);
        await using var listerDash = await Dashboard.ConnectAsync(Base, lister);
        await using var localDash = await Dashboard.ConnectAsync(Base, local);
        await using var otherDash = await Dashboard.ConnectAsync(Base, other);

        await Expect.Problem(await local.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030040", "Truy nã", Vn("2026-12-21T00:00")),
            LuuTruServerFactory.Json), HttpStatusCode.Forbidden, "forbidden"); // not a commune officer's
        var listed = await lister.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("0010-9003 0040", "Truy nã", Vn("2026-12-21T00:00")), LuuTruServerFactory.Json);
        await Expect.Status(listed, HttpStatusCode.Created);
        var entry = (await listed.Content.ReadFromJsonAsync<WatchlistEntryDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("001090030040", entry.DocumentNumber); // normalised like guests' numbers

        using var hotel = await Stays.HotelClientAsync(server, CheckIn);
        var response = await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-21T08:30"), "001090030040", "Đỗ Văn Hùng"), null));
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var raw = await (await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-21T08:30"), "001090030040", "Đỗ Văn Hùng"), null)))
            .Content.ReadAsStringAsync();

        var hit = await localDash.WaitForAsync<WatchlistHitEvent>(h => h.NotificationId == receipt.Id, TimeSpan.FromSeconds(5));
        Assert.Equal((CheckIn, entry.Id, "Đỗ Văn Hùng", "Truy nã"), (hit.CommuneCode, hit.WatchlistId, hit.GuestName, hit.Reason));
        Assert.Equal("00********40", hit.DocumentMasked);
        await listerDash.WaitForAsync<WatchlistHitEvent>(h => h.NotificationId == receipt.Id, TimeSpan.FromSeconds(5));
        Assert.Empty(otherDash.All<WatchlistHitEvent>());

        // The establishment sees nothing of it: not in the receipt, not in its own reading of the notification.
        Assert.DoesNotContain("watchlist", raw, StringComparison.OrdinalIgnoreCase);
        var seenByHotel = await hotel.GetStringAsync($"/api/v1/notifications/{receipt.Id}");
        Assert.DoesNotContain("watchlist", seenByHotel, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Truy nã", seenByHotel);

        var hits = await lister.GetFromJsonAsync<Page<WatchlistHitDto>>("/api/v1/watchlist/hits", LuuTruServerFactory.Json);
        Assert.Contains(hits!.Items, h => h.NotificationId == receipt.Id && h.GuestName == "Đỗ Văn Hùng");
        var theirs = await other.GetFromJsonAsync<Page<WatchlistHitDto>>("/api/v1/watchlist/hits", LuuTruServerFactory.Json);
        Assert.DoesNotContain(theirs!.Items, h => h.NotificationId == receipt.Id);

        var trail = await server.WithDbAsync(db => db.AuditLog.Where(a => a.EntityId == entry.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("watchlist.add", trail);
        Assert.Contains("watchlist.hit", trail);
        Assert.Equal(listerUser.Id.ToString(), await server.WithDbAsync(db =>
            db.AuditLog.Where(a => a.Action == "watchlist.add" && a.EntityId == entry.Id.ToString()).Select(a => a.ActorId).SingleAsync()));
    }

    [Fact]
    public async Task Removed_and_expired_entries_raise_nothing_and_bad_input_is_refused_by_field()
    {
        server.Clock.Set(Vn("2026-11-21T10:00"));
        var (_, dashboardOfficer) = await server.CreateOfficerAsync(Elsewhere);
        var (_, officer) = await server.CreateSupervisorAsync("01");
        await using var dash = await Dashboard.ConnectAsync(Base, dashboardOfficer);

        var bad = await officer.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("12", "", Vn("2026-11-20T00:00")), LuuTruServerFactory.Json);
        var problem = await Expect.Problem(bad, HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "documentNumber", "invalid-document-number");
        Expect.Field(problem, "reason", "required");
        Expect.Field(problem, "expiresAt", "in-past");

        Expect.Field(await Expect.Problem(await officer.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030049", "Không hạn"), LuuTruServerFactory.Json),
            HttpStatusCode.BadRequest, "validation-failed"), "expiresAt", "required"); // always with an end
        var removed = (await (await officer.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030050", "Nhầm", Vn("2026-12-21T00:00")), LuuTruServerFactory.Json))
            .Content.ReadFromJsonAsync<WatchlistEntryDto>(LuuTruServerFactory.Json))!;
        await Expect.Status(await officer.DeleteAsync($"/api/v1/watchlist/{removed.Id}"), HttpStatusCode.NoContent);
        await (await officer.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030051", "Hết hạn", Vn("2026-11-21T10:30")),
            LuuTruServerFactory.Json)).Content.ReadAsStringAsync();
        var list = await officer.GetFromJsonAsync<List<WatchlistEntryDto>>("/api/v1/watchlist", LuuTruServerFactory.Json);
        Assert.DoesNotContain(list!, e => e.Id == removed.Id);

        server.Clock.Advance(TimeSpan.FromHours(1)); // the second entry has expired
        using var hotel = await Stays.HotelClientAsync(server, Elsewhere);
        var a = (await (await hotel.SendAsync(Stays.Post(Stays.One(server.Clock.GetUtcNow().AddMinutes(-30), "001090030050"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var b = (await (await hotel.SendAsync(Stays.Post(Stays.One(server.Clock.GetUtcNow().AddMinutes(-30), "001090030051"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await dash.WaitForAsync<ArrivalEvent>(e => e.NotificationId == b.Id);
        await dash.WaitForAsync<ArrivalEvent>(e => e.NotificationId == a.Id);
        Assert.Empty(dash.All<WatchlistHitEvent>());

        var hotelStaff = await server.CreateEstablishmentAsync(Elsewhere);
        var (_, staff) = await server.CreateStaffAsync(hotelStaff.Id);
        await Expect.Status(await staff.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030052", "x", Vn("2026-12-21T00:00")), LuuTruServerFactory.Json),
            HttpStatusCode.Forbidden);
    }
}

public sealed class SearchTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private const string Commune = "00070", Neighbour = "00004", Hcm = "25747";

    [Fact]
    public async Task Officers_find_people_without_diacritics_or_by_document_and_every_search_is_audited()
    {
        server.Clock.Set(Vn("2026-11-21T12:00"));
        var hotel = await server.CreateEstablishmentAsync(Commune, name: "Khách sạn Hồ Gươm");
        using var hotelClient = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);
        using var neighbour = await Stays.HotelClientAsync(server, Neighbour);
        var an = (await (await hotelClient.SendAsync(Stays.Post(Stays.One(Vn("2026-11-21T09:00"), "001090030060", "Nguyễn Văn An"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        server.Clock.Advance(TimeSpan.FromSeconds(1)); // ids are time-ordered: newest first means later
        var binh = (await (await hotelClient.SendAsync(Stays.Post(Stays.One(Vn("2026-11-20T09:00"), "001090030061", "Lê Thị Bình"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        var away = (await (await neighbour.SendAsync(Stays.Post(Stays.One(Vn("2026-11-21T09:30"), "001090030062", "Nguyễn Văn An"), null)))
            .Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        foreach (var (c, id) in new[] { (hotelClient, an.Id), (hotelClient, binh.Id), (neighbour, away.Id) }) await IntakeTests.WaitRecordedAsync(c, id);

        var (officerUser, officer) = await server.CreateOfficerAsync(Commune);
        var byName = await officer.SearchAsync($"/api/v1/communes/{Commune}", "nguyen van an");
        Assert.Equal([an.Id], byName!.Items.Select(n => n.Id).ToArray()); // the neighbour commune's An is not theirs
        var byDocument = await officer.SearchAsync($"/api/v1/communes/{Commune}", "0010-9003-0061");
        Assert.Equal([binh.Id], byDocument!.Items.Select(n => n.Id).ToArray());
        // Any word of a name, in any order, with or without diacritics; a document number's beginning or last digits.
        async Task<Guid[]> Find(string q) => (await officer.SearchAsync($"/api/v1/communes/{Commune}", q)).Items.Select(n => n.Id).ToArray();
        Assert.Equal([an.Id], await Find("an nguyen"));
        Assert.Equal([an.Id], await Find("Văn An"));
        Assert.Equal([binh.Id], await Find("binh le"));
        Assert.Equal([binh.Id], await Find("0061"));     // the last digits
        Assert.Equal([an.Id], await Find("00109003006 0")); // the whole number, spaced
        Assert.Equal([binh.Id, an.Id], await Find("0010900")); // the beginning: both, newest first
        Assert.Empty(await Find("nguyen binh"));         // every word must be in the same name
        // Never in a URL: a name or number in the query string is refused, and nothing is searched.
        Expect.Field(await Expect.Problem(await officer.GetAsync($"/api/v1/communes/{Commune}/notifications?q=nguyen%20van%20an"),
            HttpStatusCode.BadRequest, "validation-failed"), "q", "personal-data-in-url");
        var inBody = await officer.SearchAsync($"/api/v1/communes/{Commune}",
            new NotificationSearchRequest("an", Vn("2026-11-21T00:00"), Vn("2026-11-22T00:00"), hotel.Id, Limit: 10));
        Assert.Equal([an.Id], inBody.Items.Select(n => n.Id).ToArray());
        var today = await officer.GetFromJsonAsync<Page<NotificationDto>>(
            $"/api/v1/communes/{Commune}/notifications?from=2026-11-21T00:00&to=2026-11-22T00:00&establishmentId={hotel.Id}", LuuTruServerFactory.Json);
        Assert.Equal([an.Id], today!.Items.Select(n => n.Id).ToArray());

        // Paged, newest first, the cursor leads on.
        var first = await officer.GetFromJsonAsync<Page<NotificationDto>>($"/api/v1/communes/{Commune}/notifications?limit=1", LuuTruServerFactory.Json);
        Assert.Equal(binh.Id, Assert.Single(first!.Items).Id);
        var second = await officer.GetFromJsonAsync<Page<NotificationDto>>(
            $"/api/v1/communes/{Commune}/notifications?limit=1&cursor={first.NextCursor}", LuuTruServerFactory.Json);
        Assert.Equal(an.Id, Assert.Single(second!.Items).Id);

        var (_, hcmOfficer) = await server.CreateOfficerAsync(Hcm);
        await Expect.Problem(await hcmOfficer.PostSearchAsync($"/api/v1/communes/{Commune}", new("an")), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await officer.PostSearchAsync("/api/v1/provinces/01", new("an")), HttpStatusCode.Forbidden, "forbidden");
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        var province = await supervisor.SearchAsync("/api/v1/provinces/01", "Nguyen Van An");
        Assert.Equal(new[] { an.Id, away.Id }.Order(), province!.Items.Select(n => n.Id).Order());
        await Expect.Problem(await hotelClient.GetAsync($"/api/v1/communes/{Commune}/notifications"), HttpStatusCode.Forbidden, "forbidden");

        // Opening a notification leaves a trace too.
        await Expect.Status(await officer.GetAsync($"/api/v1/notifications/{an.Id}"), HttpStatusCode.OK);

        using var admin = await server.SignInAsAdminAsync();
        var trail = await admin.GetFromJsonAsync<Page<AuditEntryDto>>($"/api/v1/audit?actorId={officerUser.Id}&limit=200", LuuTruServerFactory.Json);
        Assert.Equal(13, trail!.Items.Count(a => a.Action == "notification.search")); // the refused ones (another province, words in a URL) are not
        var viewed = Assert.Single(trail.Items, a => a.Action == "notification.view");
        Assert.Equal((an.Id.ToString(), Commune), (viewed.EntityId, viewed.CommuneCode));
        Assert.NotNull(viewed.RemoteAddress);
        await Expect.Problem(await officer.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden, "forbidden");
    }
}
