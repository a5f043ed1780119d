namespace LegalRag.Evaluation.Retrieval;

/// <summary>One ranked result: a provision (not a chunk), best first.</summary>
/// <param name="ProvisionKey">The store's provision key; gold matches it when the gold resolved to a key.</param>
/// <param name="Citation">The provision's canonical citation; gold also matches it by normalised citation.</param>
public sealed record RetrievedProvision(string ProvisionKey, string Citation, double Score);

/// <summary>
/// The seam between the harness and a search implementation. Implementations return provisions,
/// best first; when a search ranks chunks, the first chunk of each provision gives its rank.
/// The harness removes repeated keys itself, keeping the first.
/// </summary>
public interface IEvalRetriever
{
    /// <summary>What the retriever does, recorded in the report: "lexical", "dense", "hybrid", "hybrid+rerank".</summary>
    string Mode { get; }

    /// <param name="asOf">Retrieve the law in force on this day; null: today.</param>
    Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, DateOnly? asOf, CancellationToken cancellationToken);
}
