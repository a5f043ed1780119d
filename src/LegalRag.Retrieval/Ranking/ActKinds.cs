using LegalRag.Core.Text;

namespace LegalRag.Retrieval.Ranking;

/// <summary>What kind of instrument an act is. Everyday questions are answered by statutes far more often
/// than by ordinances, and almost never by amending or transitional acts or by treaties.</summary>
public enum ActKind
{
    Statute,
    Ordinance,
    Amending,
    Transitional,
    Treaty,
}

/// <summary>
/// Classifies acts by the words of their title. The words are each language's own names for the kinds
/// of instrument; a title that names none is a statute.
/// </summary>
public static class ActKinds
{
    // Folded, lower-case word stems; matched at the start of a title word or inside German compounds.
    private static readonly Dictionary<string, (ActKind Kind, string[] Stems)[]> Rules = new(StringComparer.Ordinal)
    {
        ["de"] =
        [
            (ActKind.Amending, ["anderungsgesetz", "anderungsverordnung", "zur anderung", "zur neuregelung", "gesetz zur anderung", "bereinigungsgesetz", "aufhebungsgesetz"]),
            (ActKind.Transitional, ["uberleitung", "ubergangs", "einfuhrungsgesetz", "anpassungsgesetz", "einigungsvertrag", "ausfuhrungsgesetz"]),
            (ActKind.Treaty, ["abkommen", "ubereinkommen", "vertragsgesetz", "zustimmungsgesetz", "protokoll", "vertrag vom", "vertrag zwischen", "notenwechsel"]),
            (ActKind.Ordinance, ["verordnung", "bekanntmachung", "erlass", "richtlinie", "satzung", "anordnung"]),
        ],
        ["fr"] =
        [
            (ActKind.Amending, ["portant modification", "modifiant"]),
            (ActKind.Transitional, ["transitoire"]),
            (ActKind.Treaty, ["convention", "accord", "traite", "protocole"]),
            (ActKind.Ordinance, ["decret", "arrete", "ordonnance", "circulaire"]),
        ],
        ["nl"] =
        [
            (ActKind.Amending, ["wijzigingswet", "reparatiewet", "aanpassingswet", "verzamelwet", "tot wijziging", "afschaffingswet"]),
            (ActKind.Transitional, ["invoeringswet", "overgangswet", "overgangsbepalingen", "implementatiewet"]),
            (ActKind.Treaty, ["verdrag", "overeenkomst", "protocol"]),
            (ActKind.Ordinance, ["besluit", "regeling", "verordening"]),
        ],
        ["en"] =
        [
            (ActKind.Amending, ["amendment", "amending"]),
            (ActKind.Transitional, ["transitional"]),
            (ActKind.Treaty, ["treaty", "convention", "agreement", "protocol"]),
            (ActKind.Ordinance, ["regulation", "order", "decree"]),
        ],
    };

    public static ActKind Classify(string language, string title)
    {
        if (!Rules.TryGetValue(LegalRag.Core.Citations.CitationFormatter.NormalizeLanguage(language), out var rules)) return ActKind.Statute;
        var folded = " " + TextAnalyzer.Normalize(title.AsSpan(), foldDiacritics: true).Replace('-', ' ') + " ";
        foreach (var (kind, stems) in rules)
            foreach (var stem in stems)
                if (folded.Contains(stem, StringComparison.Ordinal)) return kind;
        return ActKind.Statute;
    }
}
