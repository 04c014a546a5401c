using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CuTru.LuuTru.Contracts;

// Live-push benchmark: DASHBOARDS SignalR clients on the police hub spread over COMMUNES communes, notifications
// posted at RATE per second for SECONDS; for every (notification, dashboard of its commune) the time from the intake's
// 202 to the client receiving the arrival. Loopback only, bounded in count and time.
// usage: CuTru.LuuTru.Bench <base-url> <admin-email> <admin-password> [dashboards] [communes] [rate] [seconds] [results.md] [warm-up seconds, default 20]
var baseUrl = new Uri(args[0].TrimEnd('/') + "/");
var (adminEmail, adminPassword) = (args[1], args[2]);
var dashboards = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 500;
var communeCount = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50;
var rate = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000;
var seconds = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 15;
var output = args.Length > 7 ? args[7] : null;
var warmupSeconds = args.Length > 8 ? int.Parse(args[8], CultureInfo.InvariantCulture) : 20;
if (baseUrl.Host is not ("127.0.0.1" or "localhost")) throw new ArgumentException("loopback only");

var json = LuuTruJson.CreateOptions();
var http = NewClient();
var admin = await LoginAsync(adminEmail, adminPassword);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
// BENCH_RESTART=path (bench-cold.sh): after the warm-up this client, warm itself, closes its dashboards, creates
// path.warm and waits for path.go while the server it warmed is replaced by a fresh process; the measured load then
// meets a cold server with a warm client (a police dashboard is a browser that was running before the deploy).
var restart = Environment.GetEnvironmentVariable("BENCH_RESTART") is { Length: > 0 } r ? r : null;

// Setup: communes of Hà Nội and Hồ Chí Minh City, one approved hotel with an API key and one officer per commune.
var communes = (await http.GetFromJsonAsync<List<CommuneDto>>("api/v1/provinces/01/communes", json))!
    .Concat((await http.GetFromJsonAsync<List<CommuneDto>>("api/v1/provinces/79/communes", json))!).Take(communeCount).ToList();
var run = Guid.NewGuid().ToString("N")[..6];
var setups = new List<(string Commune, string ApiKey, string Token)>();
foreach (var c in communes)
{
    var est = await PostAsync<EstablishmentDto>("api/v1/establishments", new CreateEstablishmentRequest(
        $"Khách sạn đo tải {c.Code}", EstablishmentKind.Hotel, c.Code, "1 Đường Đo Tải", "Người Quản Lý", "0912345678"));
    if (est.Status != EstablishmentStatus.Approved) await PostAsync<EstablishmentDto>($"api/v1/establishments/{est.Id}/approve", new { });
    var key = await PostAsync<ApiKeyCreatedResponse>($"api/v1/establishments/{est.Id}/api-keys", new CreateApiKeyRequest("bench"));
    var email = $"bench.{run}.{c.Code}@bench.luutru.vn";
    await PostAsync<UserDto>("api/v1/users", new CreateUserRequest(email, "bench-password-2026", Role.CommuneOfficer, null, null, [c.Code], null));
    setups.Add((c.Code, key.ApiKey, await LoginAsync(email, "bench-password-2026")));
}
Console.Error.WriteLine($"[bench] {setups.Count} communes ready; connecting {dashboards} dashboards");

// The dashboards: round-robin over the communes; every arrival received is stamped on arrival (Dashboard.cs: the
// SignalR JSON protocol over a WebSocket, reading only the measured fields).
var received = new ConcurrentDictionary<string, ConcurrentBag<long>>();
// Where the time goes: accepted → recorded (the buffer and the drain), recorded → received (push and fan-out).
var buffered = new ConcurrentDictionary<string, double>();
var pushed = new ConcurrentBag<double>();
var serverTimes = new ConcurrentDictionary<string, (DateTimeOffset Accepted, DateTimeOffset Occurred)>();
var hubUrl = new Uri(baseUrl, PoliceHub.Path.TrimStart('/'));
var connections = await ConnectAsync();
var perCommune = Enumerable.Range(0, dashboards).GroupBy(i => setups[i % setups.Count].Commune).ToDictionary(g => g.Key, g => g.Count());

// Warm-up: the same load, not measured, long enough for the JIT to finish tiering up the push path (the intake's
// wrk runs before this one do not call it); the server of a real commune has been running for days.
var failures = 0;
var arrival = DateTimeOffset.UtcNow.AddHours(-1);
if (warmupSeconds > 0)
{
    Console.Error.WriteLine($"[bench] warm-up: {rate:N0}/s for {warmupSeconds} s");
    var (warm, _) = await LoadAsync(rate * warmupSeconds, 500_000);
    await SettleAsync(warm);
    received.Clear(); buffered.Clear(); pushed.Clear(); serverTimes.Clear(); failures = 0;
}
if (restart is not null)
{
    foreach (var c in connections) await c.DisposeAsync();
    http.Dispose();
    await File.WriteAllTextAsync(restart + ".warm", "");
    Console.Error.WriteLine("[bench] client warm; waiting for a fresh server");
    var waitUntil = DateTime.UtcNow.AddMinutes(2);
    while (!File.Exists(restart + ".go")) { if (DateTime.UtcNow > waitUntil) throw new TimeoutException("no fresh server"); await Task.Delay(50); }
    http = NewClient();
    connections = await ConnectAsync();
}

// The load: RATE notifications per second, paced, each from its commune's hotel.
var (accepted, postSeconds) = await LoadAsync(rate * seconds, 0);
var total = rate * seconds;
var expected = await SettleAsync(accepted);
var latencies = new List<double>(expected);
foreach (var (receipt, (at, _)) in accepted)
    if (received.TryGetValue(receipt, out var bag))
        latencies.AddRange(bag.Select(t => Math.Max(0, (t - at) * 1000.0 / Stopwatch.Frequency)));
latencies.Sort();
// Over time: the slowest delivery of the notifications accepted in each second (spikes show up here, not in p50).
var firstAccept = accepted.IsEmpty ? 0 : accepted.Values.Min(a => a.At);
var perSecond = accepted.Where(a => received.ContainsKey(a.Key))
    .GroupBy(a => (int)((a.Value.At - firstAccept) / Stopwatch.Frequency))
    .OrderBy(g => g.Key)
    .Select(g => g.Max(a => received[a.Key].Max(t => (t - a.Value.At) * 1000.0 / Stopwatch.Frequency)))
    .ToList();
double P(double p) => Pct(latencies, p);
static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
var bufferedSorted = buffered.Values.Order().ToList();
var pushedSorted = pushed.Order().ToList();
var lost = expected - latencies.Count;
// BENCH_DUMP=file: one line per delivery (ms from the first 202: accepted by the client, accepted and recorded by the
// server, received), to see where a spike's time went.
if (Environment.GetEnvironmentVariable("BENCH_DUMP") is { Length: > 0 } dumpPath)
{
    var anchorUtc = DateTimeOffset.UtcNow.AddTicks(-(long)((Stopwatch.GetTimestamp() - firstAccept) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
    double Ms(long t) => (t - firstAccept) * 1000.0 / Stopwatch.Frequency;
    await File.WriteAllLinesAsync(dumpPath, accepted.Where(a => received.ContainsKey(a.Key)).SelectMany(a =>
        received[a.Key].Select(t => string.Join(',', a.Key, Ms(a.Value.At).ToString("F1", CultureInfo.InvariantCulture),
            serverTimes.TryGetValue(a.Key, out var st) ? $"{(st.Accepted - anchorUtc).TotalMilliseconds:F1},{(st.Occurred - anchorUtc).TotalMilliseconds:F1}" : ",",
            Ms(t).ToString("F1", CultureInfo.InvariantCulture)))));
}
foreach (var c in connections) await c.DisposeAsync();
http.Dispose();

var warmedBy = restart is null
    ? $"after {warmupSeconds} s of the same load\n(not measured: the JIT tiers the push path up under load)"
    : $"to a server process just started, with\nno warm-up (the bench client warmed itself for {warmupSeconds} s of the same load against the process before it)";
var report = $"""
    # Live push benchmark

    `make bench` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}: {dashboards} SignalR dashboards (WebSockets) over {setups.Count} communes,
    {total:N0} notifications posted at {rate:N0}/s for {seconds} s (achieved {accepted.Count / postSeconds:N0}/s) {warmedBy}, one server process with the Redis backplane, PostgreSQL
    and Redis on the same machine; the bench client runs there too (dashboards speak the SignalR JSON protocol over
    WebSockets and read only the fields measured: bench/CuTru.LuuTru.Bench/Dashboard.cs).

    | measure | value |
    | --- | --- |
    | notifications accepted (202) | {accepted.Count:N0} ({failures} failed) |
    | deliveries expected (notification × dashboards of its commune) | {expected:N0} |
    | deliveries received | {latencies.Count:N0} |
    | lost | {lost:N0} |
    | 202 → dashboard, p50 | {P(0.50):N0} ms |
    | 202 → dashboard, p99 | {P(0.99):N0} ms |
    | 202 → dashboard, max | {(latencies.Count > 0 ? latencies[^1] : double.NaN):N0} ms |
    | of which accepted → recorded (buffer + drain), p50 / p99 | {Pct(bufferedSorted, 0.5):N0} / {Pct(bufferedSorted, 0.99):N0} ms |
    | of which recorded → received (push + fan-out), p50 / p99 | {Pct(pushedSorted, 0.5):N0} / {Pct(pushedSorted, 0.99):N0} ms |

    Slowest delivery of the notifications accepted in each second of the load (ms): {string.Join(" ", perSecond.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}

    Targets: p99 under 250 ms (1 s at most), nothing lost.
    """;
Console.WriteLine(report);
if (output is not null) await File.WriteAllTextAsync(output, report + Environment.NewLine);
return lost == 0 && failures == 0 ? 0 : 1;

async Task<(ConcurrentDictionary<string, (long At, string Commune)> Accepted, double Seconds)> LoadAsync(int count, int firstNumber)
{
    var accepted = new ConcurrentDictionary<string, (long At, string Commune)>();
    var started = Stopwatch.GetTimestamp();
    var inFlight = new List<Task>(count);
    using var gate = new SemaphoreSlim(256);
    for (var i = 0; i < count; i++)
    {
        var due = started + (long)(i * (double)Stopwatch.Frequency / rate);
        while (Stopwatch.GetTimestamp() < due) await Task.Delay(1);
        await gate.WaitAsync();
        var s = setups[i % setups.Count];
        var number = firstNumber + i;
        inFlight.Add(Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/notifications")
                {
                    Content = JsonContent.Create(new NotificationRequest(new StayDto(arrival, arrival.AddDays(1), StayReason.Business),
                        [new GuestDto("Nguyễn Văn Khách", new DateOnly(1990, 1, 1), Gender.Male,
                            new DocumentDto(DocumentType.PersonalId, $"001090{number % 1000000:000000}"))]), options: json),
                };
                request.Headers.Add("X-Api-Key", s.ApiKey);
                request.Headers.Add("Idempotency-Key", $"bench-{run}-{number}");
                using var response = await http.SendAsync(request);
                var at = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failures); return; }
                var receipt = (await response.Content.ReadFromJsonAsync<NotificationReceiptDto>(json))!;
                accepted[receipt.ReceiptNumber] = (at, s.Commune);
            }
            catch { Interlocked.Increment(ref failures); }
            finally { gate.Release(); }
        }));
    }
    await Task.WhenAll(inFlight);
    return (accepted, Stopwatch.GetElapsedTime(started).TotalSeconds);
}

// Waits for the stragglers (at most 30 s); answers how many deliveries were expected.
async Task<int> SettleAsync(ConcurrentDictionary<string, (long At, string Commune)> accepted)
{
    var expected = accepted.Values.Sum(a => perCommune[a.Commune]);
    var waitUntil = DateTime.UtcNow.AddSeconds(30);
    while (DateTime.UtcNow < waitUntil && accepted.Keys.Sum(r => received.TryGetValue(r, out var b) ? b.Count : 0) < expected) await Task.Delay(100);
    return expected;
}

HttpClient NewClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 128 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

// The dashboards: round-robin over the communes, 50 connecting at a time.
async Task<List<Dashboard>> ConnectAsync()
{
    var list = new List<Dashboard>();
    for (var i = 0; i < dashboards; i++)
    {
        var s = setups[i % setups.Count];
        list.Add(new Dashboard(hubUrl, s.Token, (receipt, acceptedAt, occurredAt) =>
        {
            received.GetOrAdd(receipt, _ => []).Add(Stopwatch.GetTimestamp());
            buffered.TryAdd(receipt, (occurredAt - acceptedAt).TotalMilliseconds);
            serverTimes.TryAdd(receipt, (acceptedAt, occurredAt));
            pushed.Add((DateTimeOffset.UtcNow - occurredAt).TotalMilliseconds);
        }));
    }
    foreach (var chunk in list.Chunk(50)) await Task.WhenAll(chunk.Select(c => c.StartAsync(http)));
    return list;
}

async Task<string> LoginAsync(string email, string password)
{
    var response = await http.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(email, password), json);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<LoginResponse>(json))!.AccessToken;
}

async Task<T> PostAsync<T>(string path, object body)
{
    var response = await http.PostAsJsonAsync(path, body, json);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    return (await response.Content.ReadFromJsonAsync<T>(json))!;
}
