using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Retrieval;

namespace LegalRag.Evaluation.Running;

/// <summary>What <c>legalrag eval run</c> was asked to do.</summary>
public sealed record EvalRunOptions
{
    public required string SetPath { get; init; }
    public QuestionSetFormat Format { get; init; } = QuestionSetFormat.Auto;
    /// <summary>Corpus searched and used to resolve gold; null searches everything.</summary>
    public string? Corpus { get; init; }
    /// <summary>Results retrieved per question (1–1000). Recall@k for k above it counts only these.</summary>
    public int K { get; init; } = 100;
    /// <summary>Folder for report.json and report.html; null writes nothing (the report is still returned).</summary>
    public string? OutputDirectory { get; init; }
    public string? BaselinePath { get; init; }
    /// <summary>A metric that drops by more than this (absolute, 0.01 = one point) against the baseline fails the gate.</summary>
    public double Tolerance { get; init; } = 0.01;
    /// <summary>Questions in flight at once; 0 means one per core.</summary>
    public int Parallelism { get; init; }
    /// <summary>Evaluate only the first N questions (quick checks); null evaluates all.</summary>
    public int? Limit { get; init; }
    public int BootstrapResamples { get; init; } = 1000;
    public ulong BootstrapSeed { get; init; } = 20240611;
    /// <summary>How many top results each question keeps in the report (gold ranks cover all k regardless).</summary>
    public int RetrievedInReport { get; init; } = 10;
    /// <summary>The act a bare gold citation of a public set refers to; null uses the format's own.</summary>
    public string? ActForBareGold { get; init; }
    /// <summary>The day questions without their own <c>asOf</c> are asked as of (--as-of); null: today.</summary>
    public DateOnly? AsOf { get; init; }
    /// <summary>Identifies the searched corpus contents, e.g. a hash the store computes over its documents.</summary>
    public string? CorpusSnapshot { get; init; }
    /// <summary>Where the searched corpora's documents came from (publishers, origins, retrieval times).</summary>
    public IReadOnlyList<Core.Domain.CorpusProvenance> CorpusSources { get; init; } = [];
    /// <summary>Model files used (embedding, reranker, tokenizer); their SHA-256 goes in the report.</summary>
    public IReadOnlyList<string> ModelFiles { get; init; } = [];
    /// <summary>Settings that shape results (fusion weights, analyzer options…), recorded verbatim.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();
    public QuestionSetLimits Limits { get; init; } = QuestionSetLimits.Default;
}

/// <summary>The implementations an evaluation runs against. Only the retriever is required.</summary>
public sealed record EvalServices(IEvalRetriever Retriever)
{
    /// <summary>Maps gold citations to provision keys; without it gold is matched by normalised citation
    /// and unresolvable gold cannot be told from a miss.</summary>
    public IGoldResolver? GoldResolver { get; init; }
    /// <summary>The answer path; when set, every question is also asked and answers are scored.</summary>
    public IAnswerClient? AnswerClient { get; init; }
    /// <summary>Provision texts for groundedness checks of answers.</summary>
    public IProvisionTextLookup? ProvisionText { get; init; }
}

/// <summary>Progress of a run, reported after each question (from several threads; Completed only grows).</summary>
public readonly record struct EvalProgress(int Completed, int Total);

public sealed record EvalRunResult(EvalReport Report, string? ReportJsonPath, string? ReportHtmlPath, ReportComparison? Comparison)
{
    /// <summary>True when a baseline was given and a metric dropped beyond tolerance.</summary>
    public bool Regressed => Comparison is { Passed: false };
}
