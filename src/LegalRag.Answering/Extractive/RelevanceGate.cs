using LegalRag.Answering.Text;

namespace LegalRag.Answering.Extractive;

/// <summary>
/// Thresholds below which retrieval is taken to have found nothing relevant. Calibrated with
/// <c>benchmarks/LegalRag.Benchmarks -- refusal</c> on 300 GerLayQA BGB questions (answerable) and 30
/// questions from other domains: matched weight ≥ 8 answers 99 % of the former and refuses 97 % of the
/// latter. Coverage alone separates nothing (lay questions are long stories), but a short question
/// whose words the provision nearly all contains ("Was ist Eigentum?") is answered from weight 5.
/// </summary>
public sealed record RelevanceOptions
{
    /// <summary>Weighted question terms the best provision must contain (see <see cref="QueryTerms.Weight"/>).</summary>
    public double MinMatchedWeight { get; init; } = 8;
    /// <summary>A lower weight suffices when the provision contains this share of the question's term weight…</summary>
    public double ShortQuestionCoverage { get; init; } = 0.8;
    /// <summary>…and at least this weight.</summary>
    public double ShortQuestionMinWeight { get; init; } = 5;
    /// <summary>Below this retrieval score (BM25) the best hit is noise whatever it matched.</summary>
    public double MinScore { get; init; } = 0;
}

public sealed record RelevanceVerdict(bool Relevant, double TopScore, double MatchedWeight, double Coverage, string Reason);

/// <summary>
/// Decides from the retrieval result whether the corpus answers the question at all. Lexical search
/// always returns something once any word matches, so the gate looks at how much of the question the
/// best provisions actually contain: enough telling terms (absolute) and a fair share of them (relative).
/// A query that is itself a citation is always relevant: the user asked for that provision.
/// </summary>
public sealed class RelevanceGate(RelevanceOptions? options = null)
{
    private readonly RelevanceOptions _options = options ?? new RelevanceOptions();

    public RelevanceOptions Options => _options;

    public RelevanceVerdict Evaluate(string query, IReadOnlyList<AnswerSource> sources, bool citationMatch)
    {
        if (sources.Count == 0) return new RelevanceVerdict(false, 0, 0, 0, "no provisions found");
        if (citationMatch) return new RelevanceVerdict(true, sources[0].Score, 0, 1, "the query is a citation");
        var terms = new QueryTerms(query, sources[0].Provision.Language);
        if (terms.TotalWeight <= 0) return new RelevanceVerdict(false, sources[0].Score, 0, 0, "the question has no searchable words");
        var best = (Weight: 0.0, Coverage: 0.0);
        foreach (var source in sources.Take(3))
        {
            var p = source.Provision.Provision;
            var matched = terms.Matched(p.Heading + "\n" + p.Text);
            var weight = terms.WeightOf(matched);
            if (weight > best.Weight) best = (weight, weight / terms.TotalWeight);
        }
        var score = sources[0].Score;
        if (score < _options.MinScore) return new RelevanceVerdict(false, score, best.Weight, best.Coverage, $"top score {score:F2} below {_options.MinScore:F2}");
        if (best.Weight >= _options.MinMatchedWeight) return new RelevanceVerdict(true, score, best.Weight, best.Coverage, "relevant");
        if (best.Weight >= _options.ShortQuestionMinWeight && best.Coverage >= _options.ShortQuestionCoverage)
            return new RelevanceVerdict(true, score, best.Weight, best.Coverage, "short question, nearly all of it found");
        return new RelevanceVerdict(false, score, best.Weight, best.Coverage, $"matched term weight {best.Weight:F1} below {_options.MinMatchedWeight:F1} (coverage {best.Coverage:P0})");
    }
}
