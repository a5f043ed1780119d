using System.Globalization;

namespace LegalRag.Core.Languages;

/// <summary>
/// The labels of a case-file export (DOCX and Markdown) in one language; each pack holds its own. Only the labels:
/// the question, the answer and the quotes stay in the language they were written in, and times and days stay UTC
/// ISO 8601 ("2026-11-30 14:05:09 UTC", "2025-01-01"), which no reader in any locale can misread.
/// Placeholders ({0}, {1}, …) are filled with the invariant culture.
/// </summary>
public sealed record ExportTexts
{
    /// <summary>The language of these labels, as the document declares it (DOCX w:lang, core properties): "de".</summary>
    public required string Language { get; init; }
    /// <summary>Title of a whole conversation's export; {0}: its title.</summary>
    public required string ConversationTitle { get; init; }
    /// <summary>Title of one answer's export; {0}: its question.</summary>
    public required string AnswerTitle { get; init; }
    /// <summary>Line under the title; {0}: conversation id, {1}: its user, {2}: when it began, {3}: when it was exported.</summary>
    public required string Header { get; init; }
    /// <summary>Heading over each exchange; {0}: its number.</summary>
    public required string QuestionHeading { get; init; }
    /// <summary>{0}: when the question was asked.</summary>
    public required string Asked { get; init; }
    /// <summary>The day whose law was asked for; {0}: that day.</summary>
    public required string LawAsOf { get; init; }
    /// <summary>When no day was asked for.</summary>
    public required string LawWhenAsked { get; init; }
    /// <summary>{0}: the corpus asked.</summary>
    public required string Corpus { get; init; }
    /// <summary>Put for the corpus when the question was not restricted to one.</summary>
    public required string AllCorpora { get; init; }
    /// <summary>{0}: the answer's language, named in the label language.</summary>
    public required string AnswerLanguage { get; init; }
    /// <summary>How the answer was made; {0}: the mode's name from <see cref="Modes"/>.</summary>
    public required string AnswerMode { get; init; }
    /// <summary>Names of the recorded modes ("extractive", "llm", "extractive-fallback"); a mode not named here is shown as recorded.</summary>
    public required IReadOnlyDictionary<string, string> Modes { get; init; }
    /// <summary>Appended to the mode when the answer was a refusal.</summary>
    public required string NoAnswerFound { get; init; }
    public required string AnswerHeading { get; init; }
    /// <summary>{0}: the notice shown with the answer.</summary>
    public required string Notice { get; init; }
    public required string SourcesHeading { get; init; }
    /// <summary>{0}: the provision's key.</summary>
    public required string Provision { get; init; }
    /// <summary>{0}: the source file.</summary>
    public required string File { get; init; }
    /// <summary>Appended to the file; {0}: the page.</summary>
    public required string Page { get; init; }
    /// <summary>{0}: corpus, {1}: the act source's SHA-256.</summary>
    public required string Snapshot { get; init; }
    /// <summary>Appended to the snapshot; {0}: when the act's source was retrieved.</summary>
    public required string Retrieved { get; init; }
    /// <summary>Appended to the snapshot; {0}: where the act's source was retrieved from.</summary>
    public required string RetrievedFrom { get; init; }
    /// <summary>The snapshot line of an act whose provenance was not recorded; {0}: corpus.</summary>
    public required string SnapshotWithoutProvenance { get; init; }

    /// <summary>A label with its placeholders filled (invariant culture: numbers and days never take a locale's form).</summary>
    public static string Fill(string label, params object?[] values) => string.Format(CultureInfo.InvariantCulture, label, values);

    public string ModeName(string mode) => Modes.TryGetValue(mode, out var name) ? name : mode;
}
