namespace LegalRag.Core.Abstractions;

/// <summary>
/// One row of a store's lexical index as the store analyzed and stored it, for an index kept in memory beside the
/// store (the store stays the one file of record).
/// </summary>
/// <param name="ChunkId">The chunk's id (what <see cref="ChunkHit.ChunkId"/> carries).</param>
/// <param name="ProvisionKey">The chunk's provision; null for an index row whose chunk is gone (the store's own search
/// never returns such a row, but it still counts in the index's statistics).</param>
/// <param name="Corpus">The corpus name; null with <paramref name="ProvisionKey"/>.</param>
/// <param name="ActNorm">The act's normalized name (<c>CitationReference.NormalizeAct</c>), what an act filter compares.</param>
/// <param name="Heading">Analyzed heading terms, space-separated, exactly as indexed.</param>
/// <param name="Context">Analyzed act title, act name and hierarchy path, space-separated.</param>
/// <param name="Body">Analyzed chunk text, space-separated.</param>
/// <param name="Filter">The row's filter column as indexed (never searched, but it counts in the row's length).</param>
/// <param name="ValidFrom">The provision's first day in force; null: unknown.</param>
/// <param name="ValidTo">The provision's first day no longer in force; null: open-ended.</param>
/// <param name="ActValidFrom">The act's (document's) first day in force.</param>
/// <param name="ActValidTo">The act's first day no longer in force.</param>
public sealed record LexicalRow(
    long ChunkId, string? ProvisionKey, string? Corpus, string? ActNorm,
    string Heading, string Context, string Body, string Filter,
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null, DateOnly? ActValidFrom = null, DateOnly? ActValidTo = null);

/// <summary>A store's lexical rows, read whole, and a cheap token that changes whenever they may have changed.</summary>
public interface ILexicalRowSource
{
    /// <summary>Changes after every committed write to the store, by this process or another; equal values mean
    /// unchanged rows. Cheap enough to ask before every query.</summary>
    ValueTask<long> GetLexicalVersionAsync(CancellationToken cancellationToken);

    /// <summary>Every row of the lexical index, in one consistent snapshot, in ascending <see cref="LexicalRow.ChunkId"/>.</summary>
    IAsyncEnumerable<LexicalRow> ReadLexicalRowsAsync(CancellationToken cancellationToken);
}
