using LegalRag.Core.Domain;
using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace LegalRag.Ingestion.Sources.Transport;

/// <summary>
/// Reads a publisher's files from a folder carried into an air-gapped network (<c>--from DIR</c>), laid out like the
/// publisher's paths: DIR/&lt;host&gt;/&lt;path&gt; (as <c>wget -m</c> writes a mirror) or DIR/&lt;path&gt;. A URL ending in
/// "/" is the folder's index.html, or, when there is none, a simple HTML listing of the folder made on the spot (what a
/// publisher's directory page, such as DILA's, would show). The ETag is the content's SHA-256 ("sha256:&lt;hex&gt;"), so
/// an unchanged file is "not modified" and <c>corpus update --from DIR</c> re-ingests only what changed. A SHA256SUMS
/// file (sha256sum's format) in the file's folder or above it is checked when it lists the file.
/// </summary>
public sealed class FolderSourceTransport : ISourceTransport
{
    public const string ChecksumFileName = "SHA256SUMS";
    private const string ETagPrefix = "sha256:";
    private const int BufferSize = 128 * 1024;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly Dictionary<string, (DateTime Written, long Length, IReadOnlyDictionary<string, string> Sums)> _checksumLists = new(StringComparer.Ordinal);
    private readonly Lock _checksumListsLock = new();

    public FolderSourceTransport(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>The folder read from.</summary>
    public string Root { get; }

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(Root)) throw new SourceUnavailableException($"the folder {Root} does not exist (for {request.Url})");
        var destination = Path.GetFullPath(request.DestinationPath);
        var found = Locate(request.Url);
        return found.File is { } file
            ? await CopyFileAsync(request, file, destination, cancellationToken).ConfigureAwait(false)
            : await WriteListingAsync(request, found.ListedFolder!, destination, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DownloadResult> CopyFileAsync(DownloadRequest request, string file, string destination, CancellationToken cancellationToken)
    {
        var sha = await HashAsync(file, cancellationToken).ConfigureAwait(false);
        CheckListedChecksum(file, sha);
        CheckExpected(request, sha, file);
        var etag = ETagPrefix + sha;
        var lastModified = WholeSeconds(File.GetLastWriteTimeUtc(file));
        if (string.Equals(request.ETag, etag, StringComparison.OrdinalIgnoreCase)) return new DownloadResult(true, etag, lastModified, null, 0);
        var length = new FileInfo(file).Length;
        if (!string.Equals(file, destination, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var partial = destination + ".partial";
            string copied;
            try
            {
                (copied, length) = await CopyAndHashAsync(file, partial, request.Progress, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
            if (copied != sha)
            {
                File.Delete(partial);
                throw new SourceContentException($"{file} changed while it was being read (for {request.Url}); {destination} was not changed");
            }
            File.Move(partial, destination, overwrite: true);
        }
        return new DownloadResult(false, etag, lastModified, sha, length);
    }

    private async Task<DownloadResult> WriteListingAsync(DownloadRequest request, string folder, string destination, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(Listing(request.Url, folder));
        var sha = Hashing.Sha256Hex(bytes);
        CheckExpected(request, sha, folder);
        var etag = ETagPrefix + sha;
        var lastModified = WholeSeconds(Directory.GetLastWriteTimeUtc(folder));
        if (string.Equals(request.ETag, etag, StringComparison.OrdinalIgnoreCase)) return new DownloadResult(true, etag, lastModified, null, 0);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + ".partial";
        await File.WriteAllBytesAsync(partial, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(partial, destination, overwrite: true);
        request.Progress?.Report(bytes.Length);
        return new DownloadResult(false, etag, lastModified, sha, bytes.Length);
    }

    /// <summary>The file (or, for a folder without index.html, the folder to list) that stands for <paramref name="url"/>:
    /// the mirror layout (DIR/host/path) first, then the bare one (DIR/path).</summary>
    private (string? File, string? ListedFolder) Locate(Uri url)
    {
        if (!url.IsAbsoluteUri) throw new ArgumentException($"'{url}' is not an absolute URL", nameof(url));
        var segments = Segments(url);
        var isFolder = url.AbsolutePath.EndsWith('/');
        // wget keeps a query in the file name ("page?x=1"); a folder URL with a query is its index.html with the query.
        var query = url.Query.Length > 1 ? Uri.UnescapeDataString(url.Query) : "";
        string[] prefixes = url.IsDefaultPort ? [url.Host, ""] : [$"{url.Host}:{url.Port}", url.Host, ""];
        var lookedFor = new List<string>();
        foreach (var prefix in prefixes)
        {
            var basePath = Within(Path.Combine([Root, prefix, .. segments]), url);
            if (!isFolder)
            {
                if (File.Exists(basePath + query)) return (basePath + query, null);
                lookedFor.Add(basePath + query);
            }
            var index = Path.Combine(basePath, "index.html" + query);
            if (Directory.Exists(basePath))
            {
                if (File.Exists(index)) return (index, null);
                if (query.Length == 0) return (null, basePath);
            }
            if (isFolder) lookedFor.Add(index);
        }
        throw new SourceUnavailableException($"{url}: not in the folder {Root}; looked for {string.Join(", ", lookedFor)}");
    }

    private static string[] Segments(Uri url)
    {
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        foreach (var segment in segments)
            if (segment is "." or ".." || segment.IndexOfAny(['/', '\\', '\0']) >= 0)
                throw new SourceUnavailableException($"{url}: the path segment '{segment}' cannot name a file in a folder");
        return segments;
    }

    private string Within(string path, Uri url)
    {
        var full = Path.GetFullPath(path);
        if (full != Root && !full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new SourceUnavailableException($"{url}: maps outside the folder {Root}");
        return full;
    }

    /// <summary>A directory page like a web server's: one link per entry, folders with a trailing "/", sorted by name.</summary>
    private static string Listing(Uri url, string folder)
    {
        var title = WebUtility.HtmlEncode("Index of " + Uri.UnescapeDataString(url.AbsolutePath));
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title></head>\n<body><h1>")
            .Append(title).Append("</h1>\n<pre>\n<a href=\"../\">../</a>\n");
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(e => !e.Name.StartsWith('.'))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = entry is DirectoryInfo ? entry.Name + "/" : entry.Name;
            var href = Uri.EscapeDataString(entry.Name) + (entry is DirectoryInfo ? "/" : "");
            var size = entry is FileInfo file ? file.Length.ToString(CultureInfo.InvariantCulture) : "-";
            html.Append("<a href=\"").Append(href).Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a> ")
                .Append(entry.LastWriteTimeUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(' ').Append(size).Append('\n');
        }
        return html.Append("</pre></body></html>\n").ToString();
    }

    /// <summary>Checks <paramref name="file"/> against the nearest SHA256SUMS (its folder, then each folder above it up
    /// to the root) that lists it.</summary>
    private void CheckListedChecksum(string file, string sha)
    {
        for (var folder = Path.GetDirectoryName(file); folder is not null && (folder == Root || folder.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
             folder = Path.GetDirectoryName(folder))
        {
            var listPath = Path.Combine(folder, ChecksumFileName);
            if (!File.Exists(listPath)) continue;
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!ChecksumList(listPath).TryGetValue(relative, out var listed)) continue;
            if (!string.Equals(listed, sha, StringComparison.OrdinalIgnoreCase))
                throw new SourceContentException($"{file}: SHA-256 is {sha}, but {listPath} lists {listed}; the file is damaged or not the one listed");
            return;
        }
    }

    private IReadOnlyDictionary<string, string> ChecksumList(string listPath)
    {
        var info = new FileInfo(listPath);
        lock (_checksumListsLock)
        {
            if (_checksumLists.TryGetValue(listPath, out var cached) && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length) return cached.Sums;
            var sums = ParseChecksumList(listPath);
            _checksumLists[listPath] = (info.LastWriteTimeUtc, info.Length, sums);
            return sums;
        }
    }

    /// <summary>sha256sum's output: "&lt;64 hex&gt;  &lt;path&gt;" (text mode) or "&lt;64 hex&gt; *&lt;path&gt;" (binary mode), paths
    /// relative to the list's folder, possibly with a leading "./". Blank lines and "#" comments are skipped.</summary>
    internal static IReadOnlyDictionary<string, string> ParseChecksumList(string listPath)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(listPath))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.Length < 67 || line.AsSpan(0, 64).ContainsAnyExcept(HexDigits) || line[64] != ' ' || line[65] is not (' ' or '*'))
                throw new SourceContentException($"{listPath}:{lineNumber}: not a sha256sum line (\"<64 hex digits>  <file>\"): {Shorten(line)}");
            var path = line[66..].Replace('\\', '/');
            while (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
            sums[path] = line[..64].ToLowerInvariant();
        }
        return sums;
    }

    private static void CheckExpected(DownloadRequest request, string sha, string file)
    {
        if (request.ExpectedSha256 is { } expected && !string.Equals(expected.Trim(), sha, StringComparison.OrdinalIgnoreCase))
            throw new SourceContentException($"{file}: SHA-256 is {sha}, not the expected {expected.Trim()} (for {request.Url})");
    }

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(file);
        return await Hashing.Sha256HexAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(string Sha256, long Length)> CopyAndHashAsync(string source, string target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long copied = 0;
        try
        {
            await using var input = OpenRead(source);
            await using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            progress?.Report(0);
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                copied += read;
                progress?.Report(copied);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), copied);
    }

    private static FileStream OpenRead(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static DateTimeOffset WholeSeconds(DateTime utc) => new(utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.Zero);

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "…";
}
