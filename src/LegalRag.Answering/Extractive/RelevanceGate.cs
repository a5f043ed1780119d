using LegalRag.Answering.Languages;
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
    public double MinMatchedWeight { get; init; } = 6;
    /// <summary>
    /// <see cref="MinMatchedWeight"/> per corpus language where it differs. French question words are
    /// shorter, so they weigh less for the same content: on the everyday French train split (45 answerable,
    /// 9 off-topic, lexical retrieval) 6 refuses as many off-topic questions as 8 (78 %) and wrongly refuses
    /// 9 % of answerable ones instead of 27 %. German keeps 8 (everyday German train split: 9 % false
    /// refusals, 64 % off-topic refused; no other threshold or signal did better there), and so does Dutch
    /// (train: any lower threshold lets most off-topic questions through: 6 refuses 33 % of them instead of 78 %).
    /// </summary>
    /// <para>Recalibrated for the learned ranker (hybrid, everyday German train split, 118 answerable, 28 off-topic):
    /// the ranker puts provisions first that say the thing in other words, so fewer question terms are found in the
    /// top three. Looking into the top six (<see cref="GateSources"/>) at weight 6 answers 65 % of answerable questions
    /// (57 % at top three, weight 8) and still refuses 93 % of off-topic ones (96 %). Dutch keeps 8 (see above).</para>
    public IReadOnlyDictionary<string, double> MinMatchedWeightByLanguage { get; init; } = new Dictionary<string, double> { ["fr"] = 6, ["nl"] = 8 };
    /// <summary>A lower weight suffices when the provision contains this share of the question's term weight…</summary>
    public double ShortQuestionCoverage { get; init; } = 0.8;
    /// <summary>…and at least this weight.</summary>
    public double ShortQuestionMinWeight { get; init; } = 5;
    /// <summary>How many of the best sources the gate looks into for the question's terms (all that answers retrieve by default).</summary>
    public int GateSources { get; init; } = 6;
    /// <summary>Below this retrieval score (BM25) the best hit is noise whatever it matched.</summary>
    public double MinScore { get; init; } = 0;
}

public sealed record RelevanceVerdict(bool Relevant, double TopScore, double MatchedWeight, double Coverage, string Reason)
{
    /// <summary>Matched weight of the question's topic terms only, generic ones ("Recht", "Frage") left out.
    /// Reported (log, calibration benchmark) but not deciding: on the everyday train splits it refused two more
    /// answerable German questions and no more off-topic ones than the plain matched weight.</summary>
    public double ContentWeight { get; init; }
    /// <summary>Share of the question's topic-term weight the best provision contains.</summary>
    public double ContentCoverage { get; init; }
    /// <summary>The question is (detectably) in another language than the provisions found. Reported, not
    /// deciding: the question sets have no such questions to calibrate it on.</summary>
    public bool LanguageMismatch { get; init; }
}

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
        var corpusLanguage = LanguageDetector.Normalize(sources[0].Provision.Language);
        var terms = new QueryTerms(query, sources[0].Provision.Language);
        if (terms.TotalWeight <= 0) return new RelevanceVerdict(false, sources[0].Score, 0, 0, "the question has no searchable words");
        var cues = QuestionCues.For(corpusLanguage);
        var content = terms.Terms.Keys.Where(t => !cues.IsGeneric(t)).ToHashSet(StringComparer.Ordinal);
        var contentTotal = terms.WeightOf(content);
        var best = (Weight: 0.0, Coverage: 0.0);
        var bestContent = (Weight: 0.0, Coverage: 0.0);
        foreach (var source in sources.Take(_options.GateSources))
        {
            var p = source.Provision.Provision;
            var matched = terms.Matched(p.Heading + "\n" + p.Text);
            var weight = terms.WeightOf(matched);
            if (weight > best.Weight) best = (weight, weight / terms.TotalWeight);
            var contentWeight = terms.WeightOf(matched.Where(content.Contains));
            if (contentWeight > bestContent.Weight) bestContent = (contentWeight, contentTotal <= 0 ? 0 : contentWeight / contentTotal);
        }
        var score = sources[0].Score;
        var mismatch = LanguageDetector.Detect(query, corpusLanguage) != corpusLanguage;
        RelevanceVerdict Verdict(bool relevant, string reason) => new(relevant, score, best.Weight, best.Coverage, reason)
        {
            ContentWeight = bestContent.Weight, ContentCoverage = bestContent.Coverage, LanguageMismatch = mismatch,
        };
        if (score < _options.MinScore) return Verdict(false, $"top score {score:F2} below {_options.MinScore:F2}");
        var minWeight = _options.MinMatchedWeightByLanguage.TryGetValue(corpusLanguage, out var w) ? w : _options.MinMatchedWeight;
        if (best.Weight >= minWeight) return Verdict(true, "relevant");
        if (best.Weight >= _options.ShortQuestionMinWeight && best.Coverage >= _options.ShortQuestionCoverage)
            return Verdict(true, "short question, nearly all of it found");
        return Verdict(false, $"matched term weight {best.Weight:F1} below {minWeight:F1} (coverage {best.Coverage:P0})");
    }
}
