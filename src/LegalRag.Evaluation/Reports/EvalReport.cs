using LegalRag.Evaluation.Metrics;

namespace LegalRag.Evaluation.Reports;

/// <summary>
/// Everything one evaluation run measured, written as <c>report.json</c>. The schema is versioned by
/// <see cref="Schema"/>; fields are only ever added. Dictionaries are written in a fixed order and every
/// question is listed, so two reports diff line by line.
/// </summary>
public sealed record EvalReport
{
    public const string CurrentSchema = "legalrag.eval-report/1";

    public required string Schema { get; init; }
    public required RunInfo Run { get; init; }
    /// <summary>Headline numbers: <c>recall@1/5/10/20/100</c>, <c>mrr@10</c>, <c>ndcg@10</c>, <c>map</c>,
    /// <c>latency_p50_ms/p95_ms/p99_ms</c>, and the answer metrics when answers were evaluated.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    /// <summary>95% percentile-bootstrap intervals of the headline metrics.</summary>
    public required IReadOnlyDictionary<string, ConfidenceInterval> ConfidenceIntervals { get; init; }
    public required ReportCounts Counts { get; init; }
    public required ReportBreakdowns Breakdowns { get; init; }
    /// <summary>Gold citations that match no provision of the corpus: listed, and left out of the denominators.</summary>
    public required IReadOnlyList<UnresolvableGold> Unresolvable { get; init; }
    /// <summary>Things the reader should know before trusting the numbers (e.g. no gold resolved at all).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
    public required IReadOnlyList<QuestionResult> Questions { get; init; }
}

public sealed record RunInfo
{
    public required DateTimeOffset StartedUtc { get; init; }
    public required double DurationMs { get; init; }
    public required string Mode { get; init; }
    public required int K { get; init; }
    public string? Corpus { get; init; }
    public required int Parallelism { get; init; }
    public required QuestionSetInfo QuestionSet { get; init; }
    /// <summary>A hash identifying the corpus contents searched (supplied by the store).</summary>
    public string? CorpusSnapshot { get; init; }
    /// <summary>With the snapshot: where the corpus's documents came from, per corpus (empty when the store does not say).</summary>
    public IReadOnlyList<Core.Domain.CorpusProvenance> CorpusSources { get; init; } = [];
    public required IReadOnlyList<ModelFileInfo> Models { get; init; }
    public required IReadOnlyDictionary<string, string> Configuration { get; init; }
    public required CodeVersionInfo Code { get; init; }
    public required BootstrapInfo Bootstrap { get; init; }
    public required MachineInfo Machine { get; init; }
    public required bool AnswersEvaluated { get; init; }
}

public sealed record QuestionSetInfo(string Name, string Format, IReadOnlyList<string> Files, string Sha256, int Questions);

public sealed record ModelFileInfo(string Path, string Sha256, long Bytes);

public sealed record CodeVersionInfo(string Version, string? GitCommit, bool? GitDirty);

public sealed record BootstrapInfo(int Resamples, ulong Seed, double Confidence);

public sealed record MachineInfo(string Os, int ProcessorCount, string Runtime);

public sealed record ReportCounts
{
    public required int Questions { get; init; }
    /// <summary>Questions with at least one resolvable gold citation: the denominator of retrieval metrics.</summary>
    public required int Evaluated { get; init; }
    /// <summary>Questions without gold (should_refuse), not part of retrieval metrics.</summary>
    public required int WithoutGold { get; init; }
    /// <summary>Questions all of whose gold citations are unresolvable.</summary>
    public required int AllGoldUnresolvable { get; init; }
    public required int UnresolvableGoldCitations { get; init; }
    /// <summary>Questions whose retrieval failed; they count as misses and are listed with their error.</summary>
    public required int RetrievalErrors { get; init; }
    public required int AnswerErrors { get; init; }
}

public sealed record ReportBreakdowns(
    IReadOnlyDictionary<string, GroupSummary> ByTag,
    IReadOnlyDictionary<string, GroupSummary> ByLanguage);

/// <summary>Metrics over the questions of one tag or one language.</summary>
public sealed record GroupSummary(int Questions, int Evaluated, IReadOnlyDictionary<string, double> Metrics);

public sealed record UnresolvableGold(string QuestionId, string Citation);

public enum GoldStatus
{
    /// <summary>The gold resolver mapped it to a provision key.</summary>
    Resolved,
    /// <summary>No resolver was given; it is matched against retrieved citations by normalised citation.</summary>
    ByCitation,
    /// <summary>It names no provision of the corpus.</summary>
    Unresolvable,
}

public sealed record GoldResult(string Citation, string? Key, GoldStatus Status, int? Rank);

public sealed record RetrievedResult(int Rank, string Key, string Citation, double Score, bool Relevant);

public sealed record QuestionResult
{
    public required string Id { get; init; }
    public required string Question { get; init; }
    public required string Language { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required IReadOnlyList<GoldResult> Gold { get; init; }
    /// <summary>The top of the ranking (how many is configurable); gold ranks above cover the whole top k.</summary>
    public required IReadOnlyList<RetrievedResult> Retrieved { get; init; }
    /// <summary>True when the question counts towards retrieval metrics.</summary>
    public required bool Evaluated { get; init; }
    /// <summary>Per-question <c>recall@k</c>, <c>mrr@10</c>, <c>ndcg@10</c>, <c>ap</c>; empty when not evaluated.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    public required double LatencyMs { get; init; }
    public string? Error { get; init; }
    public AnswerOutcome? Answer { get; init; }
    /// <summary>The day the question was asked as of; null: today.</summary>
    public DateOnly? AsOf { get; init; }
}

public sealed record AnswerOutcome
{
    public required string Answer { get; init; }
    public required bool Refused { get; init; }
    public required IReadOnlyList<AnswerCitationOutcome> Citations { get; init; }
    /// <summary>Share of distinct cited provisions that are gold; null when nothing was cited or there is no gold.</summary>
    public double? CitationPrecision { get; init; }
    /// <summary>Share of resolvable gold provisions cited; null when there is no resolvable gold.</summary>
    public double? CitationRecall { get; init; }
    /// <summary>Whether refusing (or not) was right: refused exactly when tagged should_refuse.</summary>
    public required bool RefusalCorrect { get; init; }
    /// <summary>Every cited provision exists and every quote is in it verbatim; null when not checked.</summary>
    public bool? Grounded { get; init; }
    /// <summary>For a question asked as of a day: a gold provision is cited in the version in force that day. Null when the
    /// question has no day, should be refused, or the cited gold carries no validity dates to tell its version by.</summary>
    public bool? PointInTime { get; init; }
    public required double LatencyMs { get; init; }
    public string? Error { get; init; }
}

public sealed record AnswerCitationOutcome(string Citation, string? ProvisionId, string? Quote, string? ResolvedKey, bool MatchesGold, string? Problem,
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null);
