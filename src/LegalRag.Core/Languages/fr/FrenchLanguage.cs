using LegalRag.Core.Domain;
using LegalRag.Core.References;
using static LegalRag.Core.Languages.PackSupport;

namespace LegalRag.Core.Languages;

/// <summary>French: the Code civil (Légifrance).</summary>
public sealed class FrenchLanguage : ILegalLanguage
{
    public string Code => "fr";

    public IReadOnlySet<string> Stopwords { get; } = Words(
        "a au aux avec ce ces cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y est sont ete etre avoir a ont peut");

    public string Stem(string token) => FrenchStemmer.Stem(token);

    public StructureMarkers Structure { get; } = new()
    {
        PreambleHeading = "Préambule",
        ClosingHeading = "Formule finale",
        RepealedInParentheses = ["abrogé", "abrogée"],
        RepealedAlone = ["abrogé"],
        ProvisionMarkers = ["Article", "ARTICLE"],
        AnnexWords = ["Annexe"],
        PreambleNames = ["Préambule", "Preambule"],
        HierarchyLevels = new Dictionary<string, int>
        {
            ["livre"] = 1, ["partie"] = 2, ["titre"] = 3, ["sous-titre"] = 4,
            ["chapitre"] = 5, ["section"] = 6, ["sous-section"] = 7, ["paragraphe"] = 8,
        },
        FirstNumberWords = ["Ier", "ier", "1er", "premier", "première", "unique", "préliminaire"],
    };

    public string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item) =>
        $"{act}, {(kind == ProvisionKind.Annex ? "annexe" : "art.")} {number}"
        + (paragraph is null ? "" : $", al. {paragraph}")
        // Items are numbered "1°", "2°"; lettered ones ("a") are cited as written.
        + (item is null ? "" : $", {(char.IsDigit(item[0]) ? item + "°" : item)}");

    public IReferenceRules? References { get; } = new FrenchReferenceRules();

    public SentenceRules Sentences { get; } = new()
    {
        Abbreviations = ["al", "alin", "c", "cf", "ex", "etc", "mme", "mm", "p", "no", "n°", "ss", "coll"],
        ReferenceWords = ["article", "art", "al", "alinéa"],
    };

    public AnswerTexts Answers => FrenchTexts.Answers;
    public PromptTexts Prompts => FrenchTexts.Prompts;
    public ExportTexts Export => FrenchTexts.Export;
    public QuestionCues Questions => FrenchQuestionCues.Cues;

    public DetectionCues Detection { get; } = new()
    {
        Words = Words("le la les un une des du de et est que qui quoi quel quelle quels quelles comment pourquoi peut puis dois doit mon ma mes je il elle ce cette dans pour par sur avec pas ne au aux sont selon loi droit si"),
        Letters = new Dictionary<char, double>
        {
            ['é'] = 1, ['è'] = 1, ['ê'] = 1, ['à'] = 1, ['ç'] = 1, ['ù'] = 1, ['â'] = 1, ['î'] = 1, ['ô'] = 1, ['û'] = 1, ['É'] = 1,
        },
    };

    // Folded, lower-case word stems of the kinds of instrument, matched at the start of a title word or
    // inside compounds; checked in this order.
    public IReadOnlyList<ActKindRule> ActKinds { get; } =
    [
        new(ActKind.Amending, ["portant modification", "modifiant"]),
        new(ActKind.Transitional, ["transitoire"]),
        new(ActKind.Treaty, ["convention", "accord", "traite", "protocole"]),
        new(ActKind.Ordinance, ["decret", "arrete", "ordonnance", "circulaire"]),
    ];

    public ActNameRules ActNames { get; } = new();

    public DateWords Dates => FrenchDates.Words;

    public IReadOnlySet<string> ReferringWords { get; } = Words("cela ca ce cet cette ces il elle ils elles y en et aussi alors sinon");
}

internal static class FrenchStemmer
{
    private static readonly string[] Suffixes =
        ["issements", "issement", "ements", "ement", "ations", "ation", "euses", "euse", "ives", "ive", "ifs", "if", "aux", "es", "er", "s", "x", "e"];

    public static string Stem(string w)
    {
        foreach (var s in Suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal))
                return s == "aux" ? w[..^3] + "al" : w[..^s.Length];
        }
        return w;
    }
}
