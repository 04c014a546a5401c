using System.Collections.Concurrent;
using System.Net.Http.Headers;
using CuTru.LuuTru.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>A real SignalR client on the police hub, as a dashboard uses it: signed in with the user's token,
/// recording every event it receives, in order.</summary>
public sealed class Dashboard : IAsyncDisposable
{
    private readonly ConcurrentQueue<object> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);
    public HubConnection Connection { get; }

    private Dashboard(HubConnection connection)
    {
        Connection = connection;
        connection.On<ArrivalEvent>(nameof(IPoliceClient.Arrival), Add);
        connection.On<CheckoutEvent>(nameof(IPoliceClient.Checkout), Add);
        connection.On<WatchlistHitEvent>(nameof(IPoliceClient.WatchlistHit), Add);
        connection.On<ReportReadyEvent>(nameof(IPoliceClient.ReportReady), Add);
        connection.On<NotificationChangedEvent>(nameof(IPoliceClient.NotificationChanged), Add);
        connection.On<WatchlistHitAcknowledgedEvent>(nameof(IPoliceClient.WatchlistHitAcknowledged), Add);
    }

    private void Add(object e)
    {
        _events.Enqueue(e);
        _arrived.Release();
    }

    /// <summary>Connects to <paramref name="baseAddress"/>'s hub as the user behind <paramref name="signedIn"/>.</summary>
    public static async Task<Dashboard> ConnectAsync(Uri baseAddress, HttpClient signedIn)
    {
        var token = signedIn.DefaultRequestHeaders.Authorization?.Parameter ?? throw new InvalidOperationException("not signed in");
        return await ConnectAsync(baseAddress, token);
    }

    /// <param name="configure">More of the connection's options (cookies, say: a proxy's sticky one).</param>
    public static async Task<Dashboard> ConnectAsync(Uri baseAddress, string token,
        Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, PoliceHub.Path.TrimStart('/')), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                configure?.Invoke(o);
            })
            .AddJsonProtocol(o => LuuTruJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var dashboard = new Dashboard(connection);
        await connection.StartAsync();
        // StartAsync returns at the handshake, before the hub's OnConnectedAsync has put the connection in its groups;
        // the hub answers an invocation only after that, so one round trip makes the dashboard really listening
        // (as the web dashboard is once its first Resume has answered).
        await dashboard.WatermarksAsync();
        return dashboard;
    }

    public IReadOnlyList<object> Events => _events.ToArray();
    public IEnumerable<T> All<T>() => _events.OfType<T>();

    /// <summary>Waits until an event of type <typeparamref name="T"/> matching <paramref name="match"/> has arrived.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_events.OfType<T>().FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no {typeof(T).Name} arrived in time; got {_events.Count} events");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events have arrived (handlers run apart from invocation results).</summary>
    public async Task<IReadOnlyList<object>> WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_events.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{_events.Count} of {count} events arrived");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
        return Events;
    }

    public Task<Dictionary<string, long>> WatermarksAsync() => Connection.InvokeAsync<Dictionary<string, long>>(PoliceHub.Watermarks);

    public Task<ResumeResult> ResumeAsync(Dictionary<string, long> lastSeen) => Connection.InvokeAsync<ResumeResult>(PoliceHub.Resume, lastSeen);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
