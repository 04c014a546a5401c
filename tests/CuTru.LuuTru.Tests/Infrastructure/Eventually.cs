namespace CuTru.LuuTru.Tests.Infrastructure;

/// <summary>Polling for what happens in the background (the drain, the scheduler, a browser), bounded in time. The
/// one loop every test uses: asks, checks, waits a little, asks again; returns the last answer, so the test asserts on
/// what was really seen (a timeout then fails the assertion with the real value, not a vague "timed out").</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, int intervalMs = 50)
    {
        var until = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > until) return value;
            await Task.Delay(intervalMs);
        }
    }

    /// <summary>Until a count reaches at least <paramref name="atLeast"/>.</summary>
    public static Task<int> CountAsync(Func<Task<int>> count, int atLeast = 1, TimeSpan? timeout = null) =>
        UntilAsync(count, n => n >= atLeast, timeout);
}
