using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Core.References;

namespace LegalRag.Core.Languages;

/// <summary>
/// German references: "§ 573 Abs. 2", "§§ 535 bis 548", "§ 1 und 2", "Artikel 3 des Grundgesetzes",
/// "§ 3 AO", "§ 433 des Bürgerlichen Gesetzbuchs", "der Abgabenordnung", "dieses Gesetzes".
/// "nach Satz 1" and "Absatz 2" point inside the same provision and are not references.
/// </summary>
public sealed partial class GermanReferenceRules : IReferenceRules
{
    public string Language => "de";

    [GeneratedRegex(@"(?<![\w§])(?<marker>§§?|Art\.|Artikeln?)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G\d{1,4}[a-z]?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    // "Abs. 2 Satz 1 Nr. 3 Buchstabe b": finer than the provision, read over.
    [GeneratedRegex(@"\G(?:\s*(?:Abs\.|Absatz|Satz|S\.|Nr\.|Nummer|Buchst\.|Buchstabe|Halbsatz|Alt\.|Alternative)\s*\d{0,3}[a-z]?\b)+", RegexOptions.CultureInvariant)]
    private static partial Regex Pinpoint();

    [GeneratedRegex(@"\G\s*(?:,|und|oder|bis|sowie)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\G\s+(?:dieses|dieser)\s+(?:Gesetzes|Verordnung|Buches|Ordnung|Satzung)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SameAct();

    // "des Bürgerlichen Gesetzbuchs", "des Handelsgesetzbuches", "der Abgabenordnung", "des Zehnten Buches Sozialgesetzbuch".
    [GeneratedRegex(@"\G\s+(?:des|der)\s+(?<title>(?:[A-ZÄÖÜ][\wäöüß-]*\s+){0,3}?(?:[A-ZÄÖÜ][\wäöüß-]*?)?(?:[Gg]esetz(?:buch)?(?:es|s)?|[Oo]rdnung|[Aa]bkommens|[Vv]ertrag(?:e?s)?)\b(?:\s+\((?<abbr>[A-ZÄÖÜ][\wÄÖÜäöüß-]{1,15})\))?)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedByTitle();

    // "§ 3 AO", "§ 35 SGB X", "Art. 20 GG": an abbreviation right after the number.
    [GeneratedRegex(@"\G\s+(?<abbr>[A-ZÄÖÜ][A-Za-zÄÖÜäöüß]*[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*(?:\s+[IVX]{1,4}\b)?)(?![\wÄÖÜäöüß])", RegexOptions.CultureInvariant)]
    private static partial Regex NamedByAbbreviation();

    private static readonly ReferenceLists.ListPatterns Patterns = new(Number(), Pinpoint(), Separator(), s => s == "bis");

    // Upper-case words that follow numbers without naming an act (the official gazette, a currency).
    private static readonly HashSet<string> NotActs = new(StringComparer.Ordinal) { "BGBl", "EUR", "DM", "EG", "EU", "EWG" };

    public IReadOnlyList<ReferenceMention> Find(string text)
    {
        var result = new List<ReferenceMention>();
        var position = 0;
        while (position < text.Length)
        {
            var m = Marker().Match(text, position);
            if (!m.Success) break;
            var kind = m.Groups["marker"].Value.StartsWith('§') ? ProvisionKind.Section : ProvisionKind.Article;
            var (numbers, end) = ReferenceLists.Read(text, m.Index + m.Length, Patterns);
            position = Math.Max(end, m.Index + m.Length);
            if (numbers.Count == 0) continue;
            string? act = null;
            if (SameAct().Match(text, end) is { Success: true } same) position = same.Index + same.Length;
            else if (NamedByTitle().Match(text, end) is { Success: true } title)
            {
                // "(HGB)" after a title is the abbreviation the title stands for; the title is looked up, both work.
                act = title.Groups["title"].Value.Split(" (")[0];
                position = title.Index + title.Length;
            }
            else if (NamedByAbbreviation().Match(text, end) is { Success: true } abbr && !NotActs.Contains(abbr.Groups["abbr"].Value))
            {
                act = abbr.Groups["abbr"].Value;
                position = abbr.Index + abbr.Length;
            }
            foreach (var n in numbers) result.Add(new ReferenceMention(act, kind, n));
        }
        return result;
    }
}
