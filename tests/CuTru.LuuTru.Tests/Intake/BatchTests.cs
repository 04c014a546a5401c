using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

public sealed class BatchTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    private static HttpRequestMessage Batch(string path, BatchRequest body, string? key = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: LuuTruServerFactory.Json) };
        if (key is not null) m.Headers.Add("Idempotency-Key", key);
        return m;
    }

    [Fact]
    public async Task One_bad_item_never_blocks_the_others_and_a_resent_batch_gets_the_same_receipts()
    {
        server.Clock.Set(Vn("2026-11-20T10:00"));
        using var client = await Stays.HotelClientAsync(server, "00004");
        var body = new BatchRequest([
            Stays.One(Vn("2026-11-20T09:00"), "001090040001"),
            Stays.One(Vn("2026-11-20T09:00"), "003090040002"),
            null,
            Stays.One(Vn("2026-11-20T09:00"), "001090040003"),
        ]);

        var response = await client.SendAsync(Batch("/api/v1/notifications/batch", body, "nightly-sync-1"));
        await Expect.Status(response, HttpStatusCode.OK);
        var result = (await response.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!;
        Assert.Equal(["accepted", "rejected", "rejected", "accepted"], result.Items.Select(i => i.Status).ToList());
        Assert.Equal((2, 2), (result.Accepted, result.Rejected));
        Assert.Equal([0, 1, 2, 3], result.Items.Select(i => i.Index).ToList());
        Assert.Equal("unknown-id-province", result.Items[1].Problem!.Errors!["guests[0].document.number"][0].Code);
        Assert.Equal("validation-failed", result.Items[1].Problem!.Code);
        Assert.Matches(@"^00004-261120-\d{4}$", result.Items[0].ReceiptNumber!);

        var again = (await (await client.SendAsync(Batch("/api/v1/notifications/batch", body, "nightly-sync-1")))
            .Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!;
        Assert.Equal(result.Items.Select(i => i.ReceiptNumber), again.Items.Select(i => i.ReceiptNumber));

        foreach (var item in result.Items.Where(i => i.Status == "accepted")) await IntakeTests.WaitRecordedAsync(client, item.Id!.Value);
        var channels = await server.WithDbAsync(db => db.Notifications.Where(n => n.CommuneCode == "00004").Select(n => n.Channel).ToListAsync());
        Assert.Equal(2, channels.Count);
        Assert.All(channels, c => Assert.Equal(CuTru.LuuTru.Server.Storage.Channel.Batch, c));
    }

    [Fact]
    public async Task Batch_validate_judges_every_item_and_stores_nothing()
    {
        server.Clock.Set(Vn("2026-11-20T23:30"));
        using var client = await Stays.HotelClientAsync(server, "00235");
        var response = await client.SendAsync(Batch("/api/v1/notifications/batch/validate", new BatchRequest([
            Stays.One(Vn("2026-11-20T22:00"), "001090040004"),
            Stays.One(Vn("2026-11-20T22:00"), "12345"),
        ])));
        var result = (await response.Content.ReadFromJsonAsync<BatchResponse>(LuuTruServerFactory.Json))!;
        Assert.Equal(["valid", "rejected"], result.Items.Select(i => i.Status).ToList());
        Assert.True(result.Items[0].Late);
        Assert.Equal(0, await server.WithDbAsync(db => db.Notifications.CountAsync(n => n.CommuneCode == "00235")));
    }

    [Fact]
    public async Task More_than_500_items_is_refused_whole()
    {
        using var client = await Stays.HotelClientAsync(server);
        var items = Enumerable.Range(0, 501).Select(i => (NotificationRequest?)Stays.One(Vn("2026-11-20T09:00"))).ToList();
        var problem = await Expect.Problem(await client.SendAsync(Batch("/api/v1/notifications/batch", new BatchRequest(items))),
            HttpStatusCode.BadRequest, "validation-failed");
        Expect.Field(problem, "notifications", "too-many");
    }
}
