using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

/// <summary>One police dashboard as the load generator sees it: the SignalR JSON protocol over a WebSocket (negotiate,
/// handshake, pings), reading from each arrival only the fields the benchmark measures. The full .NET client
/// deserializes every event into its record and took about two thirds of a core for 500 of them on this 2-core
/// machine, CPU the server under test then did not get; this reads the same frames with a forward-only reader.
/// The tests use the real client (Microsoft.AspNetCore.SignalR.Client).</summary>
sealed class Dashboard(Uri hubUrl, string token, Action<string, DateTimeOffset, DateTimeOffset> onArrival) : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] Watermarks = Encoding.UTF8.GetBytes("{\"type\":1,\"invocationId\":\"joined\",\"target\":\"Watermarks\",\"arguments\":[]}\u001e");
    private readonly TaskCompletionSource joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClientWebSocket socket = new();
    private readonly CancellationTokenSource stop = new();
    private Task? receiving, pinging;

    public async Task StartAsync(HttpClient http)
    {
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, new Uri(hubUrl + "/negotiate?negotiateVersion=1"));
        negotiate.Headers.Authorization = new("Bearer", token);
        using var answer = await http.SendAsync(negotiate);
        answer.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync());
        var connectionToken = doc.RootElement.GetProperty("connectionToken").GetString();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var ws = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws", Query = "id=" + Uri.EscapeDataString(connectionToken!) }.Uri;
        await socket.ConnectAsync(ws, stop.Token);
        await socket.SendAsync(Handshake, WebSocketMessageType.Text, true, stop.Token);
        var buffer = new byte[256];
        var first = await socket.ReceiveAsync(buffer, stop.Token); // "{}\x1e", or an error
        if (first.Count < 3 || buffer[0] != (byte)'{' || buffer[1] != (byte)'}') throw new InvalidOperationException("handshake refused: " + Encoding.UTF8.GetString(buffer, 0, first.Count));
        receiving = Task.Run(ReceiveLoop);
        pinging = Task.Run(PingLoop);
        // Connected means in its groups: the handshake is answered before the hub's OnConnectedAsync has joined them,
        // and the server runs a connection's invocations only after it. A round trip of Watermarks (what the web app's
        // Resume after its start also waits for) is when this dashboard starts counting arrivals as due.
        await socket.SendAsync(Watermarks, WebSocketMessageType.Text, true, stop.Token);
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(30), stop.Token);
    }

    private async Task PingLoop()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token);
                await socket.SendAsync(Ping, WebSocketMessageType.Text, true, stop.Token);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var result = await socket.ReceiveAsync(buffer.AsMemory(filled), stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                filled += result.Count;
                var consumed = 0;
                int end;
                while ((end = Array.IndexOf(buffer, RecordSeparator, consumed, filled - consumed)) >= 0)
                {
                    Read(buffer.AsSpan(consumed, end - consumed));
                    consumed = end + 1;
                }
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    /// <summary>An invocation of "Arrival": its receipt number, when it was accepted and when it was recorded; or the
    /// completion of the Watermarks call made at the start.</summary>
    private void Read(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        string? target = null, receipt = null;
        DateTimeOffset accepted = default, occurred = default;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("invocationId"u8)) { reader.Read(); if (reader.ValueTextEquals("joined"u8)) joined.TrySetResult(); }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("target"u8)) { reader.Read(); target = reader.GetString(); }
            else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("receiptNumber"u8)) { reader.Read(); receipt = reader.GetString(); }
            else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("acceptedAt"u8)) { reader.Read(); accepted = reader.GetDateTimeOffset(); }
            else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("occurredAt"u8)) { reader.Read(); occurred = reader.GetDateTimeOffset(); }
        }
        if (target == "Arrival" && receipt is not null) onArrival(receipt, accepted, occurred);
    }

    public async ValueTask DisposeAsync()
    {
        try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); } catch (WebSocketException) { }
        stop.Cancel();
        foreach (var t in new[] { receiving, pinging }) if (t is not null) try { await t; } catch (OperationCanceledException) { }
        socket.Dispose();
        stop.Dispose();
    }
}
