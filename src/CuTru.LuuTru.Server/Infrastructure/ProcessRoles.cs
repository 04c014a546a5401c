using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Infrastructure;

/// <summary>What this process does (<c>LuuTru:Roles</c>, any of <c>api</c>, <c>drain</c>, <c>scheduler</c>, <c>relay</c>;
/// default all, one process doing everything): a deployment grows by adding processes of a role. <c>api</c> serves the
/// HTTP API, the pages and the live hub; <c>drain</c> moves the buffer into PostgreSQL; <c>scheduler</c> runs the clustered
/// jobs (the 23:00 and 08:00 reports, the 20:00 relay alert, the 03:30 purge); <c>relay</c> files with the national
/// system. Every process answers <c>/health/live</c> and <c>/health/ready</c>. When the roles are split, the scheduler
/// never shares a process with the API: the nightly peak of filings and the report build do not compete.</summary>
public sealed record ProcessRoles(bool Api, bool Drain, bool Scheduler, bool Relay)
{
    public const string Key = "LuuTru:Roles";
    public static readonly string[] Known = ["api", "drain", "scheduler", "relay"];
    public static readonly ProcessRoles All = new(true, true, true, true);

    /// <summary>The setting's words: a list (<c>api,drain</c>, spaces or commas) or an array (<c>LuuTru:Roles:0</c>…).</summary>
    public static IReadOnlyList<string> Words(IConfiguration configuration)
    {
        var section = configuration.GetSection(Key);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
        return values.SelectMany(v => v.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => v.ToLowerInvariant()).ToList();
    }

    /// <summary>The roles as set (unknown words are the validator's to refuse; none set: all).</summary>
    public static ProcessRoles From(IConfiguration configuration)
    {
        var words = Words(configuration);
        return words.Count == 0 ? All : new(words.Contains("api"), words.Contains("drain"), words.Contains("scheduler"), words.Contains("relay"));
    }

    /// <summary>Why the setting cannot be, or null.</summary>
    public static string? Problem(IConfiguration configuration)
    {
        var words = Words(configuration);
        if (words.FirstOrDefault(w => !Known.Contains(w)) is { } unknown)
            return $"{Key}: '{unknown}' is not a role (api, drain, scheduler, relay).";
        var roles = From(configuration);
        if (words.Count > 0 && roles != All && roles.Api && roles.Scheduler)
            return $"{Key}: when the roles are split, scheduler runs in a process without api (the 23:00 build must not compete with intake); " +
                "leave it unset for one process doing everything.";
        return null;
    }
}

/// <summary>Stops the start with one line when <c>LuuTru:Roles</c> is wrong (as every setting does).</summary>
public sealed class ProcessRolesCheck(IConfiguration configuration) : IValidateOptions<ProcessRolesCheck.Marker>
{
    public sealed class Marker;

    public ValidateOptionsResult Validate(string? name, Marker options) =>
        ProcessRoles.Problem(configuration) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
