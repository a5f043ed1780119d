using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Core.Text;

namespace LegalRag.Retrieval.Ranking;

/// <summary>What the first stage knows of one candidate provision: its places in the lexical and dense lists.</summary>
/// <param name="LexicalRank">1-based rank in the lexical list (provisions), or 0 when absent.</param>
/// <param name="LexicalScore">BM25 score (higher is better), 0 when absent.</param>
/// <param name="DenseRank">1-based rank in the dense list, or 0 when absent.</param>
/// <param name="DenseScore">Cosine similarity, 0 when absent.</param>
/// <param name="FusedRank">1-based rank after fusion.</param>
/// <param name="FusedScore">The fusion score.</param>
public sealed record FirstStageSignals(int LexicalRank, double LexicalScore, int DenseRank, double DenseScore, int FusedRank, double FusedScore)
{
    /// <summary>1-based rank in the search restricted to a routed act, or 0.</summary>
    public int RouteRank { get; init; }
}

/// <summary>Query-level facts the features are normalised by.</summary>
public sealed record QueryContext(
    IReadOnlyDictionary<string, double> TermWeights,
    double TopLexicalScore,
    double TopDenseScore,
    bool DenseAvailable,
    IReadOnlyDictionary<string, int> ActShare,
    int CandidateCount);

/// <summary>
/// The features the learned ranker sees for one (question, provision) pair. The order is the model's
/// contract: a model file records the names it was trained on and is refused when they differ.
/// Every feature is language-independent (ranks, coverage shares, priors), so one model serves every corpus.
/// </summary>
public static class RankingFeatures
{
    public static readonly IReadOnlyList<string> Names =
    [
        "lexical_rr",          // 1 / lexical rank (0 when absent)
        "lexical_score_rel",   // BM25 / best BM25 of the query
        "dense_rr",            // 1 / dense rank
        "dense_score",         // cosine similarity
        "dense_gap",           // best cosine of the query − this one
        "fused_rr",            // 1 / fused rank
        "dense_available",     // 1 when the dense list exists for this query
        "cover_text",          // IDF-weighted share of query terms in heading + text
        "cover_heading",       // … in the heading
        "cover_context",       // … in act title, act name and hierarchy path
        "cover_sentence",      // … in the best single sentence (proximity)
        "matched_terms",       // distinct query terms in the provision
        "query_terms",         // distinct terms of the query (log)
        "in_degree",           // log(1 + provisions citing this one)
        "act_size",            // log(1 + provisions of the act)
        "act_share",           // share of the candidates from the same act
        "act_ordinance",
        "act_amending",
        "act_transitional",
        "act_treaty",
        "annex",               // annex, protocol or unnumbered unit rather than main text
        "length",              // log(1 + characters)
        "position",            // ordinal in the act / act size (early provisions define, late ones are transitional)
        "route_rr",            // 1 / rank in the search restricted to a routed act (0 when not found there)
        "act_cited_by",        // log(1 + other acts citing this act): how central the act is in the law
    ];

    public static int Count => Names.Count;

    /// <summary>IDF weights of the analyzed query terms; terms absent from the index weigh nothing.</summary>
    public static Dictionary<string, double> TermWeights(IEnumerable<string> terms, TermStatistics? statistics)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (weights.ContainsKey(term)) continue;
            if (statistics is null || statistics.TotalChunks <= 0) { weights[term] = 1.0; continue; }
            var df = statistics.DocumentFrequency.GetValueOrDefault(term);
            if (df <= 0) continue;
            weights[term] = Math.Log(1 + (statistics.TotalChunks - df + 0.5) / (df + 0.5));
        }
        return weights;
    }

    public static float[] Extract(QueryContext query, StoredProvision candidate, FirstStageSignals signals, ActSummary? act, int inDegree, ProvisionTerms terms)
    {
        var f = new float[Count];
        var p = candidate.Provision;
        f[0] = signals.LexicalRank > 0 ? 1f / signals.LexicalRank : 0f;
        f[1] = signals.LexicalRank > 0 && query.TopLexicalScore > 0 ? (float)(signals.LexicalScore / query.TopLexicalScore) : 0f;
        f[2] = signals.DenseRank > 0 ? 1f / signals.DenseRank : 0f;
        f[3] = signals.DenseRank > 0 ? (float)signals.DenseScore : 0f;
        f[4] = signals.DenseRank > 0 ? (float)(query.TopDenseScore - signals.DenseScore) : 1f;
        f[5] = signals.FusedRank > 0 ? 1f / signals.FusedRank : 0f;
        f[6] = query.DenseAvailable ? 1f : 0f;

        var total = query.TermWeights.Values.Sum();
        var text = p.Text;
        f[7] = Share(query.TermWeights, terms.Text, total);
        f[8] = Share(query.TermWeights, terms.Heading, total);
        f[9] = Share(query.TermWeights, terms.Context, total);
        f[10] = terms.Sentences.Count == 0 ? 0f : terms.Sentences.Max(s => Share(query.TermWeights, s, total));
        f[11] = query.TermWeights.Keys.Count(terms.Text.Contains);
        f[12] = (float)Math.Log(1 + query.TermWeights.Count);
        f[13] = (float)Math.Log(1 + inDegree);
        var size = act?.Provisions ?? 0;
        f[14] = (float)Math.Log(1 + size);
        f[15] = query.CandidateCount > 0 ? (float)query.ActShare.GetValueOrDefault(ActKey(candidate)) / query.CandidateCount : 0f;
        var kind = ActKinds.Classify(candidate.Language, candidate.ActTitle);
        f[16] = kind == ActKind.Ordinance ? 1f : 0f;
        f[17] = kind == ActKind.Amending ? 1f : 0f;
        f[18] = kind == ActKind.Transitional ? 1f : 0f;
        f[19] = kind == ActKind.Treaty ? 1f : 0f;
        f[20] = p.Kind is ProvisionKind.Annex or ProvisionKind.Preamble or ProvisionKind.Closing or ProvisionKind.Other ? 1f : 0f;
        f[21] = (float)Math.Log(1 + text.Length);
        f[22] = size > 0 ? Math.Min(1f, (float)p.Ordinal / size) : 0f;
        f[23] = signals.RouteRank > 0 ? 1f / signals.RouteRank : 0f;
        f[24] = (float)Math.Log(1 + (act?.CitingActs ?? 0));
        return f;
    }

    /// <summary>The key under which acts are counted: corpus and act name.</summary>
    public static string ActKey(StoredProvision p) => p.Corpus + "\u0001" + p.ActName;

    public static string ActKey(ActSummary a) => a.Corpus + "\u0001" + a.ActName;

    private static float Share(IReadOnlyDictionary<string, double> weights, HashSet<string> terms, double total)
    {
        if (total <= 0) return 0f;
        double matched = 0;
        foreach (var (term, w) in weights) if (terms.Contains(term)) matched += w;
        return (float)(matched / total);
    }

    /// <summary>Rough sentences: split at ". ", "; " and line breaks. Good enough for a proximity signal.</summary>
    internal static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c == '\n' || ((c == '.' || c == ';' || c == '?') && i + 1 < text.Length && text[i + 1] == ' ' && (i == 0 || !char.IsDigit(text[i - 1])));
            if (!end) continue;
            if (i > start) yield return text[start..i];
            start = i + 1;
        }
        if (start < text.Length) yield return text[start..];
    }
}

/// <summary>
/// A provision's analyzed terms by field, and per sentence. Analysis (folding, stemming) is the costly part of
/// the features, and the same provisions come back query after query, so the ranking stage caches these.
/// </summary>
public sealed record ProvisionTerms(HashSet<string> Text, HashSet<string> Heading, HashSet<string> Context, IReadOnlyList<HashSet<string>> Sentences)
{
    public static ProvisionTerms Of(TextAnalyzer analyzer, StoredProvision candidate)
    {
        var p = candidate.Provision;
        var sentences = RankingFeatures.Sentences(p.Text).Select(s => new HashSet<string>(analyzer.Analyze(s), StringComparer.Ordinal)).ToList();
        var text = new HashSet<string>(analyzer.Analyze(p.Heading), StringComparer.Ordinal);
        var heading = new HashSet<string>(text, StringComparer.Ordinal);
        foreach (var sentence in sentences) text.UnionWith(sentence);
        var context = new HashSet<string>(analyzer.Analyze($"{candidate.ActTitle} {candidate.ActName} {p.PathDisplay}"), StringComparer.Ordinal);
        return new ProvisionTerms(text, heading, context, sentences);
    }
}
