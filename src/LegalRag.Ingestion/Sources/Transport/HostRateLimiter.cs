namespace LegalRag.Ingestion.Sources.Transport;

/// <summary>
/// Spaces requests to one host at least an interval apart, across concurrent downloads: each request reserves the next
/// free slot, then waits for it. A server's Retry-After (or a backoff) pushes the host's next slot later.
/// </summary>
internal sealed class HostRateLimiter(TimeSpan interval, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _nextSlot = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public Task WaitTurnAsync(string host, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var slot = _nextSlot.TryGetValue(host, out var next) && next > now ? next : now;
            _nextSlot[host] = slot + interval;
            wait = slot - now;
        }
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>No request to <paramref name="host"/> before <paramref name="delay"/> from now.</summary>
    public void Defer(string host, TimeSpan delay)
    {
        lock (_lock)
        {
            var until = time.GetUtcNow() + delay;
            if (!_nextSlot.TryGetValue(host, out var next) || next < until) _nextSlot[host] = until;
        }
    }
}
