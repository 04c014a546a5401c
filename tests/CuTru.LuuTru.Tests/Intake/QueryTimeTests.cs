using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>Times in query strings mean what they mean in bodies: without an offset, Vietnam time.</summary>
public sealed class QueryTimeTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    [Fact]
    public async Task A_day_asked_without_an_offset_is_the_day_in_vietnam()
    {
        server.Clock.Set(Vn("2026-11-16T03:30")); // 20:30 UTC the day before
        using var api = await Stays.HotelClientAsync(server, "00070");
        var sent = await api.SendAsync(Stays.Post(Stays.One(Vn("2026-11-16T03:00"), "001090030130"), null));
        await Expect.Status(sent, HttpStatusCode.Accepted);
        var receipt = (await sent.Content.ReadFromJsonAsync<NotificationReceiptDto>(LuuTruServerFactory.Json))!;
        await IntakeTests.WaitRecordedAsync(api, receipt.Id);

        async Task<IReadOnlyList<string>> ListAsync(string query) =>
            (await api.GetFromJsonAsync<Page<NotificationDto>>("/api/v1/notifications?" + query, LuuTruServerFactory.Json))!.Items
                .Select(n => n.ReceiptNumber).ToList();
        Assert.Contains(receipt.ReceiptNumber, await ListAsync("from=2026-11-16T00:00:00&to=2026-11-17T00:00:00"));
        Assert.DoesNotContain(receipt.ReceiptNumber, await ListAsync("from=2026-11-16T04:00:00"));
        // The same with the offset written out, encoded or with its plus turned into a space by a careless client.
        Assert.Contains(receipt.ReceiptNumber, await ListAsync("from=2026-11-16T00:00:00%2B07:00"));
        Assert.Contains(receipt.ReceiptNumber, await ListAsync("from=2026-11-16T00:00:00+07:00"));
        Assert.DoesNotContain(receipt.ReceiptNumber, await ListAsync("from=2026-11-16T00:00:00Z"));
        var bad = await api.GetAsync("/api/v1/notifications?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
