namespace LegalRag.Core.Domain;

/// <summary>
/// Where and when a document's text was taken, so that every provision can be traced to its source: an
/// official URL (a connector's fetch) or a file path (a folder ingest), the publisher, when LegalRag
/// retrieved the bytes, and their SHA-256.
/// </summary>
/// <param name="Source">The URL the bytes came from, else the path of the file that was read (absolute; relative to the
/// ingested folder for documents a store kept from before provenance was recorded).</param>
/// <param name="Publisher">Who publishes the text ("Bundesministerium der Justiz", "DILA"), when a manifest or source says.</param>
/// <param name="RetrievedAt">When LegalRag read (or downloaded) these bytes, UTC.</param>
/// <param name="ContentHash">SHA-256 of the source bytes, hex.</param>
public sealed record Provenance(string Source, string? Publisher, DateTimeOffset RetrievedAt, string ContentHash)
{
    /// <summary>True when <see cref="Source"/> is a web address rather than a local file.</summary>
    public bool IsUrl => Uri.TryCreate(Source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>
/// Where a corpus's documents came from, in a few lines (an eval report records it beside the corpus snapshot hash):
/// the publishers, the origins (a web site's address, or the folder the files were read from), and the span of
/// retrieval times.
/// </summary>
/// <param name="WithProvenance">Documents that record a provenance; the rest were stored before it was recorded.</param>
public sealed record CorpusProvenance(
    string Corpus, int Documents, int WithProvenance, IReadOnlyList<string> Publishers, IReadOnlyList<string> Origins,
    DateTimeOffset? FirstRetrievedUtc, DateTimeOffset? LastRetrievedUtc)
{
    /// <summary>The summary of one corpus's document provenances (null entries: documents without one).</summary>
    public static CorpusProvenance Summarize(string corpus, IReadOnlyCollection<Provenance?> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var known = documents.OfType<Provenance>().ToList();
        var urls = known.Where(p => p.IsUrl).Select(p => new Uri(p.Source).GetLeftPart(UriPartial.Authority));
        var paths = known.Where(p => !p.IsUrl).Select(p => p.Source).ToList();
        var origins = urls.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (paths.Count > 0) origins.Add(CommonFolder(paths));
        return new CorpusProvenance(corpus, documents.Count, known.Count,
            known.Select(p => p.Publisher).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            origins,
            known.Count == 0 ? null : known.Min(p => p.RetrievedAt.ToUniversalTime()),
            known.Count == 0 ? null : known.Max(p => p.RetrievedAt.ToUniversalTime()));
    }

    /// <summary>The deepest folder (ending in '/') that holds every path; "" when they share none.</summary>
    private static string CommonFolder(IReadOnlyList<string> paths)
    {
        var first = paths[0].Replace('\\', '/');
        var length = first.LastIndexOf('/') + 1;
        foreach (var path in paths.Skip(1))
        {
            var p = path.Replace('\\', '/');
            var n = 0;
            while (n < length && n < p.Length && p[n] == first[n]) n++;
            length = first.LastIndexOf('/', Math.Max(0, n - 1)) + 1;
            if (length == 0) break;
        }
        return first[..length];
    }
}
