using System.Text;
using System.Xml.Linq;
using LegalRag.Ingestion.Structure;

using LegalRag.Ingestion.Parsers.Common;

namespace LegalRag.Ingestion.Parsers.Gii;

/// <summary>
/// Renders the text markup of Gesetze im Internet (gii-norm.dtd: P, DL/DT/DD/LA lists, CALS tables, BR, pre,
/// SUP/SUB, FnR, IMG) as plain text blocks. One block per <c>&lt;P&gt;</c> (an Absatz: "(1) …"), with list items,
/// table rows and line breaks as lines inside it, so that the structure builder's paragraph split sees what
/// the Markdown corpus shows. Footnotes and editorial comments are collected apart, never mixed into the text.
/// </summary>
internal sealed class GiiText
{
    private readonly List<string> _notes = [];

    /// <summary>Footnotes (Footnote, kommentar) met while rendering, in document order.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The footnotes of a <c>Footnotes</c> element that stands beside the Content.</summary>
    public void CollectFootnotes(XElement footnotes) => Render(footnotes, new Lines());

    /// <summary>The blocks of a <c>Content</c> element (or of any container of P elements).</summary>
    public List<string> Blocks(XElement? content)
    {
        var blocks = new List<string>();
        if (content is null) return blocks;
        var loose = new Lines();
        foreach (var node in content.Nodes())
        {
            if (node is XElement { Name.LocalName: "P" } p)
            {
                AddBlock(blocks, loose);
                var lines = new Lines();
                Render(p, lines);
                AddBlock(blocks, lines);
            }
            else
            {
                Render(node, loose);
            }
        }
        AddBlock(blocks, loose);
        return blocks;
    }

    /// <summary>The inline text of a metadata element (titel, gliederungstitel), on one line.</summary>
    public static string Inline(XElement? element)
    {
        if (element is null) return "";
        var lines = new Lines();
        new GiiText().Render(element, lines);
        return Whitespace.Collapse(string.Join(' ', lines.Finish()));
    }

    private static void AddBlock(List<string> blocks, Lines lines)
    {
        var text = string.Join('\n', lines.Finish());
        if (text.Length > 0) blocks.Add(text);
    }

    private void Render(XNode node, Lines lines)
    {
        switch (node)
        {
            case XText text:
                lines.Append(text.Value);
                return;
            case not XElement:
                return;
        }
        var element = (XElement)node;
        switch (element.Name.LocalName)
        {
            case "BR":
                lines.Break();
                return;
            case "FnR":
                return; // the footnote itself is kept in the notes; its anchor is not text
            case "Footnotes":
                foreach (var footnote in element.Elements("Footnote")) AddNote(footnote, (string?)footnote.Attribute("FnZ"));
                return;
            case "Footnote":
                AddNote(element, (string?)element.Attribute("FnZ"));
                return;
            case "kommentar":
                AddNote(element, null);
                return;
            case "SUP" when (string?)element.Attribute("class") == "Rec":
                return; // the small sentence numbers of the printed text; the sentences themselves follow
            case "IMG":
                var alt = Whitespace.Collapse((string?)element.Attribute("alt") ?? "");
                if (alt.Length > 0) lines.Append($" [{alt}] ");
                return;
            case "table":
                lines.Break();
                foreach (var row in MarkdownTable(element)) { lines.Append(row); lines.Break(); }
                return;
            case "pre":
                foreach (var part in element.Nodes())
                {
                    if (part is XText t)
                    {
                        var split = t.Value.Split('\n');
                        for (var i = 0; i < split.Length; i++)
                        {
                            if (i > 0) lines.Break();
                            lines.Append(split[i]);
                        }
                    }
                    else Render(part, lines);
                }
                return;
            case "DL":
                lines.Break();
                RenderList(element, lines);
                lines.Break();
                return;
            case "P" or "Title" or "Subtitle" or "Ident" or "LA" or "DD":
                // Block-level inside a paragraph: its own line.
                lines.Break();
                foreach (var child in element.Nodes()) Render(child, lines);
                lines.Break();
                return;
            default:
                foreach (var child in element.Nodes()) Render(child, lines);
                return;
        }
    }

    /// <summary>"1. text", "a) text": the term (DT) opens the line of its definition (DD).</summary>
    private void RenderList(XElement list, Lines lines)
    {
        string? term = null;
        foreach (var node in list.Nodes())
        {
            if (node is not XElement item) continue;
            switch (item.Name.LocalName)
            {
                case "DT":
                    term = Inline(item);
                    break;
                case "DD":
                    lines.Break();
                    if (!string.IsNullOrEmpty(term)) lines.Append(term + " ");
                    term = null;
                    var first = true;
                    foreach (var child in item.Nodes())
                    {
                        // The first LA continues the term's line; later ones open their own.
                        if (first && child is XElement { Name.LocalName: "LA" } la)
                        {
                            foreach (var inner in la.Nodes()) Render(inner, lines);
                            first = false;
                        }
                        else Render(child, lines);
                    }
                    lines.Break();
                    break;
                default:
                    Render(item, lines);
                    break;
            }
        }
        if (!string.IsNullOrEmpty(term)) { lines.Break(); lines.Append(term); }
    }

    private void AddNote(XElement element, string? marker)
    {
        var lines = new Lines();
        foreach (var child in element.Nodes()) Render(child, lines);
        var text = Whitespace.Collapse(string.Join(' ', lines.Finish()));
        if (text.Length > 0) _notes.Add(string.IsNullOrEmpty(marker) ? text : $"{marker} {text}");
    }

    /// <summary>
    /// A CALS table (table/tgroup/thead/tbody/row/entry) as a Markdown pipe table: the header row (thead, else
    /// the first row), the separator, one line per row. Cells hold their text on one line with '|' escaped;
    /// a cell spanning columns (namest/nameend) fills the first of them.
    /// </summary>
    internal static List<string> MarkdownTable(XElement table)
    {
        var rows = new List<List<string>>();
        var headerRows = 0;
        foreach (var group in table.Descendants().Where(e => e.Name.LocalName == "tgroup").DefaultIfEmpty(table))
        {
            var columns = group.Elements("colspec").Select(c => (string?)c.Attribute("colname")).ToList();
            var head = group.Element("thead");
            if (head is not null && rows.Count == 0)
            {
                foreach (var row in head.Elements("row")) rows.Add(Cells(row, columns));
                headerRows = rows.Count;
            }
            var body = group.Element("tbody") ?? group;
            foreach (var row in body.Elements("row")) rows.Add(Cells(row, columns));
        }
        // Several header rows fold into one: Markdown tables have exactly one.
        if (headerRows > 1) rows = [PipeTable.MergeRows(rows.Take(headerRows).ToList<IReadOnlyList<string>>()), .. rows.Skip(headerRows)];
        return [.. PipeTable.Lines(rows)];
    }

    private static List<string> Cells(XElement row, List<string?> columns)
    {
        var cells = new List<string>();
        foreach (var entry in row.Elements("entry"))
        {
            // Place the entry at its named column when the table names them; empty cells before it stay.
            var start = columns.IndexOf((string?)entry.Attribute("colname") ?? (string?)entry.Attribute("namest"));
            while (start > cells.Count) cells.Add("");
            var lines = new Lines();
            new GiiText().Render(entry, lines);
            cells.Add(string.Join(' ', lines.Finish()));
            var end = columns.IndexOf((string?)entry.Attribute("nameend"));
            while (end >= cells.Count) cells.Add("");
        }
        return cells;
    }

    /// <summary>Lines under construction: text appends to the open line, a break closes it.</summary>
    private sealed class Lines
    {
        private readonly List<string> _done = [];
        private readonly StringBuilder _open = new();

        public void Append(string text) => _open.Append(text);

        public void Break()
        {
            var line = Whitespace.Collapse(_open.ToString());
            _open.Clear();
            if (line.Length > 0) _done.Add(line);
        }

        public List<string> Finish()
        {
            Break();
            return _done;
        }
    }
}
