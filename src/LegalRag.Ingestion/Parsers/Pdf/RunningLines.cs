using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// Removes running headers and footers: lines in the top or bottom margin that repeat, digits aside, on
/// most pages ("Ein Service des Bundesministeriums der Justiz … www.gesetze-im-internet.de",
/// "- Seite 12 von 456 -"), plus page-number lines in the margins of any page. Only margin lines are
/// candidates, so body text that happens to repeat (a "(weggefallen)" §) is never touched.
/// </summary>
internal static partial class RunningLines
{
    /// <summary>Share of the page height at the top and at the bottom where headers and footers live.</summary>
    public const double MarginShare = 0.1;

    [GeneratedRegex(@"^[-–—‒\s]*(?:(?:Seite|Page|Pagina|Blatt|Bladzijde|Blz\.|S\.)\s*)\d{1,5}(?:\s*(?:von|of|sur|van|de|/)\s*\d{1,5})?[-–—‒\s]*$|^[-–—‒]+\s*\d{1,5}\s*[-–—‒]+$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PageNumberLine();

    public static bool IsPageNumber(string line) => PageNumberLine().IsMatch(Whitespace.Collapse(line));

    /// <summary>Removes the running lines from <paramref name="pages"/> in place; returns how many were removed.</summary>
    public static int Remove(IReadOnlyList<PdfPage> pages)
    {
        var pagesWithText = pages.Count(p => p.Lines.Count > 0);
        var pagesPerKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            foreach (var key in page.Lines.Where(l => InMargin(page, l)).Select(l => Key(l.Text)).Distinct())
                pagesPerKey[key] = pagesPerKey.GetValueOrDefault(key) + 1;
        }
        // Repetition is only evidence with a few pages to compare; on one or two pages only page numbers go.
        var threshold = Math.Max(3, (int)Math.Ceiling(pagesWithText * 0.5));
        var removed = 0;
        foreach (var page in pages)
        {
            var kept = new List<PdfLine>(page.Lines.Count);
            foreach (var line in page.Lines)
            {
                var running = InMargin(page, line)
                              && (IsPageNumber(line.Text) || (pagesWithText >= 3 && pagesPerKey.GetValueOrDefault(Key(line.Text)) >= threshold));
                if (running) removed++;
                else kept.Add(line);
            }
            page.Lines = kept;
        }
        return removed;
    }

    private static bool InMargin(PdfPage page, PdfLine line) =>
        page.Height > 0 && (line.Bottom <= page.Height * MarginShare || line.Top >= page.Height * (1 - MarginShare));

    /// <summary>The line with digits replaced, so "Seite 12 von 456" and "Seite 13 von 456" are one line.</summary>
    private static string Key(string text)
    {
        var sb = new StringBuilder(text.Length);
        var lastWasDigit = false;
        foreach (var c in Whitespace.Collapse(text))
        {
            if (char.IsDigit(c))
            {
                if (!lastWasDigit) sb.Append('#');
                lastWasDigit = true;
                continue;
            }
            lastWasDigit = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
