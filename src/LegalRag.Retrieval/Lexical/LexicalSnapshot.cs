using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;

namespace LegalRag.Retrieval.Lexical;

/// <summary>
/// An immutable in-memory copy of the store's lexical index: the analyzed rows turned into document-ordered postings
/// per term (heading, context, body and filter-column frequencies per posting), and a scorer that reproduces SQLite
/// FTS5's bm25() for the store's query shape exactly, so that it ranks what the store would rank, only faster.
/// <para>
/// FTS5's bm25 for an OR of phrases p (each a term, or a prefix standing for every term it begins), with the text
/// columns searched and column weights w: <c>Σ_p idf(p) · f·(k1+1) / (f + k1·(1 − b + b·|D|/avgdl))</c>, where f is the
/// weighted count of p's occurrences in the row, |D| the row's tokens in all columns (the filter column too), avgdl
/// all tokens over all rows, and idf(p) = ln((N − n + 0.5)/(n + 0.5)) (1e-6 when not positive) with n the rows where
/// p occurs in a searched column, counted over the whole table, whatever the filter.
/// </para>
/// </summary>
public sealed class LexicalSnapshot
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    // Per row (index = position in chunk id order).
    private readonly long[] _chunkIds;
    private readonly int[] _length;
    private readonly string?[] _provisionKeys;
    private readonly int[] _corpus;
    private readonly int[] _act;
    private readonly int[] _inForceFrom; // day numbers: in force on d when from <= d < to
    private readonly int[] _inForceTo;

    // Terms in ordinal order; postings of term t are [_termStart[t], _termStart[t + 1]).
    private readonly string[] _terms;
    private readonly Dictionary<string, int> _termIds;
    private readonly int[] _termStart;
    private readonly int[] _postingRow;
    private readonly uint[] _postingFreq;
    private readonly Dictionary<int, Frequencies> _overflow;
    private readonly long[] _allDfPrefixSum; // rows with the term in any column, summed over terms 0..t-1

    private readonly Dictionary<string, int> _corpora;
    private readonly Dictionary<string, int> _acts;
    private readonly long _totalTokens;
    private readonly ConcurrentBag<Scratch> _scratch = new();

    public long Version { get; }
    /// <summary>Rows of the index (FTS5's N).</summary>
    public int Rows => _chunkIds.Length;
    /// <summary>Rows that belong to a stored chunk (what the store counts as chunks).</summary>
    public long Chunks { get; }
    public int Terms => _terms.Length;
    public long Postings => _postingRow.Length;
    public TimeSpan BuildTime { get; internal set; }

    /// <summary>Bytes the arrays hold (strings of terms and keys estimated), for the build report.</summary>
    public long ApproximateBytes { get; }

    /// <summary>The four frequencies of one posting: heading, context, body, filter column.</summary>
    internal readonly record struct Frequencies(int Heading, int Context, int Body, int Filter);

    // Packed: body 14 bits, heading 8, context 8, filter 2; all ones marks a posting kept in _overflow.
    private const uint OverflowMark = uint.MaxValue;

    internal static uint Pack(Frequencies f) =>
        f.Body >= (1 << 14) - 1 || f.Heading > 255 || f.Context > 255 || f.Filter > 3
            ? OverflowMark
            : (uint)f.Body | ((uint)f.Heading << 14) | ((uint)f.Context << 22) | ((uint)f.Filter << 30);

    private Frequencies Unpack(int posting)
    {
        var p = _postingFreq[posting];
        return p == OverflowMark ? _overflow[posting] : new Frequencies((int)((p >> 14) & 0xFF), (int)((p >> 22) & 0xFF), (int)(p & 0x3FFF), (int)(p >> 30));
    }

    internal LexicalSnapshot(long version, LexicalSnapshotBuilder.Result r)
    {
        Version = version;
        _chunkIds = r.ChunkIds;
        _length = r.Lengths;
        _provisionKeys = r.ProvisionKeys;
        _corpus = r.Corpus;
        _act = r.Act;
        _inForceFrom = r.InForceFrom;
        _inForceTo = r.InForceTo;
        _terms = r.Terms;
        _termIds = new Dictionary<string, int>(_terms.Length, StringComparer.Ordinal);
        for (var t = 0; t < _terms.Length; t++) _termIds[_terms[t]] = t;
        _termStart = r.TermStart;
        _postingRow = r.PostingRow;
        _postingFreq = r.PostingFreq;
        _overflow = r.Overflow;
        _corpora = r.Corpora;
        _acts = r.Acts;
        _totalTokens = r.TotalTokens;
        Chunks = _provisionKeys.LongCount(k => k is not null);
        _allDfPrefixSum = new long[_terms.Length + 1];
        // Every posting is one row holding the term in some column (the filter column included, as fts5vocab counts).
        for (var t = 0; t < _terms.Length; t++) _allDfPrefixSum[t + 1] = _allDfPrefixSum[t] + (_termStart[t + 1] - _termStart[t]);
        ApproximateBytes = (long)Rows * (8 + 4 + 8 + 4 + 4 + 4 + 4) + Postings * 8 + (long)_terms.Length * (4 + 8 + 8 + 40)
                           + _terms.Sum(t => 2L * t.Length + 24) + _provisionKeys.Sum(k => k is null ? 0 : 2L * k.Length + 24);
    }

    /// <summary>
    /// The best <paramref name="limit"/> rows for <paramref name="query"/> within <paramref name="filter"/>, best first,
    /// with FTS5's scores; null when the query has a term FTS5 would read as a phrase of several tokens (or of none),
    /// which this index does not score: the caller asks the store instead.
    /// </summary>
    public IReadOnlyList<ChunkHit>? Search(LexicalQuery query, int limit, SearchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        // The store's expression: at most MaxMatchTerms terms, empty ones skipped, each one quoted phrase.
        var phrases = new List<(string Token, bool Prefix)>();
        foreach (var term in query.Terms.Take(MaxMatchTerms))
        {
            if (term.Text.Length == 0) continue;
            var tokens = Fts5Tokens.Split(term.Text);
            if (tokens.Count != 1) return null;
            phrases.Add((tokens[0], term.Prefix));
        }
        if (phrases.Count == 0 || limit <= 0) return [];

        var corpus = -1;
        if (filter.Corpus is not null && !_corpora.TryGetValue(filter.Corpus, out corpus)) return [];
        var act = -1;
        if (filter.Act is not null)
        {
            var norm = CitationReference.NormalizeAct(filter.Act);
            if (norm.Length == 0 || !_acts.TryGetValue(norm, out act)) return [];
        }
        var day = filter.AsOf is { } asOf ? asOf.DayNumber : (int?)null;

        var weights = query.FieldWeights;
        var wHeading = StoreWeight(weights.Heading);
        var wContext = StoreWeight(weights.Context);
        var avgdl = (double)_totalTokens / (double)Rows;
        double n = Rows;

        var scratch = _scratch.TryTake(out var s) ? s : new Scratch(Rows);
        {
            foreach (var (token, prefix) in phrases)
            {
                var (from, to) = prefix ? PrefixRange(token) : ExactRange(token);
                var matched = 0;
                for (var t = from; t < to; t++)
                {
                    for (var p = _termStart[t]; p < _termStart[t + 1]; p++)
                    {
                        var f = Unpack(p);
                        if (f.Heading + f.Context + f.Body == 0) continue; // only in the filter column: never searched
                        var row = _postingRow[p];
                        if (!scratch.PhraseSeen[row])
                        {
                            scratch.PhraseSeen[row] = true;
                            scratch.PhraseRows[matched++] = row;
                        }
                        scratch.Freq[row] += f.Heading * wHeading + f.Context * wContext + f.Body * 1.0;
                    }
                }
                var idf = Math.Log((n - matched + 0.5) / (matched + 0.5));
                if (idf <= 0.0) idf = 1e-6;
                for (var i = 0; i < matched; i++)
                {
                    var row = scratch.PhraseRows[i];
                    var freq = scratch.Freq[row];
                    double d = _length[row];
                    // Written as FTS5 writes it, so that the doubles come out the same.
                    scratch.Score[row] += idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * d / avgdl)));
                    scratch.Freq[row] = 0;
                    scratch.PhraseSeen[row] = false;
                    if (!scratch.Touched[row])
                    {
                        scratch.Touched[row] = true;
                        scratch.TouchedRows[scratch.TouchedCount++] = row;
                    }
                }
            }

            // Top k, best first; equal scores by chunk id (FTS5 leaves their order open).
            var top = new PriorityQueue<int, (double Score, long NegId)>(limit + 1);
            for (var i = 0; i < scratch.TouchedCount; i++)
            {
                var row = scratch.TouchedRows[i];
                var score = scratch.Score[row];
                if (_provisionKeys[row] is null) continue;
                if (corpus >= 0 && _corpus[row] != corpus) continue;
                if (act >= 0 && _act[row] != act) continue;
                if (day is { } dn && (_inForceFrom[row] > dn || _inForceTo[row] <= dn)) continue;
                var key = (score, -_chunkIds[row]);
                if (top.Count < limit) top.Enqueue(row, key);
                else if (top.TryPeek(out _, out var worst) && Compare(key, worst) > 0) top.EnqueueDequeue(row, key);
            }
            var hits = new ChunkHit[top.Count];
            for (var i = hits.Length - 1; i >= 0; i--)
            {
                var row = top.Dequeue();
                hits[i] = new ChunkHit(_chunkIds[row], _provisionKeys[row]!, scratch.Score[row]);
            }
            // Back to the pool only when clean: a query that threw leaves its arrays to the collector.
            scratch.Reset();
            _scratch.Add(scratch);
            return hits;
        }
    }

    private static int Compare((double Score, long NegId) a, (double Score, long NegId) b)
    {
        var c = a.Score.CompareTo(b.Score);
        return c != 0 ? c : a.NegId.CompareTo(b.NegId);
    }

    /// <summary>Hostile input: the store never asks FTS5 for more terms than this (SqliteLegalStore.MaxMatchTerms).</summary>
    public const int MaxMatchTerms = 256;

    /// <summary>A column weight as the store hands it to FTS5: printed with at most four decimals.</summary>
    private static double StoreWeight(double weight) =>
        double.Parse(weight.ToString("0.0###", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private (int From, int To) ExactRange(string token) => _termIds.TryGetValue(token, out var t) ? (t, t + 1) : (0, 0);

    /// <summary>The terms that begin with <paramref name="prefix"/>: a contiguous range of the ordinally sorted terms.</summary>
    private (int From, int To) PrefixRange(string prefix)
    {
        int lo = 0, hi = _terms.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_terms[mid], prefix) < 0) lo = mid + 1; else hi = mid;
        }
        var to = lo;
        while (to < _terms.Length && _terms[to].StartsWith(prefix, StringComparison.Ordinal)) to++;
        return (lo, to);
    }

    /// <summary>
    /// The store's term statistics (<see cref="IRankingSignals.GetTermStatisticsAsync"/>) from memory: chunks, and rows
    /// holding each term in any column; "x*" sums that over every term beginning with x.
    /// </summary>
    public TermStatistics TermStatistics(IReadOnlyCollection<string> terms)
    {
        var df = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (df.ContainsKey(term)) continue;
            if (term.Length > 1 && term.EndsWith('*'))
            {
                var (from, to) = PrefixRange(term[..^1]);
                df[term] = _allDfPrefixSum[to] - _allDfPrefixSum[from];
            }
            else df[term] = _termIds.TryGetValue(term, out var t) ? _termStart[t + 1] - _termStart[t] : 0;
        }
        return new TermStatistics(Chunks, df);
    }

    /// <summary>Per-query work arrays, one row each; pooled, because a query touches a few thousand rows of a few hundred thousand.</summary>
    private sealed class Scratch(int rows)
    {
        public readonly double[] Freq = new double[rows];
        public readonly double[] Score = new double[rows];
        public readonly bool[] PhraseSeen = new bool[rows];
        public readonly int[] PhraseRows = new int[rows];
        public readonly bool[] Touched = new bool[rows];
        public readonly int[] TouchedRows = new int[rows];
        public int TouchedCount;

        public void Reset()
        {
            for (var i = 0; i < TouchedCount; i++)
            {
                var row = TouchedRows[i];
                Score[row] = 0;
                Touched[row] = false;
            }
            TouchedCount = 0;
        }
    }
}
