using LegalRag.Core.Domain;
using LegalRag.Core.Text;
using LegalRag.Evaluation.Retrieval;

namespace LegalRag.Evaluation.Tests.Support;

/// <summary>Returns a fixed ranking per question text, so tests know every rank in advance.</summary>
internal sealed class ScriptedRetriever(IReadOnlyDictionary<string, IReadOnlyList<RetrievedProvision>> rankings, string mode = "scripted") : IEvalRetriever
{
    public string Mode => mode;
    public int Calls;
    public HashSet<string> FailOn { get; } = [];

    public Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (FailOn.Contains(question)) throw new InvalidOperationException("search backend unavailable");
        return Task.FromResult<IReadOnlyList<RetrievedProvision>>(rankings.TryGetValue(question, out var r) ? r.Take(k).ToList() : []);
    }

    public static RetrievedProvision Hit(string key, string citation, double score = 1) => new(key, citation, score);
}

/// <summary>
/// Plain in-memory BM25 (k1 = 1.2, b = 0.75) over provision heading and text, for end-to-end runs of the harness
/// without a store. Tokens are lower-cased words; stemming and stopwords are configurable.
/// </summary>
internal sealed class InMemoryBm25Retriever : IEvalRetriever
{
    private const double K1 = 1.2, B = 0.75;
    private readonly List<(Provision Provision, Dictionary<string, int> Terms, int Length)> _docs = [];
    private readonly Dictionary<string, List<(int Doc, int Tf)>> _postings = new(StringComparer.Ordinal);
    private readonly double _averageLength;
    private readonly Func<string, IEnumerable<string>> _analyze;

    public InMemoryBm25Retriever(IEnumerable<LegalDocument> documents, Func<string, IEnumerable<string>>? analyze = null)
    {
        _analyze = analyze ?? PlainTokens;
        foreach (var provision in documents.SelectMany(d => d.Provisions))
        {
            var terms = new Dictionary<string, int>(StringComparer.Ordinal);
            var length = 0;
            foreach (var token in _analyze(provision.Heading + " " + provision.Text)) { terms[token] = terms.GetValueOrDefault(token) + 1; length++; }
            var id = _docs.Count;
            _docs.Add((provision, terms, length));
            foreach (var (term, tf) in terms)
            {
                if (!_postings.TryGetValue(term, out var list)) _postings[term] = list = [];
                list.Add((id, tf));
            }
        }
        _averageLength = _docs.Count == 0 ? 1 : _docs.Average(d => d.Length);
    }

    public string Mode => "bm25-test";

    public static IEnumerable<string> PlainTokens(string text) => TextAnalyzer.Tokenize(text.ToLowerInvariant(), foldDiacritics: false).Select(t => t.Token);

    public Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<int, double>();
        foreach (var term in _analyze(question).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings)) continue;
            var idf = Math.Log(1 + (_docs.Count - postings.Count + 0.5) / (postings.Count + 0.5));
            foreach (var (doc, tf) in postings)
            {
                var norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * _docs[doc].Length / _averageLength));
                scores[doc] = scores.GetValueOrDefault(doc) + idf * norm;
            }
        }
        IReadOnlyList<RetrievedProvision> ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(k)
            .Select(s => new RetrievedProvision(_docs[s.Key].Provision.Key, _docs[s.Key].Provision.Citation, s.Value)).ToList();
        return Task.FromResult(ranked);
    }
}
