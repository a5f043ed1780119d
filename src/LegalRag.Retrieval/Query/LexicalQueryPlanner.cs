using System.Collections.Concurrent;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Text;

namespace LegalRag.Retrieval.Query;

/// <summary>How a question becomes a lexical query: which terms, which as prefixes, how fields weigh.</summary>
public sealed record LexicalPlanOptions
{
    /// <summary>BM25 weights of the heading and context fields against the body.</summary>
    public LexicalFieldWeights FieldWeights { get; init; } = LexicalFieldWeights.Default;

    /// <summary>Terms of at least this length also match as prefixes ("miet" finds "mietvertrag"), which catches
    /// German compounds by their head. 0 turns it off.</summary>
    public int PrefixMinLength { get; init; } = 5;

    /// <summary>Prefix matching applies to queries of at most this many terms.</summary>
    public int PrefixMaxQueryTerms { get; init; } = 64;

    /// <summary>For longer queries: at most this many terms, those of highest IDF.</summary>
    public int MaxQueryTerms { get; init; } = 128;

    /// <summary>For longer queries: terms found in more than this fraction of all chunks are dropped.</summary>
    public double MaxTermDocFraction { get; init; } = 0.1;

    /// <summary>For longer queries: terms are taken rarest first until their summed document frequencies reach this
    /// budget (at least three terms are kept).</summary>
    public long MaxQueryPostings { get; init; } = 12_000;

    /// <summary>The analysis the index was built with; query terms must be analyzed the same way.</summary>
    public AnalyzerOptions Analyzer { get; init; } = AnalyzerOptions.Default;
}

/// <summary>
/// Turns a question into the terms a lexical index is asked for. Every term of a keyword query is kept. A longer
/// question keeps its telling terms: terms in more than <see cref="LexicalPlanOptions.MaxTermDocFraction"/> of all
/// chunks add little but cost much (their posting lists are long), so terms are taken rarest first within a budget
/// of postings and a cap on their number. The plan needs the index's document frequencies
/// (<see cref="IRankingSignals.GetTermStatisticsAsync"/>); without them every term is asked for.
/// </summary>
public sealed class LexicalQueryPlanner(LexicalPlanOptions? options = null, IRankingSignals? statistics = null)
{
    /// <summary>Queries of up to this many terms are keyword queries: every term is kept.</summary>
    public const int ShortQueryTerms = 4;

    /// <summary>A term is never dropped as common while it occurs in fewer chunks than this: in a store of a few
    /// dozen chunks every term is in more than 10 % of them.</summary>
    public const long MinCommonTermDocFrequency = 50;

    /// <summary>Hostile input: never look at more analyzed terms than this.</summary>
    public const int MaxAnalyzedTerms = 256;

    private readonly LexicalPlanOptions _options = options ?? new LexicalPlanOptions();
    private readonly ConcurrentDictionary<string, TextAnalyzer> _analyzers = new(StringComparer.Ordinal);

    public LexicalPlanOptions Options => _options;

    /// <summary>The plan for <paramref name="query"/> analyzed in each of <paramref name="languages"/> (the languages of
    /// the corpora searched); an empty query when nothing in it is searchable.</summary>
    public async Task<LexicalQuery> PlanAsync(string query, IReadOnlyCollection<string> languages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            var analyzer = _analyzers.GetOrAdd(language, l => new TextAnalyzer(l, _options.Analyzer));
            foreach (var term in analyzer.Analyze(query))
            {
                if (terms.Count >= MaxAnalyzedTerms) break;
                if (seen.Add(term)) terms.Add(term);
            }
        }
        if (terms.Count == 0) return new LexicalQuery([], _options.FieldWeights);

        var usePrefix = _options.PrefixMinLength > 0 && terms.Count <= _options.PrefixMaxQueryTerms;
        bool IsPrefix(string t) => usePrefix && t.Length >= _options.PrefixMinLength && !char.IsDigit(t[0]);
        if (terms.Count > ShortQueryTerms && statistics is not null)
            terms = await SelectTermsAsync(terms, IsPrefix, cancellationToken).ConfigureAwait(false);
        return new LexicalQuery(terms.Select(t => new LexicalTerm(t, IsPrefix(t))).ToList(), _options.FieldWeights);
    }

    private async Task<List<string>> SelectTermsAsync(List<string> terms, Func<string, bool> isPrefix, CancellationToken cancellationToken)
    {
        // A prefix term costs (and weighs) as much as all the terms it expands to.
        string Asked(string t) => isPrefix(t) ? t + "*" : t;
        var stats = await statistics!.GetTermStatisticsAsync(terms.Select(Asked).ToList(), cancellationToken).ConfigureAwait(false);
        if (stats.TotalChunks <= 0) return terms; // an index that keeps no statistics (Qdrant): every term
        long Df(string t) => stats.DocumentFrequency.GetValueOrDefault(Asked(t));
        var limit = Math.Max(stats.TotalChunks * _options.MaxTermDocFraction, MinCommonTermDocFrequency);
        // Rarest first, within a budget of postings: the cost of an OR query grows with the summed posting-list
        // lengths, so on a large corpus the common tail is dropped first.
        var kept = new List<string>();
        long postings = 0;
        foreach (var t in terms.Where(t => Df(t) is var df && df > 0 && df <= limit).OrderBy(Df))
        {
            if (kept.Count >= _options.MaxQueryTerms) break;
            if (kept.Count >= 3 && postings + Df(t) > _options.MaxQueryPostings) break;
            kept.Add(t);
            postings += Df(t);
        }
        // If every term is common, fall back to the rarest few rather than to nothing.
        return kept.Count > 0 ? kept : terms.OrderBy(t => Df(t) is var df && df > 0 ? df : long.MaxValue).Take(3).ToList();
    }
}
