using System.Text;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// One letter of a PDF page as the text-layer reader reports it, in PDF user space (points, y upwards): its text,
/// the start and end of its baseline, the bottom and top of its box, its size in points and whether its font is bold.
/// </summary>
internal readonly record struct Glyph(string Text, double StartX, double StartY, double EndX, double EndY,
    double BoxBottom, double BoxTop, double Size, bool Bold);

/// <summary>
/// Builds lines and layout blocks from letters. Letters are grouped by writing direction, then into rows by
/// baseline; a row splits into segments where a gap is wider than a letter (a list number and its text, table
/// cells, columns). Segments stacked at line spacing, overlapping horizontally and set in the same size and weight,
/// make a block. Blocks are read by recursive cuts: text columns one after the other, bands top to bottom, and within
/// a band narrow columns (list numbers, cells) left to right.
/// Lines in the main direction keep their box, measured from the top of the page; lines in other directions
/// (a rotated note along the margin) follow them and are never taken for running headers or footers.
/// </summary>
internal static class LetterLines
{
    /// <summary>Baselines closer than this share of the letter size are one row (a superscript stays on its line).</summary>
    private const double RowTolerance = 0.4;
    /// <summary>A gap wider than this share of the letter size without a space letter is still a word break.</summary>
    private const double WordGap = 0.12;
    /// <summary>A gap wider than this share of the letter size ends a segment: a list number, a table cell, a column.</summary>
    private const double SegmentGap = 1.0;
    /// <summary>Segments whose baselines are at most this many letter sizes apart can be lines of one block.</summary>
    private const double LineSpacing = 1.5;

    private sealed class Placed(Glyph glyph, double u, double uEnd, double v, double size)
    {
        public Glyph Glyph { get; } = glyph;
        public double U { get; } = u;
        public double UEnd { get; } = uEnd;
        public double V { get; } = v;
        public double Size { get; } = size;
        public bool IsSpace { get; } = glyph.Text.All(char.IsWhiteSpace);
    }

    private sealed class Segment
    {
        public readonly StringBuilder Text = new();
        public int Row;
        public double U0 = double.MaxValue, U1 = double.MinValue, V, LargestSize;
        public double BoxBottom = double.MaxValue, BoxTop = double.MinValue;
        public readonly Dictionary<double, int> Sizes = [];
        public int Letters, BoldLetters;
        private double? _size;
        /// <summary>The size most of its letters are set in; read only once the segment is complete.</summary>
        public double Size => _size ??= Sizes.MaxBy(s => s.Value).Key;
        public bool Bold => BoldLetters * 2 > Letters;
    }

    private sealed class Block
    {
        public readonly List<Segment> Lines = [];
        public Segment Last => Lines[^1];
        public double U0 { get; private set; } = double.MaxValue;
        public double U1 { get; private set; } = double.MinValue;
        public double Top { get; private set; } = double.MinValue;
        public double Bottom { get; private set; } = double.MaxValue;

        public void Add(Segment line)
        {
            Lines.Add(line);
            U0 = Math.Min(U0, line.U0);
            U1 = Math.Max(U1, line.U1);
            Top = Math.Max(Top, line.V + line.Size * 0.8);
            Bottom = Math.Min(Bottom, line.V - line.Size * 0.2);
        }
    }

    public static List<PdfLine> Build(IEnumerable<Glyph> glyphs, double pageHeight)
    {
        var byDirection = new Dictionary<int, List<Placed>>();
        var lastDirection = 0;
        foreach (var glyph in glyphs)
        {
            if (string.IsNullOrEmpty(glyph.Text)) continue;
            // Letters of no size draw nothing a reader sees (some producers hide tags that way).
            var size = glyph.Size > 0 ? glyph.Size : glyph.BoxTop - glyph.BoxBottom;
            if (size <= 0) continue;
            var dx = glyph.EndX - glyph.StartX;
            var dy = glyph.EndY - glyph.StartY;
            // Direction in steps of 5°: letters of one line share it; a zero-width letter takes its neighbour's.
            var direction = dx * dx + dy * dy > 1e-6
                ? ((int)Math.Round(Math.Atan2(dy, dx) * 180 / Math.PI / 5) * 5 + 360) % 360
                : lastDirection;
            lastDirection = direction;
            var angle = direction * Math.PI / 180;
            var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
            var placed = new Placed(glyph,
                glyph.StartX * cos + glyph.StartY * sin,
                glyph.EndX * cos + glyph.EndY * sin,
                -glyph.StartX * sin + glyph.StartY * cos,
                Math.Round(size, 1));
            if (!byDirection.TryGetValue(direction, out var list)) byDirection[direction] = list = [];
            list.Add(placed);
        }
        if (byDirection.Count == 0) return [];

        var main = byDirection.MaxBy(d => d.Value.Count(p => !p.IsSpace)).Key;
        var lines = new List<PdfLine>();
        var blockNumber = 0;
        foreach (var (direction, placed) in byDirection.OrderBy(d => d.Key == main ? 0 : 1).ThenBy(d => d.Key))
        {
            foreach (var block in Order(Blocks(Segments(placed))))
            {
                foreach (var segment in block.Lines)
                {
                    var text = Normalize(segment.Text.ToString());
                    if (text.Length == 0) continue;
                    var (top, bottom) = direction == main && direction == 0
                        ? (pageHeight - segment.BoxTop, pageHeight - segment.BoxBottom)
                        // Outside the margins, whatever the page's size: not a running header or footer.
                        : (pageHeight / 2, pageHeight / 2 + segment.Size);
                    lines.Add(new PdfLine(blockNumber, text, top, bottom, segment.Size, segment.Bold));
                }
                blockNumber++;
            }
        }
        return lines;
    }

    private static List<Segment> Segments(List<Placed> placed)
    {
        placed.Sort((a, b) => b.V != a.V ? b.V.CompareTo(a.V) : a.U.CompareTo(b.U));
        var rows = new List<List<Placed>>();
        List<Placed>? row = null;
        double rowLowest = 0, rowSize = 0;
        foreach (var p in placed)
        {
            if (row is not null && p.V >= rowLowest - RowTolerance * Math.Max(p.Size, rowSize))
            {
                row.Add(p);
                rowLowest = Math.Min(rowLowest, p.V);
                rowSize = Math.Max(rowSize, p.Size);
                continue;
            }
            rows.Add(row = [p]);
            rowLowest = p.V;
            rowSize = p.Size;
        }

        var segments = new List<Segment>();
        for (var r = 0; r < rows.Count; r++)
        {
            var letters = rows[r];
            letters.Sort((a, b) => a.U.CompareTo(b.U));
            Segment? segment = null;
            Placed? previous = null;
            var spaceSeen = false;
            foreach (var p in letters)
            {
                if (p.IsSpace)
                {
                    spaceSeen = true;
                    continue;
                }
                // Bold simulated by drawing a letter twice, a hair apart: keep one.
                if (previous is not null && previous.Glyph.Text == p.Glyph.Text && Math.Abs(p.U - previous.U) < 0.15 * p.Size
                    && Math.Abs(p.V - previous.V) < 0.15 * p.Size)
                    continue;
                var size = Math.Max(p.Size, previous?.Size ?? 0);
                var gap = previous is null ? 0 : p.U - segment!.U1;
                if (segment is null || gap > SegmentGap * size)
                {
                    segments.Add(segment = new Segment { Row = r, V = p.V });
                }
                else if (spaceSeen || gap > WordGap * size)
                {
                    segment.Text.Append(' ');
                }
                segment.Text.Append(p.Glyph.Text);
                segment.U0 = Math.Min(segment.U0, p.U);
                segment.U1 = Math.Max(segment.U1, Math.Max(p.UEnd, p.U));
                segment.BoxBottom = Math.Min(segment.BoxBottom, p.Glyph.BoxBottom);
                segment.BoxTop = Math.Max(segment.BoxTop, p.Glyph.BoxTop);
                segment.Sizes[p.Size] = segment.Sizes.GetValueOrDefault(p.Size) + p.Glyph.Text.Length;
                // The baseline of the line is the one of its largest letters, not of a raised footnote mark.
                if (p.Size > segment.LargestSize)
                {
                    segment.LargestSize = p.Size;
                    segment.V = p.V;
                }
                segment.Letters++;
                if (p.Glyph.Bold) segment.BoldLetters++;
                previous = p;
                spaceSeen = false;
            }
        }
        return segments;
    }

    private static List<Block> Blocks(List<Segment> segments)
    {
        var blocks = new List<Block>();
        // Blocks whose last line is still within reach of the rows to come; segments arrive top to bottom.
        var open = new List<Block>();
        foreach (var segment in segments)
        {
            open.RemoveAll(b => b.Last.V - segment.V > LineSpacing * Math.Max(b.Last.Size, segment.Size) * 2);
            Block? best = null;
            foreach (var block in open)
            {
                var last = block.Last;
                if (last.Row >= segment.Row) continue;
                var size = Math.Max(last.Size, segment.Size);
                var drop = last.V - segment.V;
                if (drop <= 0 || drop > LineSpacing * size) continue;
                if (Math.Min(last.U1, segment.U1) - Math.Max(last.U0, segment.U0) <= 0) continue;
                if (last.Bold != segment.Bold || Math.Abs(last.Size - segment.Size) > 0.1 * size) continue;
                if (best is null || last.V < best.Last.V) best = block;
            }
            if (best is null)
            {
                blocks.Add(best = new Block());
                open.Add(best);
            }
            best.Add(segment);
        }
        return blocks;
    }

    /// <summary>
    /// Reading order by recursive cuts. Columns of text (each at least <see cref="ColumnWidth"/> letters wide) are
    /// read one after the other, even where their paragraph gaps happen to line up; otherwise bands of blocks that
    /// overlap vertically go top to bottom, and within a band narrow columns (a list number, table cells) left to right.
    /// </summary>
    private static IEnumerable<Block> Order(List<Block> blocks)
    {
        if (blocks.Count <= 1) return blocks;
        var columns = Split(blocks, b => b.U0, b => b.U1);
        if (columns.Count > 1 && columns.All(IsTextColumn)) return columns.SelectMany(Order);
        var bands = Split(blocks, b => -b.Top, b => -b.Bottom);
        if (bands.Count > 1) return bands.SelectMany(Order);
        if (columns.Count > 1) return columns.SelectMany(Order);
        return blocks.OrderByDescending(b => b.Top).ThenBy(b => b.U0);
    }

    /// <summary>A column wide enough for running text, in letter sizes: a list number or a figure is far narrower.</summary>
    private const double ColumnWidth = 8;

    private static bool IsTextColumn(List<Block> column)
    {
        var size = column.SelectMany(b => b.Lines).Max(l => l.Size);
        return column.Max(b => b.U1) - column.Min(b => b.U0) >= ColumnWidth * size;
    }

    /// <summary>Groups blocks whose ranges on one axis overlap, in the order of that axis.</summary>
    private static List<List<Block>> Split(List<Block> blocks, Func<Block, double> start, Func<Block, double> end)
    {
        var groups = new List<List<Block>>();
        var groupEnd = double.MinValue;
        foreach (var block in blocks.OrderBy(start))
        {
            if (groups.Count > 0 && start(block) < groupEnd - 0.5)
            {
                groups[^1].Add(block);
                groupEnd = Math.Max(groupEnd, end(block));
                continue;
            }
            groups.Add([block]);
            groupEnd = end(block);
        }
        return groups;
    }

    /// <summary>
    /// Text as the rest of the pipeline expects it: no-break and other fixed-width spaces become spaces, soft
    /// hyphens go (or become a hyphen at a line end, where the word was broken), ligatures are spelt out.
    /// </summary>
    internal static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\u00A0' or '\u2007' or '\u202F' or (>= '\u2000' and <= '\u200A') or '\u3000':
                    sb.Append(' ');
                    break;
                case '\u00AD':
                    if (i == text.Length - 1) sb.Append('-');
                    break;
                case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF':
                    break;
                case '\uFB00': sb.Append("ff"); break;
                case '\uFB01': sb.Append("fi"); break;
                case '\uFB02': sb.Append("fl"); break;
                case '\uFB03': sb.Append("ffi"); break;
                case '\uFB04': sb.Append("ffl"); break;
                case '\uFB05' or '\uFB06': sb.Append("st"); break;
                default:
                    if (!char.IsControl(c)) sb.Append(c);
                    break;
            }
        }
        return Structure.Whitespace.Collapse(sb.ToString());
    }
}
