using LegalRag.Core.Domain;
using LegalRag.Core.References;
using static LegalRag.Core.Languages.PackSupport;

namespace LegalRag.Core.Languages;

/// <summary>Dutch: the Burgerlijk Wetboek and other acts (wetten.overheid.nl).</summary>
public sealed class DutchLanguage : ILegalLanguage
{
    public string Code => "nl";

    public IReadOnlySet<string> Stopwords { get; } = Words(
        "aan al als bij dan dat de der deze die dit door een en er had heeft hem het hier hij hoe hun ik in is je kan me men met mij niet nog nu of om ons ook op over te tot u uit van veel voor want was wat we wel werd wie wij worden wordt zal ze zich zij zijn zo");

    public string Stem(string token) => DutchStemmer.Stem(token);

    public StructureMarkers Structure { get; } = new()
    {
        PreambleHeading = "Aanhef",
        ClosingHeading = "Slotformulier",
        // "§ 1" in a Dutch act is a paragraaf between Afdeling and Artikel.
        SectionsAreProvisions = false,
        RepealedInParentheses = ["vervallen"],
        RepealedAlone = ["vervallen"],
        ProvisionMarkers = ["Artikel"],
        AnnexWords = ["Bijlage"],
        PreambleNames = ["Aanhef"],
        HierarchyLevels = new Dictionary<string, int>
        {
            ["boek"] = 1, ["deel"] = 2, ["hoofdstuk"] = 5, ["afdeling"] = 6, ["paragraaf"] = 8,
        },
    };

    // Lawyers cite "art. 7:201 lid 1 onder a BW": the act comes last.
    public string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item) =>
        $"{(kind == ProvisionKind.Annex ? "bijlage" : "art.")} {number}"
        + (paragraph is null ? "" : $" lid {paragraph}")
        + (item is null ? "" : $" onder {item}")
        + $" {act}";

    public IReferenceRules? References { get; } = new DutchReferenceRules();

    public SentenceRules Sentences { get; } = new()
    {
        Abbreviations = ["bijv", "jo", "o", "t", "enz", "nl", "lid", "blz"],
        ReferenceWords = ["lid"],
    };

    public AnswerTexts Answers => DutchTexts.Answers;
    public PromptTexts Prompts => DutchTexts.Prompts;
    public ExportTexts Export => DutchTexts.Export;
    public QuestionCues Questions => DutchQuestionCues.Cues;

    public DetectionCues Detection { get; } = new()
    {
        Words = Words("de het een en is van dat niet ik mijn mij wat wie hoe waarom welke mag kan moet zijn op voor met aan bij als ook er om te wordt worden hebben heeft wet huurder verhuurder"),
        Digraphs = new Dictionary<string, double> { ["ij"] = 0.5 },
    };

    // Folded, lower-case word stems of the kinds of instrument, matched at the start of a title word or
    // inside compounds; checked in this order.
    public IReadOnlyList<ActKindRule> ActKinds { get; } =
    [
        new(ActKind.Amending, ["wijzigingswet", "reparatiewet", "aanpassingswet", "verzamelwet", "tot wijziging", "afschaffingswet"]),
        new(ActKind.Transitional, ["invoeringswet", "overgangswet", "overgangsbepalingen", "implementatiewet"]),
        new(ActKind.Treaty, ["verdrag", "overeenkomst", "protocol"]),
        new(ActKind.Ordinance, ["besluit", "regeling", "verordening"]),
    ];

    public ActNameRules ActNames { get; } = new() { CitedByInitials = true };

    public DateWords Dates => DutchDates.Words;

    public IReadOnlySet<string> ReferringWords { get; } = Words("dit dat deze die het hij zij ze er daar daarbij en ook wat als dan");
}

internal static class DutchStemmer
{
    private static readonly string[] Suffixes = ["heden", "ingen", "en", "e", "s"];

    public static string Stem(string w)
    {
        foreach (var s in Suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal))
            {
                w = s switch { "heden" => w[..^5] + "heid", "ingen" => w[..^2], _ => w[..^s.Length] };
                break;
            }
        }
        // "gg" → "g" after stripping ("leggen" → "legg" → "leg"), as in Dutch spelling rules.
        if (w.Length > 3 && w[^1] == w[^2] && !"aeiou".Contains(w[^1])) w = w[..^1];
        return w;
    }
}
