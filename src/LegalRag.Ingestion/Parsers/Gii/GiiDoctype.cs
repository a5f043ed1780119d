using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Parsers.Gii;

/// <summary>
/// Every act from Gesetze im Internet starts with
/// <c>&lt;!DOCTYPE dokumente SYSTEM "http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd"&gt;</c>.
/// XML readers refuse a DOCTYPE; this exact one, with an external reference only and no internal subset,
/// may be skipped instead: with DTD processing set to ignore and no resolver, nothing is fetched and no
/// entity is declared, so the file reads as if the line were not there.
/// </summary>
internal static partial class GiiDoctype
{
    [GeneratedRegex("""^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?<!DOCTYPE\s+dokumente\s+SYSTEM\s+"https?://www\.gesetze-im-internet\.de/dtd/\d+(?:\.\d+){0,3}/gii-norm\.dtd"\s*>""",
        RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();

    public static bool IsDeclared(string text) => Declaration().IsMatch(text.AsSpan(0, Math.Min(text.Length, 1024)));

    [GeneratedRegex("""<!DOCTYPE\s+items\s+SYSTEM\s+"https?://www\.gesetze-im-internet\.de/dtd/[\d.]+/gii-toc\.dtd"\s*>""", RegexOptions.CultureInvariant)]
    private static partial Regex TocDeclaration();

    /// <summary>The publisher's index of all acts (gii-toc.xml): a list of download links, no law text.</summary>
    public static bool IsToc(string text) => TocDeclaration().IsMatch(text.AsSpan(0, Math.Min(text.Length, 1024)));

    public const string TocRejection = "this is the Gesetze im Internet index (gii-toc.xml): it lists the acts' download links and holds no law text";
}
