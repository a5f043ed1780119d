using LegalRag.Core.Citations;
using LegalRag.Core.Text;

namespace LegalRag.Answering.History;

/// <summary>
/// Makes a follow-up question ("Und bei Gewerberäumen?", "What about a sublease?") searchable on its
/// own. Without a model: a question that refers back (a pronoun, "and …", "what about …") or that has
/// too few words of its own to search keeps the telling terms of the previous standalone query. The
/// result is still the user's wording first, so the answer's lead speaks to what they asked.
/// </summary>
public static class FollowUpRewriter
{
    /// <summary>Question terms below which a question is taken to lean on the conversation.</summary>
    public const int MinOwnTerms = 3;

    public static string Rewrite(string question, string language, IReadOnlyList<ChatTurn> history)
    {
        if (history.Count == 0) return question;
        if (CitationParser.TryParse(question, out _)) return question; // a citation stands alone
        var lang = Languages.LanguageDetector.Normalize(language);
        var analyzer = new TextAnalyzer(lang);
        var own = analyzer.Analyze(question).Distinct(StringComparer.Ordinal).ToList();
        var tokens = TextAnalyzer.Tokenize(question).Select(t => t.Token).ToList();
        var refers = tokens.Count > 0 && LanguageRegistry.Default.ForAnswers(lang).ReferringWords is var words && (words.Contains(tokens[0]) || tokens.Count(words.Contains) >= 2);
        if (own.Count >= MinOwnTerms * 2 || (own.Count >= MinOwnTerms && !refers)) return question;

        var previous = history[^1].StandaloneQuery;
        var previousTerms = TextAnalyzer.Tokenize(previous)
            .Where(t => analyzer.Term(t.Token) is { } term && !own.Contains(term) && term.Length >= 3)
            .Select(t => previous.Substring(t.Start, t.Length))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(8);
        var carried = string.Join(' ', previousTerms);
        return carried.Length == 0 ? question : $"{question.Trim()} ({carried})";
    }
}
