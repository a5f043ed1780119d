using System.Text;
using System.Xml.Linq;
using LegalRag.Ingestion.Structure;

using LegalRag.Ingestion.Parsers.Common;

namespace LegalRag.Ingestion.Parsers.Akn;

/// <summary>Text of Akoma Ntoso elements: inline runs, and tables as Markdown pipe tables.</summary>
internal static class AknText
{
    /// <summary>Notes are kept apart from the normative text; markers and the ToC carry no text of their own.</summary>
    public static bool IsNote(XElement element) => element.Name.LocalName is "authorialNote" or "note" or "noteRef";

    /// <summary>
    /// All text of an element, notes left out, whitespace collapsed. Inline elements join without a space
    /// ("1&lt;sup&gt;er&lt;/sup&gt;" reads "1er"); a &lt;br/&gt; or a nested paragraph is a space.
    /// </summary>
    public static string Inline(XElement element)
    {
        var sb = new StringBuilder();
        Append(element, sb);
        return Whitespace.Collapse(sb.ToString());
    }

    private static void Append(XElement element, StringBuilder sb)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    sb.Append(text.Value);
                    break;
                case XElement child when IsNote(child):
                    break;
                case XElement { Name.LocalName: "br" }:
                    sb.Append(' ');
                    break;
                case XElement child when child.Name.LocalName is "p" or "li" or "item" or "td" or "th" or "tr" or "num" or "heading" or "block":
                    sb.Append(' ');
                    Append(child, sb);
                    sb.Append(' ');
                    break;
                case XElement child:
                    Append(child, sb);
                    break;
            }
        }
    }

    /// <summary>Normattiva writes "null" into empty notes; such text and bare punctuation say nothing.</summary>
    public static bool IsMeaningful(string text) => text.Length > 0 && text != "null" && text.Any(char.IsLetterOrDigit);

    /// <summary>
    /// A table as Markdown: header row, separator row, one line per row. The header is the first row made of
    /// &lt;th&gt; cells, else the first row (AKN tables often have no &lt;th&gt;: Finlex's fee schedules); a cell
    /// spanning columns is followed by empty cells so that every row has the table's width. "|" in a cell is escaped.
    /// </summary>
    public static string? MarkdownTable(XElement table)
    {
        var rows = table.Descendants()
            .Where(e => e.Name.LocalName == "tr" && ReferenceEquals(e.Ancestors().FirstOrDefault(a => a.Name.LocalName == "table"), table))
            .Select(Cells)
            .ToList();
        var rendered = PipeTable.Render(rows.Select(r => r.Cells).ToList(), rows.FindIndex(r => r.AllHeader));
        return rendered.Length == 0 ? null : rendered;
    }

    private static (IReadOnlyList<string> Cells, bool AllHeader) Cells(XElement row)
    {
        var cells = new List<string>();
        var allHeader = true;
        foreach (var cell in row.Elements().Where(e => e.Name.LocalName is "td" or "th"))
        {
            allHeader &= cell.Name.LocalName == "th";
            cells.Add(Inline(cell));
            if (int.TryParse((string?)cell.Attribute("colspan"), out var span))
                for (var i = 1; i < Math.Min(span, 50); i++) cells.Add("");
        }
        return (cells, allHeader && cells.Count > 0);
    }
}
