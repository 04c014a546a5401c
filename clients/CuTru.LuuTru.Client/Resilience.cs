using System.Net;

namespace CuTru.LuuTru.Client;

/// <summary>Gives every POST an <c>Idempotency-Key</c> (unless the caller chose one), before any retry: a retried
/// POST carries the same key, so the server answers it with the first receipt instead of storing it twice.</summary>
public sealed class IdempotencyKeyHandler : DelegatingHandler
{
    public const string HeaderName = "Idempotency-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains(HeaderName))
            request.Headers.TryAddWithoutValidation(HeaderName, Guid.NewGuid().ToString("N"));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Retries on 429, 503 and network errors with exponential backoff and jitter, honouring Retry-After
/// (capped). Only POSTs with an Idempotency-Key, and GET/PUT/DELETE, are retried: nothing can be stored twice.</summary>
public sealed class RetryHandler(int maxAttempts = 4, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null) : DelegatingHandler
{
    private readonly TimeSpan _base = baseDelay ?? TimeSpan.FromMilliseconds(250);
    private readonly TimeSpan _max = maxDelay ?? TimeSpan.FromSeconds(10);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken);
        var retryable = request.Method != HttpMethod.Post || request.Headers.Contains(IdempotencyKeyHandler.HeaderName);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (retryable && attempt < maxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt, null), cancellationToken);
                continue;
            }
            var transient = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
            if (!transient || !retryable || attempt >= maxAttempts) return response;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            await Task.Delay(Backoff(attempt, retryAfter), cancellationToken);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } r) return r < _max ? r : _max;
        var exponential = _base.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var jitter = Random.Shared.NextDouble() * _base.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(Math.Min(exponential + jitter, _max.TotalMilliseconds));
    }
}
