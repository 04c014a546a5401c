using System.Net;
using CuTru.LuuTru.Client;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CuTru.LuuTru.Tests.Infrastructure.TestTime;

namespace CuTru.LuuTru.Tests.Intake;

/// <summary>The SDK as a PMS would use it, against the real server.</summary>
public sealed class SdkIntakeTests(LuuTruServerFactory server) : IClassFixture<LuuTruServerFactory>
{
    /// <summary>Lets the request reach the server, then loses the answer once, as a dropped connection would.</summary>
    private sealed class LoseFirstAnswer : DelegatingHandler
    {
        public int Sent;
        public List<string?> Keys { get; } = [];
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Keys.Add(request.Headers.TryGetValues("Idempotency-Key", out var v) ? v.Single() : null);
            var response = await base.SendAsync(request, ct);
            if (Interlocked.Increment(ref Sent) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("connection reset (simulated)");
            }
            return response;
        }
    }

    private async Task<ILuuTruApi> HotelApiAsync(HttpMessageHandler? inner = null)
    {
        var hotel = await server.CreateEstablishmentAsync("00070", name: "Khách sạn SDK " + Guid.NewGuid().ToString("N")[..4]);
        var key = await server.CreateApiKeyAsync(hotel.Id);
        return LuuTruClient.Create(new LuuTruClientOptions { BaseAddress = server.ClientOptions.BaseAddress!, ApiKey = key.ApiKey }, inner);
    }

    [Fact]
    public async Task A_post_whose_answer_was_lost_is_retried_with_the_same_key_and_stored_once()
    {
        server.Clock.Set(Vn("2026-11-21T10:00"));
        var flaky = new LoseFirstAnswer { InnerHandler = new HttpClientHandler() };
        var api = await HotelApiAsync(flaky);

        var receipt = await api.SubmitNotificationAsync(Stays.One(Vn("2026-11-21T09:00"), "001090060001"));

        Assert.Equal(2, flaky.Sent);
        Assert.Equal(2, flaky.Keys.Count);
        Assert.NotNull(flaky.Keys[0]);
        Assert.Equal(flaky.Keys[0], flaky.Keys[1]);
        var stored = await WaitAsync(() => server.WithDbAsync(db => db.NotificationGuests.CountAsync(g => g.DocumentNumber == "001090060001")));
        Assert.Equal(1, stored);
        Assert.Equal(receipt.ReceiptNumber, (await api.GetNotificationAsync(receipt.Id)).ReceiptNumber);
    }

    [Fact]
    public async Task The_whole_lifecycle_through_the_sdk()
    {
        server.Clock.Set(Vn("2026-11-21T11:00"));
        var api = await HotelApiAsync();
        Assert.Equal(8, (await api.GetReasonsAsync()).Count);
        var valid = await api.ValidateNotificationAsync(Stays.One(Vn("2026-11-21T10:00"), "001090060002"));
        Assert.True(valid.Valid);

        var receipt = await api.SubmitNotificationAsync(Stays.One(Vn("2026-11-21T10:00"), "001090060002"));
        NotificationDto n;
        do { n = await api.GetNotificationAsync(receipt.Id); } while (n.Status == NotificationStatus.Accepted && await Delay());
        await api.ExtendAsync(n.Id, new ExtendRequest(n.DepartureAt.AddDays(1)));
        await api.CorrectAsync(n.Id, new NotificationPatch(Stay: new StayPatch(Room: "1205"), Reason: "Đổi phòng"));
        var done = await api.CheckoutAsync(n.Id, new CheckoutRequest());
        Assert.Equal(NotificationStatus.CheckedOut, done.Status);
        Assert.Equal("1205", done.Room);
        Assert.Equal(["extend", "correct", "checkout"], (await api.GetHistoryAsync(n.Id)).Select(h => h.Action).ToList());

        var listed = await api.ListNotificationsAsync(status: NotificationStatus.CheckedOut);
        Assert.Equal(n.Id, Assert.Single(listed.Items).Id);

        var batch = await api.SubmitBatchAsync(new BatchRequest([Stays.One(Vn("2026-11-21T10:30"), "001090060003")]));
        Assert.Equal(1, batch.Accepted);

        var error = await Assert.ThrowsAnyAsync<Refit.ApiException>(() => api.SubmitNotificationAsync(Stays.One(Vn("2026-11-21T10:00"), "bad")));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid-personal-id", (await error.GetProblemAsync())!.Errors!["guests[0].document.number"][0].Code);
    }

    private static async Task<bool> Delay() { await Task.Delay(50); return true; }

    private static Task<int> WaitAsync(Func<Task<int>> count) => Eventually.CountAsync(count);
}
