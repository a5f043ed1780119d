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
    private static readonly Dictionary<string, HashSet<string>> ReferringWords = new()
    {
        ["de"] = Set("das dies diese dieser dieses dem den der dort dabei dafur dagegen daran darauf davon dazu er sie es ihm ihr und auch was wie wenn aber sonst"),
        ["en"] = Set("it its this that these those they them there and also what about then instead so"),
        ["fr"] = Set("cela ca ce cet cette ces il elle ils elles y en et aussi alors sinon"),
        ["nl"] = Set("dit dat deze die het hij zij ze er daar daarbij en ook wat als dan"),
        ["et"] = Set("see seda sellel selle need nad ja ka aga siis kui mis"),
    };

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
        var refers = tokens.Count > 0 && ReferringWords.TryGetValue(lang, out var words) && (words.Contains(tokens[0]) || tokens.Count(words.Contains) >= 2);
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

    private static HashSet<string> Set(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
