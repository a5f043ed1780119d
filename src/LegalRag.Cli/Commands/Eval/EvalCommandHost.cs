using LegalRag.Core.Domain;
using LegalRag.Evaluation.Running;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>What <c>eval run</c> asks the application for: the retriever for a mode and corpus, and
/// in-process answers when <see cref="EvaluateAnswers"/> is set (an HTTP <see cref="Server"/> is handled here).</summary>
/// <param name="Mode">The --mode given; null lets the application use its configured default mode.</param>
public sealed record EvalServicesRequest(string? Mode, string? Corpus, bool EvaluateAnswers, Uri? Server);

/// <summary>The services for one run plus what the report should record about them.</summary>
/// <param name="CorpusSnapshot">A hash identifying the corpus contents (e.g. over stored document hashes).</param>
/// <param name="ModelFiles">Model files the services use; the report records their SHA-256.</param>
/// <param name="Configuration">Settings that shape results, recorded verbatim.</param>
/// <param name="CorpusSources">Where the corpus's documents came from, recorded beside the snapshot.</param>
public sealed record EvalSetup(
    EvalServices Services,
    string? CorpusSnapshot = null,
    IReadOnlyList<string>? ModelFiles = null,
    IReadOnlyDictionary<string, string>? Configuration = null,
    IReadOnlyList<CorpusProvenance>? CorpusSources = null);

/// <summary>
/// The application side of the <c>eval</c> commands. The CLI supplies factories over its store and search
/// services; the commands themselves know nothing of storage, so they live here, not in the CLI.
/// </summary>
public sealed class EvalCommandHost
{
    /// <summary>Builds the services for a run. Throwing <see cref="QuestionSets.EvalInputException"/> reports a clear
    /// error (e.g. unknown mode or corpus).</summary>
    public required Func<EvalServicesRequest, CancellationToken, Task<EvalSetup>> CreateServices { get; init; }

    /// <summary>Stores one imported document into a corpus (creating the corpus), through the normal ingestion
    /// pipeline (chunking, indexing, embedding). When null, <c>eval import-corpus</c> is not offered.</summary>
    public Func<CorpusInfo, LegalDocument, CancellationToken, Task>? StoreDocument { get; init; }

    /// <summary>Renders progress (e.g. a Spectre bar). The default draws a text bar on the error stream
    /// when it is a terminal, and nothing when output is redirected.</summary>
    public Func<TextWriter, IProgressSink>? CreateProgress { get; init; }

    /// <summary>Where <c>eval run</c> writes reports when <c>--out</c> is not given: {this}/{set}-{mode}.</summary>
    public string DefaultReportRoot { get; init; } = Path.Combine("evals", "reports");

    /// <summary>Where <c>eval export-feedback</c> reads when <c>--feedback</c> is not given (asked only then).</summary>
    public Func<string> DefaultFeedbackPath { get; init; } = () => Path.Combine("data", "feedback.jsonl");

    /// <summary>The HTTP client used for <c>--server</c>; null creates one with a 5-minute timeout per question.</summary>
    public HttpClient? AnswerHttpClient { get; init; }
}

/// <summary>A progress display for one run; disposed when the run ends.</summary>
public interface IProgressSink : IProgress<EvalProgress>, IDisposable;
