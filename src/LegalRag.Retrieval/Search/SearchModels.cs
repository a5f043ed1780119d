namespace LegalRag.Retrieval.Search;

/// <summary>How a query is answered: BM25 only, embeddings only, both fused, or fused then reranked.</summary>
public enum RetrievalMode
{
    Lexical,
    Dense,
    Hybrid,
    HybridRerank,
}

public enum FusionMethod
{
    Rrf,
    Normalized,
}

public sealed record SearchRequest
{
    public required string Query { get; init; }
    public string? Corpus { get; init; }
    public string? Act { get; init; }
    public int K { get; init; } = 10;
    public RetrievalMode Mode { get; init; } = RetrievalMode.Lexical;
    /// <summary>The day whose law is searched: only provisions in force then are retrieved. Null: today.</summary>
    public DateOnly? AsOf { get; init; }
}

/// <summary>One provision found, best first. Field names are part of the CLI's JSON contract.</summary>
public sealed record SearchResult
{
    /// <summary>Canonical citation of the provision: "BGB § 573".</summary>
    public required string Citation { get; init; }
    public required string ProvisionId { get; init; }
    /// <summary>Hierarchy path: "Buch 2 › Abschnitt 8 › Titel 5".</summary>
    public required string Path { get; init; }
    /// <summary>Extract around the query terms, hits marked **so**.</summary>
    public required string Snippet { get; init; }
    public required double Score { get; init; }
    public string Heading { get; init; } = "";
    /// <summary>Pinpoint of the best passage: "BGB § 573 Abs. 2".</summary>
    public string Pinpoint { get; init; } = "";
    public string Act { get; init; } = "";
    public string Corpus { get; init; } = "";
    public string SourcePath { get; init; } = "";
    public int? Page { get; init; }
    /// <summary>True when the query was this provision's citation.</summary>
    public bool CitationMatch { get; init; }
    public bool Repealed { get; init; }
    /// <summary>First day this version of the provision is in force (ISO date in JSON), where the source says.</summary>
    public DateOnly? ValidFrom { get; init; }
    /// <summary>First day it is no longer in force; null while in force (or where the source does not say).</summary>
    public DateOnly? ValidTo { get; init; }
}

public sealed record SearchResponse(IReadOnlyList<SearchResult> Results, double TookMs);

public sealed record SearchOptions
{
    /// <summary>Chunks fetched per requested provision before deduplication to provisions.</summary>
    public int CandidateMultiplier { get; init; } = 4;
    public int MinCandidates { get; init; } = 100;
    public int RrfK { get; init; } = LegalRag.Retrieval.Fusion.RankFusion.DefaultRrfK;
    public FusionMethod Fusion { get; init; } = FusionMethod.Rrf;
    /// <summary>How many fused provisions the reranker rescores.</summary>
    public int RerankTopN { get; init; } = 30;
    public int SnippetChars { get; init; } = 240;
    /// <summary>Only the first this many characters of a query are read (cut at a word boundary): far more than any
    /// question, and the planner keeps at most <see cref="LegalRag.Retrieval.Query.LexicalPlanOptions.MaxQueryTerms"/>
    /// terms anyway; a query of megabytes must not cost its length in analysis time.</summary>
    public int MaxQueryChars { get; init; } = 8_000;
    /// <summary>How many fused provisions the ranking stage reads, cleans and orders.</summary>
    public int RankWindow { get; init; } = 100;
    /// <summary>Acts searched again on their own (act routing); 0 (the default) turns routing off.</summary>
    public int RoutedActs { get; init; }
    /// <summary>Chunks fetched from each routed act.</summary>
    public int RoutedCandidates { get; init; } = 20;
    /// <summary>Corpus languages the embedding model was trained for (two-letter codes); null: every language.</summary>
    public IReadOnlyCollection<string>? DenseLanguages { get; init; }
    /// <summary>Which terms a question is searched for, and how the lexical fields weigh.</summary>
    public LegalRag.Retrieval.Query.LexicalPlanOptions LexicalPlan { get; init; } = new();
    /// <summary>Languages a query is analyzed in when the store cannot say which languages its corpora have: every
    /// language pack LegalRag ships.</summary>
    public IReadOnlyCollection<string> FallbackLanguages { get; init; } = LegalRag.Core.Languages.LanguageRegistry.Default.Codes.ToList();
}

/// <summary>The names of the retrieval modes, one spelling for the CLI's --mode, the API's "mode", settings, reports and ranker files.</summary>
public static class RetrievalModes
{
    public const string Choices = "lexical, dense, hybrid or hybrid+rerank";

    public static RetrievalMode? Parse(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        "lexical" => RetrievalMode.Lexical,
        "dense" => RetrievalMode.Dense,
        "hybrid" => RetrievalMode.Hybrid,
        "hybrid+rerank" or "rerank" or "hybridrerank" => RetrievalMode.HybridRerank,
        _ => null,
    };

    public static string Name(RetrievalMode mode) => mode switch
    {
        RetrievalMode.Lexical => "lexical",
        RetrievalMode.Dense => "dense",
        RetrievalMode.Hybrid => "hybrid",
        RetrievalMode.HybridRerank => "hybrid+rerank",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool NeedsEmbedder(RetrievalMode mode) => mode != RetrievalMode.Lexical;

    /// <summary>The mode of the first stage, which is what a learned ranker's features come from.</summary>
    public static string FirstStageName(RetrievalMode mode) => mode == RetrievalMode.HybridRerank ? "hybrid" : Name(mode);
}

/// <summary>A candidate of the ranking stage: its best chunk, the provision and its features (none below the ranked window).</summary>
public sealed record RankedCandidate(LegalRag.Core.Abstractions.ChunkHit Hit, LegalRag.Core.Abstractions.StoredProvision? Provision, float[] Features);
