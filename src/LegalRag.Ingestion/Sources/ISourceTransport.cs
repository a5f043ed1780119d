namespace LegalRag.Ingestion.Sources;

/// <summary>
/// Gets bytes from a publisher: over HTTP (conditional requests, resume, rate limit, proxy) or, for air-gapped
/// networks, from a folder of already-downloaded files laid out like the publisher's paths.
/// </summary>
public interface ISourceTransport
{
    /// <summary>
    /// Downloads <see cref="DownloadRequest.Url"/> to <see cref="DownloadRequest.DestinationPath"/>. The destination is
    /// replaced only by a complete download; a broken one is kept beside it as "&lt;destination&gt;.partial" and resumed
    /// next time. With validators, a server that says "not modified" leaves the destination as it was.
    /// Throws <see cref="SourceUnavailableException"/> (no network, timeout, 5xx, 404) and
    /// <see cref="SourceContentException"/> (checksum mismatch, body shorter than announced).
    /// </summary>
    Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken);
}

/// <param name="ETag">The validator from the last download, sent as If-None-Match.</param>
/// <param name="LastModified">The Last-Modified from the last download, sent as If-Modified-Since.</param>
/// <param name="ExpectedSha256">Refuse the download unless its SHA-256 (hex) is this.</param>
/// <param name="Progress">Bytes received so far, for a progress bar.</param>
public sealed record DownloadRequest(
    Uri Url,
    string DestinationPath,
    string? ETag = null,
    DateTimeOffset? LastModified = null,
    string? ExpectedSha256 = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    IProgress<long>? Progress = null);

/// <param name="NotModified">The server (or folder) says the bytes are those of the last download; nothing was written.</param>
/// <param name="Sha256">SHA-256 (hex) of the downloaded bytes; null when not modified.</param>
/// <param name="Bytes">Size of the downloaded file; 0 when not modified.</param>
public sealed record DownloadResult(bool NotModified, string? ETag, DateTimeOffset? LastModified, string? Sha256, long Bytes);

/// <summary>The publisher cannot be reached or refuses (no network, DNS, timeout, HTTP 5xx/404): nothing is changed.</summary>
public sealed class SourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The publisher answered, but with bytes that cannot be used (truncated, wrong checksum, not the expected format).</summary>
public sealed class SourceContentException(string message, Exception? inner = null) : Exception(message, inner);
