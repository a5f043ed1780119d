namespace LegalRag.Evaluation.Metrics;

/// <summary>Percentiles and bootstrap confidence intervals, deterministic for a given seed.</summary>
public static class Statistics
{
    /// <summary>The p-th percentile (0–100) with linear interpolation between closest ranks
    /// (the "R-7"/Excel PERCENTILE.INC definition). Empty input gives 0.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return PercentileOfSorted(sorted, p);
    }

    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var position = p / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }

    /// <summary>
    /// Percentile bootstrap intervals for several statistics of the same questions: every resample draws one
    /// set of question indices and applies it to all series, so intervals of related metrics stay consistent.
    /// </summary>
    /// <param name="series">Per-question values, in question-set order (the order matters for determinism).</param>
    /// <param name="statistic">Maps one resampled series to its statistic (mean, a percentile, …).</param>
    public static IReadOnlyDictionary<string, ConfidenceInterval> Bootstrap(
        IReadOnlyDictionary<string, (IReadOnlyList<double> Values, Func<IReadOnlyList<double>, double> Statistic)> series,
        int resamples, ulong seed, double confidence = 0.95)
    {
        var results = new Dictionary<string, ConfidenceInterval>(StringComparer.Ordinal);
        var samples = series.ToDictionary(s => s.Key, _ => new double[resamples], StringComparer.Ordinal);
        var buffers = series.ToDictionary(s => s.Key, s => new double[s.Value.Values.Count], StringComparer.Ordinal);
        var random = new SplitMix64(seed);
        // All series come from the same questions, but a series may cover only a subset (e.g. latency of all
        // questions vs. recall of questions with gold), so each draws indices within its own length.
        var u = new double[series.Values.Select(s => s.Values.Count).DefaultIfEmpty(0).Max()];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < u.Length; i++) u[i] = random.NextDouble();
            foreach (var (name, (values, statistic)) in series)
            {
                var buffer = buffers[name];
                for (var i = 0; i < values.Count; i++) buffer[i] = values[(int)(u[i] * values.Count)];
                samples[name][b] = values.Count == 0 ? 0 : statistic(buffer);
            }
        }
        var alpha = (1 - confidence) / 2 * 100;
        foreach (var (name, drawn) in samples)
        {
            Array.Sort(drawn);
            results[name] = new ConfidenceInterval(PercentileOfSorted(drawn, alpha), PercentileOfSorted(drawn, 100 - alpha));
        }
        return results;
    }
}

/// <summary>A two-sided confidence interval.</summary>
public sealed record ConfidenceInterval(double Low, double High);

/// <summary>SplitMix64: a tiny, well-tested generator whose sequence is fixed by its definition, so reports
/// reproduce across runtime versions (System.Random makes no such promise).</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
