using LegalRag.Evaluation.Metrics;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;

namespace LegalRag.Evaluation.Running;

internal sealed record ReportContext(
    QuestionSet Set, EvalRunOptions Options, string Mode, int Parallelism, DateTimeOffset Started, double DurationMs,
    IReadOnlyList<ModelFileInfo> Models, CodeVersionInfo Code, MachineInfo Machine, bool AnswersEvaluated);

/// <summary>Aggregates per-question results into the report: headline metrics, intervals, breakdowns.</summary>
internal static class ReportBuilder
{
    /// <summary>Per-question metrics averaged into the headline, in report order; "ap" is reported as "map".</summary>
    private static readonly (string Report, string PerQuestion)[] MeanMetrics =
    [
        ("recall@1", "recall@1"), ("recall@5", "recall@5"), ("recall@10", "recall@10"), ("recall@20", "recall@20"),
        ("recall@100", "recall@100"), ("mrr@10", "mrr@10"), ("ndcg@10", "ndcg@10"), ("map", "ap"),
    ];

    public static EvalReport Build(ReportContext context, IReadOnlyList<EvalQuestion> questions, IReadOnlyList<QuestionResult> results)
    {
        var options = context.Options;
        var (metrics, series) = Aggregate(results, context.AnswersEvaluated);
        var intervals = options.BootstrapResamples == 0
            ? new Dictionary<string, ConfidenceInterval>()
            : Statistics.Bootstrap(series, options.BootstrapResamples, options.BootstrapSeed)
                .ToDictionary(kv => kv.Key, kv => new ConfidenceInterval(QuestionScorer.Round(kv.Value.Low), QuestionScorer.Round(kv.Value.High)));
        // Keep intervals in the same order as the metrics.
        var orderedIntervals = metrics.Keys.Where(intervals.ContainsKey).ToDictionary(k => k, k => intervals[k], StringComparer.Ordinal);

        var unresolvable = results
            .SelectMany(r => r.Gold.Where(g => g.Status == GoldStatus.Unresolvable).Select(g => new UnresolvableGold(r.Id, g.Citation)))
            .ToList();
        var withGold = results.Count(r => r.Gold.Count > 0);
        var counts = new ReportCounts
        {
            Questions = results.Count,
            Evaluated = results.Count(r => r.Evaluated),
            WithoutGold = results.Count - withGold,
            AllGoldUnresolvable = results.Count(r => r.Gold.Count > 0 && !r.Evaluated),
            UnresolvableGoldCitations = unresolvable.Count,
            RetrievalErrors = results.Count(r => r.Error is not null),
            AnswerErrors = results.Count(r => r.Answer?.Error is not null),
        };

        var warnings = new List<string>();
        if (withGold > 0 && counts.Evaluated == 0)
            warnings.Add($"None of the gold citations resolves to a provision{(options.Corpus is null ? "" : $" of corpus \"{options.Corpus}\"")}; retrieval metrics are all 0. Is the corpus right?");
        else if (unresolvable.Count > 0)
            warnings.Add($"{unresolvable.Count} gold citation(s) match no provision and are left out of the metrics; see \"unresolvable\".");
        if (counts.RetrievalErrors > 0)
            warnings.Add($"Retrieval failed for {counts.RetrievalErrors} question(s); they count as misses.");
        if (options.K < 100)
            warnings.Add($"Only {options.K} results were retrieved per question, so recall@k for k > {options.K} counts only those.");

        var tags = results.SelectMany(r => r.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var byTag = tags.ToDictionary(t => t, t => Summarize(results.Where(r => r.Tags.Contains(t, StringComparer.Ordinal)).ToList()), StringComparer.Ordinal);
        var byLanguage = results.Select(r => r.Language).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToDictionary(l => l, l => Summarize(results.Where(r => r.Language == l).ToList()), StringComparer.Ordinal);

        return new EvalReport
        {
            Schema = EvalReport.CurrentSchema,
            Run = new RunInfo
            {
                StartedUtc = context.Started,
                DurationMs = Math.Round(context.DurationMs, 1),
                Mode = context.Mode,
                K = options.K,
                Corpus = options.Corpus,
                Parallelism = context.Parallelism,
                QuestionSet = new QuestionSetInfo(context.Set.Name, context.Set.Format.ToString().ToLowerInvariant(), context.Set.SourceFiles, context.Set.ContentHash, questions.Count),
                CorpusSnapshot = options.CorpusSnapshot,
                CorpusSources = options.CorpusSources,
                Models = context.Models,
                Configuration = options.Configuration.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                Code = context.Code,
                Bootstrap = new BootstrapInfo(options.BootstrapResamples, options.BootstrapSeed, 0.95),
                Machine = context.Machine,
                AnswersEvaluated = context.AnswersEvaluated,
            },
            Metrics = metrics,
            ConfidenceIntervals = orderedIntervals,
            Counts = counts,
            Breakdowns = new ReportBreakdowns(byTag, byLanguage),
            Unresolvable = unresolvable,
            Warnings = warnings,
            Questions = results,
        };
    }

    private static (Dictionary<string, double> Metrics, Dictionary<string, (IReadOnlyList<double>, Func<IReadOnlyList<double>, double>)> Series)
        Aggregate(IReadOnlyList<QuestionResult> results, bool answersEvaluated)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var series = new Dictionary<string, (IReadOnlyList<double>, Func<IReadOnlyList<double>, double>)>(StringComparer.Ordinal);
        var evaluated = results.Where(r => r.Evaluated).ToList();
        foreach (var (name, perQuestion) in MeanMetrics)
        {
            var values = evaluated.Select(r => r.Metrics[perQuestion]).ToArray();
            metrics[name] = QuestionScorer.Round(Statistics.Mean(values));
            series[name] = (values, Statistics.Mean);
        }

        // Failed retrievals return early and would flatter the latency figures.
        var latencies = results.Where(r => r.Error is null).Select(r => r.LatencyMs).ToArray();
        foreach (var p in new[] { 50, 95, 99 })
        {
            var name = $"latency_p{p}_ms";
            metrics[name] = Math.Round(Statistics.Percentile(latencies, p), 3);
            if (p != 99) series[name] = (latencies, v => Statistics.Percentile(v, p)); // p99 of a resample is too unstable to be worth an interval
        }

        if (answersEvaluated) AggregateAnswers(results, metrics, series);
        return (metrics, series);
    }

    private static void AggregateAnswers(
        IReadOnlyList<QuestionResult> results, Dictionary<string, double> metrics,
        Dictionary<string, (IReadOnlyList<double>, Func<IReadOnlyList<double>, double>)> series)
    {
        var answered = results.Where(r => r.Answer is { Error: null }).ToList();
        void Add(string name, IEnumerable<double> values)
        {
            var array = values.ToArray();
            if (array.Length == 0) return; // no denominator: leave the key out rather than report a made-up 0
            metrics[name] = QuestionScorer.Round(Statistics.Mean(array));
            series[name] = (array, Statistics.Mean);
        }

        var shouldRefuse = answered.Where(r => r.Tags.Contains(QuestionSets.EvalQuestion.ShouldRefuseTag, StringComparer.Ordinal)).ToList();
        var shouldAnswer = answered.Except(shouldRefuse).ToList();
        Add("answer_citation_precision", shouldAnswer.Where(r => r.Answer!.CitationPrecision is not null).Select(r => r.Answer!.CitationPrecision!.Value));
        Add("answer_citation_recall", shouldAnswer.Where(r => r.Answer!.CitationRecall is not null).Select(r => r.Answer!.CitationRecall!.Value));
        Add("refusal_accuracy", shouldRefuse.Select(r => r.Answer!.Refused ? 1.0 : 0.0));
        Add("false_refusal_rate", shouldAnswer.Select(r => r.Answer!.Refused ? 1.0 : 0.0));
        // Only where the store dates versions at all: in a store without validity dates no answer can cite a version, and
        // counting its misses would report 0 for what was never measurable.
        if (answered.Any(r => r.Answer!.Citations.Any(c => c.ValidFrom is not null || c.ValidTo is not null)))
            Add("point_in_time_accuracy", shouldAnswer.Where(r => r.Answer!.PointInTime is not null).Select(r => r.Answer!.PointInTime!.Value ? 1.0 : 0.0));
        Add("groundedness", answered.Where(r => r.Answer!.Grounded is not null).Select(r => r.Answer!.Grounded!.Value ? 1.0 : 0.0));
        var latencies = answered.Select(r => r.Answer!.LatencyMs).ToArray();
        if (latencies.Length > 0)
        {
            metrics["answer_latency_p50_ms"] = Math.Round(Statistics.Percentile(latencies, 50), 3);
            metrics["answer_latency_p95_ms"] = Math.Round(Statistics.Percentile(latencies, 95), 3);
        }
    }

    private static GroupSummary Summarize(IReadOnlyList<QuestionResult> group)
    {
        var evaluated = group.Where(r => r.Evaluated).ToList();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, perQuestion) in MeanMetrics)
            metrics[name] = QuestionScorer.Round(Statistics.Mean(evaluated.Select(r => r.Metrics[perQuestion]).ToArray()));
        var latencies = group.Where(r => r.Error is null).Select(r => r.LatencyMs).ToArray();
        metrics["latency_p50_ms"] = Math.Round(Statistics.Percentile(latencies, 50), 3);
        metrics["latency_p95_ms"] = Math.Round(Statistics.Percentile(latencies, 95), 3);
        return new GroupSummary(group.Count, evaluated.Count, metrics);
    }
}
