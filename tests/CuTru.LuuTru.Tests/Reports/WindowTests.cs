using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Reports;

/// <summary>The register's windows (rules doc, "Reception, the register and its windows"): the 23:00 report of D lists
/// what was received in (D 08:00, D 23:00], the 08:00 follow-up of D what was received in (D 23:00, D+1 08:00];
/// every notification in exactly one, whatever its arrival; rebuilding a past window gives the same list. The month
/// keeps both cores busy for a while: it runs on its own, after the parallel classes, so that it does not starve the
/// scheduler tests' clustered Quartz instances of the time they wait on.</summary>
[Collection(RunsAlone.Name)]
public sealed class WindowTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    /// <summary>The window a reception time belongs to, stated here on its own (not the product's function).</summary>
    private static (DateOnly Day, string Kind) WindowOf(DateTimeOffset received)
    {
        var local = received.ToOffset(VnOffset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (time > new TimeOnly(8, 0) && time <= new TimeOnly(23, 0)) return (day, "nightly");
        return time > new TimeOnly(23, 0) ? (day, "morning") : (day.AddDays(-1), "morning");
    }

    private async Task<CommuneReportDto> BuildAsync(string commune, DateOnly day, string kind)
    {
        using var officer = (await server.CreateOfficerAsync(commune)).Client; // signed in at the clock's now
        var response = await officer.PostAsync($"/api/v1/communes/{commune}/reports/{day:yyyy-MM-dd}/rebuild?kind={kind}", null);
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<CommuneReportDto>(LuuTruServerFactory.Json))!;
    }

    private static async Task<NotificationReceiptDto> ReceiptAsync(HttpResponseMessage response)
    {
        await Expect.Status(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
    }

    [Fact]
    public async Task The_worked_examples_land_in_the_window_they_were_received_in()
    {
        const string commune = "00070";
        server.Clock.Set(Vn("2026-11-14T10:00"));
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn Cửa Sổ");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);

        // Arrival 2026-11-09 20:00, received 2026-11-14 10:00: late, in the 23:00 report of the 14th, not of the 9th.
        var lateFiling = await ReceiptAsync(await api.SendAsync(Stays.Post(Stays.One(Vn("2026-11-09T20:00"), "001090040001"), null)));
        Assert.True(lateFiling.Late);
        // Officer entry: phone call received 22:30, typed in 06:10 the next morning, arrival 20:00: in the 23:00 report of the 14th.
        server.Clock.Set(Vn("2026-11-15T06:10"));
        var (_, officer) = await server.CreateOfficerAsync(commune);
        var call = await ReceiptAsync(await officer.PostAsJsonAsync($"/api/v1/communes/{commune}/notifications",
            new OfficerNotificationRequest(hotel.Id, null, new StayDto(Vn("2026-11-14T20:00"), Vn("2026-11-16T10:00"), StayReason.Tourism),
                [new GuestDto("Tạ Văn Gọi", new DateOnly(1990, 3, 4), Gender.Male, new DocumentDto(DocumentType.PersonalId, "001090040002"))],
                "phone", ReceivedAt: Vn("2026-11-14T22:30")), LuuTruServerFactory.Json));
        Assert.False(call.Late);
        // Arrival 2026-11-15 02:00, received 02:20: on time, in the 08:00 report of the 15th (the follow-up of the 14th) only.
        server.Clock.Set(Vn("2026-11-15T02:20"));
        var night = await ReceiptAsync(await api.SendAsync(Stays.Post(Stays.One(Vn("2026-11-15T02:00"), "001090040003"), null)));
        Assert.False(night.Late);
        // The windows' edges: received at 23:00 sharp is tonight's; at 08:00 sharp, the night's follow-up.
        server.Clock.Set(Vn("2026-11-14T23:00"));
        var atEleven = await ReceiptAsync(await api.SendAsync(Stays.Post(Stays.One(Vn("2026-11-14T22:50"), "001090040004"), null)));
        server.Clock.Set(Vn("2026-11-15T08:00"));
        var atEight = await ReceiptAsync(await api.SendAsync(Stays.Post(Stays.One(Vn("2026-11-15T07:30"), "001090040005"), null)));
        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.CommuneCode == commune)), atLeast: 5);

        server.Clock.Set(Vn("2026-11-15T09:00"));
        var nightly14 = await BuildAsync(commune, new DateOnly(2026, 11, 14), "nightly");
        var morning14 = await BuildAsync(commune, new DateOnly(2026, 11, 14), "morning");
        var nightly9 = await BuildAsync(commune, new DateOnly(2026, 11, 9), "nightly");
        Assert.Equal([lateFiling.ReceiptNumber, call.ReceiptNumber, atEleven.ReceiptNumber], nightly14.Register.Select(e => e.ReceiptNumber).ToArray());
        Assert.Equal([night.ReceiptNumber, atEight.ReceiptNumber], morning14.Register.Select(e => e.ReceiptNumber).ToArray());
        Assert.Empty(nightly9.Register);
        Assert.True(nightly14.Register[0].Late);
    }

    [Fact]
    public async Task Over_a_month_every_notification_is_in_exactly_one_window_and_a_rebuilt_window_lists_the_same()
    {
        // A generated month at one commune: filings late by days, night arrivals, officer entries typed hours after the
        // call came in, a page of the paper register imported afterwards, then cancellations and corrections. Deterministic (fixed seed).
        const string commune = "00008";
        var random = new Random(20261001);
        var first = new DateOnly(2026, 10, 1);
        server.Clock.Set(Vn("2026-10-01T00:00"));
        var hotel = await server.CreateEstablishmentAsync(commune, name: "Khách sạn Tháng Mười");
        using var api = server.WithApiKey((await server.CreateApiKeyAsync(hotel.Id)).ApiKey);

        var events = new List<(DateTimeOffset TypedAt, DateTimeOffset ReceivedAt, DateTimeOffset Arrival, bool Officer)>();
        for (var d = 0; d < 30; d++)
            for (var j = 0; j < 5; j++)
            {
                var received = VnDay(first.AddDays(d)).AddMinutes(random.Next(0, 24 * 60));
                var arrival = random.Next(10) switch
                {
                    < 2 => received.AddDays(-random.Next(1, 6)).AddHours(-random.Next(0, 12)), // filed days late
                    < 4 => received.AddMinutes(-random.Next(0, 50)),                          // as it happens
                    _ => received.AddHours(-random.Next(0, 20)),                              // hours later
                };
                var officer = random.Next(5) == 0;
                var typed = officer ? received.AddMinutes(random.Next(0, 10 * 60)) : received;
                if (officer && received < arrival.AddDays(-1)) arrival = received;
                events.Add((typed, received, arrival, officer));
            }
        events.Sort((a, b) => a.TypedAt.CompareTo(b.TypedAt));

        var receipts = new List<(NotificationReceiptDto Receipt, DateTimeOffset ReceivedAt)>();
        HttpClient? officerClient = null;
        var serial = 0;
        foreach (var e in events)
        {
            server.Clock.Set(e.TypedAt);
            var body = Stays.One(e.Arrival, $"001090{++serial:D6}");
            if (!e.Officer)
            {
                receipts.Add((await ReceiptAsync(await api.SendAsync(Stays.Post(body, null))), e.ReceivedAt));
                continue;
            }
            officerClient?.Dispose();
            officerClient = (await server.CreateOfficerAsync(commune)).Client;
            receipts.Add((await ReceiptAsync(await officerClient.PostAsJsonAsync($"/api/v1/communes/{commune}/notifications",
                new OfficerNotificationRequest(hotel.Id, null, body.Stay, body.Guests, "phone", ReceivedAt: e.ReceivedAt), LuuTruServerFactory.Json)),
                e.ReceivedAt));
        }
        officerClient?.Dispose();

        // A page of the paper register typed in afterwards (back-dated imports): each row lands in the window it was received in.
        server.Clock.Set(Vn("2026-11-01T10:00"));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var paper = new System.Text.StringBuilder(
            "Nhóm,Thời điểm tiếp nhận,Tiếp nhận qua,Mã cơ sở lưu trú,Thời điểm đến,Dự kiến đi,Lý do,Họ và tên,Ngày sinh,Giới tính,Loại giấy tờ,Số giấy tờ,Quốc tịch\r\n");
        var paperReceived = new List<DateTimeOffset>();
        for (var k = 0; k < 8; k++)
        {
            var received = VnDay(first.AddDays(random.Next(30))).AddMinutes(random.Next(24 * 60));
            var arrival = received.AddHours(-random.Next(0, 20));
            paper.Append(inv, $"{k + 1},{received.ToString("dd/MM/yyyy HH:mm", inv)},Trực tiếp,{hotel.Id},{arrival.ToString("dd/MM/yyyy HH:mm", inv)},")
                .Append(inv, $"{arrival.AddDays(1).ToString("dd/MM/yyyy HH:mm", inv)},Du lịch,Khách Sổ Giấy {k},04/03/1990,Nam,CCCD,001090{++serial:D6},VNM\r\n");
            paperReceived.Add(received);
        }
        using (var importer = (await server.CreateOfficerAsync(commune)).Client)
        {
            var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(paper.ToString()));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            var response = await importer.PostAsync($"/api/v1/communes/{commune}/notifications/upload?mode=import", file);
            await Expect.Status(response, HttpStatusCode.OK);
            var imported = (await response.Content.ReadFromJsonAsync<UploadReportDto>(LuuTruServerFactory.Json))!;
            Assert.All(imported.Items, i => Assert.Equal("accepted", i.Status));
            receipts.AddRange(imported.Items.Select((i, k) =>
                (new NotificationReceiptDto(i.Id!.Value, i.ReceiptNumber!, NotificationStatus.Accepted, null, i.Late ?? false, []), paperReceived[k])));
        }
        await Eventually.CountAsync(() => server.WithDbAsync(db => db.Notifications.CountAsync(n => n.CommuneCode == commune)), atLeast: receipts.Count,
            timeout: TimeSpan.FromSeconds(60));

        // Afterwards: some cancelled, some corrected (the arrival moved): none may leave its window.
        server.Clock.Set(Vn("2026-11-01T12:00"));
        foreach (var (receipt, _) in receipts.Where((_, i) => i % 17 == 3))
            await Expect.Status(await api.PostAsJsonAsync($"/api/v1/notifications/{receipt.Id}/cancel", new CancelRequest("Nhập nhầm"), LuuTruServerFactory.Json),
                HttpStatusCode.OK);
        foreach (var (receipt, _) in receipts.Where((_, i) => i % 13 == 5))
        {
            var stored = (await api.GetFromJsonAsync<NotificationDto>($"/api/v1/notifications/{receipt.Id}", LuuTruServerFactory.Json))!;
            if (stored.Status == NotificationStatus.Cancelled) continue;
            await Expect.Status(await api.PatchAsJsonAsync($"/api/v1/notifications/{receipt.Id}",
                new NotificationPatch(new StayPatch(ArrivalAt: stored.ArrivalAt.AddHours(-3)), Reason: "Sửa giờ đến"), LuuTruServerFactory.Json), HttpStatusCode.OK);
        }

        // Every window of the month: the follow-up of 30 September, then each day's two.
        var windows = new List<(DateOnly Day, string Kind)> { (first.AddDays(-1), "morning") };
        for (var d = 0; d < 30; d++) windows.AddRange([(first.AddDays(d), "nightly"), (first.AddDays(d), "morning")]);
        var listed = new Dictionary<string, List<(DateOnly, string)>>();
        var built = new Dictionary<(DateOnly, string), string[]>();
        var total = 0;
        foreach (var w in windows)
        {
            var report = await BuildAsync(commune, w.Day, w.Kind);
            built[w] = report.Register.Select(e => e.ReceiptNumber).ToArray();
            total += report.Register.Count;
            foreach (var entry in report.Register) (listed.TryGetValue(entry.ReceiptNumber, out var l) ? l : listed[entry.ReceiptNumber] = []).Add(w);
        }
        Assert.Equal(receipts.Count, total); // the windows' counts add up to the total
        foreach (var (receipt, received) in receipts)
            Assert.Equal([WindowOf(received)], listed.GetValueOrDefault(receipt.ReceiptNumber) ?? []); // exactly once, where it was received

        // Rebuilding past windows gives the same lists (cancelled ones shown as such, never removed).
        foreach (var w in windows.Where((_, i) => i % 10 == 1))
            Assert.Equal(built[w], (await BuildAsync(commune, w.Day, w.Kind)).Register.Select(e => e.ReceiptNumber).ToArray());
    }

    private static DateTimeOffset VnDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), VnOffset);
}

/// <summary>Test classes that run without others beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
