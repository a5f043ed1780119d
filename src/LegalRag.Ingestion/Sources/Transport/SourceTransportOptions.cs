namespace LegalRag.Ingestion.Sources.Transport;

/// <summary>
/// How <see cref="HttpSourceTransport"/> treats publishers' servers. Bound from configuration
/// (<c>LegalRag:Sources:…</c>) by the CLI; the defaults suit the official servers.
/// </summary>
public sealed record SourceTransportOptions
{
    /// <summary>At most one request to the same host per this interval (retries included): public servers are shared
    /// with everyone else, and several of them throttle or block clients that hammer them.</summary>
    public TimeSpan RequestsPerHostInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long to wait for a server's answer, and then for each further piece of its body. Not a limit on a
    /// whole download: a DILA dump of over 1 GB takes minutes, and only a stalled transfer should fail.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for a TCP connection (a black-holed address would otherwise hang for minutes).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts per download for transient failures (5xx, 429, timeouts, a body cut off mid-transfer).
    /// A server that cannot be reached at all (DNS, connection refused) gets at most two.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first pause between attempts; it doubles after each failure. A server's Retry-After replaces it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After honoured; a server asking for longer is reported unavailable at once rather than
    /// leaving the command waiting silently.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>An explicit proxy ("http://user:password@proxy:3128"). When null, the environment's HTTPS_PROXY,
    /// HTTP_PROXY, ALL_PROXY and NO_PROXY (and the system's settings) apply, as .NET does by default.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>Sent with every request, so a publisher's operators can see who is downloading.</summary>
    public string UserAgent { get; init; } = "LegalRag/1.0 (official legal corpus fetcher)";

    /// <summary>These options, or an exception naming the setting that is out of range.</summary>
    public SourceTransportOptions Validated()
    {
        if (RequestsPerHostInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RequestsPerHostInterval), RequestsPerHostInterval, "must not be negative");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "must be positive");
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "must be at least 1");
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "must not be negative");
        if (MaxRetryAfter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxRetryAfter), MaxRetryAfter, "must not be negative");
        if (Proxy is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https" or "socks4" or "socks4a" or "socks5") })
            throw new ArgumentException($"proxy '{Proxy}' is not an absolute http, https or socks URL", nameof(Proxy));
        if (string.IsNullOrWhiteSpace(UserAgent)) throw new ArgumentException("must not be empty", nameof(UserAgent));
        return this;
    }
}
