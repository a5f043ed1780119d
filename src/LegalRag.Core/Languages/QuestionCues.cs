using System.Text.RegularExpressions;
using LegalRag.Core.Text;

namespace LegalRag.Core.Languages;

/// <summary>What a question asks for, as far as its wording tells: the kind of statement that answers it.</summary>
public enum QuestionKind
{
    /// <summary>"Wie lange …", "quel délai", "hoe lang": a period or deadline.</summary>
    Duration,
    /// <summary>"Wie hoch …", "combien", "hoeveel": a sum, rate or share.</summary>
    Amount,
    /// <summary>"Darf ich …", "peut-on", "mag ik": a permission, duty or its condition.</summary>
    Permission,
    /// <summary>"Wer …", "qui", "wie": the party the rule addresses.</summary>
    Party,
}

/// <summary>A question kind: how a question asks for it, and how a statute sentence says it.</summary>
public sealed record QuestionCue(QuestionKind Kind, Regex Asks, Regex Says);

/// <summary>
/// One language's knowledge for composing answers: which kinds of information a question asks for and
/// which sentences carry them, and which question words say nothing about the topic ("Recht",
/// "Frage") so that matching only them does not make a provision relevant. Each language's cues live
/// in its pack (<c>Languages/&lt;lang&gt;/</c>); a language without any simply gets no cue bonus.
/// </summary>
public sealed class QuestionCues
{
    private readonly HashSet<string> _genericTerms;

    public QuestionCues(string language, IReadOnlyList<QuestionCue> cues, IEnumerable<string> genericWords)
    {
        Language = language;
        Cues = cues;
        // Generic words are compared as the question's terms are: analyzed (folded, stemmed) in this language.
        var analyzer = new TextAnalyzer(language);
        _genericTerms = new HashSet<string>(genericWords.SelectMany(analyzer.Analyze), StringComparer.Ordinal);
    }

    public string Language { get; }
    public IReadOnlyList<QuestionCue> Cues { get; }

    /// <summary>True for an analyzed question term that names no topic (see <see cref="QuestionCues"/>).</summary>
    public bool IsGeneric(string term) => _genericTerms.Contains(term);

    /// <summary>The kinds of information the question asks for, in the order the cues list them.</summary>
    public IReadOnlyList<QuestionKind> Asked(string question) =>
        Cues.Where(c => c.Asks.IsMatch(question)).Select(c => c.Kind).Distinct().ToList();

    /// <summary>Whether a statute sentence carries information of <paramref name="kind"/>.</summary>
    public bool Says(QuestionKind kind, string sentence) => Cues.Any(c => c.Kind == kind && c.Says.IsMatch(sentence));

    /// <summary>The cues of the answer language's pack (English for a language answers are not written in).</summary>
    public static QuestionCues For(string language) => LanguageRegistry.Default.ForAnswers(language).Questions;

    // Interpreted, not compiled: the sentences are short, and compiling some thirty patterns costs a
    // one-off process start (CLI, evaluation) more than matching saves.
    internal static Regex Pattern(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
}
