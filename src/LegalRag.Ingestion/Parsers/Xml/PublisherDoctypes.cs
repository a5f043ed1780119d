using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Parsers.Xml;

/// <summary>
/// DOCTYPEs of official publishers whose files name their DTD by URL and declare nothing inline: the BWB's 2012
/// "wetgeving" files (&lt;!DOCTYPE wetgeving SYSTEM "http://wetten.overheid.nl/dtd/…"&gt;). Such a DOCTYPE can be
/// skipped unread (DtdProcessing.Ignore with no resolver): no DTD is fetched and, without an internal subset, no
/// entity exists. Any other DOCTYPE is still refused.
/// </summary>
internal static partial class PublisherDoctypes
{
    // Root name, SYSTEM id on the publisher's host, and no internal subset ('[' would open one).
    [GeneratedRegex("""<!DOCTYPE\s+wetgeving\s+SYSTEM\s+"https?://wetten\.overheid\.nl/dtd/[\w.\-/]+\.dtd"\s*>""", RegexOptions.CultureInvariant)]
    private static partial Regex Bwb();

    /// <summary>True when the file's only DOCTYPE is a known publisher's external one.</summary>
    public static bool IsKnown(string text)
    {
        var first = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (first < 0 || text.IndexOf("<!DOCTYPE", first + 1, StringComparison.Ordinal) >= 0) return false;
        var m = Bwb().Match(text, first);
        return m.Success && m.Index == first;
    }
}
