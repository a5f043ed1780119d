using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LegalRag.Core.Citations;

namespace LegalRag.Evaluation.Gold;

/// <summary>
/// A citation reduced to what identifies a provision: act, kind and number, normalised, without paragraph
/// pinpoints. "BGB § 573 Abs. 2", "§ 573 BGB" and "BGB § 573" share the key "bgb|Section|573".
/// </summary>
public static partial class CitationKey
{
    // Sub-article numbers joined by hyphens ("Civil Code Article 398-2", "Code civil, art. 1589-1"):
    // the core parser reads the number only up to the hyphen, so the suffix is taken off before parsing
    // and put back on the number afterwards.
    [GeneratedRegex(@"(?:§§?|Art(?:ikel|icle|\.)?|art(?:ikel|icle|\.)?|ARTICLE)\s*\d+[a-zA-Z]{0,3}(?<suffix>(?:-\d+[a-zA-Z]{0,3})+)", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenatedNumberRegex();

    // Retrieved citations repeat across questions (a corpus has a few thousand provisions); parsing each
    // once keeps scoring 2,000 questions × 100 results cheap. Bounded so a hostile stream cannot grow it forever.
    private static readonly ConcurrentDictionary<string, string?> Cache = new(StringComparer.Ordinal);
    private const int MaxCached = 200_000;

    /// <summary>The normalised key, or null when the text is not a citation the parser understands.</summary>
    public static string? Of(string citation)
    {
        if (Cache.TryGetValue(citation, out var cached)) return cached;
        var key = Compute(citation);
        if (Cache.Count < MaxCached) Cache.TryAdd(citation, key);
        return key;
    }

    private static string? Compute(string citation)
    {
        var text = citation;
        var suffix = "";
        var hyphenated = HyphenatedNumberRegex().Match(text);
        if (hyphenated.Success)
        {
            var group = hyphenated.Groups["suffix"];
            suffix = group.Value;
            text = text.Remove(group.Index, group.Length);
        }
        if (!CitationParser.TryParse(text, out var reference)) return null;
        var act = reference.Act is null ? "" : CitationReference.NormalizeAct(reference.Act);
        return $"{act}|{reference.Kind}|{CitationReference.NormalizeNumber(reference.Number + suffix)}";
    }

    /// <summary>The key without its act, for citations that do not name one ("§ 573").</summary>
    public static string? WithoutAct(string? key) => key is null ? null : key[(key.IndexOf('|') + 1)..];

    public static bool NamesAct(string key) => !key.StartsWith('|');
}
