using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Common;

/// <summary>
/// The one way a source table becomes text: a Markdown pipe table inside the provision's paragraph (the header row,
/// the separator, one line per further row), so the chunker can keep it whole and repeat its header, and the UI can
/// show it as a table again. Each format reads its own table markup (CALS, HTML) into rows of cell texts; this renders them.
/// </summary>
internal static class PipeTable
{
    /// <summary>The table's lines: cells on one line each (whitespace collapsed, "|" escaped), every row padded to the
    /// widest, rows without text left out. Empty when no cell has text.</summary>
    /// <param name="headerIndex">The row that heads the table (a thead's or the first all-&lt;th&gt; row); the first row when out of range.</param>
    public static IReadOnlyList<string> Lines(IReadOnlyList<IReadOnlyList<string>> rows, int headerIndex = 0)
    {
        var cleaned = rows.Select((r, i) => (Index: i, Cells: r.Select(Cell).ToList())).Where(r => r.Cells.Any(c => c.Length > 0)).ToList();
        if (cleaned.Count == 0) return [];
        var width = cleaned.Max(r => r.Cells.Count);
        var header = cleaned.FindIndex(r => r.Index == headerIndex);
        if (header < 0) header = 0;
        var lines = new List<string>(cleaned.Count + 1) { Line(cleaned[header].Cells, width), Line(Enumerable.Repeat("---", width).ToList(), width) };
        lines.AddRange(cleaned.Where((_, i) => i != header).Select(r => Line(r.Cells, width)));
        return lines;
    }

    /// <summary>The lines joined by newlines; empty when the table has no text.</summary>
    public static string Render(IReadOnlyList<IReadOnlyList<string>> rows, int headerIndex = 0) => string.Join("\n", Lines(rows, headerIndex));

    /// <summary>Several header rows read as one (Markdown tables have exactly one): their cells joined per column.</summary>
    public static List<string> MergeRows(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        return Enumerable.Range(0, width).Select(i => Whitespace.Collapse(string.Join(' ', rows.Select(r => i < r.Count ? r[i] : "")))).ToList();
    }

    private static string Cell(string text) => Whitespace.Collapse(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Line(IReadOnlyList<string> cells, int width) =>
        "| " + string.Join(" | ", Enumerable.Range(0, width).Select(i => i < cells.Count ? cells[i] : "")) + " |";
}
