using System.Globalization;
using System.Text;

namespace LegalRag.Evaluation.Reports;

/// <summary>Small inline SVG charts for the HTML report: no script, no external resources.</summary>
internal static class Svg
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    public const int Width = 640;

    public static string F(double value) => value.ToString("0.##", C);

    /// <summary>Escapes text for HTML element content and quoted attribute values. Only the five markup
    /// characters are replaced, so German and French letters stay readable in the page source.</summary>
    public static string H(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                default: escaped.Append(ch); break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>Recall@k for k = 1…K on a logarithmic k axis, one line per series.</summary>
    public static string RecallCurve(IReadOnlyList<(string Label, string Color, bool Dashed, IReadOnlyList<double> RecallAtK)> series, string title)
    {
        const int height = 300, left = 50, right = 20, top = 30, bottom = 40;
        var maxK = Math.Max(2, series.Max(s => s.RecallAtK.Count));
        double X(int k) => left + Math.Log(k) / Math.Log(maxK) * (Width - left - right);
        double Y(double recall) => top + (1 - recall) * (height - top - bottom);

        var svg = Open(height, title);
        for (var r = 0; r <= 10; r += 2)
        {
            var y = Y(r / 10.0);
            svg.Append(C, $"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{Width - right}\" y2=\"{F(y)}\" class=\"grid\"/>");
            svg.Append(C, $"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(r / 10.0)}</text>");
        }
        foreach (var k in new[] { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 }.Where(k => k <= maxK))
        {
            var x = X(k);
            svg.Append(C, $"<line x1=\"{F(x)}\" y1=\"{top}\" x2=\"{F(x)}\" y2=\"{height - bottom}\" class=\"grid\"/>");
            svg.Append(C, $"<text x=\"{F(x)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{k}</text>");
        }
        svg.Append(C, $"<text x=\"{(Width + left) / 2}\" y=\"{height - 6}\" text-anchor=\"middle\">k (log scale)</text>");
        var legendY = top - 12;
        var legendX = left;
        foreach (var (label, color, dashed, recall) in series)
        {
            if (recall.Count == 0) continue;
            var points = string.Join(' ', recall.Select((v, i) => $"{F(X(i + 1))},{F(Y(v))}"));
            svg.Append(C, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}><title>{H(label)}</title></polyline>");
            svg.Append(C, $"<rect x=\"{legendX}\" y=\"{legendY - 8}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{legendX + 14}\" y=\"{legendY + 1}\">{H(label)}</text>");
            legendX += 20 + label.Length * 7;
        }
        return Close(svg);
    }

    /// <summary>Histogram of latencies; the last bar also holds everything above its upper bound.</summary>
    public static string Histogram(IReadOnlyList<double> values, double upperBound, int bins, string unit, string title)
    {
        const int height = 240, left = 50, right = 20, top = 20, bottom = 40;
        upperBound = upperBound > 0 ? upperBound : 1;
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Clamp((int)(v / upperBound * bins), 0, bins - 1)]++;
        var max = Math.Max(1, counts.Max());
        var barWidth = (Width - left - right) / (double)bins;
        var svg = Open(height, title);
        for (var i = 0; i < bins; i++)
        {
            var h = counts[i] / (double)max * (height - top - bottom);
            var x = left + i * barWidth;
            var from = upperBound * i / bins;
            var to = upperBound * (i + 1) / bins;
            var range = i == bins - 1 ? $"≥ {F(from)} {unit}" : $"{F(from)}–{F(to)} {unit}";
            svg.Append(C, $"<rect x=\"{F(x + 1)}\" y=\"{F(height - bottom - h)}\" width=\"{F(barWidth - 2)}\" height=\"{F(h)}\" class=\"bar\"><title>{H(range)}: {counts[i]}</title></rect>");
        }
        for (var i = 0; i <= 4; i++)
        {
            var x = left + i * (Width - left - right) / 4.0;
            svg.Append(C, $"<text x=\"{F(x)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{F(upperBound * i / 4)}</text>");
        }
        svg.Append(C, $"<text x=\"{left - 6}\" y=\"{top + 4}\" text-anchor=\"end\">{max}</text>");
        svg.Append(C, $"<text x=\"{(Width + left) / 2}\" y=\"{height - 6}\" text-anchor=\"middle\">{H(unit)}</text>");
        return Close(svg);
    }

    /// <summary>Horizontal bars of a 0–1 value per group, labelled with the group size.</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value, int Count)> bars, string title)
    {
        const int rowHeight = 22, left = 200, right = 70, top = 10;
        var height = top * 2 + Math.Max(1, bars.Count) * rowHeight;
        var svg = Open(height, title);
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, count) = bars[i];
            var y = top + i * rowHeight;
            var w = Math.Clamp(value, 0, 1) * (Width - left - right);
            var shown = label.Length > 28 ? label[..27] + "…" : label;
            svg.Append(C, $"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{H(shown)}<title>{H(label)}</title></text>");
            svg.Append(C, $"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{F(w)}\" height=\"{rowHeight - 6}\" class=\"bar\"/>");
            svg.Append(C, $"<text x=\"{F(left + w + 4)}\" y=\"{y + 15}\">{value:0.000} (n={count})</text>");
        }
        return Close(svg);
    }

    private static StringBuilder Open(int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(C, $"<svg role=\"img\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" aria-label=\"{H(title)}\"><title>{H(title)}</title>");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();
}
