using System.Globalization;
using System.Threading.RateLimiting;
using LegalRag.Server.Configuration;

namespace LegalRag.Server.Security;

/// <summary>
/// The server-wide bound on expensive work (searches and answers, whoever asks): at most
/// <see cref="LimitSettings.MaxConcurrentRequests"/> at once, then a queue of at most <see cref="LimitSettings.MaxQueuedRequests"/>
/// served oldest first, each waiting at most <see cref="LimitSettings.QueueTimeoutMs"/>. Beyond that a request is refused at
/// once (503 with Retry-After; a hub error) instead of joining a line that grows without bound: under overload the callers
/// inside the bound keep their latency and the rest learn it within milliseconds. The per-caller token bucket
/// (<see cref="CallerRateLimiter"/>) stays in front of it, so one caller cannot take every place.
/// </summary>
public sealed class ServerCapacity : IAsyncDisposable
{
    /// <summary>Seconds a refused caller should wait: the queue drains within <see cref="LimitSettings.QueueTimeoutMs"/>.</summary>
    public const int RetryAfterSeconds = 1;
    public const string BusyMessage = "The server is at capacity right now; please try again in a moment.";
    /// <summary>At most one warning per this interval while refusing, with the count since the last one: overload must not flood the log.</summary>
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _queueTimeout;
    private readonly ILogger<ServerCapacity> _logger;
    private long _refused;
    private long _refusedAtLastWarning;
    private long _lastWarningMs = long.MinValue / 2;

    public ServerCapacity(LimitSettings limits, ILogger<ServerCapacity> logger)
    {
        PermitLimit = limits.ResolvedMaxConcurrentRequests;
        QueueLimit = limits.MaxQueuedRequests;
        _queueTimeout = TimeSpan.FromMilliseconds(limits.QueueTimeoutMs);
        _logger = logger;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = PermitLimit,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int PermitLimit { get; }
    public int QueueLimit { get; }

    /// <summary>
    /// A place for one request's work, held until the lease is disposed; not acquired means refuse (the queue is full, or
    /// the wait outlasted the queue timeout). Throws only when <paramref name="cancellationToken"/> (the caller gone) fires.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        // The common case, a free place, needs no timer.
        var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_queueTimeout);
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            lease = QueueTimedOut.Lease;
        }
        if (!lease.IsAcquired) CountRefusal();
        return lease;
    }

    public CapacitySnapshot Snapshot()
    {
        var stats = _limiter.GetStatistics();
        return new CapacitySnapshot(PermitLimit, PermitLimit - (int)(stats?.CurrentAvailablePermits ?? PermitLimit), (int)(stats?.CurrentQueuedCount ?? 0),
            QueueLimit, stats?.TotalSuccessfulLeases ?? 0, Interlocked.Read(ref _refused));
    }

    private void CountRefusal()
    {
        var refused = Interlocked.Increment(ref _refused);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarningMs);
        if (now - last < WarningInterval.TotalMilliseconds || Interlocked.CompareExchange(ref _lastWarningMs, now, last) != last) return;
        var since = refused - Interlocked.Exchange(ref _refusedAtLastWarning, refused);
        _logger.AtCapacity(since, PermitLimit, QueueLimit, (int)_queueTimeout.TotalMilliseconds);
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();

    /// <summary>A refusal after waiting the whole queue timeout (the limiter's own refusals cover a full queue).</summary>
    private sealed class QueueTimedOut : RateLimitLease
    {
        public static readonly RateLimitLease Lease = new QueueTimedOut();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>How full the server is: places in use of the limit, waiting of the queue limit, served and refused since start.</summary>
public sealed record CapacitySnapshot(int Limit, int InFlight, int Queued, int QueueLimit, long Served, long Refused);

/// <summary>Marks an endpoint whose work takes a place of <see cref="ServerCapacity"/> (search, ask, MCP tools).</summary>
public sealed class ServerCapacityMetadata;

public static class ServerCapacityExtensions
{
    public static IServiceCollection AddLegalRagCapacity(this IServiceCollection services, LimitSettings limits)
    {
        services.AddSingleton(sp => new ServerCapacity(limits, sp.GetRequiredService<ILogger<ServerCapacity>>()));
        return services;
    }

    /// <summary>The endpoint's work counts against the server-wide capacity.</summary>
    public static TBuilder WithServerCapacity<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new ServerCapacityMetadata()));
        return builder;
    }

    /// <summary>
    /// Holds a place for the marked endpoints (after authorization: refused callers never take one); anything unmarked —
    /// /health, /ready, provisions, the UI's files — passes untouched, so probes answer even when the server is full.
    /// </summary>
    public static IApplicationBuilder UseServerCapacity(this IApplicationBuilder app)
    {
        var capacity = app.ApplicationServices.GetRequiredService<ServerCapacity>();
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ServerCapacityMetadata>() is null)
            {
                await next(context);
                return;
            }
            using var place = await capacity.AcquireAsync(context.RequestAborted);
            if (!place.IsAcquired)
            {
                context.Response.Headers.RetryAfter = ServerCapacity.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(detail: ServerCapacity.BusyMessage, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }
}
