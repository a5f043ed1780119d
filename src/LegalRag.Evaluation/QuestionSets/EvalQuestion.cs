namespace LegalRag.Evaluation.QuestionSets;

/// <summary>One evaluation question with the provisions that answer it.</summary>
/// <param name="Id">Unique within its set; reports and comparisons match questions by it.</param>
/// <param name="Language">Two-letter language code of the question ("de", "fr", "en").</param>
/// <param name="GoldCitations">Canonical citations of the provisions that answer it ("BGB § 573").
/// Empty only for questions tagged <c>should_refuse</c>.</param>
/// <param name="ExpectedFacts">Statements a correct answer contains; informative, not scored automatically.</param>
/// <param name="Tags">Free-form labels; by convention <c>topic:…</c>, <c>difficulty:…</c> and <c>should_refuse</c>.</param>
/// <param name="AsOf">The day the question asks about (native sets' optional <c>asOf</c>): retrieval and answers take the law
/// in force then, and the gold is the version in force then. Null: the run's --as-of, else today.</param>
public sealed record EvalQuestion(
    string Id,
    string Question,
    string Language,
    IReadOnlyList<string> GoldCitations,
    IReadOnlyList<string> ExpectedFacts,
    IReadOnlyList<string> Tags,
    DateOnly? AsOf = null)
{
    public const string ShouldRefuseTag = "should_refuse";

    /// <summary>The question is outside what the corpus can answer; a correct system declines it.</summary>
    public bool ShouldRefuse => Tags.Contains(ShouldRefuseTag, StringComparer.Ordinal);
}

/// <summary>The file formats a question set can come in.</summary>
public enum QuestionSetFormat
{
    /// <summary>Decide from the path: <c>.jsonl</c> native, <c>.json</c> GerLayQA, <c>.xml</c> or a folder COLIEE.</summary>
    Auto,
    /// <summary>The project's own hand-written JSONL (see evals/README.md).</summary>
    Native,
    /// <summary>GerLayQA: <c>[{"Question_text": ..., "Paragraphs": ["§ 573", ...]}]</c>.</summary>
    GerLayQa,
    /// <summary>COLIEE statute task: <c>riteval_*.xml</c> pairs, gold articles in <c>&lt;t1&gt;</c>, question in <c>&lt;t2&gt;</c>.</summary>
    Coliee,
}

/// <summary>A loaded question set.</summary>
/// <param name="Name">File (or folder) name without extension; shown in reports.</param>
/// <param name="SourceFiles">Every file read, in reading order.</param>
/// <param name="ContentHash">SHA-256 over the bytes of every file read, so a report names exactly what was asked.</param>
public sealed record QuestionSet(
    string Name,
    QuestionSetFormat Format,
    IReadOnlyList<string> SourceFiles,
    string ContentHash,
    IReadOnlyList<EvalQuestion> Questions);

/// <summary>Input an evaluation cannot use: a malformed set or report file, an empty set. The message names
/// the file and where in it, so it can be shown to the user as is.</summary>
public sealed class EvalInputException : Exception
{
    public EvalInputException(string message) : base(message) { }
    public EvalInputException(string message, Exception inner) : base(message, inner) { }
}
