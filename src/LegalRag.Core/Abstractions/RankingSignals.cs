namespace LegalRag.Core.Abstractions;

/// <summary>An act as the ranking sees it: how large it is, what it is called.</summary>
/// <param name="Provisions">Provisions of the act that are not repealed: large codes answer more everyday questions.</param>
/// <param name="CitingActs">Other acts with a provision that cites one of this act's provisions: an act that much of the
/// law refers to (a code, a general procedure act) answers more everyday questions than one nobody cites.</param>
public sealed record ActSummary(string Corpus, string ActName, string Title, string Language, int Provisions, int CitingActs = 0);

/// <summary>Statistics of the lexical index that retrieval needs to weigh query terms (IDF).</summary>
/// <param name="TotalChunks">Chunks in the index.</param>
/// <param name="DocumentFrequency">Chunks containing each asked term (0 when absent).</param>
public sealed record TermStatistics(long TotalChunks, IReadOnlyDictionary<string, long> DocumentFrequency);

/// <summary>
/// Narrow read-only views a store offers to ranking. Stores answer these questions; retrieval decides
/// what to do with the answers (term weights, priors, features).
/// </summary>
public interface IRankingSignals
{
    /// <summary>Every act in the store (all corpora), with its size. Cheap to cache: it changes only on ingest.</summary>
    Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken);

    /// <summary>Document frequencies of analyzed terms in the lexical index. A term ending in "*" asks for the summed
    /// postings of every indexed term it prefixes (what a prefix match would cost).</summary>
    Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken);

    /// <summary>Several provisions at once (missing keys are left out), for ranking a candidate list in one round trip.</summary>
    Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
