using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Static;

namespace LegalRag.Training.Embeddings;

/// <summary>Stage 1 settings: fastText-style skip-gram with negative sampling over subword rows.</summary>
public sealed record SkipGramOptions
{
    /// <summary>Most epochs; a large corpus gets fewer (see <see cref="MaxProcessedTokens"/>).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Maximum context distance; each centre word draws its window uniformly from 1..Window.</summary>
    public int Window { get; init; } = 5;

    public int Negatives { get; init; } = 5;

    /// <summary>
    /// Words seen fewer times are not trained as centre or context (their n-grams still learn through others). The
    /// threshold grows by one per <see cref="MinCountTokensStep"/> tokens of corpus: in all federal law a word seen
    /// five times is noise to skip-gram, but in a single code it is vocabulary.
    /// </summary>
    public int MinCount { get; init; } = 3;

    /// <summary>Corpus tokens per extra unit of minimum count (0 keeps <see cref="MinCount"/> fixed).</summary>
    public long MinCountTokensStep { get; init; } = 5_000_000;

    public float LearningRate { get; init; } = 0.05f;

    /// <summary>Frequent-word subsampling threshold (word2vec's t).</summary>
    public double Subsample { get; init; } = 1e-4;

    /// <summary>
    /// Budget of tokens read across all epochs: epochs = min(<see cref="Epochs"/>, budget / corpus tokens), at least
    /// one. A small code is read five times; all federal law (19M tokens) once, which is what keeps training inside
    /// a setup step; more passes over so much text gained nothing measurable (docs/embedding-model.md).
    /// </summary>
    public long MaxProcessedTokens { get; init; } = 24_000_000;

    /// <summary>Worker threads (Hogwild). Results are bit-for-bit reproducible only with 1.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>What stage 1 produced and how it went.</summary>
public sealed record SkipGramResult(float[] Table, double[] EpochLosses, long Tokens, int VocabularySize, double Seconds, double TokensPerSecond, float[] RowFrequencies)
{
    /// <summary>Minimum count actually applied (it grows with the corpus).</summary>
    public int MinCount { get; init; }

    /// <summary>Epochs actually run (the token budget may cut them).</summary>
    public int Epochs { get; init; }

    /// <summary>Seconds spent reading, counting and featurizing before the first epoch.</summary>
    public double PreparationSeconds { get; init; }

    /// <summary>Tokens read per CPU second (all threads) in the epochs: the machine-independent throughput.</summary>
    public double TokensPerCpuSecond { get; init; }
}

/// <summary>
/// Stage 1, unsupervised: skip-gram with negative sampling where a word's input vector is the mean of its word row
/// and n-gram rows (fastText). Threads update the shared table without locks (Hogwild), as fastText does.
/// </summary>
/// <remarks>
/// Built for speed, since it runs as part of setup: every text is tokenized once, straight into word ids (a span
/// lookup allocates only for a word seen for the first time); subword rows are one flat array; the hot loop uses a
/// precomputed sigmoid and log table (fastText's), fused vector kernels that read each output row once per update,
/// a per-thread loss kept in locals (no false sharing) and a multiply-shift draw instead of a modulo.
/// </remarks>
public static class SkipGramTrainer
{
    private const int NegativeTableSize = 1 << 21;
    private const int SigmoidTableSize = 512;
    private const float MaxSigmoid = 8f;
    private const int LogTableSize = 512;

    public static SkipGramResult Train(SubwordFeaturizer featurizer, IReadOnlyList<string> texts, int dimensions, SkipGramOptions options, ulong seed,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var d = dimensions;
        var rows = featurizer.Settings.Rows;

        // One pass over the text: every word → a corpus-wide id (first-seen order), counted; documents as id streams.
        var corpus = Tokenize(texts, cancellationToken);
        long totalTokens = corpus.TokenCount;
        var minCount = options.MinCountTokensStep > 0 ? options.MinCount + (int)(totalTokens / options.MinCountTokensStep) : options.MinCount;

        // Ordinal order of the vocabulary keeps ids (and so every random draw) independent of first-seen order.
        var vocabWords = Enumerable.Range(0, corpus.Words.Count).Where(i => corpus.Counts[i] >= minCount)
            .OrderBy(i => corpus.Words[i], StringComparer.Ordinal).ToArray();
        var remap = new int[corpus.Words.Count];
        Array.Fill(remap, -1);
        for (var v = 0; v < vocabWords.Length; v++) remap[vocabWords[v]] = v;
        var vocabCounts = vocabWords.Select(i => corpus.Counts[i]).ToArray();

        // Subword rows of the vocabulary, flat: rows of word v are subRows[subStart[v]..subStart[v + 1]].
        var subStart = new int[vocabWords.Length + 1];
        var subRowList = new List<int>(vocabWords.Length * 24);
        for (var v = 0; v < vocabWords.Length; v++)
        {
            featurizer.AddWordFeatures(corpus.Words[vocabWords[v]], subRowList);
            subStart[v + 1] = subRowList.Count;
        }

        var subRows = subRowList.ToArray();

        // How often each row occurs in running text (all words, rare ones too): the basis of the initial pooling weights.
        var rowFrequencies = new float[rows + 1];
        double featureTotal = 0;
        var scratch = new List<int>();
        for (var w = 0; w < corpus.Words.Count; w++)
        {
            scratch.Clear();
            featurizer.AddWordFeatures(corpus.Words[w], scratch);
            var count = corpus.Counts[w];
            foreach (var r in scratch) rowFrequencies[r] += count;
            featureTotal += (double)scratch.Count * count;
        }

        if (featureTotal > 0)
        {
            for (var r = 0; r < rows; r++) rowFrequencies[r] = (float)(rowFrequencies[r] / featureTotal);
        }

        // Streams in place: vocabulary ids only (rare words dropped, as fastText does), documents of fewer than two kept.
        var (stream, trainTokens, docStart) = Compact(corpus, remap);
        corpus.Release();
        var keep = new float[vocabWords.Length];
        for (var i = 0; i < vocabWords.Length; i++)
        {
            var f = vocabCounts[i] / (double)Math.Max(1, trainTokens);
            keep[i] = (float)Math.Min(1.0, Math.Sqrt(options.Subsample / f) + options.Subsample / f);
        }

        var negatives = BuildNegativeTable(vocabCounts);
        var table = new float[(rows + 1) * d];
        var init = new Xoshiro(seed);
        for (var i = 0; i < rows * d; i++) table[i] = (float)((init.NextDouble() * 2 - 1) / d);
        var output = new float[vocabWords.Length * d];
        var epochs = (int)Math.Clamp(options.MaxProcessedTokens / Math.Max(1, trainTokens), 1, Math.Max(1, options.Epochs));
        var preparationSeconds = clock.Elapsed.TotalSeconds;
        progress?.Report($"stage 1: {totalTokens:N0} tokens, vocabulary {vocabWords.Length:N0} (min count {minCount}), {rows:N0} rows × {d}, " +
                         $"{epochs} epoch(s), prepared in {preparationSeconds:F1} s");

        var tables = new Tables();
        var threads = Math.Max(1, options.Threads);
        var documents = docStart.Length - 1;
        var maxDocument = 0;
        for (var i = 0; i < documents; i++) maxDocument = Math.Max(maxDocument, docStart[i + 1] - docStart[i]);
        var losses = new double[epochs];
        long processed = 0;
        var plannedTokens = (long)trainTokens * epochs;
        var trainClock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var lossSums = new double[threads];
            var lossCounts = new long[threads];
            var epochIndex = epoch;
            var workers = new Thread[threads];
            Exception? failure = null;
            for (var t = 0; t < threads; t++)
            {
                var thread = t;
                workers[t] = new Thread(() =>
                {
                    try
                    {
                        var rng = new Xoshiro(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epochIndex * threads + thread + 1)));
                        var hidden = new float[d];
                        var grad = new float[d];
                        var kept = new int[maxDocument];
                        double lossSum = 0;
                        long lossCount = 0;
                        for (var docIndex = thread; docIndex < documents; docIndex += threads)
                        {
                            if ((docIndex & 63) == thread) cancellationToken.ThrowIfCancellationRequested();
                            var words = stream.AsSpan(docStart[docIndex], docStart[docIndex + 1] - docStart[docIndex]);
                            var done = Interlocked.Add(ref processed, words.Length);
                            var lr = options.LearningRate * Math.Max(0.0001f, 1f - (float)done / plannedTokens);
                            var keptCount = 0;
                            foreach (var id in words)
                            {
                                var p = keep[id];
                                if (p >= 1f || rng.NextFloat() < p) kept[keptCount++] = id;
                            }

                            for (var i = 0; i < keptCount; i++)
                            {
                                var centre = subRows.AsSpan(subStart[kept[i]], subStart[kept[i] + 1] - subStart[kept[i]]);
                                Mean(table, centre, hidden, d);
                                grad.AsSpan().Clear();
                                var window = 1 + rng.NextBounded(options.Window);
                                var last = Math.Min(keptCount - 1, i + window);
                                for (var c = Math.Max(0, i - window); c <= last; c++)
                                {
                                    if (c == i) continue;
                                    var target = kept[c];
                                    lossSum += Update(tables, hidden, grad, output, target, true, lr, d);
                                    for (var n = 0; n < options.Negatives; n++)
                                    {
                                        var negative = negatives[rng.NextBounded(negatives.Length)];
                                        if (negative == target) continue;
                                        lossSum += Update(tables, hidden, grad, output, negative, false, lr, d);
                                    }

                                    lossCount++;
                                }

                                foreach (var r in centre) AddTo(grad, table, r * d, d);
                            }
                        }

                        lossSums[thread] = lossSum;
                        lossCounts[thread] = lossCount;
                    }
                    catch (Exception ex)
                    {
                        failure ??= ex;
                    }
                })
                { IsBackground = true, Name = $"skipgram-{t}" };
                workers[t].Start();
            }

            foreach (var w in workers) w.Join();
            if (failure is not null)
            {
                if (failure is OperationCanceledException) throw new OperationCanceledException("training cancelled", failure, cancellationToken);
                throw new InvalidOperationException("skip-gram training failed: " + failure.Message, failure);
            }

            losses[epoch] = lossSums.Sum() / Math.Max(1, lossCounts.Sum());
            progress?.Report($"stage 1 epoch {epoch + 1}/{epochs}: loss {losses[epoch]:F4}, {processed / trainClock.Elapsed.TotalSeconds:N0} tokens/s");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return new SkipGramResult(table, losses, totalTokens, vocabWords.Length, seconds, plannedTokens / Math.Max(1e-9, trainClock.Elapsed.TotalSeconds), rowFrequencies)
        {
            MinCount = minCount,
            Epochs = epochs,
            PreparationSeconds = Math.Round(preparationSeconds, 2),
            TokensPerCpuSecond = Math.Round(plannedTokens / Math.Max(1e-9, cpuSeconds)),
        };
    }

    /// <summary>All words of all texts as ids into <see cref="Words"/>; document i is Tokens[Starts[i]..Starts[i + 1]].</summary>
    /// <remarks>
    /// Tokens is allocated once at its exact size (counted first) and later compacted in place into the training
    /// stream: a growing list would leave ~200 MB of discarded arrays behind on all federal law, and a copy another 77 MB.
    /// </remarks>
    private sealed class TokenizedCorpus(int tokens)
    {
        public List<string> Words { get; } = [];
        public List<long> Counts { get; } = [];
        public int[] Tokens { get; } = new int[tokens];
        public int TokenCount { get; set; }
        public List<int> Starts { get; } = [0];

        /// <summary>Frees the word lists once the stream is compacted (all federal law: about a million words).</summary>
        public void Release()
        {
            Words.Clear();
            Words.TrimExcess();
            Counts.Clear();
            Counts.TrimExcess();
        }
    }

    /// <summary>
    /// The words of <see cref="SubwordFeaturizer.Words"/> (lower-cased runs of letters and digits), read without
    /// allocating a string per token: the lower-cased word is built in a buffer and looked up as a span.
    /// </summary>
    private static TokenizedCorpus Tokenize(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        long expected = 0;
        foreach (var text in texts) expected += SubwordFeaturizer.CountWords(text);
        if (expected > Array.MaxLength) throw new TrainingDataException($"the corpus has {expected:N0} words; one training run takes at most {Array.MaxLength:N0}");
        var corpus = new TokenizedCorpus((int)expected);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[64];
        for (var t = 0; t < texts.Count; t++)
        {
            if ((t & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var text = texts[t];
            var length = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    buffer[length++] = char.ToLowerInvariant(text[i]);
                    continue;
                }

                if (length == 0) continue;
                var word = buffer.AsSpan(0, length);
                if (!lookup.TryGetValue(word, out var id))
                {
                    id = corpus.Words.Count;
                    var s = word.ToString();
                    ids.Add(s, id);
                    corpus.Words.Add(s);
                    corpus.Counts.Add(0);
                }

                corpus.Counts[id]++;
                corpus.Tokens[corpus.TokenCount++] = id;
                length = 0;
            }

            corpus.Starts.Add(corpus.TokenCount);
        }

        return corpus;
    }

    /// <summary>Maps corpus ids to vocabulary ids in place, drops the others and documents left with fewer than two words.</summary>
    private static (int[] Stream, int Length, int[] Starts) Compact(TokenizedCorpus corpus, int[] remap)
    {
        var tokens = corpus.Tokens;
        var starts = new List<int> { 0 };
        var write = 0;
        for (var doc = 0; doc + 1 < corpus.Starts.Count; doc++)
        {
            var begin = write;
            for (var i = corpus.Starts[doc]; i < corpus.Starts[doc + 1]; i++)
            {
                var id = remap[tokens[i]];
                if (id >= 0) tokens[write++] = id;
            }

            if (write - begin > 1) starts.Add(write);
            else write = begin;
        }

        return (tokens, write, starts.ToArray());
    }

    /// <summary>fastText's tables: σ(x) on [-8, 8] and log(x) on (0, 1], so the hot loop calls neither exp nor log.</summary>
    private sealed class Tables
    {
        public readonly float[] Sigmoid = new float[SigmoidTableSize + 1];
        public readonly float[] Log = new float[LogTableSize + 1];

        public Tables()
        {
            for (var i = 0; i <= SigmoidTableSize; i++)
            {
                var x = (i * 2.0 * MaxSigmoid) / SigmoidTableSize - MaxSigmoid;
                Sigmoid[i] = (float)(1.0 / (1.0 + Math.Exp(-x)));
            }

            for (var i = 0; i <= LogTableSize; i++) Log[i] = (float)Math.Log((i + 1e-5) / LogTableSize);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Sigma(float x) =>
            x < -MaxSigmoid ? 0f : x > MaxSigmoid ? 1f : Sigmoid[(int)((x + MaxSigmoid) * (SigmoidTableSize / MaxSigmoid / 2))];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float LogOf(float x) => x > 1f ? 0f : Log[(int)(x * LogTableSize)];
    }

    /// <summary>One logistic step against output vector <paramref name="target"/>; returns its loss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Update(Tables tables, float[] hidden, float[] grad, float[] output, int target, bool positive, float lr, int d)
    {
        var offset = target * d;
        var sigmoid = tables.Sigma(Dot(hidden, output, offset, d));
        var g = lr * ((positive ? 1f : 0f) - sigmoid);
        if (g != 0) UpdateBoth(hidden, grad, output, offset, g, d);
        return -tables.LogOf(positive ? sigmoid : 1f - sigmoid);
    }

    private static float Dot(float[] a, float[] b, int offset, int d)
    {
        ref var x = ref MemoryMarshal.GetArrayDataReference(a);
        ref var y = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), offset);
        var i = 0;
        var result = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            var wide = Vector512<float>.Zero;
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                wide += Vector512.LoadUnsafe(ref x, (nuint)i) * Vector512.LoadUnsafe(ref y, (nuint)i);
            }

            result = Vector512.Sum(wide);
        }

        var sum = Vector<float>.Zero;
        for (; i <= d - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += Vector.LoadUnsafe(ref x, (nuint)i) * Vector.LoadUnsafe(ref y, (nuint)i);
        }

        result += Vector.Sum(sum);
        for (; i < d; i++) result += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return result;
    }

    /// <summary>grad += g·o and o += g·hidden in one pass over the output row o.</summary>
    private static void UpdateBoth(float[] hidden, float[] grad, float[] output, int offset, float g, int d)
    {
        ref var h = ref MemoryMarshal.GetArrayDataReference(hidden);
        ref var gr = ref MemoryMarshal.GetArrayDataReference(grad);
        ref var o = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(output), offset);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var gw = Vector512.Create(g);
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var ow = Vector512.LoadUnsafe(ref o, (nuint)i);
                (Vector512.LoadUnsafe(ref gr, (nuint)i) + gw * ow).StoreUnsafe(ref gr, (nuint)i);
                (ow + gw * Vector512.LoadUnsafe(ref h, (nuint)i)).StoreUnsafe(ref o, (nuint)i);
            }
        }

        var gv = new Vector<float>(g);
        for (; i <= d - Vector<float>.Count; i += Vector<float>.Count)
        {
            var ov = Vector.LoadUnsafe(ref o, (nuint)i);
            (Vector.LoadUnsafe(ref gr, (nuint)i) + gv * ov).StoreUnsafe(ref gr, (nuint)i);
            (ov + gv * Vector.LoadUnsafe(ref h, (nuint)i)).StoreUnsafe(ref o, (nuint)i);
        }

        for (; i < d; i++)
        {
            var ov = Unsafe.Add(ref o, i);
            Unsafe.Add(ref gr, i) += g * ov;
            Unsafe.Add(ref o, i) = ov + g * Unsafe.Add(ref h, i);
        }
    }

    /// <summary>hidden = mean of the table rows <paramref name="rowIds"/>.</summary>
    private static void Mean(float[] table, ReadOnlySpan<int> rowIds, float[] hidden, int d)
    {
        ref var t = ref MemoryMarshal.GetArrayDataReference(table);
        ref var h = ref MemoryMarshal.GetArrayDataReference(hidden);
        var scale = 1f / rowIds.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var wide = Vector512<float>.Zero;
                foreach (var r in rowIds) wide += Vector512.LoadUnsafe(ref t, (nuint)((long)r * d + i));
                (wide * scale).StoreUnsafe(ref h, (nuint)i);
            }
        }

        for (; i <= d - Vector<float>.Count; i += Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            foreach (var r in rowIds) sum += Vector.LoadUnsafe(ref t, (nuint)((long)r * d + i));
            (sum * scale).StoreUnsafe(ref h, (nuint)i);
        }

        for (; i < d; i++)
        {
            var sum = 0f;
            foreach (var r in rowIds) sum += Unsafe.Add(ref t, (nint)((long)r * d + i));
            Unsafe.Add(ref h, i) = sum * scale;
        }
    }

    /// <summary>table[offset..offset + d] += source.</summary>
    private static void AddTo(float[] source, float[] table, int offset, int d)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(source);
        ref var t = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), offset);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref t, (nuint)i) + Vector512.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i <= d - Vector<float>.Count; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref t, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref t, (nuint)i);
        }

        for (; i < d; i++) Unsafe.Add(ref t, i) += Unsafe.Add(ref s, i);
    }

    /// <summary>Word ids repeated in proportion to count^0.5 (fastText's choice), drawn uniformly for negatives.</summary>
    private static int[] BuildNegativeTable(long[] counts)
    {
        var table = new List<int>(NegativeTableSize);
        var z = counts.Sum(c => Math.Sqrt(c));
        for (var i = 0; i < counts.Length; i++)
        {
            var share = (int)Math.Ceiling(Math.Sqrt(counts[i]) / z * NegativeTableSize);
            for (var j = 0; j < share; j++) table.Add(i);
        }

        return table.Count == 0 ? [0] : table.ToArray();
    }
}

/// <summary>xoshiro256** seeded through splitmix64: fast, and the same sequence on every platform and runtime.</summary>
internal sealed class Xoshiro
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong Next()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    public int NextInt(int maxExclusive) => (int)((Next() >> 33) % (ulong)maxExclusive);

    /// <summary>Uniform in [0, maxExclusive) by multiply-shift (Lemire), no division: for the hot loop.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int NextBounded(int maxExclusive) => (int)(((Next() >> 32) * (ulong)(uint)maxExclusive) >> 32);

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle<T>(IList<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = (int)(Next() % (ulong)(i + 1));
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
