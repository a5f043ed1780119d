using LegalRag.Core.Domain;
using LegalRag.Core.References;
using static LegalRag.Core.Languages.PackSupport;

namespace LegalRag.Core.Languages;

/// <summary>German: federal law (gesetze-im-internet.de), GerLayQA.</summary>
public sealed class GermanLanguage : ILegalLanguage
{
    public string Code => "de";

    public IReadOnlySet<string> Stopwords { get; } = Words(
        "aber als also am an auch auf aus bei bin bis bist da damit dann das dass dem den denn der des dich die dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer fur gegen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in ist ja jede jedem jeden jeder jedes kann kein keine konnen konnte mich mein meine meinem meinen meiner mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so soll sollte sondern uber um und uns unser unter vom von vor war waren was weil welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde wurden zu zum zur zwar zwischen darf dass gibt geht muss mussen bzw");

    public string Stem(string token) => GermanStemmer.Stem(token);

    public StructureMarkers Structure { get; } = new()
    {
        PreambleHeading = "Präambel",
        ClosingHeading = "Schlussformel",
        RepealedInParentheses = ["weggefallen", "aufgehoben"],
        RepealedAlone = ["weggefallen", "aufgehoben"],
        ProvisionMarkers = [@"§§?", @"Art\.?", "Artikel", @"Art(?=\s)"],
        AnnexWords = ["Anlage", "Anhang"],
        PreambleNames = ["Eingangsformel", "Präambel", "Praeambel", "Inhaltsübersicht", "Inhaltsverzeichnis"],
        ClosingNames = [@"Schlu(?:ss|ß)formel", @"Schlussbestimmung(?:en)?"],
        // BGB: Abschnitt > Titel > Kapitel; SGB: Kapitel > Abschnitt. The order a document opens levels in wins.
        HierarchyLevels = new Dictionary<string, int>
        {
            ["buch"] = 1, ["teil"] = 2, ["abschnitt"] = 3, ["unterabschnitt"] = 4,
            ["titel"] = 5, ["untertitel"] = 6, ["kapitel"] = 7, ["unterkapitel"] = 8,
        },
        HierarchyOrdinals = ["erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebt", "siebent", "acht", "neunt", "zehnt", "elft", "zwölft"],
        ReferenceWordsAfterNumber =
        [
            "Abs", "Absatz", "Absätze", "Abs.", "Satz", "Sätze", "S.", "Nr", "Nr.", "Nrn", "Nrn.", "Nummer", "Nummern",
            "Buchstabe", "Buchst", "Buchst.", "Halbsatz", "Alt", "Alt.", "Alternative", "Unterabsatz", "Unterabs.", "Ziffer",
            "Var.", "Variante", "Anm.", "Rn.", "ff", "ff.", "f.",
        ],
    };

    public string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item)
    {
        var marker = kind switch
        {
            ProvisionKind.Section => "§",
            ProvisionKind.Annex => "Anlage",
            _ => "Art.",
        };
        var core = string.IsNullOrEmpty(number) ? $"{act} {marker}" : $"{act} {marker} {number}";
        var cited = paragraph is null ? core : $"{core} Abs. {paragraph}";
        // "Satz 1 Nr. 2", "Nr. 16a"; lettered items are "Buchst. a". German cites the sentence only where the
        // paragraph has several, which the caller knows, so a null sentence is simply left out.
        var depth = sentence is { } s ? $" Satz {s}" : "";
        if (item is not null) depth += char.IsDigit(item[0]) ? $" Nr. {item}" : $" Buchst. {item}";
        return cited + depth;
    }

    public IReferenceRules? References { get; } = new GermanReferenceRules();

    public SentenceRules Sentences { get; } = new()
    {
        Abbreviations =
        [
            "abs", "nr", "art", "s", "satz", "bzw", "z", "b", "d", "h", "u", "a", "ggf", "vgl", "gem", "i", "v", "m", "buchst", "lit", "ff", "f",
            "anh", "anl", "abschn", "bgbl", "co", "dr", "evtl", "inkl", "insb", "max", "mind", "sog", "st", "str", "usw", "zb", "ziff", "gg", "kg", "e", "nrn", "sa", "hs",
        ],
        ReferenceWords = ["§", "§§", "satz", "sätze", "abs", "absatz", "absätze", "nr", "nummer", "art", "artikel", "buchstabe", "anlage"],
    };

    public AnswerTexts Answers => GermanTexts.Answers;
    public PromptTexts Prompts => GermanTexts.Prompts;
    public ExportTexts Export => GermanTexts.Export;
    public QuestionCues Questions => GermanQuestionCues.Cues;

    public DetectionCues Detection { get; } = new()
    {
        Words = Words("der das und ist nicht ich mein meine meinem meinen mir mich wie was wer wann warum welche welcher darf kann muss konnen mussen ein eine einen einem dem den des zu zum zur mit auf fur von bei nach oder wenn auch sich sie wird werden hat haben gilt uber durch mieter vermieter gesetz"),
        Letters = new Dictionary<char, double> { ['ß'] = 2, ['ä'] = 0.5, ['ö'] = 0.5, ['ü'] = 0.5, ['Ä'] = 0.5, ['Ö'] = 0.5, ['Ü'] = 0.5 },
    };

    // Folded, lower-case word stems of the kinds of instrument, matched at the start of a title word or
    // inside compounds; checked in this order.
    public IReadOnlyList<ActKindRule> ActKinds { get; } =
    [
        new(ActKind.Amending, ["anderungsgesetz", "anderungsverordnung", "zur anderung", "zur neuregelung", "gesetz zur anderung", "bereinigungsgesetz", "aufhebungsgesetz"]),
        new(ActKind.Transitional, ["uberleitung", "ubergangs", "einfuhrungsgesetz", "anpassungsgesetz", "einigungsvertrag", "ausfuhrungsgesetz"]),
        new(ActKind.Treaty, ["abkommen", "ubereinkommen", "vertragsgesetz", "zustimmungsgesetz", "protokoll", "vertrag vom", "vertrag zwischen", "notenwechsel"]),
        new(ActKind.Ordinance, ["verordnung", "bekanntmachung", "erlass", "richtlinie", "satzung", "anordnung"]),
    ];

    public ActNameRules ActNames { get; } = new() { InflectionEndings = ["es", "en", "s", "e"] };

    public DateWords Dates => GermanDates.Words;

    public IReadOnlySet<string> ReferringWords { get; } = Words("das dies diese dieser dieses dem den der dort dabei dafur dagegen daran darauf davon dazu er sie es ihm ihr und auch was wie wenn aber sonst");
}

/// <summary>
/// German inflection is mostly -e, -en, -er, -es, -em, -ern, -s, -n (umlauts are already folded). "Light" on
/// purpose: legal terms must not collapse into each other ("Miete" and "Mieter" may meet, "Mietvertrag" stays).
/// </summary>
internal static class GermanStemmer
{
    private static readonly string[] Suffixes = ["ungen", "ern", "em", "en", "er", "es", "e", "n"];

    // Genitive/plural "s" goes first, then one inflection suffix: "Vermieters" → "vermieter" → "vermiet".
    public static string Stem(string w)
    {
        if (w.Length > 5 && w[^1] == 's' && w[^2] != 's') w = w[..^1];
        foreach (var s in Suffixes)
        {
            if (w.Length - s.Length >= 4 && w.EndsWith(s, StringComparison.Ordinal))
                return s == "ungen" ? w[..^2] : w[..^s.Length];
        }
        return w;
    }
}
