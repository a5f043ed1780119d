using System.Diagnostics;
using System.Runtime.InteropServices;
using LegalRag.Core.Abstractions;

namespace LegalRag.Retrieval.Lexical;

/// <summary>Builds a <see cref="LexicalSnapshot"/> from a store's lexical rows, in one pass over them.</summary>
public static class LexicalSnapshotBuilder
{
    internal sealed record Result(
        long[] ChunkIds, int[] Lengths, string?[] ProvisionKeys, int[] Corpus, int[] Act, int[] InForceFrom, int[] InForceTo,
        string[] Terms, int[] TermStart, int[] PostingRow, uint[] PostingFreq, Dictionary<int, LexicalSnapshot.Frequencies> Overflow,
        Dictionary<string, int> Corpora, Dictionary<string, int> Acts, long TotalTokens);

    public static async Task<LexicalSnapshot> BuildAsync(ILexicalRowSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        // The version first: a write that lands while the rows are read makes the next check rebuild, never the reverse.
        var version = await source.GetLexicalVersionAsync(cancellationToken).ConfigureAwait(false);

        var chunkIds = new List<long>();
        var lengths = new List<int>();
        var keys = new List<string?>();
        var corpus = new List<int>();
        var act = new List<int>();
        var from = new List<int>();
        var to = new List<int>();
        var corpora = new Dictionary<string, int>(StringComparer.Ordinal);
        var acts = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabularyLookup = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        var termList = new List<string>();

        // Postings in row order, their terms as first seen; sorted by term at the end (stable, so rows stay in order).
        var postingTerm = new GrowableArray<int>();
        var postingRow = new GrowableArray<int>();
        var postingFreq = new GrowableArray<uint>();
        var overflowByPosting = new Dictionary<long, LexicalSnapshot.Frequencies>();
        var rowTerms = new List<(int Term, int Column)>();
        long totalTokens = 0;
        var state = new TokenState(vocabularyLookup, termList, rowTerms);

        await foreach (var row in source.ReadLexicalRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            var rowIndex = chunkIds.Count;
            if (rowIndex > 0 && row.ChunkId <= chunkIds[^1])
                throw new InvalidDataException($"lexical rows must come in ascending chunk id order; {row.ChunkId} followed {chunkIds[^1]}");
            chunkIds.Add(row.ChunkId);
            keys.Add(row.ProvisionKey);
            corpus.Add(row.Corpus is null ? -1 : IdOf(corpora, row.Corpus));
            act.Add(row.ActNorm is null ? -1 : IdOf(acts, row.ActNorm));
            from.Add(Math.Max(row.ValidFrom?.DayNumber ?? int.MinValue, row.ActValidFrom?.DayNumber ?? int.MinValue));
            to.Add(Math.Min(row.ValidTo?.DayNumber ?? int.MaxValue, row.ActValidTo?.DayNumber ?? int.MaxValue));

            rowTerms.Clear();
            state.Column = 0;
            Fts5Tokens.ForEach(row.Heading, ref state, TokenState.Add);
            state.Column = 1;
            Fts5Tokens.ForEach(row.Context, ref state, TokenState.Add);
            state.Column = 2;
            Fts5Tokens.ForEach(row.Body, ref state, TokenState.Add);
            state.Column = 3;
            Fts5Tokens.ForEach(row.Filter, ref state, TokenState.Add);
            lengths.Add(rowTerms.Count);
            totalTokens += rowTerms.Count;

            var span = CollectionsMarshal.AsSpan(rowTerms);
            span.Sort(static (a, b) => a.Term != b.Term ? a.Term.CompareTo(b.Term) : a.Column.CompareTo(b.Column));
            for (var i = 0; i < span.Length;)
            {
                var term = span[i].Term;
                int h = 0, c = 0, b = 0, f = 0;
                for (; i < span.Length && span[i].Term == term; i++)
                {
                    switch (span[i].Column)
                    {
                        case 0: h++; break;
                        case 1: c++; break;
                        case 2: b++; break;
                        default: f++; break;
                    }
                }
                var frequencies = new LexicalSnapshot.Frequencies(h, c, b, f);
                var packed = LexicalSnapshot.Pack(frequencies);
                if (packed == uint.MaxValue) overflowByPosting[postingTerm.Count] = frequencies;
                postingTerm.Add(term);
                postingRow.Add(rowIndex);
                postingFreq.Add(packed);
            }
        }

        // Terms in ordinal order (prefixes are ranges), postings regrouped by term with a counting sort.
        var order = Enumerable.Range(0, termList.Count).ToArray();
        var terms = termList.ToArray();
        Array.Sort(terms, order, StringComparer.Ordinal);
        var rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++) rank[order[i]] = i;
        var termStart = new int[terms.Length + 1];
        var count = postingTerm.Count;
        if (count > int.MaxValue - 1) throw new InvalidDataException("the lexical index has more postings than one array holds");
        for (var p = 0; p < count; p++) termStart[rank[postingTerm[p]] + 1]++;
        for (var t = 0; t < terms.Length; t++) termStart[t + 1] += termStart[t];
        var next = (int[])termStart.Clone();
        var rows = new int[count];
        var freqs = new uint[count];
        var overflow = new Dictionary<int, LexicalSnapshot.Frequencies>();
        for (var p = 0; p < count; p++)
        {
            var slot = next[rank[postingTerm[p]]]++;
            rows[slot] = postingRow[p];
            freqs[slot] = postingFreq[p];
            if (freqs[slot] == uint.MaxValue) overflow[slot] = overflowByPosting[p];
        }

        var result = new Result(chunkIds.ToArray(), lengths.ToArray(), keys.ToArray(), corpus.ToArray(), act.ToArray(), from.ToArray(), to.ToArray(),
            terms, termStart, rows, freqs, overflow, corpora, acts, totalTokens);
        return new LexicalSnapshot(version, result) { BuildTime = clock.Elapsed };
    }

    private static int IdOf(Dictionary<string, int> ids, string name)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, name, out var exists);
        if (!exists) id = ids.Count - 1;
        return id;
    }

    private struct TokenState(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocabulary, List<string> terms, List<(int Term, int Column)> rowTerms)
    {
        public int Column;

        public static void Add(ReadOnlySpan<char> token, ref TokenState state)
        {
            if (!state._vocabulary.TryGetValue(token, out var id))
            {
                id = state._terms.Count;
                var text = token.ToString();
                state._terms.Add(text);
                state._vocabulary[text] = id;
            }
            state._rowTerms.Add((id, state.Column));
        }

        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabulary = vocabulary;
        private readonly List<string> _terms = terms;
        private readonly List<(int Term, int Column)> _rowTerms = rowTerms;
    }

    /// <summary>A list of unmanaged values that grows by doubling without List's per-item checks; tens of millions of postings.</summary>
    private sealed class GrowableArray<T> where T : unmanaged
    {
        private T[] _items = new T[1 << 16];
        public int Count { get; private set; }
        public T this[int i] => _items[i];

        public void Add(T item)
        {
            if (Count == _items.Length) Array.Resize(ref _items, checked(_items.Length * 2));
            _items[Count++] = item;
        }
    }
}
