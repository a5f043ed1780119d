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
