using System.Globalization;
using System.Text.RegularExpressions;

namespace LegalRag.Core.References;

/// <summary>
/// Reads the list after a marker ("§§ 535 bis 548", "articles 515-1 à 515-7", "artikelen 3, 4 en 7")
/// the same way in every language; the languages differ only in the patterns they pass in.
/// </summary>
internal static class ReferenceLists
{
    /// <summary>Ranges are expanded up to this many numbers; a longer one keeps only its two ends.</summary>
    public const int MaxRangeExpansion = 50;

    public sealed record ListPatterns(Regex Number, Regex Pinpoint, Regex Separator, Func<string, bool> IsRange);

    /// <summary>Reads numbers from <paramref name="start"/>; returns them and where the list ends.</summary>
    public static (List<string> Numbers, int End) Read(string text, int start, ListPatterns patterns)
    {
        var numbers = new List<string>();
        var position = start;
        var first = patterns.Number.Match(text, position);
        if (!first.Success || first.Index != position) return (numbers, start);
        numbers.Add(first.Value);
        position = first.Index + first.Length;
        var hadPinpoint = SkipPinpoint(text, ref position, patterns);
        while (true)
        {
            var sep = patterns.Separator.Match(text, position);
            if (!sep.Success || sep.Index != position) break;
            var next = patterns.Number.Match(text, sep.Index + sep.Length);
            if (!next.Success || next.Index != sep.Index + sep.Length) break;
            // "§ 573 Abs. 1 und 2": after a pinpoint a bare number continues the pinpoint, not the list.
            if (hadPinpoint) break;
            var isRange = patterns.IsRange(sep.Value.Trim());
            if (isRange) numbers.AddRange(Expand(numbers[^1], next.Value).Skip(1));
            else numbers.Add(next.Value);
            position = next.Index + next.Length;
            hadPinpoint = SkipPinpoint(text, ref position, patterns);
        }
        return (numbers.Distinct(StringComparer.Ordinal).ToList(), position);
    }

    private static bool SkipPinpoint(string text, ref int position, ListPatterns patterns)
    {
        var p = patterns.Pinpoint.Match(text, position);
        if (!p.Success || p.Index != position || p.Length == 0) return false;
        position += p.Length;
        return true;
    }

    /// <summary>"535".."548" → 535…548; "515-1".."515-7" → 515-1…515-7; anything else → both ends.</summary>
    public static IEnumerable<string> Expand(string from, string to)
    {
        var cut = Math.Max(from.LastIndexOfAny([':', '-']), -1);
        var prefix = cut >= 0 ? from[..(cut + 1)] : "";
        if (!to.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(from[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !int.TryParse(to[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || b < a || b - a + 1 > MaxRangeExpansion)
        {
            return [from, to];
        }
        return Enumerable.Range(a, b - a + 1).Select(n => prefix + n.ToString(CultureInfo.InvariantCulture));
    }
}
