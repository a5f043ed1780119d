using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Core.Languages;

namespace LegalRag.Core.Citations;

/// <summary>How strongly an alias names an act; a lookup takes the best tier that matches and no other.</summary>
public enum ActAliasTier
{
    /// <summary>The act's canonical name (its abbreviation as the source gives it, else its title).</summary>
    Canonical = 0,
    /// <summary>A name the publisher itself gives the act besides its key: GII's amtabk "AO" beside the jurabk "AO 1977".
    /// (Stored as a number: the SQLite store re-derives its aliases when this numbering changes, schema 3.)</summary>
    Official = 1,
    /// <summary>An abbreviation derived from the source: "AO 1977" → "AO", "(Abgabenordnung - AO)" → "AO".</summary>
    Abbreviation = 2,
    /// <summary>The title or a short title in it, or their initials; the weakest, most often shared.</summary>
    Title = 3,
}

/// <summary>One lookup key under which a document's act can be found.</summary>
/// <param name="Key">A normalized key (see <see cref="ActAliases.LookupKeys"/>); never shown to people.</param>
public sealed record ActAlias(string Key, ActAliasTier Tier);

/// <summary>
/// The names by which people cite an act, derived from what the source says about it rather than from a
/// hand list: the German corpus calls the Abgabenordnung "AO 1977" (jurabk), lawyers write "§ 147 AO";
/// a Dutch act's title ends in its short title "(Algemene wet bestuursrecht)", lawyers write "Awb".
/// Both sides (the aliases stored per document and the act named in a citation) go through
/// <see cref="LookupKeys"/>, so they compare alike.
/// </summary>
public static partial class ActAliases
{
    // "AO 1977", "MuSchG 2018", "StVO 2013": a jurabk that carries the year of its version.
    [GeneratedRegex(@"^(?<abbr>.+?)\s+(?:1[89]|20)\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingYear();

    // The last parenthesised part of a title: "(Abgabenordnung - AO)", "(Algemene wet bestuursrecht)".
    [GeneratedRegex(@"\((?<inner>[^()]{2,80})\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingParenthesis();

    // "Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten": the code the book belongs to.
    [GeneratedRegex(@"^(?<code>.+?)\s+Boek\s+\w+\b", RegexOptions.CultureInvariant)]
    private static partial Regex BookOfCode();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    // Prefix of title-fold keys, so that a folded title never collides with an abbreviation key.
    private const char FoldMarker = '~';

    /// <summary>Every alias of a document's act: derived from its title and abbreviation, and the official aliases the source names.</summary>
    public static IReadOnlyList<ActAlias> Derive(Domain.LegalDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Derive(document.Language, document.Title, document.Abbreviation, document.Aliases);
    }

    /// <summary>Every alias of one act, each key once at its strongest tier.</summary>
    /// <param name="officialAliases">Names the source itself gives the act (GII amtabk); each at <see cref="ActAliasTier.Official"/>.</param>
    public static IReadOnlyList<ActAlias> Derive(string language, string title, string? abbreviation, IReadOnlyList<string>? officialAliases = null)
    {
        var lang = CitationFormatter.NormalizeLanguage(language);
        // Dutch practice cites acts by their initials ("Awb"); the pack says whether a language does.
        var byInitials = LanguageRegistry.Default.Find(lang)?.ActNames.CitedByInitials == true;
        var found = new Dictionary<string, ActAliasTier>(StringComparer.Ordinal);
        void Add(string? name, ActAliasTier tier)
        {
            if (string.IsNullOrWhiteSpace(name)) return;
            foreach (var key in LookupKeys(lang, name))
                if (key.Length > 0 && (!found.TryGetValue(key, out var t) || tier < t)) found[key] = tier;
        }

        var canonical = abbreviation ?? title;
        Add(canonical, ActAliasTier.Canonical);
        foreach (var official in officialAliases ?? [])
        {
            Add(official, ActAliasTier.Official);
            // "StVO 2013" as amtabk is cited "StVO" as well, as for the canonical name.
            if (TrailingYear().Match(official.Trim()) is { Success: true } oy) Add(oy.Groups["abbr"].Value, ActAliasTier.Abbreviation);
        }
        if (abbreviation is not null)
        {
            if (TrailingYear().Match(abbreviation.Trim()) is { Success: true } y) Add(y.Groups["abbr"].Value, ActAliasTier.Abbreviation);
            Add(title, ActAliasTier.Title);
        }

        var paren = TrailingParenthesis().Match(title);
        if (paren.Success)
        {
            Add(title[..paren.Index].Trim().TrimEnd(','), ActAliasTier.Title);
            // "Abgabenordnung - AO": a short title and an abbreviation; "Algemene wet bestuursrecht": a short title.
            foreach (var part in paren.Groups["inner"].Value.Split(" - ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (LooksLikeAbbreviation(part))
                {
                    Add(part, ActAliasTier.Abbreviation);
                    if (TrailingYear().Match(part) is { Success: true } py) Add(py.Groups["abbr"].Value, ActAliasTier.Abbreviation);
                }
                else
                {
                    Add(part, ActAliasTier.Title);
                    if (byInitials) Add(Initials(part), ActAliasTier.Title);
                }
            }
        }
        if (BookOfCode().Match(title) is { Success: true } book)
        {
            Add(book.Groups["code"].Value, ActAliasTier.Title);
            if (byInitials) Add(Initials(book.Groups["code"].Value), ActAliasTier.Title);
        }
        if (byInitials && abbreviation is not null && !LooksLikeAbbreviation(abbreviation)) Add(Initials(abbreviation), ActAliasTier.Title);

        return found.Select(kv => new ActAlias(kv.Key, kv.Value)).OrderBy(a => a.Tier).ThenBy(a => a.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The keys under which an act named in a citation is looked up: its normalized form, and for a language whose
    /// titles inflect (German) a form folded over inflection, so "des Bürgerlichen Gesetzbuchs" finds "Bürgerliches Gesetzbuch".
    /// </summary>
    public static IReadOnlyList<string> LookupKeys(string language, string act) =>
        Keys(act, LanguageRegistry.Default.Find(language) is { } pack ? [pack] : []);

    /// <summary>
    /// The keys to look an act named in a query up by, when the query's language is not known: every
    /// language's keys (only German adds one today, and folded keys are prefixed so they never meet an abbreviation).
    /// </summary>
    public static IReadOnlyList<string> QueryKeys(string act) => Keys(act, LanguageRegistry.Default.All);

    private static IReadOnlyList<string> Keys(string act, IReadOnlyList<ILegalLanguage> languages)
    {
        var normalized = CitationReference.NormalizeAct(act);
        if (normalized.Length == 0) return [];
        // One token with several capitals ("SGB", "BGBl") is an abbreviation: nothing inflects.
        if (!act.Any(char.IsWhiteSpace) && act.Count(char.IsUpper) > 1) return [normalized];
        var keys = new List<string> { normalized };
        foreach (var language in languages)
        {
            if (language.ActNames.InflectionEndings.Count == 0) continue;
            var folded = FoldInflection(act, language.ActNames.InflectionEndings);
            if (folded.Length > 0 && !keys.Contains(folded)) keys.Add(folded);
        }
        return keys;
    }

    /// <summary>
    /// Title words without their inflection endings ("Bürgerlichen Gesetzbuchs" ≡ "Bürgerliches Gesetzbuch",
    /// "des Handelsgesetzbuches" ≡ "Handelsgesetzbuch"). Crude on purpose: it only has to treat a title and
    /// its genitive alike, and keys are prefixed so they never meet an abbreviation.
    /// </summary>
    /// <param name="endings">The language's endings, longest first where one ends another ("es" before "s").</param>
    public static string FoldInflection(string title, IReadOnlyList<string> endings)
    {
        var sb = new StringBuilder().Append(FoldMarker);
        foreach (Match w in Word().Matches(title))
        {
            var word = CitationReference.NormalizeAct(w.Value);
            if (word.Length > 4)
            {
                foreach (var ending in endings)
                {
                    if (word.EndsWith(ending, StringComparison.Ordinal)) { word = word[..^ending.Length]; break; }
                }
            }
            sb.Append(word).Append('_');
        }
        return sb.Length == 1 ? "" : sb.ToString(0, sb.Length - 1);
    }

    /// <summary>An abbreviation is one short token, or two where the second is a numeral ("SGB V"), with two capitals.</summary>
    public static bool LooksLikeAbbreviation(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Length > 2 || name.Length > 20) return false;
        if (parts.Length == 2 && !parts[1].All(c => char.IsDigit(c) || "IVXLC".Contains(c))) return false;
        return parts[0].Count(char.IsUpper) >= 2 || (parts[0].Length <= 4 && char.IsUpper(parts[0][0]) && parts.Length == 1 && name.Any(char.IsLower) is false);
    }

    /// <summary>"Algemene wet bestuursrecht" → "Awb", "Burgerlijk Wetboek" → "BW": how Dutch short titles are abbreviated.</summary>
    public static string Initials(string shortTitle)
    {
        var words = Word().Matches(shortTitle).Select(m => m.Value).Where(w => char.IsLetter(w[0])).ToList();
        if (words.Count < 2) return "";
        var sb = new StringBuilder();
        foreach (var w in words) sb.Append(w[0]);
        return sb.ToString(0, 1).ToUpper(CultureInfo.InvariantCulture) + sb.ToString(1, sb.Length - 1);
    }
}
