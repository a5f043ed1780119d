using LegalRag.Core.Text;

namespace LegalRag.Storage.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>The data folder; the database is <c>legalrag.db</c> inside it.</summary>
    public required string DataDirectory { get; init; }
    public string FileName { get; init; } = "legalrag.db";
    public AnalyzerOptions Analyzer { get; init; } = AnalyzerOptions.Default;
    /// <summary>BM25 weight of the provision heading relative to the body.</summary>
    public double HeadingWeight { get; init; } = 4.0;
    /// <summary>BM25 weight of the context column (act title and name, hierarchy path) relative to the body.</summary>
    public double ContextWeight { get; init; } = 1.0;
    /// <summary>Query terms of at least this length also match as prefixes ("miet" finds "mietvertrag"), which catches German compounds by their head. 0 turns it off.</summary>
    public int PrefixMinLength { get; init; } = 5;
    /// <summary>Prefix matching applies to queries of at most this many terms (lawyers' keyword queries, not long questions).</summary>
    public int PrefixMaxQueryTerms { get; init; } = 64;
    /// <summary>For longer queries: at most this many terms, those of highest IDF.</summary>
    public int MaxQueryTerms { get; init; } = 128;
    /// <summary>For longer queries: terms found in more than this fraction of all chunks are dropped.</summary>
    public double MaxTermDocFraction { get; init; } = 0.1;
    /// <summary>For longer queries: terms are taken rarest first until their summed document frequencies reach this budget (at least three terms).</summary>
    public long MaxQueryPostings { get; init; } = 12_000;

    /// <summary>The embedding model whose vectors dense search uses (its identity: name plus file hash).</summary>
    public string VectorModel { get; init; } = "default";

    public string DatabasePath => Path.Combine(DataDirectory, FileName);
}
