using System.Buffers;
using System.Diagnostics;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Intake.Rules;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Intake;

/// <summary>At the start of a process of role api, before it takes requests: a made-up notification is read, judged,
/// hashed and built into its answer and buffered form (what the intake does before Redis), over and over for about a
/// second, so that the first requests after a deploy do not pay for the serializers' metadata and the first
/// compilations (live push in the first seconds after a start: bench/README.md). Nothing leaves the process.</summary>
public sealed class IntakeWarmUp(IOptions<JsonOptions> json, IOptions<IntakeOptions> options, ProcessRoles roles, TimeProvider clock,
    ILogger<IntakeWarmUp> logger) : IHostedService
{
    /// <summary>At most this long (the start waits for it).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private const int Rounds = 2000;

    /// <summary>How many rounds went through to the buffered form in the last start (0: the made-up notification no
    /// longer passes the rules, and the warm-up warms nothing; a test holds it above 0).</summary>
    public int Rehearsed { get; private set; }

    public Task StartAsync(CancellationToken ct)
    {
        if (!roles.Api) return Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        int rounds = 0, rehearsed = 0;
        try
        {
            var now = clock.GetUtcNow();
            var body = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($$$"""
                {"stay":{"arrivalAt":"{{{now.AddHours(-1):O}}}","departureAt":"{{{now.AddDays(1):O}}}","reason":"tourism","room":"101"},
                 "guests":[{"fullName":"Nguyễn Văn Thử","dateOfBirth":"1990-03-04","gender":"male","document":{"type":"personal-id","number":"001090000000"}}],
                 "externalRef":"warm-up"}
                """));
            var source = new IntakeSource(Channel.Api, Guid.Empty, "warm-up", "00000", "00", "warm-up");
            var ctx = new RuleContext(now, TimeSpan.FromMinutes(options.Value.ArrivalFutureToleranceMinutes), AddressRequired: false);
            while (rounds < Rounds && Stopwatch.GetElapsedTime(started) < Budget && !ct.IsCancellationRequested)
            {
                var (request, _) = JsonBody<NotificationRequest>.Read(body, json.Value.SerializerOptions);
                var outcome = NotificationRules.Evaluate(request!, ctx);
                _ = RequestHash.Of(request!);
                if (outcome.Valid && IntakeService.Rehearse(new IntakeDecision(outcome, outcome.Flags), source, now) > 0) rehearsed++;
                rounds++;
            }
        }
        catch (Exception e)
        {
            logger.LogInformation("Intake warm-up stopped: {Error}", e.GetType().Name);
        }
        Rehearsed = rehearsed;
        logger.LogInformation("Intake warmed up: {Rounds} rounds ({Rehearsed} through to the buffered form) in {Ms} ms", rounds, rehearsed,
            (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
