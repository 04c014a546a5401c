using System.Text.Json;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Police;
using Npgsql;
using NpgsqlTypes;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>The two report kinds and their windows, in Vietnam time.</summary>
public static class ReportKinds
{
    public const string Nightly = "nightly", Morning = "morning";
    public static readonly TimeOnly NightlyAt = new(23, 0), MorningAt = new(8, 0);

    public static bool IsKnown(string? kind) => kind is Nightly or Morning;

    /// <summary>What a report lists, by reception time (start excluded, end included): nightly for day D,
    /// (D 08:00, D 23:00]; morning for day D, (D 23:00, D+1 08:00]. The windows follow one another without a gap or an
    /// overlap, so every notification is in exactly one.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(DateOnly day, string kind) => kind == Nightly
        ? (VietnamTime.At(day, MorningAt), VietnamTime.At(day, NightlyAt))
        : (VietnamTime.At(day, NightlyAt), VietnamTime.At(day.AddDays(1), MorningAt));
}

/// <summary>What a build did: how many communes, notifications and guests; the report itself when one commune was asked for.</summary>
public sealed record ReportRun(DateOnly Day, string Kind, int Communes, int Notifications, int Guests, long ElapsedMilliseconds, CommuneReportDto? Single);

/// <summary>Builds commune reports a group of communes at a time (about LuuTru:Reports:BuildChunkNotifications
/// notifications per group, so memory stays bounded however big the night): one pass over the group's notifications
/// (read in one snapshot, see <see cref="ReportSnapshot"/>), grouped by commune in memory and built on every core; each report
/// streamed into PostgreSQL with binary COPY as a new version, with its reportReady event, in one transaction;
/// pushed after the commit.</summary>
public sealed class ReportBuilder(NpgsqlDataSource data, PoliceFeed feed, TimeProvider clock, Infrastructure.LuuTruMetrics metrics,
    Microsoft.Extensions.Options.IOptions<ReportOptions> options, ILogger<ReportBuilder> logger)
{
    // Stored as UTF-8 without \u escapes for Vietnamese letters (a third smaller, and faster to write); served as application/json.
    private static readonly JsonSerializerOptions Json = new(LuuTruJson.CreateOptions()) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A build's reading and writing over made-up notifications, nothing read of the register and nothing stored
    /// (<see cref="ReportSnapshot.RehearseAsync"/>), with the builder's own serializer options.</summary>
    internal Task<(int Notifications, int Guests, int Bytes)> RehearseAsync(int notifications, CancellationToken ct) =>
        ReportSnapshot.RehearseAsync(data, notifications, clock.GetUtcNow(), Json, ct);

    /// <summary>Builds the reports of <paramref name="day"/> and <paramref name="kind"/>: for one commune, or for every
    /// commune with activity in the window or with approved establishments.</summary>
    public async Task<ReportRun> BuildAsync(DateOnly day, string kind, string? communeCode, string builtBy, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await BuildOnceAsync(day, kind, communeCode, builtBy, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // A rebuild of the same (commune, day, kind) committed first and took the version number: build again.
                logger.LogWarning("Report version taken by a concurrent build; building again (attempt {Attempt})", attempt + 1);
            }
        }
    }

    private async Task<ReportRun> BuildOnceAsync(DateOnly day, string kind, string? communeCode, string builtBy, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        // A group of communes at a time (LuuTru:Reports:BuildChunkNotifications): one group's rows in memory, never the night's.
        // The whole night's register read once, in commune order (ReportSnapshot.Register); one commune alone by its own queries.
        await using var register = communeCode is null ? await ReportSnapshot.Register.OpenAsync(data, day, kind, options.Value.BuildChunkNotifications, ct) : null;
        List<IReadOnlyList<string>> chunks = register?.Chunks ?? [new[] { communeCode! }];
        await using var conn = await data.OpenConnectionAsync(ct);
        long loadTicks = 0, notificationCount = 0, guestCount = 0;
        var timings = new Dictionary<string, long>();

        // Built on every core and streamed to the COPY below as they come: the reports never all sit in memory.
        var channel = System.Threading.Channels.Channel.CreateBounded<(string Commune, string Province, int Version, ReportTotalsDto Totals, PooledBufferWriter Content)>(
            new System.Threading.Channels.BoundedChannelOptions(16) { SingleReader = true });
        var keep = communeCode is not null;
        long buildTicks = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct); // a failed COPY stops the builders
        // One group: its snapshot read, then each commune's report built on every core and handed to the COPY.
        async Task ProduceAsync(IReadOnlyList<string> chunk)
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            var snapshot = await ReportSnapshot.LoadAsync(data, day, kind, chunk, stop.Token, register);
            loadTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t;
            (notificationCount, guestCount) = (notificationCount + snapshot.NotificationCount, guestCount + snapshot.GuestCount);
            foreach (var (step, ms) in snapshot.Timings) timings[step] = timings.GetValueOrDefault(step) + ms;
            await Parallel.ForEachAsync(snapshot.Communes, new ParallelOptions { CancellationToken = stop.Token, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (code, token) =>
                {
                    var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                    var buffer = new PooledBufferWriter(); // returned to the pool once copied into the COPY stream
                    (ReportTotalsDto Totals, string ProvinceCode, int Version) written;
                    await using (var writer = ReportSnapshot.WriterFor(buffer, Json))
                        written = snapshot.Write(code, now, builtBy, writer, Json);
                    Interlocked.Add(ref buildTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t0);
                    await channel.Writer.WriteAsync((code, written.ProvinceCode, written.Version, written.Totals, buffer), token);
                });
        }
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in chunks) await ProduceAsync(chunk);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        var stored = new List<(string Commune, string Province, int Version)>();
        CommuneReportDto? single = null;
        List<StoredEvent> events;
        try
        {
            await using (var tx = await conn.BeginTransactionAsync(ct))
            {
                await using (var copy = await conn.BeginBinaryImportAsync(
                    "copy commune_reports (id, commune_code, day, kind, version, built_at, built_by, notifications, content, totals) from stdin (format binary)", ct))
                {
                    await foreach (var report in channel.Reader.ReadAllAsync(ct))
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(report.Commune, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(day, NpgsqlDbType.Date, ct);
                        await copy.WriteAsync(kind, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(report.Version, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(now.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(builtBy, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(report.Totals.Notifications, NpgsqlDbType.Integer, ct);
                        await copy.WriteAsync(report.Content.WrittenMemory, NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(JsonSerializer.Serialize(report.Totals, Json), NpgsqlDbType.Jsonb, ct);
                        stored.Add((report.Commune, report.Province, report.Version));
                        if (keep) single = JsonSerializer.Deserialize<CommuneReportDto>(report.Content.WrittenSpan, Json);
                        report.Content.Dispose();
                    }
                    await producer;
                    await copy.CompleteAsync(ct);
                }
                events = await CommuneEventStore.AppendAsync(conn, tx,
                    stored.OrderBy(r => r.Commune, StringComparer.Ordinal).Select(r => new PendingEvent(r.Commune, r.Province, CommuneEventStore.ReportReady, now, null,
                        seq => new ReportReadyEvent(r.Commune, seq, now, day, kind, r.Version))).ToList(), ct);
                await tx.CommitAsync(ct);
            }
        }
        catch
        {
            await stop.CancelAsync();
            try { await producer; } catch { /* the first failure is the one reported */ }
            throw;
        }
        await feed.PublishAsync(events);

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        metrics.ReportBuildSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
        metrics.ReportNotifications.Record(notificationCount, new KeyValuePair<string, object?>("kind", kind));
        logger.LogInformation("Built {Count} {Kind} reports for {Day} ({Notifications} notifications, {Guests} guests) in {Elapsed} ms, {Chunks} groups of communes (read {Read} ms: {Steps})",
            stored.Count, kind, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), notificationCount,
            guestCount, (long)elapsed.TotalMilliseconds, chunks.Count, loadTicks * 1000 / System.Diagnostics.Stopwatch.Frequency,
            string.Join(", ", timings.Select(t => $"{t.Key} {t.Value}")
                .Append($"then building and writing the JSON {buildTicks * 1000 / System.Diagnostics.Stopwatch.Frequency} (thread time)")));
        return new ReportRun(day, kind, stored.Count, (int)notificationCount, (int)guestCount, (long)elapsed.TotalMilliseconds, single);
    }
}
