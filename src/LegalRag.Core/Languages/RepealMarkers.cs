using System.Text.RegularExpressions;

namespace LegalRag.Core.Languages;

/// <summary>
/// Recognises repealed provisions by every pack's markers ("(weggefallen)", "(abrogé)", a line "vervallen"):
/// acts quote each other and a corpus's declared language is only a default, so all languages count.
/// </summary>
public static class RepealMarkers
{
    private static readonly Regex Pattern = Build(LanguageRegistry.Default);

    /// <summary>True when <paramref name="text"/> carries a repeal marker in parentheses, or is one alone.</summary>
    public static bool IsRepealed(string text) => Pattern.IsMatch(text);

    private static Regex Build(LanguageRegistry registry)
    {
        var inParentheses = Alternatives(registry, m => m.RepealedInParentheses);
        var alone = Alternatives(registry, m => m.RepealedAlone);
        return new Regex($@"\((?:{inParentheses})\)|^\s*(?:{alone})\s*$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled);
    }

    private static string Alternatives(LanguageRegistry registry, Func<StructureMarkers, IReadOnlyList<string>> select) =>
        string.Join('|', registry.All.SelectMany(l => select(l.Structure)).Distinct(StringComparer.Ordinal).Select(Regex.Escape));
}
