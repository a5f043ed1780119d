using LegalRag.Core.Domain;
using LegalRag.Core.Languages;
using LegalRag.Core.Text;

namespace LegalRag.Retrieval.Ranking;

/// <summary>
/// Classifies acts by the words of their title. The words are each language pack's own names for the kinds
/// of instrument; a title that names none is a statute.
/// </summary>
public static class ActKinds
{
    public static ActKind Classify(string language, string title)
    {
        if (LanguageRegistry.Default.Find(language) is not { } pack) return ActKind.Statute;
        var folded = " " + TextAnalyzer.Normalize(title.AsSpan(), foldDiacritics: true).Replace('-', ' ') + " ";
        foreach (var (kind, stems) in pack.ActKinds)
            foreach (var stem in stems)
                if (folded.Contains(stem, StringComparison.Ordinal)) return kind;
        return ActKind.Statute;
    }
}
