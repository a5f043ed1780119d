using System.Globalization;
using LegalRag.Core.Domain;

namespace LegalRag.Evaluation.PublicCorpora;

/// <summary>
/// Splits a provision body into its numbered paragraphs "(1)", "(2)", …. Only the next number in sequence
/// starts a paragraph, and only at a sentence boundary, so references such as "paragraph (1) of the
/// preceding Article" inside the text never split it.
/// </summary>
internal static class ParagraphSplitter
{
    private const string SentenceEnds = ".:;!?\"“”)";

    /// <summary>Run-in paragraphs (GerLayQA: "… Wohnsitz.(2) Der …").</summary>
    public static IReadOnlyList<ProvisionParagraph> SplitRunIn(string body)
    {
        body = body.Trim();
        if (!StartsWithMarker(body, 0, 1)) return body.Length == 0 ? [] : [new ProvisionParagraph(null, Normalize(body))];

        var starts = new List<(int Position, int Number)> { (0, 1) };
        var expected = 2;
        var from = 1;
        while (true)
        {
            var marker = $"({expected.ToString(CultureInfo.InvariantCulture)})";
            var found = -1;
            for (var i = body.IndexOf(marker, from, StringComparison.Ordinal); i >= 0; i = body.IndexOf(marker, i + 1, StringComparison.Ordinal))
            {
                if (AtSentenceBoundary(body, i) && StartsWithMarker(body, i, expected)) { found = i; break; }
            }
            if (found < 0) break;
            starts.Add((found, expected));
            expected++;
            from = found + 1;
        }
        return Cut(body, starts);
    }

    /// <summary>Line-separated paragraphs (COLIEE: "(1) …\n(2) …"); other lines, e.g. items "(i)", stay
    /// in the paragraph they follow.</summary>
    public static IReadOnlyList<ProvisionParagraph> SplitLines(IReadOnlyList<string> lines)
    {
        var paragraphs = new List<ProvisionParagraph>();
        string? label = null;
        var current = new List<string>();
        var expected = 1;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (StartsWithMarker(line, 0, expected))
            {
                Flush();
                label = expected.ToString(CultureInfo.InvariantCulture);
                line = line[(label.Length + 2)..].Trim();
                expected++;
            }
            current.Add(line);
        }
        Flush();
        return paragraphs;

        void Flush()
        {
            if (current.Count > 0) paragraphs.Add(new ProvisionParagraph(label, Normalize(string.Join("\n", current))));
            current.Clear();
        }
    }

    private static IReadOnlyList<ProvisionParagraph> Cut(string body, List<(int Position, int Number)> starts)
    {
        var paragraphs = new List<ProvisionParagraph>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var (position, number) = starts[i];
            var label = number.ToString(CultureInfo.InvariantCulture);
            var textStart = position + label.Length + 2;
            var end = i + 1 < starts.Count ? starts[i + 1].Position : body.Length;
            paragraphs.Add(new ProvisionParagraph(label, Normalize(body[textStart..end])));
        }
        return paragraphs;
    }

    private static bool StartsWithMarker(string text, int at, int number)
    {
        var marker = $"({number.ToString(CultureInfo.InvariantCulture)})";
        if (string.CompareOrdinal(text, at, marker, 0, marker.Length) != 0) return false;
        var next = at + marker.Length;
        // "(4)(weggefallen)" occurs, so a marker may be followed by a parenthesis as well as by a space.
        return next >= text.Length || char.IsWhiteSpace(text[next]) || text[next] == '(';
    }

    private static bool AtSentenceBoundary(string text, int at)
    {
        var i = at - 1;
        while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
        return i < 0 || SentenceEnds.Contains(text[i]);
    }

    /// <summary>Collapses whitespace runs inside a line and trims, keeping line breaks between lines.</summary>
    public static string Normalize(string text) =>
        string.Join("\n", text.Split('\n').Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).Where(l => l.Length > 0));
}
