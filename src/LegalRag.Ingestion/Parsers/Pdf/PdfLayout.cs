using System.Globalization;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>One line of text on a page, in reading order, with its vertical position.</summary>
/// <param name="Block">The layout block (paragraph) the line belongs to; unique within its page.</param>
/// <param name="Top">Top of the line, in the page's own units (points for pdftotext, pixels for OCR).</param>
/// <param name="FontSize">The size of most of its letters in points; 0 where the reader knows no fonts (pdftotext, OCR).</param>
/// <param name="Bold">Most of its letters are bold (only known where <paramref name="FontSize"/> is).</param>
internal sealed record PdfLine(int Block, string Text, double Top, double Bottom, double FontSize = 0, bool Bold = false)
{
    /// <summary>Line height: follows the font size, so it tells a heading's wrapped second line from body text.</summary>
    public double Height => Bottom - Top;
}

/// <summary>One page: its lines in reading order and its height in the same units as the lines.</summary>
internal sealed class PdfPage(int number, double height)
{
    public int Number { get; } = number;
    public double Height { get; } = height;
    public List<PdfLine> Lines { get; set; } = [];
    /// <summary>True when <see cref="Lines"/> came from OCR rather than the PDF's text layer.</summary>
    public bool FromOcr { get; set; }
    public int WordCount => Lines.Sum(l => l.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
}

/// <summary>
/// Reads the word-level TSV that <c>pdftotext -tsv</c> and <c>tesseract … tsv</c> both write:
/// one row per page, block, line and word with its box. The two differ only in the order of the
/// paragraph/block columns and in units; words are grouped into lines and blocks here.
/// </summary>
internal static class LayoutTsv
{
    /// <summary>Parses pdftotext's TSV: <c>level page_num par_num block_num line_num word_num left top width height conf text</c>.</summary>
    public static List<PdfPage> ParsePdfToText(string tsv) => Parse(tsv, blockKeyColumns: (2, 3), minConfidence: null);

    /// <summary>Parses tesseract's TSV for one page image: <c>level page_num block_num par_num line_num …</c>.
    /// Words recognised with a confidence below <paramref name="minConfidence"/> are dropped (rules, boxes and
    /// specks in scanned forms come out as such noise).</summary>
    public static PdfPage ParseTesseract(string tsv, int pageNumber, double minConfidence)
    {
        var pages = Parse(tsv, blockKeyColumns: (2, 3), minConfidence);
        var page = pages.FirstOrDefault() ?? new PdfPage(pageNumber, 0);
        var result = new PdfPage(pageNumber, page.Height) { Lines = page.Lines, FromOcr = true };
        return result;
    }

    private static List<PdfPage> Parse(string tsv, (int First, int Second) blockKeyColumns, double? minConfidence)
    {
        var pages = new List<PdfPage>();
        PdfPage? page = null;
        var lineIndex = new Dictionary<(int, int, int), int>();
        var blockIds = new Dictionary<(int, int), int>();
        var lineWords = new List<List<string>>();
        var lineBoxes = new List<(int Block, double Top, double Bottom)>();

        void FinishPage()
        {
            if (page is null) return;
            for (var i = 0; i < lineWords.Count; i++)
            {
                if (lineWords[i].Count == 0) continue;
                page.Lines.Add(new PdfLine(lineBoxes[i].Block, string.Join(' ', lineWords[i]), lineBoxes[i].Top, lineBoxes[i].Bottom));
            }
            lineIndex.Clear();
            blockIds.Clear();
            lineWords.Clear();
            lineBoxes.Clear();
        }

        foreach (var rawLine in tsv.Split('\n'))
        {
            var row = rawLine.TrimEnd('\r');
            if (row.Length == 0 || row.StartsWith("level", StringComparison.Ordinal)) continue;
            var cols = row.Split('\t');
            if (cols.Length < 12) continue;
            if (!int.TryParse(cols[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var level)) continue;
            var pageNumber = Int(cols[1]);
            if (level == 1)
            {
                FinishPage();
                page = new PdfPage(pageNumber, Double(cols[9]));
                pages.Add(page);
                continue;
            }
            if (level != 5 || page is null) continue;
            var text = cols[11].Trim();
            if (text.Length == 0) continue;
            if (minConfidence is { } min && Double(cols[10]) < min) continue;
            var blockKey = (Int(cols[blockKeyColumns.First]), Int(cols[blockKeyColumns.Second]));
            if (!blockIds.TryGetValue(blockKey, out var blockId)) blockIds[blockKey] = blockId = blockIds.Count;
            var key = (blockKey.Item1, blockKey.Item2, Int(cols[4]));
            var top = Double(cols[7]);
            var bottom = top + Double(cols[9]);
            if (!lineIndex.TryGetValue(key, out var index))
            {
                lineIndex[key] = index = lineWords.Count;
                lineWords.Add([]);
                lineBoxes.Add((blockId, top, bottom));
            }
            lineWords[index].Add(text);
            var box = lineBoxes[index];
            lineBoxes[index] = (box.Block, Math.Min(box.Top, top), Math.Max(box.Bottom, bottom));
        }
        FinishPage();
        return pages;
    }

    private static int Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static double Double(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
