using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Parsers.Bwb;

/// <summary>
/// The BWB's 2012 "wetgeving" files start with
/// <c>&lt;!DOCTYPE wetgeving SYSTEM "http://wetten.overheid.nl/dtd/bwb-plus-meta-1_61w.dtd"&gt;</c>.
/// XML readers refuse a DOCTYPE; this one, with an external reference on the publisher's host only and no
/// internal subset, may be skipped instead: with DTD processing set to ignore and no resolver, nothing is
/// fetched and no entity is declared, so the file reads as if the line were not there.
/// </summary>
internal static partial class BwbDoctype
{
    [GeneratedRegex("""^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?<!DOCTYPE\s+wetgeving\s+SYSTEM\s+"https?://wetten\.overheid\.nl/dtd/[\w.\-]{1,80}\.dtd"\s*>""",
        RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();

    public static bool IsDeclared(string text) => Declaration().IsMatch(text.AsSpan(0, Math.Min(text.Length, 1024)));
}
