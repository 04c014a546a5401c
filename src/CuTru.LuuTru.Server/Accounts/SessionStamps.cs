using CuTru.LuuTru.Server.Storage;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace CuTru.LuuTru.Server.Accounts;

/// <summary>Ends tokens before they expire. Every token carries its person's security stamp; a request with a token whose
/// stamp is no longer the person's (signed out, password changed or reset, account disabled) is refused as unsigned.
/// The stamp is read from PostgreSQL at most every <c>LuuTru:Auth:SessionStampCacheSeconds</c> per person and process, and
/// forgotten at once by the process that changes it: another process refuses the old token within that time.</summary>
public sealed class SessionStamps(NpgsqlDataSource data, IMemoryCache cache, Microsoft.Extensions.Options.IOptions<Infrastructure.AuthOptions> options,
    ILogger<SessionStamps> logger)
{    private const string Disabled = "\0disabled"; // no token carries it

    public static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>Whether a token of <paramref name="user"/> issued with <paramref name="stamp"/> still holds. PostgreSQL
    /// unreachable and nothing cached: the token holds (it is signed and not expired; the intake keeps working on Redis).</summary>
    public async ValueTask<bool> IsCurrentAsync(Guid user, string stamp, CancellationToken ct)
    {
        if (!cache.TryGetValue((nameof(SessionStamps), user), out string? current))
        {
            try
            {
                await using var cmd = data.CreateCommand("select case when disabled_at is null then security_stamp end from users where id = @id");
                cmd.Parameters.AddWithValue("id", user);
                current = await cmd.ExecuteScalarAsync(ct) as string ?? Disabled;
            }
            catch (Exception e) when (Infrastructure.Transient.Is(e))
            {
                logger.LogWarning("Session stamp not checked: PostgreSQL unavailable");
                return true;
            }
            cache.Set((nameof(SessionStamps), user), current, TimeSpan.FromSeconds(options.Value.SessionStampCacheSeconds));
        }
        return current == stamp;
    }

    /// <summary>Gives the person a new stamp (saved with the caller's next SaveChanges): every token issued before ends.</summary>
    public static void EndSessions(User user) => user.SecurityStamp = NewStamp();

    /// <summary>Raised by <see cref="Forget"/>: the person's sessions ended (the live connections close on it).</summary>
    public event Action<Guid>? Ended;

    /// <summary>After the change is saved: this process stops trusting its cached stamp at once, and says so.</summary>
    public void Forget(Guid user)
    {
        cache.Remove((nameof(SessionStamps), user));
        Ended?.Invoke(user);
    }
}
