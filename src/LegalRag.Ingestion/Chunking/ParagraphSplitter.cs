using System.Text;
using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Chunking;

/// <summary>
/// Splits one paragraph that is longer than a chunk. Prose splits at sentence ends. A Markdown pipe table in the
/// paragraph (parsers render source tables so: a header row, a separator row "| --- |", one line per row) splits
/// only between rows, and every piece that carries rows of a table starts with that table's header and separator,
/// so each chunk reads as a table on its own. A single row longer than a chunk stays whole (over the limit): a row
/// cut in two would pair cells with the wrong values.
/// </summary>
internal static partial class ParagraphSplitter
{
    // "| --- | :---: |": a separator row; its cells hold only dashes and alignment colons.
    [GeneratedRegex(@"^\|(\s*:?-{3,}:?\s*\|)+$", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatorRow();

    /// <summary>One piece of the paragraph that is never cut, with what joins it to the piece before it.</summary>
    /// <param name="Joiner">" " between sentence pieces of one line, "\n" between lines and rows.</param>
    /// <param name="Header">For a table row: its table's header and separator lines; null otherwise.</param>
    private sealed record Unit(string Text, string Joiner, string? Header);

    public static IEnumerable<string> Split(string text, int maxChars)
    {
        var piece = new StringBuilder();
        string? headerInPiece = null;
        foreach (var unit in Units(text, maxChars))
        {
            var addition = Addition(unit, headerInPiece);
            if (piece.Length > 0 && piece.Length + unit.Joiner.Length + addition.Length > maxChars)
            {
                yield return piece.ToString();
                piece.Clear();
                headerInPiece = null;
                addition = Addition(unit, headerInPiece);
            }
            if (piece.Length > 0) piece.Append(unit.Joiner);
            piece.Append(addition);
            headerInPiece = unit.Header;
        }
        if (piece.Length > 0) yield return piece.ToString();
    }

    /// <summary>The unit's text, after its table's header when the piece does not start that table already.
    /// (Headers are compared by reference: each table's header is one string.)</summary>
    private static string Addition(Unit unit, string? headerInPiece) =>
        unit.Header is null || ReferenceEquals(unit.Header, headerInPiece) ? unit.Text : unit.Header + "\n" + unit.Text;

    private static IEnumerable<Unit> Units(string text, int maxChars)
    {
        var lines = text.Split('\n');
        var first = true;
        for (var i = 0; i < lines.Length;)
        {
            if (IsTableRow(lines[i]))
            {
                var start = i;
                while (i < lines.Length && IsTableRow(lines[i])) i++;
                foreach (var unit in TableUnits(lines.AsSpan(start, i - start).ToArray()))
                {
                    yield return first ? unit with { Joiner = "" } : unit;
                    first = false;
                }
                continue;
            }
            var sentenceJoiner = "\n";
            foreach (var sentence in SplitSentences(lines[i], maxChars))
            {
                yield return new Unit(sentence, first ? "" : sentenceJoiner, null);
                first = false;
                sentenceJoiner = " ";
            }
            i++;
        }
    }

    private static IEnumerable<Unit> TableUnits(string[] rows)
    {
        // Without a separator in second place there is no header to repeat; the rows still stay whole.
        if (rows.Length < 3 || !SeparatorRow().IsMatch(rows[1].Trim()))
        {
            foreach (var row in rows) yield return new Unit(row, "\n", null);
            yield break;
        }
        var header = rows[0] + "\n" + rows[1];
        foreach (var row in rows.Skip(2)) yield return new Unit(row, "\n", header);
    }

    private static bool IsTableRow(string line)
    {
        var t = line.Trim();
        return t.Length >= 2 && t[0] == '|' && t[^1] == '|';
    }

    /// <summary>Splits one over-long line at sentence ends (". ", "; ") into pieces under the limit.</summary>
    private static IEnumerable<string> SplitSentences(string text, int maxChars)
    {
        var start = 0;
        while (text.Length - start > maxChars)
        {
            var window = text.AsSpan(start, maxChars);
            var cut = Math.Max(window.LastIndexOf(". "), window.LastIndexOf("; "));
            if (cut < maxChars / 3) cut = window.LastIndexOf(' ');
            if (cut <= 0) cut = maxChars - 1;
            yield return text.Substring(start, cut + 1).Trim();
            start += cut + 1;
        }
        var rest = text[start..].Trim();
        if (rest.Length > 0) yield return rest;
    }
}
