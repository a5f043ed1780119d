using LegalRag.Core.Text;

namespace LegalRag.Answering.Text;

/// <summary>
/// The content terms of a question, analyzed as the index analyzes them, each with a weight. Longer
/// terms weigh more: in statute text long words are the rare, telling ones ("Eigenbedarf" over
/// "kündigen"), and we have no document frequencies at answer time. Matching mirrors the index:
/// terms of <see cref="PrefixMinLength"/>+ characters also match as prefixes, so "miet" finds "Mietvertrag".
/// </summary>
public sealed class QueryTerms
{
    public const int PrefixMinLength = 5;
    private readonly TextAnalyzer _analyzer;

    public QueryTerms(string question, string language)
    {
        _analyzer = new TextAnalyzer(language);
        Terms = _analyzer.Analyze(question)
            .Where(t => t.Length >= 3 || t.Any(char.IsDigit))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(t => t, Weight, StringComparer.Ordinal);
        TotalWeight = Terms.Values.Sum();
    }

    public IReadOnlyDictionary<string, double> Terms { get; }
    public double TotalWeight { get; }
    public TextAnalyzer Analyzer => _analyzer;

    public static double Weight(string term) => Math.Min(term.Length, 12) - 2;

    /// <summary>The query terms a text contains.</summary>
    public HashSet<string> Matched(string text)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (Terms.Count == 0) return found;
        foreach (var (_, _, token) in TextAnalyzer.Tokenize(text))
        {
            var term = _analyzer.Term(token);
            if (term is null) continue;
            if (Terms.ContainsKey(term)) { found.Add(term); continue; }
            foreach (var q in Terms.Keys)
                if (q.Length >= PrefixMinLength && term.StartsWith(q, StringComparison.Ordinal)) found.Add(q);
        }
        return found;
    }

    public double WeightOf(IEnumerable<string> terms) => terms.Sum(t => Terms.TryGetValue(t, out var w) ? w : 0);
}
