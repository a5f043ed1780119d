using System.Security.Cryptography;
using LegalRag.Ingestion.Sources;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>
/// A hand-written transport for connector unit tests: serves byte arrays by absolute URL, with an ETag per body so
/// conditional requests can be exercised; an unknown URL is unavailable, as a 404 would be. Records every request.
/// </summary>
internal sealed class InMemoryTransport : ISourceTransport
{
    private readonly Dictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);
    public List<DownloadRequest> Requests { get; } = [];

    public InMemoryTransport Serve(string url, byte[] body)
    {
        _bodies[url] = body;
        return this;
    }

    public InMemoryTransport Serve(string url, string body) => Serve(url, System.Text.Encoding.UTF8.GetBytes(body));

    public Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add(request);
        if (!_bodies.TryGetValue(request.Url.AbsoluteUri, out var body))
            throw new SourceUnavailableException($"{request.Url}: 404 Not Found");
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var etag = $"\"{sha[..16]}\"";
        if (request.ETag == etag) return Task.FromResult(new DownloadResult(true, etag, null, null, 0));
        if (request.ExpectedSha256 is { } expected && !string.Equals(expected, sha, StringComparison.OrdinalIgnoreCase))
            throw new SourceContentException($"{request.Url}: SHA-256 {sha} is not the expected {expected}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.DestinationPath))!);
        File.WriteAllBytes(request.DestinationPath, body);
        return Task.FromResult(new DownloadResult(false, etag, null, sha, body.Length));
    }
}
