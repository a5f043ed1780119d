using System.Text.RegularExpressions;
using LegalRag.Core.Languages;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Common;

/// <summary>A hierarchy heading found in plain text: "Titel 2", "Abschnitt 3 Schuldverhältnisse", "Erstes Buch".</summary>
/// <param name="Keyword">The level's name, lowercased: "titel", "buch", "chapitre".</param>
/// <param name="Text">The heading as written (whitespace collapsed).</param>
/// <param name="HasTitle">True when the line carries a title after the number ("Abschnitt 1 Personen").</param>
/// <param name="IsFirst">True for number 1 / I / "Erster": a new, deeper level opens here.</param>
internal sealed record StructuralHeading(string Keyword, string Text, bool HasTitle, bool IsFirst, int Rank);

/// <summary>
/// Heading recognition for formats without heading markup: PDF text lines and DOCX paragraphs without a
/// heading style. <see cref="HeadingClassifier"/> says what a heading *is*; these rules decide whether a
/// line of running text is a heading at all, which the classifier alone cannot: a wrapped line of body
/// text may begin with "§ 573 Abs. 3 angegebenen Gründe".
/// </summary>
internal static partial class HeadingLines
{
    // Words that follow a § or article number in a reference, never in a heading (each language pack's).
    private static readonly HashSet<string> ReferenceWords = new(
        LanguageRegistry.Default.All.SelectMany(l => l.Structure.ReferenceWordsAfterNumber), StringComparer.Ordinal);

    [GeneratedRegex(@"^(?:bis|und|u\.|–|-)\s*\d+[a-z]{0,3}(?:\s*\(|\s*$)", RegexOptions.CultureInvariant)]
    private static partial Regex RangeRest();

    [GeneratedRegex(@"^[A-ZÄÖÜ]{2,}[.,;:]?$", RegexOptions.CultureInvariant)]
    private static partial Regex AcronymWord();

    /// <summary>True when a line of plain text is a provision heading ("§ 573 Ordentliche Kündigung des Vermieters",
    /// "Artikel 17", "§§ 3 bis 6 (weggefallen)") rather than body text that happens to begin with a reference.</summary>
    public static bool IsProvisionHeading(string line)
    {
        var text = Whitespace.Collapse(line);
        if (text.Length == 0 || text.Length > 200) return false;
        var info = HeadingClassifier.Classify(text);
        if (!info.IsProvision) return false;
        var title = info.Title;
        if (title.Length == 0) return true;
        if (title.EndsWith(',') || title.EndsWith(';')) return false;
        // "§§ 3 bis 6 (weggefallen)": a range of sections under one heading.
        if (text.StartsWith("§§", StringComparison.Ordinal) && RangeRest().IsMatch(title)) return true;
        if (char.IsLower(title[0])) return false; // "§ 566 entsprechend.", "Art. 3 und 4 gelten"
        if (title[0] == '§') return false; // "Artikel 247 § 1 Absatz 2 …": a reference into another act
        var firstWord = title.Split(' ', 2)[0];
        if (ReferenceWords.Contains(firstWord) || ReferenceWords.Contains(firstWord.TrimEnd('.', ','))) return false;
        // "§ 573 BGB gilt entsprechend": an act abbreviation right after the number is a reference.
        if (AcronymWord().IsMatch(firstWord) && info.Kind is not Core.Domain.ProvisionKind.Annex) return false;
        return true;
    }

    // Canonical order of hierarchy levels, outermost first, from the language packs. It is only consulted when
    // a document shows a level for the first time with a number above 1 (an excerpt that starts mid-act);
    // otherwise the order in which levels open in the document itself decides, because acts differ (BGB:
    // Abschnitt > Titel > Kapitel; SGB: Kapitel > Abschnitt).
    private static readonly Dictionary<string, int> Ranks = RanksOfAllPacks();

    private static readonly IReadOnlyList<string> Ordinals = LanguageRegistry.Default.All.SelectMany(l => l.Structure.HierarchyOrdinals).ToList();

    // Each pack lists its ordinal of "first" first ("erst").
    private static readonly HashSet<string> FirstOrdinals = new(
        LanguageRegistry.Default.All.Select(l => l.Structure.HierarchyOrdinals).Where(o => o.Count > 0).Select(o => o[0]), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> FirstNumberWords = new(
        LanguageRegistry.Default.All.SelectMany(l => l.Structure.FirstNumberWords), StringComparer.Ordinal);

    private static readonly Regex Structural = new(
        $@"^(?:(?<ord>{string.Join('|', Ordinals.Select(Regex.Escape))})(?:e|er|es|en)\s+)?(?<kw>{string.Join('|', Ranks.Keys.Select(Regex.Escape))})"
        + $@"(?:\s+(?<num>\d{{1,3}}[a-z]?|[IVXLC]{{1,6}}|{string.Join('|', FirstNumberWords.Select(Regex.Escape))}))?\.?(?:\s*[-–:.]?\s+(?<title>\S.*))?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled);

    private static Dictionary<string, int> RanksOfAllPacks()
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pack in LanguageRegistry.Default.All)
        {
            foreach (var (level, rank) in pack.Structure.HierarchyLevels)
            {
                if (ranks.TryGetValue(level, out var other) && other != rank)
                    throw new InvalidOperationException($"Language pack '{pack.Code}' ranks the level '{level}' {rank}, another pack {other}.");
                ranks[level] = rank;
            }
        }
        return ranks;
    }

    /// <summary>Recognises a hierarchy heading line ("Titel 2", "KAPITEL I Allgemeine Bestimmungen", "Zweites Buch").</summary>
    public static bool TryStructural(string line, out StructuralHeading heading)
    {
        heading = null!;
        var text = Whitespace.Collapse(line);
        if (text.Length == 0 || text.Length > 150 || !char.IsUpper(text[0])) return false;
        var m = Structural.Match(text);
        if (!m.Success) return false;
        var hasOrdinal = m.Groups["ord"].Success;
        var number = m.Groups["num"].Value;
        if (!hasOrdinal && number.Length == 0) return false; // a bare word "Teil" is text
        var title = m.Groups["title"].Value.Trim();
        if (title.Length > 0 && !char.IsUpper(title[0]) && !char.IsDigit(title[0]) && title[0] != '(') return false; // "Teil 2 dieser Verordnung gilt"
        var keyword = m.Groups["kw"].Value.ToLowerInvariant();
        var isFirst = hasOrdinal
            ? FirstOrdinals.Contains(m.Groups["ord"].Value)
            : number is "1" or "I" or "i" || FirstNumberWords.Contains(number);
        heading = new StructuralHeading(keyword, text, title.Length > 0, isFirst, Ranks[keyword]);
        return true;
    }
}

/// <summary>
/// Turns a sequence of structural headings into nesting levels. A keyword already open is a sibling of
/// the open one; a new keyword opens a deeper level, unless it starts above 1, in which case the start of
/// that level was not in the text and its canonical rank places it.
/// </summary>
internal sealed class HierarchyLevels(int firstLevel = 1)
{
    private readonly List<StructuralHeading> _open = [];

    public int LevelFor(StructuralHeading heading)
    {
        var index = _open.FindIndex(h => h.Keyword == heading.Keyword);
        if (index >= 0)
        {
            _open.RemoveRange(index, _open.Count - index);
        }
        else if (!heading.IsFirst)
        {
            while (_open.Count > 0 && _open[^1].Rank >= heading.Rank) _open.RemoveAt(_open.Count - 1);
        }
        _open.Add(heading);
        return firstLevel + _open.Count - 1;
    }
}
