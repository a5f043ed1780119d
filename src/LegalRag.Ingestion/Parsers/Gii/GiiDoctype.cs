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
}
