using LegalRag.Core.Domain;
using LegalRag.Core.References;
using static LegalRag.Core.Languages.PackSupport;

namespace LegalRag.Core.Languages;

/// <summary>
/// Estonian: questions, answers and citations (Riigi Teataja XML is read). The pack has no stopwords,
/// stemmer, structure markers or reference rules yet; docs/languages.md says how to add them.
/// </summary>
public sealed class EstonianLanguage : ILegalLanguage
{
    public string Code => "et";

    public IReadOnlySet<string> Stopwords { get; } = new HashSet<string>();

    // No stemmer yet: index terms are the folded words.
    public string Stem(string token) => token;

    public StructureMarkers Structure { get; } = new();

    /// <summary>
    /// Riigi Teataja style, the act's abbreviation first: "PõRS § 25¹ lg 2 p 3" (paragrahv, lõige, punkt).
    /// EU-style articles are "art", annexes "lisa"; sentences are not cited.
    /// </summary>
    public string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item)
    {
        var marker = kind switch
        {
            ProvisionKind.Section => "§",
            ProvisionKind.Annex => "lisa",
            _ => "art",
        };
        var core = string.IsNullOrEmpty(number) ? $"{act} {marker}" : $"{act} {marker} {number}";
        return core + (paragraph is null ? "" : $" lg {paragraph}") + (item is null ? "" : $" p {item}");
    }

    public IReferenceRules? References => null;

    public SentenceRules Sentences { get; } = new()
    {
        Abbreviations = ["lg", "lõik", "jne", "nt", "vt", "nn", "p"],
        ReferenceWords = ["lõige", "punkt"],
    };

    public AnswerTexts Answers => EstonianTexts.Answers;
    public PromptTexts Prompts => EstonianTexts.Prompts;
    public ExportTexts Export => EstonianTexts.Export;
    public QuestionCues Questions => EstonianQuestionCues.Cues;

    public DetectionCues Detection { get; } = new()
    {
        Words = Words("ja on ei kas mis kes kuidas miks millal milline mida kui see seda minu mina ma mul oma voib peab tuleb ning ka et vo seaduse uurnik uurileandja"),
        Letters = new Dictionary<char, double> { ['õ'] = 3, ['Õ'] = 3, ['ä'] = 0.5, ['ö'] = 0.5, ['ü'] = 0.5, ['Ä'] = 0.5, ['Ö'] = 0.5, ['Ü'] = 0.5 },
    };

    // No words yet: every act counts as a statute.
    public IReadOnlyList<ActKindRule> ActKinds { get; } = [];

    public ActNameRules ActNames { get; } = new();

    public IReadOnlySet<string> ReferringWords { get; } = Words("see seda sellel selle need nad ja ka aga siis kui mis");
}

/// <summary>No question cues yet: Estonian questions get no cue bonus.</summary>
internal static class EstonianQuestionCues
{
    // Built on first use, not with the pack: the cues analyze their words through the registry the pack is part of.
    public static QuestionCues Cues { get; } = new("et", [], []);
}
