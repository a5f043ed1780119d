using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Sources;

/// <summary>
/// A connector to one official publisher (de-gii, nl-bwb, fr-legi, eu-eurlex, ee-rt): it lists what the publisher
/// offers and turns one downloaded item into the files the parsers read. Downloading, conditional requests, resume,
/// state and ingestion belong to <see cref="SourceFetcher"/>; a connector knows only its publisher's layout.
/// </summary>
public interface ICorpusSource
{
    /// <summary>The source's name, as in <c>legalrag corpus fetch &lt;name&gt;</c> and a manifest's <c>fetch.connector</c>.</summary>
    string Name { get; }

    /// <summary>What the publisher offers now, for the manifest's selection. Downloads the publisher's index through
    /// <see cref="SourceContext.Transport"/> where it has one; throws <see cref="SourceUnavailableException"/> when the
    /// index cannot be had (nothing may change then) and <see cref="SourceContentException"/> when it is not readable.</summary>
    Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken);

    /// <summary>Turns one downloaded item (the bytes at <paramref name="downloadPath"/>) into the files to ingest.
    /// Throws <see cref="SourceContentException"/> naming the item and the reason when the download is not usable
    /// (a truncated zip, an archive entry escaping its folder, a checksum mismatch).</summary>
    Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken);
}

/// <summary>One thing a publisher offers: an act (de-gii's per-act <c>xml.zip</c>, a BWB toestand, a CELEX document)
/// or a dump (a DILA archive holding many acts).</summary>
/// <param name="Key">Stable id within the source: the GII slug ("bgb"), the BWB id, the CELEX number, the dump's file name.
/// Files and fetch state are kept under it.</param>
/// <param name="Url">Where the item is downloaded from.</param>
/// <param name="Title">A human name for progress and change reports.</param>
/// <param name="IsAct">True when the item is one act: an act that disappears from the listing is closed (not deleted).
/// False for dumps: old dumps vanish from a server without anything being repealed.</param>
/// <param name="Immutable">True when the bytes behind <paramref name="Url"/> never change once published (a dated dump):
/// once applied, it is not requested again.</param>
/// <param name="Sha256">The checksum the publisher states for the bytes, when it states one; a download that does not match is refused.</param>
/// <param name="Headers">Extra request headers (e.g. EUR-Lex's Accept for Formex).</param>
public sealed record SourceItem(
    string Key,
    Uri Url,
    string? Title = null,
    bool IsAct = true,
    bool Immutable = false,
    string? Sha256 = null,
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A file a connector produced, relative to the corpus's file folder ('/'-separated, no "..").</summary>
public sealed record UnpackedFile(string RelativePath, byte[] Content);

/// <summary>What unpacking one item gave.</summary>
/// <param name="Files">Files to write (and ingest). For an act item, these replace the item's earlier files.</param>
/// <param name="Removed">Relative paths the item says are gone (a dump's deletion list): their documents are closed.</param>
public sealed record UnpackedItem(IReadOnlyList<UnpackedFile> Files, IReadOnlyList<string> Removed)
{
    public static UnpackedItem Of(IReadOnlyList<UnpackedFile> files) => new(files, []);
}

/// <summary>What a connector may use: the transport, the manifest's settings, a scratch folder and the input limits.</summary>
public sealed record SourceContext(ISourceTransport Transport, SourceSettings Settings, string WorkDirectory, IngestionLimits Limits)
{
    /// <summary>Downloads a publisher's index, listing or metadata into the work folder, always afresh (it says what
    /// exists now), and returns the file's path. <paramref name="fileName"/> is relative to the work folder.</summary>
    public async Task<string> DownloadToWorkAsync(Uri url, string fileName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(WorkDirectory, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Transport.DownloadAsync(new DownloadRequest(url, path), cancellationToken).ConfigureAwait(false);
        return path;
    }
}

/// <summary>A manifest's <c>fetch</c> section: where the publisher is and what to take from it.</summary>
/// <param name="BaseUrl">The publisher's address ("https://www.gesetze-im-internet.de/"). Connectors build every URL
/// from it, keeping the official paths, so a mirror or the test replay server can stand in for it.</param>
/// <param name="Items">The acts to take (BWB ids, CELEX numbers, LEGITEXT ids, RT ids); empty = everything the index lists.</param>
/// <param name="Options">Connector-specific settings, documented by each connector.</param>
public sealed record SourceSettings(Uri BaseUrl, IReadOnlyList<string> Items, IReadOnlyDictionary<string, string> Options)
{
    public string? Option(string name) => Options.TryGetValue(name, out var value) ? value : null;

    /// <summary>An address under <see cref="BaseUrl"/>; <paramref name="path"/> is the official path ("bgb/xml.zip").</summary>
    public Uri Resolve(string path) => new(BaseUrl, path.TrimStart('/'));
}
