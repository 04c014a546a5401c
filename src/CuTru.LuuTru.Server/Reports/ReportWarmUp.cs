using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Reports;

/// <summary>In a process that builds the night's reports (role scheduler), a minute after its start: a build's
/// reading and writing rehearsed over made-up notifications (<see cref="ReportBuilder.RehearseAsync"/>), in a few rounds
/// apart, so that the runtime has compiled and tiered up the build's code before its first real build. Without it, the
/// first build after a start spent a third more of the server's CPU than the next one (bench/README.md). In the
/// background and after the first minute (LuuTru:Reports:WarmUpDelaySeconds): ten seconds after the start it took the
/// live push's slowest deliveries from 100-145 to 225-235 ms for four seconds, and it is not needed before 23:00.
/// Reads nothing of the register and stores nothing.</summary>
public sealed class ReportWarmUp(IServiceScopeFactory scopes, IOptions<ReportOptions> options, ILogger<ReportWarmUp> logger) : BackgroundService
{
    /// <summary>Rounds, and the pause between them (the runtime counts calls, then compiles the optimised code in the background).</summary>
    private const int Rounds = 3;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    /// <summary>The notifications and guests the last round wrote into its report (0 until it ran; a test holds them to what was asked).</summary>
    public (int Notifications, int Guests) Rehearsed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var (count, delay) = (options.Value.WarmUpNotifications, TimeSpan.FromSeconds(options.Value.WarmUpDelaySeconds));
        if (count == 0) return;
        try
        {
            await Task.Delay(delay, ct);
            var started = Stopwatch.GetTimestamp();
            var bytes = 0;
            for (var round = 0; round < Rounds; round++)
            {
                if (round > 0) await Task.Delay(Pause, ct);
                await using var scope = scopes.CreateAsyncScope();
                (var notifications, var guests, bytes) = await scope.ServiceProvider.GetRequiredService<ReportBuilder>().RehearseAsync(count, ct);
                Rehearsed = (notifications, guests);
            }
            logger.LogInformation("Report build rehearsed: {Rounds} rounds of {Count} made-up notifications ({Bytes} bytes of report each) in {Ms} ms",
                Rounds, count, bytes, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            // A rehearsal that fails costs the first build its speed, nothing else.
            logger.LogWarning("Report build rehearsal stopped: {Error}", e.GetType().Name);
        }
    }
}
