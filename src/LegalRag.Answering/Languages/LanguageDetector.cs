using LegalRag.Core.Languages;
using LegalRag.Core.Text;

namespace LegalRag.Answering.Languages;

/// <summary>
/// Guesses the language of a question among those answers are written in (every language pack) from
/// function words and letters only one of them uses (each pack's <see cref="DetectionCues"/>). Questions are short, so frequent small words
/// decide; a question with no telling word falls back to the caller's default (the corpus language).
/// </summary>
public static class LanguageDetector
{
    /// <summary>The languages answers are written in, in the order that breaks ties: every language pack.</summary>
    public static readonly IReadOnlyList<string> Supported = LanguageRegistry.Default.Codes.ToList();

    public static string Detect(string text, string fallback = "en")
    {
        var packs = LanguageRegistry.Default.All;
        var scores = packs.ToDictionary(l => l.Code, _ => 0.0);
        // Each pack's frequent function and question words, folded as the analyzer folds (no diacritics).
        foreach (var (_, _, token) in TextAnalyzer.Tokenize(text))
        {
            foreach (var pack in packs)
                if (pack.Detection.Words.Contains(token)) scores[pack.Code] += 1;
        }
        // Letters that single a language out.
        foreach (var c in text)
        {
            foreach (var pack in packs)
                if (pack.Detection.Letters.TryGetValue(c, out var weight)) scores[pack.Code] += weight;
        }
        foreach (var pack in packs)
        {
            foreach (var (digraph, weight) in pack.Detection.Digraphs)
                if (text.Contains(digraph, StringComparison.OrdinalIgnoreCase)) scores[pack.Code] += weight;
        }
        var best = scores.MaxBy(kv => kv.Value);
        if (best.Value <= 0) return Normalize(fallback);
        // A tie goes to the fallback when it is among the best, else to the first in Supported order.
        var tied = scores.Where(kv => kv.Value == best.Value).Select(kv => kv.Key).ToList();
        return tied.Count > 1 && tied.Contains(Normalize(fallback)) ? Normalize(fallback) : tied[0];
    }

    /// <summary>"de-DE" → "de"; unsupported languages map to English, which every text here has.</summary>
    public static string Normalize(string? language) => LanguageRegistry.Default.ForAnswers(language).Code;
}
