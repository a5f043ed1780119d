using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegalRag.Ingestion.Sources.Transport;

/// <summary>
/// Downloads from publishers' servers over one <see cref="HttpClient"/>: conditional requests (a 304 leaves the
/// destination alone), streaming to "&lt;destination&gt;.partial" (DILA dumps exceed 1 GB, so a body is never held in
/// memory), resume of a broken download with Range + If-Range, a SHA-256 check before the destination is replaced in one
/// step, a polite per-host rate limit, Retry-After, bounded retries with backoff, and the environment's or an explicit
/// proxy. A body cut off mid-transfer is resumed within the same call while attempts remain; when they run out the
/// partial download is kept and the next call resumes it.
/// </summary>
public sealed partial class HttpSourceTransport : ISourceTransport, IDisposable
{
    // Large enough that a loopback or LAN transfer is not bounded by per-read overhead, small enough to stay off the
    // large object heap's churn (the buffer is pooled).
    private const int BufferSize = 128 * 1024;

    private readonly HttpClient _client;
    private readonly SourceTransportOptions _options;
    private readonly HostRateLimiter _rateLimiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public HttpSourceTransport(SourceTransportOptions? options = null, ILogger<HttpSourceTransport>? logger = null, TimeProvider? time = null)
    {
        _options = (options ?? new SourceTransportOptions()).Validated();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _rateLimiter = new HostRateLimiter(_options.RequestsPerHostInterval, _time);
        var handler = new SocketsHttpHandler
        {
            // Bytes as the publisher stores them: a transparently decompressed body would make Range offsets, the
            // announced length and the publisher's checksum refer to different bytes than the ones written.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.ConnectTimeout,
            // Long-running updates pick up DNS changes of the publisher's host.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            UseProxy = true,
        };
        // Without an explicit proxy, Proxy stays null, so the handler uses HttpClient.DefaultProxy: HTTPS_PROXY,
        // HTTP_PROXY, ALL_PROXY and NO_PROXY from the environment (and the system's settings). Do not replace it.
        if (_options.Proxy is { } proxy) handler.Proxy = CreateProxy(proxy);
        // Timeouts are per attempt and per read (see Timeout), never for a whole download.
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", _options.UserAgent);
    }

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Url.IsAbsoluteUri || request.Url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{request.Url}' is not an absolute http or https URL", nameof(request));
        var destination = Path.GetFullPath(request.DestinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = new PartialDownload(destination);
        var host = request.Url.Authority;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(request, destination, partial, cancellationToken).ConfigureAwait(false);
            }
            catch (AttemptFailedException failure)
            {
                var allowed = failure.Kind switch
                {
                    FailureKind.Permanent => 1,
                    // A host that cannot be reached at all rarely comes back within seconds: one more try, then a
                    // quick, clear answer instead of a long series of retries.
                    FailureKind.Unreachable => Math.Min(2, _options.MaxAttempts),
                    _ => _options.MaxAttempts,
                };
                var delay = failure.RetryAfter ?? Backoff(attempt);
                if (failure.RetryAfter > _options.MaxRetryAfter)
                {
                    allowed = attempt;
                    failure = new AttemptFailedException(failure.Kind, $"{failure.Reason}, and asks to retry after {failure.RetryAfter.Value.TotalSeconds:0} s (more than the {_options.MaxRetryAfter.TotalSeconds:0} s waited at most)", failure.RetryAfter);
                }
                if (attempt >= allowed) throw Final(request, destination, partial, failure, attempt);
                LogRetrying(request.Url, attempt, allowed, failure.Reason, delay);
                _rateLimiter.Defer(host, delay);
            }
        }
    }

    private async Task<DownloadResult> AttemptAsync(DownloadRequest request, string destination, PartialDownload partial, CancellationToken cancellationToken)
    {
        await _rateLimiter.WaitTurnAsync(request.Url.Authority, cancellationToken).ConfigureAwait(false);
        using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptCancellation.CancelAfter(_options.Timeout);
        var (resumeFrom, resumeValidator) = partial.Resumable();
        using var message = CreateMessage(request, resumeFrom, resumeValidator);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptCancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw attemptCancellation.IsCancellationRequested
                ? new AttemptFailedException(FailureKind.Transient, $"no answer within {Seconds(_options.Timeout)}")
                : new AttemptFailedException(FailureKind.Unreachable, $"no connection within {Seconds(_options.ConnectTimeout)}");
        }
        catch (HttpRequestException e)
        {
            throw Classify(e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var etag = response.Headers.ETag?.ToString();
            var lastModified = response.Content.Headers.LastModified;
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                // The destination holds the current bytes; a partial beside it is of another version.
                partial.Delete();
                return new DownloadResult(true, etag ?? request.ETag, lastModified ?? request.LastModified, null, 0);
            }
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && resumeFrom > 0)
            {
                partial.Delete();
                throw new AttemptFailedException(FailureKind.Transient, $"the server cannot resume at byte {resumeFrom} (HTTP 416); starting over");
            }
            if (!response.IsSuccessStatusCode)
            {
                var reason = $"HTTP {status} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
                var transient = status is 408 or 429 || status >= 500;
                throw new AttemptFailedException(transient ? FailureKind.Transient : FailureKind.Permanent, reason, transient ? RetryAfter(response) : null);
            }

            long start = 0;
            long? total = response.Content.Headers.ContentLength;
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = response.Content.Headers.ContentRange;
                if (resumeFrom == 0 || range is not { From: { } from } || from != resumeFrom)
                {
                    partial.Delete();
                    throw new AttemptFailedException(FailureKind.Transient, $"the server sent a range ({range}) that does not continue the {resumeFrom} bytes on disk; starting over");
                }
                start = resumeFrom;
                total = range.Length;
                LogResuming(request.Url, resumeFrom);
            }
            else if (resumeFrom > 0)
            {
                // If-Range did not match (the resource changed since the first bytes) or the server ignores ranges.
                LogRestarting(request.Url, resumeFrom);
            }
            if (start == 0) partial.Begin(ResumeValidator(etag, lastModified));

            var (length, sha) = await ReceiveAsync(response, partial, start, total, request, attemptCancellation, cancellationToken).ConfigureAwait(false);
            if (request.ExpectedSha256 is { } expected && !string.Equals(expected.Trim(), sha, StringComparison.OrdinalIgnoreCase))
            {
                partial.Delete();
                throw new SourceContentException($"{request.Url}: SHA-256 of the download is {sha}, not the expected {expected.Trim()}; the download was discarded and {destination} was not changed");
            }
            partial.Complete(destination);
            return new DownloadResult(false, etag, lastModified, sha, length);
        }
    }

    /// <summary>Streams the body to the partial file (appending from <paramref name="start"/>) and hashes the whole
    /// file on the way. Returns the file's final length and SHA-256.</summary>
    private async Task<(long Length, string Sha256)> ReceiveAsync(HttpResponseMessage response, PartialDownload partial, long start, long? total,
        DownloadRequest request, CancellationTokenSource attemptCancellation, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var written = start;
        try
        {
            await using var file = new FileStream(partial.Path, start > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.None,
                bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (start > 0)
            {
                await HashPrefixAsync(file, start, hash, buffer, cancellationToken).ConfigureAwait(false);
                file.Position = start;
                file.SetLength(start);
            }
            request.Progress?.Report(written);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(attemptCancellation.Token).ConfigureAwait(false);
                while (true)
                {
                    // The timeout bounds each read, not the whole transfer: only a stalled body fails.
                    attemptCancellation.CancelAfter(_options.Timeout);
                    var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), attemptCancellation.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    written += read;
                    request.Progress?.Report(written);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AttemptFailedException(FailureKind.Cut, $"the body stalled for {Seconds(_options.Timeout)} after {Describe(written, total)}");
            }
            catch (IOException e)
            {
                throw new AttemptFailedException(FailureKind.Cut, $"the body ended after {Describe(written, total)} ({Innermost(e).Message})");
            }
            catch (HttpRequestException e)
            {
                throw new AttemptFailedException(FailureKind.Cut, $"the body ended after {Describe(written, total)} ({Innermost(e).Message})");
            }
            if (total is { } announced && written != announced)
                throw new AttemptFailedException(FailureKind.Cut, $"the body ended after {Describe(written, total)}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (written, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task HashPrefixAsync(FileStream file, long length, IncrementalHash hash, byte[] buffer, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var remaining = length;
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0) throw new IOException($"{file.Name} is shorter than the {length} bytes it had a moment ago");
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
    }

    private static HttpRequestMessage CreateMessage(DownloadRequest request, long resumeFrom, string? resumeValidator)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
        if (request.Headers is { } headers)
            foreach (var (name, value) in headers)
                if (!message.Headers.TryAddWithoutValidation(name, value))
                    throw new ArgumentException($"header '{name}' cannot be sent with a download request of {request.Url}", nameof(request));
        if (request.ETag is { Length: > 0 } etag) message.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (request.LastModified is { } since) message.Headers.IfModifiedSince = since;
        if (resumeFrom > 0)
        {
            message.Headers.Range = new RangeHeaderValue(resumeFrom, null);
            message.Headers.TryAddWithoutValidation("If-Range", resumeValidator);
        }
        return message;
    }

    /// <summary>What If-Range may carry for a later resume: a strong ETag, else the Last-Modified date; a weak ETag
    /// is not allowed there.</summary>
    private static string? ResumeValidator(string? etag, DateTimeOffset? lastModified) =>
        etag is { Length: > 0 } && !etag.StartsWith("W/", StringComparison.Ordinal) ? etag
        : lastModified?.ToString("R", CultureInfo.InvariantCulture);

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private TimeSpan Backoff(int attempt) => _options.RetryDelay * Math.Pow(2, attempt - 1);

    private static AttemptFailedException Classify(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => new AttemptFailedException(FailureKind.Unreachable, $"the name does not resolve ({Innermost(e).Message})"),
        HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.SecureConnectionError
            => new AttemptFailedException(FailureKind.Unreachable, Innermost(e).Message),
        _ => new AttemptFailedException(FailureKind.Transient, Innermost(e).Message),
    };

    private static Exception Final(DownloadRequest request, string destination, PartialDownload partial, AttemptFailedException failure, int attempts)
    {
        var after = attempts > 1 ? $" (after {attempts} attempts)" : "";
        return failure.Kind switch
        {
            FailureKind.Unreachable => new SourceUnavailableException($"cannot reach {request.Url.Host}: {failure.Reason}{after} ({request.Url})", failure),
            FailureKind.Cut => new SourceContentException($"{request.Url}: {failure.Reason}{after}; the bytes received are kept in {partial.Path} and the next download resumes from there; {destination} was not changed", failure),
            _ => new SourceUnavailableException($"{request.Url}: {failure.Reason}{after}", failure),
        };
    }

    private static WebProxy CreateProxy(Uri proxy)
    {
        if (proxy.UserInfo.Length == 0) return new WebProxy(proxy);
        // Credentials in the URL (http://user:password@proxy:3128) are sent to the proxy, never with the URL.
        var parts = proxy.UserInfo.Split(':', 2);
        var bare = new UriBuilder(proxy) { UserName = "", Password = "" }.Uri;
        return new WebProxy(bare)
        {
            Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""),
        };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    private static string Describe(long received, long? total) => total is { } t ? $"{received} of {t} bytes" : $"{received} bytes";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Url}: {Reason}; attempt {Attempt} of {Allowed} failed, retrying in {Delay}")]
    private partial void LogRetrying(Uri url, int attempt, int allowed, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Url}: resuming the partial download at byte {Offset}")]
    private partial void LogResuming(Uri url, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Url}: the resource changed since the partial download of {Offset} bytes (or the server ignores ranges); starting over")]
    private partial void LogRestarting(Uri url, long offset);

    private enum FailureKind
    {
        /// <summary>No connection at all: DNS, refused, unreachable, TLS, proxy.</summary>
        Unreachable,
        /// <summary>5xx, 408, 429, no answer in time: worth another attempt.</summary>
        Transient,
        /// <summary>A body cut off mid-transfer: the bytes so far are kept and resumed.</summary>
        Cut,
        /// <summary>404, 403, 410…: asking again will not help.</summary>
        Permanent,
    }

    /// <summary>One attempt failed; the loop in <see cref="DownloadAsync"/> decides whether to try again.</summary>
    private sealed class AttemptFailedException(FailureKind kind, string reason, TimeSpan? retryAfter = null) : Exception(reason)
    {
        public FailureKind Kind { get; } = kind;
        public string Reason { get; } = reason;
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }
}
