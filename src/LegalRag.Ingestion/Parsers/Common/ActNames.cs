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

    // "Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten": a book of a code.
    [GeneratedRegex(@"^(?<code>[A-Z][\w ]*?Wetboek(?: van [A-Z]?\w+)?)\s+Boek\s+(?<book>\d{1,2}[a-zA-Z]?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DutchCodeBook();

    // "Wet van 4 juni 1992, houdende … (Algemene wet bestuursrecht)": the citeertitel in parentheses.
    // A lower-case parenthesis ("(aanpassing profielen tweede fase vwo en havo)") describes an amendment; it is no name.
    [GeneratedRegex(@"\((?<short>\p{Lu}[^()]{2,80})\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DutchShortTitle();

    // "Wet van 27 oktober 1965, houdende regelen omtrent de ontgrondingen": no citeertitel; cited by kind and date.
    [GeneratedRegex(@"^(?<dated>(?:Wet|Rijkswet|Besluit|Koninklijk [Bb]esluit|Regeling|Verdrag|Wetboek) van (?:den )?\d{1,2}(?:ste|sten|de|den)? \w+ \d{4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex DutchDatedTitle();

    // "Grondwet voor het Koninkrijk der Nederlanden van 24 augustus 1815": the one-word name in front.
    [GeneratedRegex(@"^(?<name>[A-Z]\w*(?:wet|wetboek))\s+(?:voor|van|op|der|houdende|tot)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DutchNamedLaw();

    /// <summary>
    /// How Dutch lawyers cite an act, from its title: a book of a code by the code's initials and the book
    /// ("BW", book "7": "art. 7:201 BW"), an act with a citeertitel by it ("art. 3 Algemene wet bestuursrecht",
    /// its initials "Awb" become an alias at storage), other acts by kind and date ("art. 3 Wet van 27 oktober 1965").
    /// Null when the title is short enough to cite by itself ("Grondwet voor het Koninkrijk der Nederlanden …" is not).
    /// </summary>
    public static (string? Name, string? Book) DutchCitationName(string title)
    {
        if (DutchCodeBook().Match(title) is { Success: true } b)
            return (Core.Citations.ActAliases.Initials(b.Groups["code"].Value), b.Groups["book"].Value);
        if (DutchShortTitle().Match(title) is { Success: true } s) return (s.Groups["short"].Value.Trim(), null);
        if (DutchDatedTitle().Match(title) is { Success: true } d) return (d.Groups["dated"].Value, null);
        if (DutchNamedLaw().Match(title) is { Success: true } n) return (n.Groups["name"].Value, null);
        // A long title without any of these ("Tarieven van justitie-kosten en salarissen in burgerlijke zaken,
        // vastgesteld bij …") is cited by its opening clause, which a citation can hold.
        var comma = title.IndexOf(',', StringComparison.Ordinal);
        if (title.Length > 60 && comma > 0) return (title[..comma].Trim(), null);
        return (null, null);
    }

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
