using System.Text;
using LegalRag.Core.Text;

namespace LegalRag.Retrieval.Snippets;

/// <summary>
/// A short extract of a provision around the query's terms, with each hit marked as **term**.
/// Matching uses the same analyzer as the index, so "Kündigung" in the query marks "Kündigungen".
/// </summary>
public static class SnippetBuilder
{
    public const string MarkOpen = "**";
    public const string MarkClose = "**";

    public static string Build(string text, string query, TextAnalyzer analyzer, int maxChars = 240)
    {
        var queryTerms = analyzer.Analyze(query).ToHashSet(StringComparer.Ordinal);
        var tokens = TextAnalyzer.Tokenize(text).ToList();
        var hits = new List<(int Start, int Length, string Term)>();
        foreach (var (start, length, token) in tokens)
        {
            var term = analyzer.Term(token);
            if (term is null) continue;
            if (queryTerms.Contains(term) || queryTerms.Any(q => q.Length >= 5 && term.StartsWith(q, StringComparison.Ordinal)))
                hits.Add((start, length, term));
        }

        // Pick the window of maxChars that covers the most distinct query terms, longer terms
        // counting more: long words are the rare, telling ones ("Eigenbedarf" over "kündigen").
        var windowStart = 0;
        if (text.Length > maxChars && hits.Count > 0)
        {
            var best = 0;
            for (var i = 0; i < hits.Count; i++)
            {
                var inWindow = hits.Skip(i).TakeWhile(h => h.Start + h.Length - hits[i].Start <= maxChars - 40);
                var weight = inWindow.Select(h => h.Term).Distinct(StringComparer.Ordinal).Sum(t => t.Length);
                if (weight > best) { best = weight; windowStart = Math.Max(0, hits[i].Start - 40); }
            }
            // Start at a word boundary.
            while (windowStart > 0 && !char.IsWhiteSpace(text[windowStart - 1])) windowStart--;
        }
        var windowEnd = Math.Min(text.Length, windowStart + maxChars);
        if (windowEnd < text.Length)
        {
            var space = text.LastIndexOf(' ', windowEnd - 1, Math.Min(40, windowEnd - windowStart));
            if (space > windowStart) windowEnd = space;
        }

        var sb = new StringBuilder();
        if (windowStart > 0) sb.Append("… ");
        var pos = windowStart;
        foreach (var (start, length, _) in hits)
        {
            if (start < windowStart || start + length > windowEnd) continue;
            sb.Append(text, pos, start - pos).Append(MarkOpen).Append(text, start, length).Append(MarkClose);
            pos = start + length;
        }
        sb.Append(text, pos, windowEnd - pos);
        if (windowEnd < text.Length) sb.Append(" …");
        return sb.ToString().Replace('\n', ' ');
    }
}
