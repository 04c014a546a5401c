using System.Net;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Tests.Infrastructure;
using CuTru.LuuTru.Tests.Intake;
using Npgsql;

namespace CuTru.LuuTru.Tests.Kbtt;

/// <summary>kill -9 of the hub while its relay waits for upstream's answer (upstream has the guest already): after the
/// restart the request in flight is found, sent once more, and upstream's "already staying" settles it as sent; upstream
/// has the guest exactly once.</summary>
public sealed class RelayCrashTests : IAsyncLifetime
{
    private const string DemoKey = "lt_demo0001_DemoKeyForLocalUseOnly0000000000";
    private readonly ProcessDatabase _database = new("relaycrash");
    private readonly KbttStandIn _upstream = new(["ks-hoguom:demo-kbtt-2026:101:101900070"]);
    private Dictionary<string, string> _env = [];

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _env = _database.Environment(
            ("LuuTru__Demo__KbttUsername", "ks-hoguom"),
            ("LuuTru__Demo__KbttPassword", "demo-kbtt-2026"),
            ("LuuTru__Kbtt__UpstreamBaseUrl", _upstream.BaseAddress.ToString()),
            ("LuuTru__Kbtt__RequestTimeoutSeconds", "30"), // long enough for the kill to come while the request waits
            ("LuuTru__Kbtt__RelayPollMilliseconds", "100"),
            ("LuuTru__Kbtt__RelayUnknownResendSeconds", "1"));
    }

    public async Task DisposeAsync()
    {
        _upstream.Dispose();
        await _database.DropAsync();
    }

    [Fact]
    public async Task Killing_the_hub_while_upstream_holds_its_request_files_the_guest_exactly_once()
    {
        await _upstream.FailAsync("accept-then-hang"); // upstream records the guest, then keeps the hub waiting
        var port = ServerProcess.FreePort();
        var first = await ServerProcess.StartReadyAsync(_env, port, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-20);
        var sent = await http.PostAsJsonAsync("/api/v1/notifications", Stays.One(arrival, "001090077123"), LuuTruServerFactory.Json);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        // The request is out and upstream has the guest: kill -9 now.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && ((await _upstream.FilingsAsync()).Count == 0
               || await _database.ScalarAsync<long>("select count(*) from kbtt_relay where in_flight_since is not null") == 0))
            await Task.Delay(100);
        Assert.Single(await _upstream.FilingsAsync());
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();

        // Restarted: found in flight, unknown, sent again; upstream answers "already staying": sent, and upstream has it once.
        var second = await ServerProcess.StartReadyAsync(_env, port, TimeSpan.FromSeconds(60));
        try
        {
            var settled = DateTime.UtcNow.AddSeconds(40);
            string? state = null;
            while (DateTime.UtcNow < settled && (state = await _database.ScalarAsync<string>("select state from kbtt_relay limit 1")) != "Sent") await Task.Delay(200);
            Assert.Equal("Sent", state);
            Assert.True(await _database.ScalarAsync<bool>("select resent from kbtt_relay limit 1"));
            var filings = await _upstream.FilingsAsync();
            Assert.Single(filings, f => f.Document == "001090077123");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }
}
