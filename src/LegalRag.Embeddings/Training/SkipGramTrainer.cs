using System.Diagnostics;
using System.Numerics.Tensors;

namespace LegalRag.Embeddings.Training;

/// <summary>Stage 1 settings: fastText-style skip-gram with negative sampling over subword rows.</summary>
public sealed record SkipGramOptions
{
    public int Epochs { get; init; } = 5;

    /// <summary>Maximum context distance; each centre word draws its window uniformly from 1..Window.</summary>
    public int Window { get; init; } = 5;

    public int Negatives { get; init; } = 5;

    /// <summary>Words seen fewer times are not trained as centre or context (their n-grams still learn through others).</summary>
    public int MinCount { get; init; } = 3;

    public float LearningRate { get; init; } = 0.05f;

    /// <summary>Frequent-word subsampling threshold (word2vec's t).</summary>
    public double Subsample { get; init; } = 1e-4;

    /// <summary>Worker threads (Hogwild). Results are bit-for-bit reproducible only with 1.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>What stage 1 produced and how it went.</summary>
public sealed record SkipGramResult(float[] Table, double[] EpochLosses, long Tokens, int VocabularySize, double Seconds, double TokensPerSecond, float[] RowFrequencies);

/// <summary>
/// Stage 1, unsupervised: skip-gram with negative sampling where a word's input vector is the mean of its word row
/// and n-gram rows (fastText). Threads update the shared table without locks (Hogwild), as fastText does.
/// </summary>
public static class SkipGramTrainer
{
    private const int NegativeTableSize = 1 << 21;

    public static SkipGramResult Train(SubwordFeaturizer featurizer, IReadOnlyList<string> texts, int dimensions, SkipGramOptions options, ulong seed,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var d = dimensions;
        var rows = featurizer.Settings.Rows;

        // Vocabulary by count; documents as id streams (words below MinCount dropped, as fastText does).
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long totalTokens = 0;
        foreach (var text in texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var words = SubwordFeaturizer.Words(text);
            totalTokens += words.Count;
            foreach (var w in words) counts[w] = counts.GetValueOrDefault(w) + 1;
        }

        // Ordinal order of the vocabulary keeps ids (and so every random draw) independent of dictionary internals.
        var vocab = counts.Where(kv => kv.Value >= options.MinCount).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        var ids = new Dictionary<string, int>(vocab.Length, StringComparer.Ordinal);
        for (var i = 0; i < vocab.Length; i++) ids[vocab[i]] = i;
        var vocabCounts = vocab.Select(w => counts[w]).ToArray();
        var subwords = new int[vocab.Length][];
        var scratch = new List<int>();
        for (var i = 0; i < vocab.Length; i++)
        {
            scratch.Clear();
            featurizer.AddWordFeatures(vocab[i], scratch);
            subwords[i] = scratch.ToArray();
        }

        // How often each row occurs in running text (all words, rare ones too): the basis of the initial pooling weights.
        var rowFrequencies = new float[rows + 1];
        double featureTotal = 0;
        foreach (var (word, count) in counts)
        {
            scratch.Clear();
            featurizer.AddWordFeatures(word, scratch);
            foreach (var r in scratch) rowFrequencies[r] += count;
            featureTotal += (double)scratch.Count * count;
        }

        if (featureTotal > 0)
        {
            for (var r = 0; r < rows; r++) rowFrequencies[r] = (float)(rowFrequencies[r] / featureTotal);
        }

        // Second pass instead of keeping every word string of the first: ids cost 4 bytes a token, strings ~40.
        var streams = texts.Select(text => SubwordFeaturizer.Words(text).Select(w => ids.GetValueOrDefault(w, -1)).Where(id => id >= 0).ToArray())
            .Where(s => s.Length > 1).ToArray();
        long trainTokens = streams.Sum(s => (long)s.Length);
        var keep = new float[vocab.Length];
        for (var i = 0; i < vocab.Length; i++)
        {
            var f = vocabCounts[i] / (double)Math.Max(1, trainTokens);
            keep[i] = (float)Math.Min(1.0, Math.Sqrt(options.Subsample / f) + options.Subsample / f);
        }

        var negatives = BuildNegativeTable(vocabCounts);
        var table = new float[(rows + 1) * d];
        var init = new Xoshiro(seed);
        for (var i = 0; i < rows * d; i++) table[i] = (float)((init.NextDouble() * 2 - 1) / d);
        var output = new float[vocab.Length * d];
        progress?.Report($"stage 1: {totalTokens:N0} tokens, vocabulary {vocab.Length:N0} (min count {options.MinCount}), {rows:N0} rows × {d}");

        var threads = Math.Max(1, options.Threads);
        var losses = new double[options.Epochs];
        long processed = 0;
        var plannedTokens = trainTokens * options.Epochs;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
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
                        var kept = new List<int>();
                        for (var docIndex = thread; docIndex < streams.Length; docIndex += threads)
                        {
                            if ((docIndex & 63) == thread) cancellationToken.ThrowIfCancellationRequested();
                            var stream = streams[docIndex];
                            var done = Interlocked.Add(ref processed, stream.Length);
                            var lr = options.LearningRate * Math.Max(0.0001f, 1f - (float)done / plannedTokens);
                            kept.Clear();
                            foreach (var id in stream)
                            {
                                if (keep[id] >= 1f || rng.NextFloat() < keep[id]) kept.Add(id);
                            }

                            for (var i = 0; i < kept.Count; i++)
                            {
                                var centre = subwords[kept[i]];
                                hidden.AsSpan().Clear();
                                foreach (var r in centre) TensorPrimitives.Add(hidden, table.AsSpan(r * d, d), hidden);
                                TensorPrimitives.Divide(hidden, centre.Length, hidden);
                                grad.AsSpan().Clear();
                                var window = 1 + rng.NextInt(options.Window);
                                for (var c = Math.Max(0, i - window); c <= Math.Min(kept.Count - 1, i + window); c++)
                                {
                                    if (c == i) continue;
                                    lossSums[thread] += Update(hidden, grad, output, kept[c], 1f, lr, d);
                                    for (var n = 0; n < options.Negatives; n++)
                                    {
                                        var negative = negatives[rng.NextInt(negatives.Length)];
                                        if (negative == kept[c]) continue;
                                        lossSums[thread] += Update(hidden, grad, output, negative, 0f, lr, d);
                                    }

                                    lossCounts[thread]++;
                                }

                                foreach (var r in centre) TensorPrimitives.Add(table.AsSpan(r * d, d), grad, table.AsSpan(r * d, d));
                            }
                        }
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
            progress?.Report($"stage 1 epoch {epoch + 1}/{options.Epochs}: loss {losses[epoch]:F4}, {processed / clock.Elapsed.TotalSeconds:N0} tokens/s");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new SkipGramResult(table, losses, totalTokens, vocab.Length, seconds, trainTokens * (double)options.Epochs / Math.Max(1e-9, seconds), rowFrequencies);
    }

    /// <summary>One logistic step against output vector <paramref name="target"/>; returns its loss.</summary>
    private static float Update(float[] hidden, float[] grad, float[] output, int target, float label, float lr, int d)
    {
        var o = output.AsSpan(target * d, d);
        var score = TensorPrimitives.Dot(hidden, o);
        var sigmoid = 1f / (1f + MathF.Exp(-Math.Clamp(score, -30f, 30f)));
        var g = lr * (label - sigmoid);
        TensorPrimitives.MultiplyAdd(o, g, grad, grad);
        TensorPrimitives.MultiplyAdd(hidden, g, o, o);
        var p = label > 0 ? sigmoid : 1f - sigmoid;
        return -MathF.Log(Math.Max(p, 1e-7f));
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
