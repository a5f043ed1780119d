using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Core.Abstractions;

/// <summary>A chunk found by an index, with that index's own score (higher is better).</summary>
public sealed record ChunkHit(long ChunkId, string ProvisionKey, double Score);

/// <summary>Restricts a search; null members do not restrict.</summary>
/// <param name="AsOf">Only chunks of provisions in force on that day, by the provision's and its act's validity
/// (a start after the day, or an end on or before it, excludes; an unknown start or end does not). Null: every
/// version, whatever its dates. Retrieval passes today unless the caller asked for another date (issue 14).</param>
public sealed record SearchFilter(string? Corpus = null, string? Act = null, DateOnly? AsOf = null)
{
    public static SearchFilter None { get; } = new();
}

/// <summary>Full-text search over chunks (BM25 in the embedded store, sparse vectors on Qdrant). The index scores
/// the terms it is given; it does not choose them.</summary>
public interface ILexicalIndex
{
    /// <summary>The best <paramref name="limit"/> chunks matching any of the query's terms, best first; none for an empty query.</summary>
    Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(LexicalQuery query, int limit, SearchFilter filter, CancellationToken cancellationToken);
}

/// <summary>Nearest-neighbour search over chunk embeddings. Stores never embed text themselves.</summary>
public interface IVectorIndex
{
    Task<IReadOnlyList<ChunkHit>> SearchDenseAsync(ReadOnlyMemory<float> queryVector, int limit, SearchFilter filter, CancellationToken cancellationToken);
}

/// <summary>A stored provision with the act it belongs to.</summary>
/// <param name="Act">What the store keeps about the act beyond its names (identifier, version dates, provenance);
/// null where a store or a test double has none.</param>
public sealed record StoredProvision(
    string Key, string Corpus, string Language, string ActName, string ActTitle, string SourcePath,
    Provision Provision, StoredActInfo? Act = null);

/// <summary>What a store keeps about a provision's act (document) beyond its names.</summary>
/// <param name="Identifier">The publisher's identifier of the act (ELI, BWB id, LEGI id, GII doknr).</param>
/// <param name="Aliases">Official names the source gives the act besides its key (GII amtabk).</param>
/// <param name="ValidFrom">The act version's first day in force, where the source says.</param>
/// <param name="ValidTo">… and its last; null: open-ended.</param>
/// <param name="Provenance">Where and when the source was taken; null for documents stored before it was recorded.</param>
public sealed record StoredActInfo(string? Identifier, IReadOnlyList<string> Aliases, DateOnly? ValidFrom, DateOnly? ValidTo, Provenance? Provenance)
{
    public static StoredActInfo Of(LegalDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(document.Identifier, document.Aliases, document.ValidFrom, document.ValidTo, document.Provenance);
    }
}

/// <summary>A stored chunk, resolved for display.</summary>
public sealed record StoredChunk(long Id, string ProvisionKey, int Ordinal, string Citation, string Heading, string Text, int? Page);

/// <summary>Reads provisions and chunks back for results, lookups and answers.</summary>
public interface IProvisionStore
{
    Task<StoredProvision?> GetProvisionAsync(string key, CancellationToken cancellationToken);
    Task<IReadOnlyList<StoredChunk>> GetChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken cancellationToken);
    /// <summary>Provisions matching a parsed citation; several when the act was not named.</summary>
    Task<IReadOnlyList<StoredProvision>> FindByCitationAsync(CitationReference citation, string? corpus, CancellationToken cancellationToken);
}

/// <summary>
/// The versions of provisions (issue 14): a provision's versions share its base key
/// (<see cref="Versions.ProvisionVersions.BaseKey"/>) and differ in their validity intervals.
/// </summary>
public interface IProvisionHistory
{
    /// <summary>Every stored version of the provision <paramref name="key"/> names (any version's key or the base key),
    /// oldest first; empty when none is stored.</summary>
    Task<IReadOnlyList<StoredProvision>> GetVersionsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every provision version stored for one source document, in the document's order; empty when it is not
    /// stored. A snapshot ingest compares a folder's new texts with these.</summary>
    Task<IReadOnlyList<Provision>> GetDocumentProvisionsAsync(string corpus, string sourcePath, CancellationToken cancellationToken);
}

/// <summary>What one ingest did to one document.</summary>
public enum UpsertOutcome { Added, Replaced, Unchanged }

public sealed record StoreStatistics(long Corpora, long Documents, long Provisions, long Chunks, long Embeddings);

public sealed record CorpusSummary(string Name, string Language, long Documents, long Provisions, long Chunks, DateTimeOffset CreatedAt);

/// <summary>Writes documents into a store. Each document is replaced atomically: readers see the old or the new, never a mix.</summary>
public interface ICorpusWriter
{
    Task EnsureCorpusAsync(CorpusInfo corpus, CancellationToken cancellationToken);
    /// <summary>The stored content hash of a source, or null when it is not stored.</summary>
    Task<string?> GetDocumentHashAsync(string corpus, string sourcePath, CancellationToken cancellationToken);
    Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken);
    Task<IReadOnlyList<string>> ListDocumentPathsAsync(string corpus, CancellationToken cancellationToken);
    Task<bool> DeleteDocumentAsync(string corpus, string sourcePath, CancellationToken cancellationToken);
    /// <summary>
    /// Closes a document whose act its publisher no longer lists (repealed, withdrawn): the document and its provisions
    /// stay, with their validity ending on <paramref name="closedOn"/> where it did not end earlier, so the law as it
    /// was remains citable. False when the document is not stored.
    /// </summary>
    Task<bool> CloseDocumentAsync(string corpus, string sourcePath, DateOnly closedOn, CancellationToken cancellationToken);
    Task<IReadOnlyList<CorpusSummary>> ListCorporaAsync(CancellationToken cancellationToken);
    Task<bool> RemoveCorpusAsync(string corpus, CancellationToken cancellationToken);
    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}

/// <summary>Reorders candidates by a cross-encoder or any finer model than the first stage.</summary>
public interface IReranker
{
    Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken);
}

/// <summary>
/// A whole index backend as the application uses it: the embedded SQLite store or Qdrant, chosen by
/// configuration (LegalRag:Store:Provider). Commands and services depend on this, not on a backend.
/// </summary>
public interface ILegalStore : ICorpusWriter, ILexicalIndex, IVectorIndex, IProvisionStore, IProvisionHistory, IRankingSignals, IReferenceGraph, IDisposable
{
    /// <summary>Stores a document with one embedding per chunk (none when <paramref name="vectors"/> is null).</summary>
    Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks,
        IReadOnlyList<ReadOnlyMemory<float>>? vectors, CancellationToken cancellationToken);
}
