using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;

namespace LegalRag.Core.Citations;

/// <summary>A citation as a user typed it, parsed: "§ 573 Abs. 2 BGB" → (BGB, Section, 573, 2).</summary>
/// <param name="Act">The act named, or null when only a number was given ("§ 573").</param>
public sealed record CitationReference(string? Act, ProvisionKind Kind, string Number, string? Paragraph)
{
    /// <summary>Numbers compare case-insensitively and without French ordinal suffixes: "1er" ≡ "1".</summary>
    public static string NormalizeNumber(string number)
    {
        var n = number.Trim().ToLowerInvariant().Replace(" ", "");
        if (n.EndsWith("er", StringComparison.Ordinal) && n.Length > 2 && char.IsDigit(n[^3])) n = n[..^2];
        return n;
    }

    /// <summary>Act names compare without case, diacritics, dots and spaces: "C. civ." ≈ "c civ".</summary>
    public static string NormalizeAct(string act)
    {
        var sb = new StringBuilder(act.Length);
        // A lone surrogate (from a hostile filter) would make Normalize throw; repaired, it is no letter and drops out.
        foreach (var ch in Text.Utf16.Repair(act).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }
}

/// <summary>
/// Parses pinpoint citations in German, French, Dutch and English styles. It is deliberately strict:
/// a query is treated as a citation only when the citation is (nearly) all it contains, so that a
/// question mentioning "§ 573" still goes to full-text search.
/// </summary>
public static partial class CitationParser
{
    // Short forms of the Code civil that its sources never state, so no alias can be derived from them.
    private static readonly Dictionary<string, string> ActAliases = new(StringComparer.Ordinal)
    {
        [CitationReference.NormalizeAct("C. civ.")] = "Code civil",
        [CitationReference.NormalizeAct("Cc")] = "Code civil",
        [CitationReference.NormalizeAct("Code civil")] = "Code civil",
    };

    // The marker must not follow a letter or digit: "AFG§116G Art. 1" names an act whose abbreviation holds a "§".
    // A bare "Art" must be followed by a space ("Art115V § 1" is an act named Art115V).
    // Annexes may carry a name instead of a number ("Anlage EV", "bijlage A", "Anlage zu").
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?:(?<marker>§§?|Art(?:ikel|icle|\.|(?=\s))|art(?:ikel|icle|\.|(?=\s))|ARTICLE)\s*(?<num>\d+(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^\d+)?[a-zA-Z]{0,3}(?:[:\-]\d+[a-zA-Z]{0,3})*|[IVXLC]+\b)|(?<marker>Anlage|Anhang|Annexe|annexe|Bijlage|bijlage)\s*(?<num>\d+[a-zA-Z]{0,3}(?:[:\-.]\d+[a-zA-Z]{0,3})*|[\p{L}\d][\p{L}\d]{0,40}\b))", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"^\s*(?:,\s*)?(?:(?:Abs\.?|Absatz|al\.?|alinéa|lid|para\.?|paragraph|lg\.?|lõige|lõike)\s*(?<p>\d+[a-z]?)|\((?<p>\d+[a-z]?)\))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphRegex();

    [GeneratedRegex(@"^\s*(?:,\s*)?(?:(?:(?:S\.|Satz|Nr\.|Nummer|Buchst\.|sub|onder)\s*[\w]+|p\.?\s+\d+\w*|\d+°|\([a-z]{1,3}\))\s*,?\s*)+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FinerPinpointRegex();

    [GeneratedRegex(@"^(?:du|de la|des|de|der|des|van de|van het|van|of the|of)\s+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LeadingArticleRegex();

    public static bool TryParse(string text, out CitationReference citation)
    {
        citation = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 120) return false;
        var m = MarkerRegex().Match(text);
        if (!m.Success) return false;

        var kind = KindOf(m.Groups["marker"].Value);
        var number = SuperscriptIndex(m.Groups["num"].Value);
        var before = text[..m.Index].Trim().TrimEnd(',').Trim();
        var rest = text[(m.Index + m.Length)..];

        string? paragraph = null;
        var pm = ParagraphRegex().Match(rest);
        if (pm.Success)
        {
            paragraph = pm.Groups["p"].Value;
            rest = rest[pm.Length..];
        }
        var fm = FinerPinpointRegex().Match(rest);
        if (fm.Success) rest = rest[fm.Length..];
        var after = LeadingArticleRegex().Replace(rest.Trim().TrimStart(',').Trim(), "").Trim().TrimEnd('.', '?', '!').Trim();

        if (before.Length > 0 && after.Length > 0) return false; // words on both sides: a sentence, not a citation
        var act = before.Length > 0 ? before : after.Length > 0 ? after : null;
        if (act is not null && !IsPlausibleActName(act)) return false;
        if (act is not null && ActAliases.TryGetValue(CitationReference.NormalizeAct(act), out var canonical)) act = canonical;

        citation = new CitationReference(act, kind, number, paragraph);
        return true;
    }

    private const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>"25^1", as Estonian §§ inserted after § 25 are typed, is "25¹", as they are printed and stored.</summary>
    private static string SuperscriptIndex(string number)
    {
        var caret = number.IndexOf('^', StringComparison.Ordinal);
        if (caret < 0) return number;
        var digits = number[(caret + 1)..].TakeWhile(char.IsAsciiDigit).ToArray();
        return number[..caret] + string.Concat(digits.Select(d => SuperscriptDigits[d - '0'])) + number[(caret + 1 + digits.Length)..];
    }

    /// <summary>
    /// Short names pass; longer ones (Dutch citeertitels like "Invoeringswet Wet structuur uitvoeringsorganisatie
    /// werk en inkomen", German acts cited by title) only when they read as a name: capitalised, no question mark.
    /// </summary>
    private static bool IsPlausibleActName(string act)
    {
        var words = act.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (act.Length <= 60 && words <= 5) return true;
        return act.Length <= 100 && words <= 14 && char.IsUpper(act[0]) && !act.Contains('?', StringComparison.Ordinal);
    }

    private static ProvisionKind KindOf(string marker) => marker switch
    {
        "§" or "§§" => ProvisionKind.Section,
        "Anlage" or "Anhang" or "Annexe" or "annexe" or "Bijlage" or "bijlage" => ProvisionKind.Annex,
        _ => ProvisionKind.Article,
    };
}
