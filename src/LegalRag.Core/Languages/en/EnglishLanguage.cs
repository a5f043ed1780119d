using LegalRag.Core.Domain;
using LegalRag.Core.References;
using static LegalRag.Core.Languages.PackSupport;

namespace LegalRag.Core.Languages;

/// <summary>English: the COLIEE translation of the Japanese Civil Code; answers to unsupported languages.</summary>
public sealed class EnglishLanguage : ILegalLanguage
{
    public string Code => "en";

    public IReadOnlySet<string> Stopwords { get; } = Words(
        "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its may me my no not of on or our shall she should so such than that the their them then there these they this those to was we were what when where which who whom will with would you your");

    public string Stem(string token) => EnglishStemmer.Stem(token);

    public StructureMarkers Structure { get; } = new()
    {
        RepealedInParentheses = ["repealed"],
        ProvisionMarkers = ["Article"],
        AnnexWords = ["Annex"],
        HierarchyLevels = new Dictionary<string, int> { ["book"] = 1, ["part"] = 2, ["chapter"] = 5, ["section"] = 6 },
    };

    public string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item) =>
        $"{act} {(kind == ProvisionKind.Annex ? "Annex" : "Article")} {number}"
        + (paragraph is null ? "" : $"({paragraph})")
        + (item is null ? "" : $"({item})");

    // No reference rules yet: English acts are not cross-referenced.
    public IReferenceRules? References => null;

    public SentenceRules Sentences { get; } = new()
    {
        Abbreviations = ["e.g", "i.e", "mr", "mrs", "sec", "para", "paras", "no", "nos", "ch", "vs", "cl"],
        ReferenceWords = ["section", "paragraph", "para", "sec"],
    };

    public AnswerTexts Answers => EnglishTexts.Answers;
    public PromptTexts Prompts => EnglishTexts.Prompts;
    public ExportTexts Export => EnglishTexts.Export;
    public QuestionCues Questions => EnglishQuestionCues.Cues;

    public DetectionCues Detection { get; } = new()
    {
        Words = Words("the a an and is are not i my me what who how why which when may can must should does do of to for with on by if it this that be landlord tenant law"),
    };

    // Folded, lower-case word stems of the kinds of instrument, matched at the start of a title word or
    // inside compounds; checked in this order.
    public IReadOnlyList<ActKindRule> ActKinds { get; } =
    [
        new(ActKind.Amending, ["amendment", "amending"]),
        new(ActKind.Transitional, ["transitional"]),
        new(ActKind.Treaty, ["treaty", "convention", "agreement", "protocol"]),
        new(ActKind.Ordinance, ["regulation", "order", "decree"]),
    ];

    public ActNameRules ActNames { get; } = new();

    public DateWords Dates => EnglishDates.Words;

    public IReadOnlySet<string> ReferringWords { get; } = Words("it its this that these those they them there and also what about then instead so");
}

internal static class EnglishStemmer
{
    private static readonly string[] Suffixes = ["ations", "ation", "ments", "ment", "ings", "ing", "ed", "es", "s"];

    public static string Stem(string w)
    {
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) return w[..^3] + "y";
        foreach (var s in Suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal) && !w.EndsWith("ss", StringComparison.Ordinal))
                return w[..^s.Length];
        }
        return w;
    }
}
