using System.Text.RegularExpressions;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Common;

/// <summary>
/// Finds an act's official abbreviation in its title ("Bürgerliches Gesetzbuch (BGB)") or file name
/// ("BGB_gesetze-im-internet.pdf"), for formats that have no metadata field for it.
/// </summary>
internal static partial class ActNames
{
    // "(BGB)", "(AbfAEV)", "(See-ArbZNV)", "(SGB VI)": short, starts upper case, has a second capital.
    [GeneratedRegex(@"\((?<abbr>[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9\-]{0,15}(?: [A-Z0-9IVX]{1,5})?)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingAbbreviation();

    [GeneratedRegex(@"^(?<abbr>[A-ZÄÖÜ][A-Za-zÄÖÜäöü0-9]*[A-ZÄÖÜ][A-Za-zÄÖÜäöü0-9]*)(?=$|[_\s.])", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingAcronym();

    // A title worth taking an abbreviation from names a kind of act; "Risikodeckungspotenzial … (IFRS)" does not.
    [GeneratedRegex(@"gesetz|verordnung|ordnung|abkommen|vertrag|satzung|richtlinie|statut|code|wet\b|wetboek|besluit|regeling|loi\b|règlement|décret|ordonnance|act\b|regulation|directive|convention",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ActWord();

    /// <summary>The abbreviation in parentheses at the end of a title, if it looks like one (two capitals at least).</summary>
    public static string? AbbreviationInTitle(string title)
    {
        var m = TrailingAbbreviation().Match(Whitespace.Collapse(title));
        if (!m.Success) return null;
        var abbr = m.Groups["abbr"].Value;
        return abbr.Count(char.IsUpper) >= 2 && abbr.Length <= 20 ? abbr : null;
    }

    /// <summary>The title with a trailing "(ABBR)" removed.</summary>
    public static string WithoutTrailingAbbreviation(string title)
    {
        var t = Whitespace.Collapse(title);
        var m = TrailingAbbreviation().Match(t);
        return m.Success && AbbreviationInTitle(t) is not null ? t[..m.Index].Trim() : t;
    }

    /// <summary>An acronym that opens a file name: "BGB_gesetze-im-internet" → "BGB"; "a_abfaev_…" → null.</summary>
    public static string? AcronymInFileName(string fileNameWithoutExtension)
    {
        var m = LeadingAcronym().Match(fileNameWithoutExtension);
        return m.Success && m.Groups["abbr"].Value.Length <= 20 ? m.Groups["abbr"].Value : null;
    }

    /// <summary>
    /// Looks for "Title (ABBR)" among the first lines of a document, allowing the abbreviation on a line of
    /// its own under a title of one or two lines.
    /// </summary>
    public static (string Title, string Abbreviation)? FindTitleWithAbbreviation(IReadOnlyList<string> firstLines)
    {
        for (var i = 0; i < firstLines.Count; i++)
        {
            var line = Whitespace.Collapse(firstLines[i]);
            var abbr = AbbreviationInTitle(line);
            if (abbr is null) continue;
            var title = WithoutTrailingAbbreviation(line);
            // "Verordnung über … / (AbfAEV)": the abbreviation on its own line under a title of one or two lines.
            if (title.Length == 0)
                title = string.Join(' ', firstLines.Skip(Math.Max(0, i - 2)).Take(Math.Min(i, 2)).Select(Whitespace.Collapse));
            if (title.Length >= 3 && char.IsUpper(title[0]) && ActWord().IsMatch(title) && !HeadingClassifier.Classify(title).IsProvision)
                return (title, abbr);
        }
        return null;
    }
}
