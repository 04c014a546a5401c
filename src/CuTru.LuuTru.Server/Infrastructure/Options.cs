using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace CuTru.LuuTru.Server.Infrastructure;

// One options class per configuration section, defaults in code, validated at start-up.
// Every setting is listed in the README's settings table; environment variables use `__` for `:`
// (LuuTru__Database__ConnectionString).

/// <summary>LuuTru:Database: PostgreSQL.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "LuuTru:Database";
    public string ConnectionString { get; set; } = "";
    public bool MigrateOnStart { get; set; } = true;
    public int CommandTimeoutSeconds { get; set; } = 30;
    public int MaxRetryCount { get; set; } = 5;
}

/// <summary>LuuTru:Redis: the intake buffer and the SignalR backplane.</summary>
public sealed class RedisOptions
{
    public const string Section = "LuuTru:Redis";
    public string ConnectionString { get; set; } = "";
    /// <summary>Prefix of every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "luutru:";
    /// <summary>Carry the dashboards' live events between server processes through Redis (SignalR backplane). Off only
    /// for a single process, where it saves a round trip through Redis per event.</summary>
    public bool Backplane { get; set; } = true;
}

/// <summary>LuuTru:Auth: sign-in tokens, cookies and API keys.</summary>
public sealed class AuthOptions
{
    public const string Section = "LuuTru:Auth";
    /// <summary>HMAC-SHA256 key that signs access tokens; at least 32 characters, the same on every server process.</summary>
    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "cutru-luutru";
    public int AccessTokenLifetimeMinutes { get; set; } = 480;
    public string CookieName { get; set; } = "luutru_session";
    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;
    /// <summary>Sign-in attempts for one account per 15 minutes, from anywhere: a password is not guessed from many addresses.</summary>
    public int LoginAttemptsPerAccountPer15Minutes { get; set; } = 10;
    /// <summary>An API key's last-used time is written at most this often.</summary>
    public int ApiKeyLastUsedResolutionSeconds { get; set; } = 60;
    /// <summary>How often live dashboard connections are checked against their token's expiry and their person's session
    /// (ended elsewhere: signed out, password changed, disabled). In the process that ends a session they close at once.</summary>
    public int LiveSessionCheckSeconds { get; set; } = 30;
    /// <summary>How long a process trusts a person's security stamp before reading it again: the longest another process
    /// accepts a token after the session was ended (signed out, password changed, disabled) elsewhere.</summary>
    public int SessionStampCacheSeconds { get; set; } = 30;
    /// <summary>Signs the verification codes printed on receipts (their QR codes). Unset: derived from the signing key, so a
    /// key rotation makes earlier printed receipts unverifiable; set it (32+ random characters) to keep them verifiable.</summary>
    public string? ReceiptVerificationKey { get; set; }
}

/// <summary>LuuTru:Bootstrap: the first admin, created on start when no admin exists.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "LuuTru:Bootstrap";
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>LuuTru:Demo: demo accounts and an approved establishment for `make run`. Never on in production.</summary>
public sealed class DemoOptions
{
    public const string Section = "LuuTru:Demo";
    public bool Enabled { get; set; }
    /// <summary>The demo establishment's API key (format lt_XXXXXXXX_secret); stored hashed like any other.</summary>
    public string ApiKey { get; set; } = "lt_demo0001_DemoKeyForLocalUseOnly0000000000";
    public string Password { get; set; } = "demo-matkhau-2026";
    /// <summary>The demo commune (default Phường Hoàn Kiếm, Hà Nội).</summary>
    public string CommuneCode { get; set; } = "00070";
    /// <summary>A KBTT account the demo hotel is linked with (the relay files its guests there: `make run` starts a local
    /// stand-in of the national system and sets these); none: not linked.</summary>
    public string? KbttUsername { get; set; }
    public string? KbttPassword { get; set; }
}

/// <summary>LuuTru:Intake: how notifications are taken in.</summary>
public sealed class IntakeOptions
{
    public const string Section = "LuuTru:Intake";
    /// <summary>How far in the future an arrival may lie before it is refused (clocks differ).</summary>
    public int ArrivalFutureToleranceMinutes { get; set; } = 15;
    /// <summary>Most notifications in one batch call.</summary>
    public int MaxBatchSize { get; set; } = 500;
    /// <summary>How long an entry the drain could not store stays in the dead-letter stream for an admin to replay or
    /// drop (it holds personal data): then it is removed.</summary>
    public int DeadLetterRetentionDays { get; set; } = 30;
    /// <summary>Run the worker that drains the Redis buffer into PostgreSQL in this process.</summary>
    public bool DrainEnabled { get; set; } = true;
    /// <summary>Stream entries read and written to PostgreSQL per round trip.</summary>
    public int DrainBatchSize { get; set; } = 500;
    /// <summary>Pause between polls when the buffer is empty.</summary>
    public int DrainIdleDelayMilliseconds { get; set; } = 50;
    /// <summary>Attempts at recording one entry before it goes to the dead-letter stream.</summary>
    public int DrainMaxAttempts { get; set; } = 5;
    /// <summary>Entries a consumer left unacknowledged this long are claimed by another (crashed process).</summary>
    public int DrainClaimIdleSeconds { get; set; } = 30;
    /// <summary>Most notifications appended to the Redis buffer in one script call. Requests arriving together are
    /// appended together (one round trip); a lone request never waits for others.</summary>
    public int BufferAppendBatchSize { get; set; } = 100;
}

/// <summary>LuuTru:Retention: how long each kind of personal data is kept (the README's Security section has the table).
/// The register's own periods are the operator's to set from the records schedule that binds them; the defaults keep
/// a register five years and everything that only serves the live screens or the intake for days.</summary>
public sealed class RetentionOptions
{
    public const string Section = "LuuTru:Retention";
    /// <summary>A notification (its guests and its change history) is deleted this many years after its stay ended
    /// (departure, checkout or cancellation).</summary>
    public int RegisterYears { get; set; } = 5;
    /// <summary>A nightly or morning report (every version) is deleted this many years after its day.</summary>
    public int ReportYears { get; set; } = 5;
    /// <summary>The audit trail (who read or changed what) is kept this many years.</summary>
    public int AuditYears { get; set; } = 5;
    /// <summary>The live feed's stored events (names of arrivals, kept for dashboards that reconnect) are kept this many days.</summary>
    public int LiveEventDays { get; set; } = 30;
    /// <summary>A watchlist entry and its hits are deleted this many days after the entry expired or was removed.</summary>
    public int WatchlistEndedDays { get; set; } = 90;
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions o) =>
        o.RegisterYears < 1 || o.ReportYears < 1 || o.AuditYears < 1 || o.LiveEventDays < 1 || o.WatchlistEndedDays < 1
            ? ValidateOptionsResult.Fail("LuuTru:Retention:RegisterYears, ReportYears, AuditYears, LiveEventDays and WatchlistEndedDays must be at least 1.")
            : ValidateOptionsResult.Success;
}

/// <summary>LuuTru:Household: the public form for families, without an account.</summary>
public sealed class HouseholdOptions
{
    public const string Section = "LuuTru:Household";
    /// <summary>Household notifications accepted per client address per hour.</summary>
    public int PerAddressPerHour { get; set; } = 30;
    /// <summary>Household notifications accepted per host phone number per hour.</summary>
    public int PerPhonePerHour { get; set; } = 10;
    /// <summary>Checks of the public form (validate only, nothing stored) per client address per hour: the form checks as people type.</summary>
    public int ValidationsPerAddressPerHour { get; set; } = 1200;
    /// <summary>Receipt lookups (<c>POST /api/v1/receipts/lookup</c>) per client address per hour.</summary>
    public int LookupsPerAddressPerHour { get; set; } = 60;
    /// <summary>Lookups of one receipt number per hour, from anywhere: guessing a phone is slowed down to nothing.</summary>
    public int LookupsPerReceiptPerHour { get; set; } = 10;
}

internal sealed class HouseholdOptionsValidator : IValidateOptions<HouseholdOptions>
{
    public ValidateOptionsResult Validate(string? name, HouseholdOptions o) =>
        o.PerAddressPerHour < 1 || o.PerPhonePerHour < 1 || o.ValidationsPerAddressPerHour < 1 || o.LookupsPerAddressPerHour < 1 || o.LookupsPerReceiptPerHour < 1
            ? ValidateOptionsResult.Fail("LuuTru:Household:PerAddressPerHour, PerPhonePerHour, ValidationsPerAddressPerHour, LookupsPerAddressPerHour and LookupsPerReceiptPerHour must be at least 1.")
            : ValidateOptionsResult.Success;
}

/// <summary>LuuTru:Benchmark: extras for `make bench` only.</summary>
public sealed class BenchmarkOptions
{
    public const string Section = "LuuTru:Benchmark";
    /// <summary>Maps POST /bench/bare (parses a notification and answers 202) and POST /bench/append (the same plus one
    /// XADD): the yardsticks for the intake. Never on in production: both take anonymous requests.</summary>
    public bool Enabled { get; set; }
}

internal sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions o)
    {
        if (o.ArrivalFutureToleranceMinutes < 0 || TimeSpan.FromMinutes(o.ArrivalFutureToleranceMinutes) > Intake.Rules.NotificationRules.ArrivalAfterReceptionLimit)
            return ValidateOptionsResult.Fail("LuuTru:Intake:ArrivalFutureToleranceMinutes must be between 0 and 1440.");
        if (o.MaxBatchSize is < 1 or > 5000)
            return ValidateOptionsResult.Fail("LuuTru:Intake:MaxBatchSize must be between 1 and 5000.");
        if (o.DrainBatchSize is < 1 or > 10000)
            return ValidateOptionsResult.Fail("LuuTru:Intake:DrainBatchSize must be between 1 and 10000.");
        if (o.BufferAppendBatchSize is < 1 or > 1000)
            return ValidateOptionsResult.Fail("LuuTru:Intake:BufferAppendBatchSize must be between 1 and 1000.");
        if (o.DrainIdleDelayMilliseconds is < 1 or > 10000 || o.DrainMaxAttempts < 1 || o.DrainClaimIdleSeconds < 1)
            return ValidateOptionsResult.Fail("LuuTru:Intake:DrainIdleDelayMilliseconds (1-10000), DrainMaxAttempts and DrainClaimIdleSeconds (at least 1) are out of range.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        const string key = "LuuTru:Database:ConnectionString";
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            return ValidateOptionsResult.Fail($"{key} is missing: set LuuTru__Database__ConnectionString to a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(o.ConnectionString);
            if (string.IsNullOrWhiteSpace(csb.Host))
                return ValidateOptionsResult.Fail($"{key} names no Host.");
            if (string.IsNullOrWhiteSpace(csb.Database))
                return ValidateOptionsResult.Fail($"{key} names no Database.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return ValidateOptionsResult.Fail($"{key} is not a valid PostgreSQL connection string: {e.Message}");
        }
        if (o.CommandTimeoutSeconds is < 1 or > 3600)
            return ValidateOptionsResult.Fail("LuuTru:Database:CommandTimeoutSeconds must be between 1 and 3600.");
        if (o.MaxRetryCount is < 0 or > 20)
            return ValidateOptionsResult.Fail("LuuTru:Database:MaxRetryCount must be between 0 and 20.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions o)
    {
        const string key = "LuuTru:Redis:ConnectionString";
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            return ValidateOptionsResult.Fail($"{key} is missing: set LuuTru__Redis__ConnectionString (e.g. 127.0.0.1:6379).");
        try
        {
            var parsed = ConfigurationOptions.Parse(o.ConnectionString);
            if (parsed.EndPoints.Count == 0)
                return ValidateOptionsResult.Fail($"{key} names no host:port.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or RedisConnectionException)
        {
            return ValidateOptionsResult.Fail($"{key} is not a valid Redis connection string: {e.Message}");
        }
        if (string.IsNullOrEmpty(o.KeyPrefix))
            return ValidateOptionsResult.Fail("LuuTru:Redis:KeyPrefix must not be empty.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.SigningKey))
            return ValidateOptionsResult.Fail("LuuTru:Auth:SigningKey is missing: set LuuTru__Auth__SigningKey to a random string of at least 32 characters, the same on every server process.");
        if (o.SigningKey.Length < 32)
            return ValidateOptionsResult.Fail("LuuTru:Auth:SigningKey is too short: use at least 32 characters.");
        if (Secrets.WeakReason(o.SigningKey, minDistinct: 16) is { } weak)
            return ValidateOptionsResult.Fail($"LuuTru:Auth:SigningKey {weak}: generate one, e.g. `openssl rand -base64 48`.");
        if (o.AccessTokenLifetimeMinutes is < 1 or > 7 * 24 * 60)
            return ValidateOptionsResult.Fail("LuuTru:Auth:AccessTokenLifetimeMinutes must be between 1 and 10080.");
        if (o.LiveSessionCheckSeconds < 1 || o.SessionStampCacheSeconds < 1)
            return ValidateOptionsResult.Fail("LuuTru:Auth:LiveSessionCheckSeconds and SessionStampCacheSeconds must be at least 1.");
        if (o.LoginAttemptsPerMinute < 1 || o.LoginAttemptsPerAccountPer15Minutes < 1)
            return ValidateOptionsResult.Fail("LuuTru:Auth:LoginAttemptsPerMinute and LoginAttemptsPerAccountPer15Minutes must be at least 1.");
        if (o.ApiKeyLastUsedResolutionSeconds < 0)
            return ValidateOptionsResult.Fail("LuuTru:Auth:ApiKeyLastUsedResolutionSeconds must not be negative.");
        if (string.IsNullOrWhiteSpace(o.CookieName) || string.IsNullOrWhiteSpace(o.Issuer))
            return ValidateOptionsResult.Fail("LuuTru:Auth:CookieName and LuuTru:Auth:Issuer must not be empty.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions o)
    {
        var hasEmail = !string.IsNullOrWhiteSpace(o.AdminEmail);
        var hasPassword = !string.IsNullOrEmpty(o.AdminPassword);
        if (hasEmail != hasPassword)
            return ValidateOptionsResult.Fail("LuuTru:Bootstrap:AdminEmail and LuuTru:Bootstrap:AdminPassword go together: set both or neither.");
        if (hasEmail && !Accounts.EmailAddress.IsValid(o.AdminEmail!))
            return ValidateOptionsResult.Fail("LuuTru:Bootstrap:AdminEmail is not an email address.");
        if (hasPassword && o.AdminPassword!.Length < Accounts.PasswordRules.MinLength)
            return ValidateOptionsResult.Fail($"LuuTru:Bootstrap:AdminPassword is too short: use at least {Accounts.PasswordRules.MinLength} characters.");
        if (hasPassword && Secrets.WeakReason(o.AdminPassword!, minDistinct: 6) is { } weak)
            return ValidateOptionsResult.Fail($"LuuTru:Bootstrap:AdminPassword {weak}: choose a real password.");
        if (hasPassword && Accounts.PasswordRules.Problem(o.AdminPassword!) == "password-too-common")
            return ValidateOptionsResult.Fail("LuuTru:Bootstrap:AdminPassword is one of the common passwords: choose a real password.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions o)
    {
        if (!o.Enabled) return ValidateOptionsResult.Success;
        if (Security.ApiKeyFormat.TryParse(o.ApiKey, out _) is false)
            return ValidateOptionsResult.Fail("LuuTru:Demo:ApiKey must look like lt_<8 letters or digits>_<at least 32 letters or digits>.");
        if (o.Password.Length < Accounts.PasswordRules.MinLength)
            return ValidateOptionsResult.Fail($"LuuTru:Demo:Password is too short: use at least {Accounts.PasswordRules.MinLength} characters.");
        return ValidateOptionsResult.Success;
    }
}

internal sealed class ReportOptionsValidator : IValidateOptions<Reports.ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, Reports.ReportOptions o)
    {
        if (o.SchedulerIdleWaitMilliseconds is < 1_000 or > 600_000)
            return ValidateOptionsResult.Fail("LuuTru:Reports:SchedulerIdleWaitMilliseconds must be between 1000 (Quartz's least) and 600000.");
        if (o.ClusterCheckinIntervalMilliseconds is < 1_000 or > 600_000)
            return ValidateOptionsResult.Fail("LuuTru:Reports:ClusterCheckinIntervalMilliseconds must be between 1000 and 600000.");
        if (o.BuildChunkNotifications < 1)
            return ValidateOptionsResult.Fail("LuuTru:Reports:BuildChunkNotifications must be at least 1.");
        if (o.WarmUpNotifications is < 0 or > 50_000)
            return ValidateOptionsResult.Fail("LuuTru:Reports:WarmUpNotifications must be between 0 (no rehearsal) and 50000.");
        if (o.WarmUpDelaySeconds is < 0 or > 3_600)
            return ValidateOptionsResult.Fail("LuuTru:Reports:WarmUpDelaySeconds must be between 0 and 3600.");
        return ValidateOptionsResult.Success;
    }
}

/// <summary>LuuTru:Network: who may talk to the hub from a browser.</summary>
public sealed class NetworkOptions
{
    public const string Section = "LuuTru:Network";
    /// <summary>Origins (scheme://host[:port]) other than the hub's own whose pages may use a signed-in browser session:
    /// the live feed and cookie-authenticated changes. Empty (the default): the hub's own pages only.</summary>
    public string[] AllowedOrigins { get; set; } = [];
    /// <summary>Addresses of the reverse proxies in front of the hub whose X-Forwarded-For/-Proto/-Host are believed (the
    /// client's address for rate limits and the audit log, https for cookies and HSTS). Empty: none, every client is its
    /// connection's address.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>The same for whole networks (CIDR, e.g. <c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];
}

internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions o) =>
        o.AllowedOrigins.FirstOrDefault(x => !Uri.TryCreate(x, UriKind.Absolute, out var u) || u.PathAndQuery != "/" || x.EndsWith('/')) is { } bad
            ? ValidateOptionsResult.Fail($"LuuTru:Network:AllowedOrigins: '{bad}' is not an origin (scheme://host[:port], no path).")
            : o.KnownProxies.FirstOrDefault(x => !System.Net.IPAddress.TryParse(x, out _)) is { } proxy
                ? ValidateOptionsResult.Fail($"LuuTru:Network:KnownProxies: '{proxy}' is not an IP address.")
                : o.KnownNetworks.FirstOrDefault(x => !System.Net.IPNetwork.TryParse(x, out _)) is { } network
                    ? ValidateOptionsResult.Fail($"LuuTru:Network:KnownNetworks: '{network}' is not a network (CIDR, e.g. 10.0.0.0/8).")
                    : ValidateOptionsResult.Success;
}

/// <summary>LuuTru:Kbtt: the national system (KBTT): the hub's KBTT-compatible paths and the relay that files upstream.</summary>
public sealed class KbttOptions
{
    public const string Section = "LuuTru:Kbtt";
    /// <summary>How long a refresh token of the <c>/kbtt</c> token endpoint lasts (its access token lasts
    /// LuuTru:Auth:AccessTokenLifetimeMinutes, as a sign-in's).</summary>
    public int RefreshTokenHours { get; set; } = 168;
    /// <summary>The national system's API, e.g. <c>https://api-tbltkbtt.bocongan.gov.vn</c> in production. No default: the
    /// relay files nothing until it is set.</summary>
    public string? UpstreamBaseUrl { get; set; }
    /// <summary>The fixed client credential upstream's token call wants as HTTP Basic (<c>client:secret</c>, from the
    /// ministry's document); none: no Basic header.</summary>
    public string? UpstreamClientCredential { get; set; }
    /// <summary>The second fixed credential of upstream's refresh and revoke calls.</summary>
    public string? UpstreamRefreshClientCredential { get; set; }
    /// <summary>Run the relay's worker in this process (it runs only where the upstream is set).</summary>
    public bool RelayEnabled { get; set; } = true;
    /// <summary>One request upstream may take this long; then its outcome is unknown.</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;
    /// <summary>How often the worker looks for guests to send.</summary>
    public int RelayPollMilliseconds { get; set; } = 1000;
    /// <summary>Establishments served at the same time by one process (each one request at a time).</summary>
    public int RelayConcurrency { get; set; } = 4;
    /// <summary>First wait after a failure before sending (doubling up to RelayMaxBackoffSeconds).</summary>
    public int RelayMinBackoffSeconds { get; set; } = 30;
    public int RelayMaxBackoffSeconds { get; set; } = 1800;
    /// <summary>A request sent without an answer is sent once more after this long.</summary>
    public int RelayUnknownResendSeconds { get; set; } = 120;
    /// <summary>Requests and answers kept (without secrets or tokens) this many days.</summary>
    public int ExchangeRetentionDays { get; set; } = 90;

    public bool UpstreamConfigured => !string.IsNullOrWhiteSpace(UpstreamBaseUrl);
}

internal sealed class KbttOptionsValidator : IValidateOptions<KbttOptions>
{
    public ValidateOptionsResult Validate(string? name, KbttOptions o)
    {
        if (o.RefreshTokenHours < 1) return ValidateOptionsResult.Fail("LuuTru:Kbtt:RefreshTokenHours must be at least 1.");
        if (o.UpstreamConfigured && (!Uri.TryCreate(o.UpstreamBaseUrl, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            return ValidateOptionsResult.Fail($"LuuTru:Kbtt:UpstreamBaseUrl: '{o.UpstreamBaseUrl}' is not an http(s) URL.");
        if (o.RequestTimeoutSeconds < 1 || o.RelayPollMilliseconds < 50 || o.RelayConcurrency < 1 || o.RelayMinBackoffSeconds < 1
            || o.RelayMaxBackoffSeconds < o.RelayMinBackoffSeconds || o.RelayUnknownResendSeconds < 1 || o.ExchangeRetentionDays < 1)
            return ValidateOptionsResult.Fail("LuuTru:Kbtt: RequestTimeoutSeconds, RelayConcurrency, RelayMinBackoffSeconds, RelayUnknownResendSeconds and " +
                "ExchangeRetentionDays must be at least 1, RelayPollMilliseconds at least 50, RelayMaxBackoffSeconds at least RelayMinBackoffSeconds.");
        foreach (var (setting, value) in new[] { ("UpstreamClientCredential", o.UpstreamClientCredential), ("UpstreamRefreshClientCredential", o.UpstreamRefreshClientCredential) })
            if (!string.IsNullOrEmpty(value) && !value.Contains(':'))
                return ValidateOptionsResult.Fail($"LuuTru:Kbtt:{setting} must be client:secret.");
        return ValidateOptionsResult.Success;
    }
}

public static class OptionsRegistration
{
    /// <summary>Binds every section, registers its validator and validates all of them when the host starts.</summary>
    public static IServiceCollection AddLuuTruOptions(this IServiceCollection services)
    {
        Add<DatabaseOptions, DatabaseOptionsValidator>(services, DatabaseOptions.Section);
        Add<RedisOptions, RedisOptionsValidator>(services, RedisOptions.Section);
        Add<AuthOptions, AuthOptionsValidator>(services, AuthOptions.Section);
        Add<BootstrapOptions, BootstrapOptionsValidator>(services, BootstrapOptions.Section);
        Add<DemoOptions, DemoOptionsValidator>(services, DemoOptions.Section);
        Add<IntakeOptions, IntakeOptionsValidator>(services, IntakeOptions.Section);
        Add<HouseholdOptions, HouseholdOptionsValidator>(services, HouseholdOptions.Section);
        Add<RetentionOptions, RetentionOptionsValidator>(services, RetentionOptions.Section);
        Add<Reports.ReportOptions, ReportOptionsValidator>(services, Reports.ReportOptions.Section);
        Add<NetworkOptions, NetworkOptionsValidator>(services, NetworkOptions.Section);
        Add<KbttOptions, KbttOptionsValidator>(services, KbttOptions.Section);
        Add<MetricsOptions, MetricsOptionsValidator>(services, MetricsOptions.Section);
        services.AddOptions<ProcessRolesCheck.Marker>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProcessRolesCheck.Marker>, ProcessRolesCheck>();
        services.AddOptions<BenchmarkOptions>().BindConfiguration(BenchmarkOptions.Section);
        return services;
    }

    private static void Add<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}

/// <summary>Secrets that must not be left as shipped: a placeholder from an example file (<c>CHANGE-ME…</c>) or a key with
/// too few different characters to be random.</summary>
public static class Secrets
{
    private static readonly string[] Placeholders = ["change-me", "changeme", "change_me", "replace-me", "replaceme", "your-secret", "placeholder", "example"];

    /// <summary>Why the value is no secret ("is a placeholder…"), or null when it may be one.</summary>
    public static string? WeakReason(string value, int minDistinct)
    {
        var lower = value.ToLowerInvariant();
        if (Placeholders.FirstOrDefault(lower.Contains) is { } p) return $"is a placeholder (contains \"{p}\")";
        if (value.Distinct().Count() < minDistinct) return $"has fewer than {minDistinct} different characters: it is not random";
        return null;
    }
}
