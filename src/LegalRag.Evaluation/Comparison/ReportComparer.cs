using System.Globalization;
using System.Text;
using LegalRag.Evaluation.Reports;

namespace LegalRag.Evaluation.Comparison;

/// <summary>How one headline metric moved between two reports.</summary>
/// <param name="Gated">Whether a drop beyond tolerance fails the comparison. Latencies are not gated:
/// they depend on the machine and its load more than on the code.</param>
public sealed record MetricDelta(string Name, double Baseline, double Candidate, bool HigherIsBetter, bool Gated, bool Regressed)
{
    public double Delta => Candidate - Baseline;
}

/// <summary>One gold provision of a changed question, with its rank in each run (null: not in the top k).</summary>
public sealed record GoldRankChange(string Citation, int? BaselineRank, int? CandidateRank);

/// <summary>A question whose retrieval got better or worse, with what the candidate retrieved instead.</summary>
public sealed record QuestionChange(
    string Id, string Question, IReadOnlyList<GoldRankChange> Gold,
    double BaselineRecallAt10, double CandidateRecallAt10, double BaselineMrrAt10, double CandidateMrrAt10,
    IReadOnlyList<RetrievedResult> BaselineRetrieved, IReadOnlyList<RetrievedResult> CandidateRetrieved);

public sealed record ReportComparison(
    double Tolerance,
    IReadOnlyList<MetricDelta> Metrics,
    IReadOnlyList<QuestionChange> Worse,
    IReadOnlyList<QuestionChange> Better,
    int UnchangedQuestions,
    IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<MetricDelta> Regressions => Metrics.Where(m => m.Regressed).ToList();

    /// <summary>The CI gate: no gated metric dropped by more than the tolerance.</summary>
    public bool Passed => Regressions.Count == 0;
}

/// <summary>Compares a candidate report with a baseline: the gate behind <c>legalrag eval compare</c>.</summary>
public static class ReportComparer
{
    /// <summary>Floating-point slack so that a drop of exactly the tolerance passes.</summary>
    private const double Epsilon = 1e-9;

    /// <param name="tolerance">Largest allowed absolute drop of a gated metric (0.01 = one point).</param>
    public static ReportComparison Compare(EvalReport baseline, EvalReport candidate, double tolerance)
    {
        if (tolerance < 0 || double.IsNaN(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), "tolerance must be non-negative");
        var warnings = new List<string>();
        if (baseline.Run.QuestionSet.Sha256 != candidate.Run.QuestionSet.Sha256)
            warnings.Add($"The question sets differ ({baseline.Run.QuestionSet.Name} {Short(baseline.Run.QuestionSet.Sha256)} vs {candidate.Run.QuestionSet.Name} {Short(candidate.Run.QuestionSet.Sha256)}); metrics may not be comparable.");
        if (baseline.Run.K != candidate.Run.K) warnings.Add($"k differs: {baseline.Run.K} vs {candidate.Run.K}.");
        if (baseline.Run.CorpusSnapshot != candidate.Run.CorpusSnapshot)
            warnings.Add($"The corpus snapshots differ ({baseline.Run.CorpusSnapshot ?? "unknown"} vs {candidate.Run.CorpusSnapshot ?? "unknown"}).");

        var deltas = new List<MetricDelta>();
        foreach (var (name, before) in baseline.Metrics)
        {
            if (!candidate.Metrics.TryGetValue(name, out var after)) { warnings.Add($"Metric {name} is only in the baseline."); continue; }
            var higherIsBetter = !IsLowerBetter(name);
            var gated = !IsLatency(name);
            var drop = higherIsBetter ? before - after : after - before;
            deltas.Add(new MetricDelta(name, before, after, higherIsBetter, gated, gated && drop > tolerance + Epsilon));
        }
        foreach (var name in candidate.Metrics.Keys.Where(n => !baseline.Metrics.ContainsKey(n)))
            warnings.Add($"Metric {name} is only in the candidate.");

        var baselineById = baseline.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        var worse = new List<QuestionChange>();
        var better = new List<QuestionChange>();
        var unchanged = 0;
        var onlyInCandidate = 0;
        foreach (var after in candidate.Questions)
        {
            if (!baselineById.TryGetValue(after.Id, out var was)) { onlyInCandidate++; continue; }
            if (!was.Evaluated || !after.Evaluated) continue;
            var order = CompareQuality(after, was);
            if (order == 0) { unchanged++; continue; }
            var change = Change(was, after);
            (order < 0 ? worse : better).Add(change);
        }
        var candidateIds = candidate.Questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var onlyInBaseline = baseline.Questions.Count(q => !candidateIds.Contains(q.Id));
        if (onlyInBaseline > 0) warnings.Add($"{onlyInBaseline} question(s) are only in the baseline.");
        if (onlyInCandidate > 0) warnings.Add($"{onlyInCandidate} question(s) are only in the candidate.");

        return new ReportComparison(
            tolerance, deltas,
            worse.OrderBy(c => c.CandidateRecallAt10 - c.BaselineRecallAt10).ThenBy(c => c.CandidateMrrAt10 - c.BaselineMrrAt10).ThenBy(c => c.Id, StringComparer.Ordinal).ToList(),
            better.OrderByDescending(c => c.CandidateRecallAt10 - c.BaselineRecallAt10).ThenByDescending(c => c.CandidateMrrAt10 - c.BaselineMrrAt10).ThenBy(c => c.Id, StringComparer.Ordinal).ToList(),
            unchanged, warnings);
    }

    public static bool IsLatency(string metric) => metric.Contains("latency", StringComparison.Ordinal);

    public static bool IsLowerBetter(string metric) => IsLatency(metric) || metric == "false_refusal_rate";

    /// <summary>A question's retrieval quality: first recall@10, then MRR@10, then recall@100.</summary>
    private static int CompareQuality(QuestionResult a, QuestionResult b)
    {
        foreach (var metric in new[] { "recall@10", "mrr@10", "recall@100" })
        {
            var order = Value(a, metric).CompareTo(Value(b, metric));
            if (Math.Abs(Value(a, metric) - Value(b, metric)) > Epsilon && order != 0) return order;
        }
        return 0;
    }

    private static double Value(QuestionResult q, string metric) => q.Metrics.TryGetValue(metric, out var v) ? v : 0;

    private static QuestionChange Change(QuestionResult was, QuestionResult now)
    {
        var nowRanks = now.Gold.ToDictionary(g => g.Citation, g => g.Rank, StringComparer.Ordinal);
        var gold = was.Gold.Select(g => new GoldRankChange(g.Citation, g.Rank, nowRanks.GetValueOrDefault(g.Citation))).ToList();
        foreach (var g in now.Gold.Where(g => was.Gold.All(w => w.Citation != g.Citation)))
            gold.Add(new GoldRankChange(g.Citation, null, g.Rank));
        return new QuestionChange(now.Id, now.Question, gold,
            Value(was, "recall@10"), Value(now, "recall@10"), Value(was, "mrr@10"), Value(now, "mrr@10"),
            was.Retrieved, now.Retrieved);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>The comparison as console text: metric table, verdict, and the most changed questions.</summary>
    public static string FormatText(ReportComparison comparison, int questionsShown = 10)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{"metric",-28} {"baseline",10} {"candidate",10} {"delta",10}");
        foreach (var m in comparison.Metrics)
        {
            var flag = m.Regressed ? "  REGRESSED" : m.Gated ? "" : "  (not gated)";
            text.AppendLine(c, $"{m.Name,-28} {m.Baseline,10:0.####} {m.Candidate,10:0.####} {m.Delta,10:+0.####;-0.####;0}{flag}");
        }
        foreach (var warning in comparison.Warnings) text.AppendLine(c, $"warning: {warning}");
        text.AppendLine(c, $"questions: {comparison.Worse.Count} worse, {comparison.Better.Count} better, {comparison.UnchangedQuestions} unchanged");
        AppendQuestions(text, "worse", comparison.Worse, questionsShown);
        AppendQuestions(text, "better", comparison.Better, questionsShown);
        text.AppendLine(comparison.Passed
            ? $"PASS: no gated metric dropped by more than {comparison.Tolerance.ToString(c)}"
            : $"FAIL: {string.Join(", ", comparison.Regressions.Select(r => $"{r.Name} {r.Delta.ToString("+0.####;-0.####", c)}"))} beyond tolerance {comparison.Tolerance.ToString(c)}");
        return text.ToString();
    }

    private static void AppendQuestions(StringBuilder text, string label, IReadOnlyList<QuestionChange> changes, int shown)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var change in changes.Take(shown))
        {
            var gold = string.Join("; ", change.Gold.Select(g => $"{g.Citation} {RankText(g.BaselineRank)}→{RankText(g.CandidateRank)}"));
            var instead = string.Join("; ", change.CandidateRetrieved.Take(3).Select(r => r.Citation));
            text.AppendLine(c, $"  {label}: {change.Id}: recall@10 {change.BaselineRecallAt10:0.##}→{change.CandidateRecallAt10:0.##}; gold {gold}; now top: {instead}");
        }
        if (changes.Count > shown) text.AppendLine(c, $"  … {changes.Count - shown} more {label}");
    }

    internal static string RankText(int? rank) => rank?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
