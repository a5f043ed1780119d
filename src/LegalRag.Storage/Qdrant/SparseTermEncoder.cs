using System.Collections.Concurrent;
using System.Text;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Text;

namespace LegalRag.Storage.Qdrant;

/// <summary>A sparse vector of term weights; <see cref="Indices"/> are unique and ascending, one value per index.</summary>
public sealed record SparseTerms(uint[] Indices, float[] Values)
{
    public int Count => Indices.Length;
}

/// <summary>
/// Turns text into the sparse vectors of the lexical side on Qdrant. Terms come from
/// <see cref="TextAnalyzer"/>, the same analysis the embedded BM25 index uses, so both stores see the
/// same vocabulary. Each term maps to a dimension by FNV-1a 32-bit over its UTF-8 bytes (no vocabulary
/// file to keep in sync); document weights are BM25-saturated term frequencies and the collection's
/// sparse vector has <c>modifier: idf</c>, so Qdrant multiplies in the inverse document frequency at
/// query time: query·document = Σ idf(t)·tf-part(t), i.e. BM25 with a fixed average length.
/// </summary>
public sealed class SparseTermEncoder(double k1 = 1.2, double b = 0.75, double averageLength = 200, int headingWeight = 2)
{
    private readonly ConcurrentDictionary<string, TextAnalyzer> _analyzers = new(StringComparer.Ordinal);

    public static SparseTermEncoder FromOptions(QdrantOptions options) =>
        new(options.Bm25K1, options.Bm25B, options.Bm25AverageLength, options.HeadingWeight);

    /// <summary>FNV-1a 32-bit of the term's UTF-8 bytes: the term's dimension.</summary>
    public static uint TermIndex(string term)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        Span<byte> buffer = term.Length <= 128 ? stackalloc byte[term.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(term.Length)];
        var count = Encoding.UTF8.GetBytes(term, buffer);
        foreach (var octet in buffer[..count])
        {
            hash ^= octet;
            hash *= prime;
        }
        return hash;
    }

    public TextAnalyzer AnalyzerFor(string language) => _analyzers.GetOrAdd(language, l => new TextAnalyzer(l));

    /// <summary>The document side: heading terms count <c>headingWeight</c> times, weights are BM25-saturated.</summary>
    public SparseTerms EncodeDocument(string language, string heading, string text)
    {
        var analyzer = AnalyzerFor(language);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var term in analyzer.Analyze(text)) { Add(frequencies, term, 1); length++; }
        if (headingWeight > 0 && heading.Length > 0)
            foreach (var term in analyzer.Analyze(heading)) { Add(frequencies, term, headingWeight); length += headingWeight; }

        var norm = k1 * (1 - b + b * length / averageLength);
        var weights = new Dictionary<uint, float>();
        foreach (var (term, tf) in frequencies)
        {
            var weight = (float)(tf * (k1 + 1) / (tf + norm));
            AddWeight(weights, TermIndex(term), weight);
        }
        return ToVector(weights);
    }

    /// <summary>The query side: each distinct term of the planned query once with weight 1, so the score is a sum of
    /// idf·tf-part. The terms are already analyzed (retrieval plans them); sparse vectors cannot match prefixes, so a
    /// prefix term matches itself only.</summary>
    public SparseTerms EncodeQuery(LexicalQuery query)
    {
        var weights = new Dictionary<uint, float>();
        foreach (var term in query.Terms.Select(t => t.Text).Distinct(StringComparer.Ordinal))
            AddWeight(weights, TermIndex(term), 1f);
        return ToVector(weights);
    }

    private static void Add(Dictionary<string, int> frequencies, string term, int by) =>
        frequencies[term] = frequencies.GetValueOrDefault(term) + by;

    // Two terms hashing to one dimension (rare: 32-bit space) share it; Qdrant rejects duplicate indices.
    private static void AddWeight(Dictionary<uint, float> weights, uint index, float weight) =>
        weights[index] = weights.GetValueOrDefault(index) + weight;

    private static SparseTerms ToVector(Dictionary<uint, float> weights)
    {
        var indices = weights.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++) values[i] = weights[indices[i]];
        return new SparseTerms(indices, values);
    }
}
