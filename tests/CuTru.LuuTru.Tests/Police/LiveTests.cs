using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Server.Intake;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Police;

/// <summary>The police hub with the real server, PostgreSQL, Redis and a real SignalR client.</summary>
public sealed class LiveTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    // Two wards of Hà Nội (province 01) and one of Hồ Chí Minh City (79).
    private const string BaDinh = "00004", NgocHa = "00008", GiangVo = "00025", HoanKiem = "00070", ThuDauMot = "25747";

    private Uri Base => server.ClientOptions.BaseAddress;

    private async Task<NotificationReceiptDto> NotifyAsync(HttpClient hotel, string documentNumber, string name = "Trần Văn Khách")
    {
        var response = await hotel.SendAsync(Stays.Post(Stays.One(server.Clock.GetUtcNow().AddHours(-1), documentNumber, name), null));
        await Expect.Status(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
    }

    [Fact]
    public async Task An_officer_gets_the_arrivals_of_their_commune_only_and_a_supervisor_those_of_the_province()
    {
        server.Clock.Set(Vn("2026-11-20T20:00"));
        using var hotelA = await Stays.HotelClientAsync(server, BaDinh);
        using var hotelB = await Stays.HotelClientAsync(server, NgocHa);
        var (_, officerA) = await server.CreateOfficerAsync(BaDinh);
        var (_, supervisor) = await server.CreateSupervisorAsync("01");
        var (_, officerHcm) = await server.CreateOfficerAsync(ThuDauMot);
        await using var dashA = await Dashboard.ConnectAsync(Base, officerA);
        await using var dashProvince = await Dashboard.ConnectAsync(Base, supervisor);
        await using var dashHcm = await Dashboard.ConnectAsync(Base, officerHcm);

        var inA = await NotifyAsync(hotelA, "001090030001", "Phạm Thị Lan");
        var inB = await NotifyAsync(hotelB, "001090030002");

        var arrival = await dashA.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == inA.ReceiptNumber);
        Assert.Equal((BaDinh, inA.Id, 1), (arrival.CommuneCode, arrival.NotificationId, arrival.GuestCount));
        Assert.StartsWith("Khách sạn", arrival.PlaceName);
        var guest = Assert.Single(arrival.Guests);
        Assert.Equal("Phạm Thị Lan", guest.FullName);
        Assert.Equal("00********01", guest.DocumentMasked); // never the whole number in a push
        Assert.True(arrival.Sequence >= 1);

        await dashProvince.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == inA.ReceiptNumber);
        await dashProvince.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == inB.ReceiptNumber);
        // Both were pushed by now (the supervisor has them). A sentinel arrival in each officer's own commune, pushed
        // after them, arrives after anything wrongly sent before it: once it is there, the others must not be.
        using var hotelHcm = await Stays.HotelClientAsync(server, ThuDauMot);
        var sentinelA = await NotifyAsync(hotelA, "001090030003");
        var sentinelHcm = await NotifyAsync(hotelHcm, "079090030004");
        await dashA.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == sentinelA.ReceiptNumber);
        await dashHcm.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == sentinelHcm.ReceiptNumber);
        Assert.DoesNotContain(dashA.All<ArrivalEvent>(), e => e.ReceiptNumber == inB.ReceiptNumber);
        Assert.Equal([sentinelHcm.ReceiptNumber], dashHcm.All<ArrivalEvent>().Select(e => e.ReceiptNumber).ToArray());
    }

    [Fact]
    public async Task Only_signed_in_police_may_connect()
    {
        server.Clock.Set(Vn("2026-11-20T20:00"));
        var anonymous = Dashboard.ConnectAsync(Base, "not-a-token");
        Assert.Contains("401", (await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous)).Message);
        var hotel = await server.CreateEstablishmentAsync(HoanKiem);
        var (_, staff) = await server.CreateStaffAsync(hotel.Id);
        Assert.Contains("403", (await Assert.ThrowsAnyAsync<HttpRequestException>(() => Dashboard.ConnectAsync(Base, staff))).Message);
    }

    [Fact]
    public async Task A_dashboard_that_reconnects_gets_exactly_what_it_missed_in_order_once()
    {
        server.Clock.Set(Vn("2026-11-20T21:00"));
        using var hotel = await Stays.HotelClientAsync(server, GiangVo);
        var (_, officer) = await server.CreateOfficerAsync(GiangVo);

        long lastSeen;
        await using (var first = await Dashboard.ConnectAsync(Base, officer))
        {
            var seen = await NotifyAsync(hotel, "001090030010");
            lastSeen = (await first.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == seen.ReceiptNumber)).Sequence;
            Assert.Equal(lastSeen, (await first.WatermarksAsync())[GiangVo]);
        }

        // Missed while away: two arrivals and a checkout (with the line as it now is), all recorded before the dashboard comes back.
        var missed1 = await NotifyAsync(hotel, "001090030011");
        var missed2 = await NotifyAsync(hotel, "001090030012");
        await IntakeTests.WaitRecordedAsync(hotel, missed1.Id);
        await IntakeTests.WaitRecordedAsync(hotel, missed2.Id);
        await Expect.Status(await hotel.PostAsJsonAsync($"/api/v1/notifications/{missed1.Id}/checkout", new CheckoutRequest(), LuuTruServerFactory.Json),
            HttpStatusCode.OK);

        await using var again = await Dashboard.ConnectAsync(Base, officer);
        var result = await again.ResumeAsync(new() { [GiangVo] = lastSeen });
        Assert.Equal((4, false), (result.Replayed, result.Truncated));
        var replayed = (await again.WaitForCountAsync(4)).Take(4).ToList();
        Assert.Equal([lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4], replayed.Select(Sequence).ToArray());
        Assert.Equal(missed1.ReceiptNumber, Assert.IsType<ArrivalEvent>(replayed[0]).ReceiptNumber);
        Assert.Equal(missed2.ReceiptNumber, Assert.IsType<ArrivalEvent>(replayed[1]).ReceiptNumber);
        var checkout = Assert.IsType<CheckoutEvent>(replayed[2]);
        Assert.Equal((missed1.Id, true), (checkout.NotificationId, checkout.WholeStay));
        var changed = Assert.IsType<NotificationChangedEvent>(replayed[3]);
        Assert.Equal(("checkout", missed1.Id, NotificationStatus.CheckedOut, 0), (changed.Action, changed.Row.NotificationId, changed.Row.Status, changed.Row.GuestsStaying));

        // Live events go on after the catch-up, numbered on; the live one, pushed after the replay, is the sentinel: once
        // it is there, the replay was sent once (exactly the four before it).
        var live = await NotifyAsync(hotel, "001090030013");
        Assert.Equal(lastSeen + 5, (await again.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == live.ReceiptNumber)).Sequence);
        Assert.Equal([lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4, lastSeen + 5], again.Events.Select(Sequence).ToArray());
    }

    private static long Sequence(object e) => e switch
    {
        ArrivalEvent a => a.Sequence,
        CheckoutEvent c => c.Sequence,
        WatchlistHitEvent w => w.Sequence,
        NotificationChangedEvent c => c.Sequence,
        _ => -1,
    };

    [Fact]
    public async Task An_entry_delivered_again_after_its_commit_pushes_its_stored_events_again_with_their_sequences()
    {
        // A drain killed between its commit and its push leaves its entries unacknowledged: whoever reads them again finds
        // them stored and must push what was stored then (the arrival, the watchlist hit also to the officer who listed
        // the document, here a supervisor of another province), or those dashboards learn of them only on a resume.
        server.Clock.Set(Vn("2026-11-20T20:00"));
        var (_, lister) = await server.CreateSupervisorAsync("79");
        var listed = await lister.PostAsJsonAsync("/api/v1/watchlist", new WatchlistRequest("001090030060", "Truy nã", Vn("2026-12-21T00:00")), LuuTruServerFactory.Json);
        await Expect.Status(listed, HttpStatusCode.Created);
        using var hotel = await Stays.HotelClientAsync(server, GiangVo);
        var (_, officer) = await server.CreateOfficerAsync(GiangVo);
        await using var dashboard = await Dashboard.ConnectAsync(Base, officer);
        await using var listerDash = await Dashboard.ConnectAsync(Base, lister);
        var receipt = await NotifyAsync(hotel, "001090030060");
        var first = await dashboard.WaitForAsync<ArrivalEvent>(e => e.NotificationId == receipt.Id);
        var firstHit = await listerDash.WaitForAsync<WatchlistHitEvent>(e => e.NotificationId == receipt.Id);

        // The same entry again in the stream, as the buffer wrote it (its payload made from the stored notification).
        var stored = await server.WithDbAsync(db => db.Notifications.Include(n => n.Guests).AsNoTracking().SingleAsync(n => n.Id == receipt.Id));
        var buffer = server.Services.GetRequiredService<IntakeBuffer>();
        var redis = server.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.StreamAddAsync(buffer.StreamKey, [new("id", receipt.Id.ToString()), new("receipt", receipt.ReceiptNumber), new("staying", ""),
            new("payload", BufferedNotification.Serialize(stored))]);

        await Eventually.UntilAsync(() => Task.FromResult(dashboard.All<ArrivalEvent>().Count(e => e.NotificationId == receipt.Id)), n => n >= 2,
            TimeSpan.FromSeconds(20));
        Assert.Equal([first.Sequence, first.Sequence], dashboard.All<ArrivalEvent>().Where(e => e.NotificationId == receipt.Id).Select(e => e.Sequence));
        await Eventually.UntilAsync(() => Task.FromResult(listerDash.All<WatchlistHitEvent>().Count(e => e.NotificationId == receipt.Id)), n => n >= 2,
            TimeSpan.FromSeconds(20));
        Assert.All(listerDash.All<WatchlistHitEvent>().Where(e => e.NotificationId == receipt.Id), h => Assert.Equal((firstHit.Sequence, firstHit.HitId), (h.Sequence, h.HitId)));
        // Stored once, its events once; and the entry is gone from the stream (acknowledged, not dead-lettered).
        Assert.Equal((1, 2), await server.WithDbAsync(async db => (await db.Notifications.CountAsync(n => n.Id == receipt.Id),
            await db.CommuneEvents.CountAsync(e => e.NotificationId == receipt.Id))));
        await Eventually.UntilAsync(() => redis.StreamLengthAsync(buffer.StreamKey), n => n == 0, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(await redis.StreamRangeAsync(buffer.DeadLetterKey), d => (string?)d["id"] == receipt.Id.ToString());
    }

    [Fact]
    public async Task The_push_rehearsed_at_start_reaches_no_dashboard_and_a_real_push_after_it_does()
    {
        // The drain's warm-up pushes its made-up arrival the whole way (the typed client, the protocol's JSON, the
        // backplane) to a group nobody is in: an admin's dashboard (every commune) sees the real arrival pushed after it,
        // and nothing of the made-up one.
        server.Clock.Set(Vn("2026-11-20T20:00"));
        await using var admin = await Dashboard.ConnectAsync(Base, await server.SignInAsAdminAsync());
        var feed = server.Services.GetRequiredService<CuTru.LuuTru.Server.Police.PoliceFeed>();
        var now = server.Clock.GetUtcNow();
        CuTru.LuuTru.Server.Police.StoredEvent Made(string receipt, long sequence)
        {
            var n = new CuTru.LuuTru.Server.Storage.Notification
            {
                Id = Guid.CreateVersion7(now), ReceiptNumber = receipt, CommuneCode = HoanKiem, ProvinceCode = "01", Address = "1 Phố Thử",
                ArrivalAt = now, DepartureAt = now.AddDays(1), AcceptedAt = now, ReceivedAt = now, LawVersion = "x", Flags = "[]",
            };
            var pending = CuTru.LuuTru.Server.Police.PoliceEvents.Arrival(n, "Khách sạn Thử", now);
            return new(HoanKiem, "01", pending.Kind, sequence, pending.Build(sequence), null);
        }
        await feed.RehearseAsync([Made("warm-up", 1)]);
        await feed.PublishAsync([Made("00070-261120-9999", 2)]);
        await admin.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == "00070-261120-9999");
        Assert.DoesNotContain(admin.All<ArrivalEvent>(), e => e.ReceiptNumber == "warm-up");
    }

    [Fact]
    public async Task With_two_server_processes_an_arrival_recorded_by_one_reaches_dashboards_on_the_other()
    {
        server.Clock.Set(DateTimeOffset.UtcNow); // the second process runs on the real clock; tokens must be valid there too
        using var hotel = await Stays.HotelClientAsync(server, HoanKiem);
        var (_, officer) = await server.CreateOfficerAsync(HoanKiem);
        var port = ServerProcess.FreePort();
        using var second = await ServerProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["LuuTru__Database__ConnectionString"] = server.ConnectionString,
            ["LuuTru__Redis__ConnectionString"] = TestEnvironment.RedisConnectionString,
            ["LuuTru__Redis__KeyPrefix"] = $"test:{server.DatabaseName}:",
            ["LuuTru__Auth__SigningKey"] = "test-signing-key-0123456789-abcdefghijklmnop",
            // Only the first process records: the push has to cross the backplane.
            ["LuuTru__Intake__DrainEnabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        }, port, TimeSpan.FromSeconds(60));
        try
        {
            await using var dashboard = await Dashboard.ConnectAsync(new Uri($"http://127.0.0.1:{port}/"), officer);
            var receipt = await NotifyAsync(hotel, "001090030020");
            var arrival = await dashboard.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == receipt.ReceiptNumber);
            Assert.Equal(HoanKiem, arrival.CommuneCode);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }
}

/// <summary>One process without the Redis backplane (LuuTru:Redis:Backplane=false).</summary>
public sealed class NoBackplaneServer : LuuTruServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LuuTru:Redis:Backplane"] = "false" };
}

public sealed class NoBackplaneTests(NoBackplaneServer server) : IClassFixture<NoBackplaneServer>
{
    [Fact]
    public async Task A_single_process_without_the_backplane_still_pushes_arrivals()
    {
        server.Clock.Set(Vn("2026-11-20T20:00"));
        using var hotel = await Stays.HotelClientAsync(server, "00070");
        var (_, officer) = await server.CreateOfficerAsync("00070");
        await using var dashboard = await Dashboard.ConnectAsync(server.ClientOptions.BaseAddress, officer);
        var response = await hotel.SendAsync(Stays.Post(Stays.One(Vn("2026-11-20T19:00"), "001090030090"), null));
        var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        Assert.Equal("00070", (await dashboard.WaitForAsync<ArrivalEvent>(e => e.ReceiptNumber == receipt.ReceiptNumber)).CommuneCode);
    }
}
