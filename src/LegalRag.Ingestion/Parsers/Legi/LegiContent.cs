using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Legi;

/// <summary>
/// Turns the HTML-like content of a LEGI &lt;CONTENU&gt; (text runs, &lt;br/&gt;, &lt;p&gt;, &lt;font&gt;, &lt;sup&gt;,
/// &lt;table&gt;) into blocks: one per alinéa, and one per table rendered as a Markdown pipe table so that the
/// chunker can keep it whole.
/// </summary>
internal static class LegiContent
{
    // Elements that end the running text before and after them; everything else (font, sup, b, i, a, span…) is inline.
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "center", "dl", "dt", "dd",
    };

    public static List<string> Blocks(XElement? contenu, CancellationToken cancellationToken)
    {
        var blocks = new List<string>();
        if (contenu is null) return blocks;
        var inline = new StringBuilder();
        Walk(contenu, blocks, inline, cancellationToken);
        Flush(blocks, inline);
        return blocks;
    }

    private static void Walk(XElement element, List<string> blocks, StringBuilder inline, CancellationToken cancellationToken)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    inline.Append(text.Value);
                    break;
                case XElement { Name.LocalName: var name } when name.Equals("br", StringComparison.OrdinalIgnoreCase):
                    Flush(blocks, inline);
                    break;
                case XElement { Name.LocalName: var name } child when name.Equals("table", StringComparison.OrdinalIgnoreCase):
                    cancellationToken.ThrowIfCancellationRequested();
                    Flush(blocks, inline);
                    var table = PipeTable(child);
                    if (table.Length > 0) blocks.Add(table);
                    break;
                case XElement { Name.LocalName: var name } child when BlockElements.Contains(name):
                    Flush(blocks, inline);
                    Walk(child, blocks, inline, cancellationToken);
                    Flush(blocks, inline);
                    break;
                case XElement child:
                    Walk(child, blocks, inline, cancellationToken);
                    break;
            }
        }
    }

    private static void Flush(List<string> blocks, StringBuilder inline)
    {
        var text = Whitespace.Collapse(inline.ToString());
        inline.Clear();
        if (text.Length > 0) blocks.Add(text);
    }

    /// <summary>
    /// A Markdown pipe table: the header row (the table's &lt;thead&gt; row, else its first row), the separator,
    /// one line per further row. Cells spanning columns are followed by empty cells so columns stay aligned;
    /// "|" in a cell is escaped and line breaks inside a cell become spaces. Empty when the table has no text.
    /// </summary>
    public static string PipeTable(XElement table)
    {
        // Rows of this table only, not of a table nested in one of its cells.
        var rows = table.Descendants()
            .Where(e => e.Name.LocalName.Equals("tr", StringComparison.OrdinalIgnoreCase)
                        && e.Ancestors().First(a => a.Name.LocalName.Equals("table", StringComparison.OrdinalIgnoreCase)) == table)
            .Select(tr => (Head: tr.Parent?.Name.LocalName.Equals("thead", StringComparison.OrdinalIgnoreCase) == true, Cells: Cells(tr)))
            .ToList();
        return Common.PipeTable.Render(rows.Select(r => (IReadOnlyList<string>)r.Cells).ToList(), Math.Max(0, rows.FindIndex(r => r.Head)));
    }

    private static List<string> Cells(XElement row)
    {
        var cells = new List<string>();
        foreach (var cell in row.Elements().Where(e => e.Name.LocalName is "td" or "th" or "TD" or "TH"))
        {
            cells.Add(CellText(cell));
            var span = int.TryParse((string?)cell.Attribute("colspan"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 64) : 1;
            for (var i = 1; i < span; i++) cells.Add("");
        }
        return cells;
    }

    private static string CellText(XElement cell)
    {
        // Paragraphs and breaks inside a cell separate words; a pipe table has one line per row.
        var sb = new StringBuilder();
        foreach (var node in cell.DescendantNodes())
        {
            if (node is XText t) sb.Append(t.Value);
            else if (node is XElement e && (e.Name.LocalName.Equals("br", StringComparison.OrdinalIgnoreCase) || BlockElements.Contains(e.Name.LocalName))) sb.Append(' ');
        }
        return sb.ToString();
    }
}
