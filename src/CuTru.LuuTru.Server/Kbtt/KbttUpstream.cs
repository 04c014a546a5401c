using System.Collections.Concurrent;
using System.Text;
using CuTru.LuuTru.Contracts;
using CuTru.LuuTru.Server.Infrastructure;
using CuTru.LuuTru.Server.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CuTru.LuuTru.Server.Kbtt;

/// <summary>The relay's sessions with the national system, one per linked establishment: logs in with the stored
/// account, refreshes 60 seconds before the token expires (one refresh at a time per establishment), logs in again when a
/// refresh fails. Tokens stay in this process's memory only.</summary>
public sealed class KbttUpstream(IKbttApi api, IDataProtectionProvider protection, IOptions<KbttOptions> options, TimeProvider clock,
    ILogger<KbttUpstream> logger)
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(60);
    private const string Purpose = "CuTru.LuuTru.Kbtt.Password";

    private sealed record Session(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<Guid, Session> _sessions = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    /// <summary>Why a login did not give a token: upstream said no (its message), or it could not be reached.</summary>
    public sealed record LoginResult(KbttTokenData? Token, string? Refusal, bool Unreachable);

    public string Protect(string password) => protection.CreateProtector(Purpose).Protect(password);
    private string Unprotect(string protectedPassword) => protection.CreateProtector(Purpose).Unprotect(protectedPassword);

    private static string? Basic(string? credential) =>
        string.IsNullOrEmpty(credential) ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential));

    /// <summary>One login upstream with an account (the link's check, and every session's start).</summary>
    public async Task<LoginResult> LoginAsync(string username, string password, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds));
            var form = new Dictionary<string, string> { ["username"] = username, ["password"] = password, ["grant-type"] = "api_cslt" };
            var answer = await api.TokenAsync(form, Basic(options.Value.UpstreamClientCredential), timeout.Token);
            if (answer.IsSuccessStatusCode && answer.Content is { Code: "200", Data: { } token }) return new LoginResult(token, null, false);
            var status = (int)(answer.StatusCode ?? 0);
            if (status is 0 or >= 500) return new LoginResult(null, null, true);
            return new LoginResult(null, answer.Content?.Message ?? $"HTTP {status}", false);
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            logger.LogWarning("KBTT login failed: {Error}", e.GetType().Name);
            return new LoginResult(null, null, true);
        }
    }

    /// <summary>A token for the establishment's account, fresh for at least a minute; null with the reason when there is
    /// none to be had (not linked, refused, unreachable).</summary>
    public async Task<(string? Token, LoginResult? Failure)> TokenAsync(Guid establishmentId, LuuTruDb db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_sessions.TryGetValue(establishmentId, out var s) && s.ExpiresAt - RefreshBefore > now) return (s.AccessToken, null);
        var gate = _locks.GetOrAdd(establishmentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            now = clock.GetUtcNow();
            if (_sessions.TryGetValue(establishmentId, out s) && s.ExpiresAt - RefreshBefore > now) return (s.AccessToken, null);
            if (s is not null)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds));
                    var refreshed = await api.RefreshAsync(s.RefreshToken, Basic(options.Value.UpstreamRefreshClientCredential), timeout.Token);
                    if (refreshed.IsSuccessStatusCode && refreshed.Content is { Code: "200", Data: { } t })
                        return (Remember(establishmentId, t).AccessToken, null);
                }
                catch (Exception e) when (Unreachable(e, ct)) { }
                _sessions.TryRemove(establishmentId, out _); // the refresh failed: log in again
            }
            var link = await db.KbttLinks.FirstOrDefaultAsync(l => l.EstablishmentId == establishmentId, ct);
            if (link is null) return (null, new LoginResult(null, "not linked", false));
            var login = await LoginAsync(link.Username, Unprotect(link.ProtectedPassword), ct);
            if (login.Token is { } token)
            {
                link.LastLoginAt = clock.GetUtcNow();
                link.LastError = null;
                await db.SaveChangesAsync(ct);
                return (Remember(establishmentId, token).AccessToken, null);
            }
            if (login.Refusal is not null)
            {
                link.LastError = login.Refusal.Length > 500 ? login.Refusal[..500] : login.Refusal;
                link.LastErrorAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
            }
            return (null, login);
        }
        finally { gate.Release(); }
    }

    /// <summary>A failure of the way there or back (refused connection, timeout, an answer that is not KBTT's), not of
    /// this process being stopped.</summary>
    public static bool Unreachable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or System.Text.Json.JsonException or Refit.ApiException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>Upstream refused the token (401): forget it, the next call logs in again.</summary>
    public void Forget(Guid establishmentId) => _sessions.TryRemove(establishmentId, out _);

    private Session Remember(Guid establishmentId, KbttTokenData t)
    {
        var session = new Session(t.AccessToken, t.RefreshToken, DateTimeOffset.FromUnixTimeSeconds(t.Exp));
        _sessions[establishmentId] = session;
        return session;
    }
}
