namespace LegalRag.Retrieval.Fusion;

/// <summary>
/// Combines ranked lists of the same kind of item (provision keys). RRF uses ranks only, so it
/// needs no calibration between BM25 and cosine scores; the score-normalised variant keeps the
/// size of score gaps, which helps when one retriever is much more confident than the other.
/// </summary>
public static class RankFusion
{
    public const int DefaultRrfK = 60;

    /// <summary>Reciprocal Rank Fusion: score(d) = Σ weight / (k + rank(d)), ranks from 1.</summary>
    public static List<(string Key, double Score)> Rrf(IReadOnlyList<IReadOnlyList<string>> rankings, int k = DefaultRrfK, IReadOnlyList<double>? weights = null)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = 0;
        for (var list = 0; list < rankings.Count; list++)
        {
            var w = weights?[list] ?? 1.0;
            var ranking = rankings[list];
            for (var i = 0; i < ranking.Count; i++)
            {
                var key = ranking[i];
                scores[key] = scores.GetValueOrDefault(key) + w / (k + i + 1);
                firstSeen.TryAdd(key, order++);
            }
        }
        // Ties break by first appearance, so fusion is deterministic.
        return scores.OrderByDescending(kv => kv.Value).ThenBy(kv => firstSeen[kv.Key]).Select(kv => (kv.Key, kv.Value)).ToList();
    }

    /// <summary>Min-max normalises each list's scores to [0,1], then sums them with weights.</summary>
    public static List<(string Key, double Score)> Normalized(IReadOnlyList<IReadOnlyList<(string Key, double Score)>> lists, IReadOnlyList<double>? weights = null)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = 0;
        for (var l = 0; l < lists.Count; l++)
        {
            var list = lists[l];
            if (list.Count == 0) continue;
            var w = weights?[l] ?? 1.0;
            var max = list.Max(x => x.Score);
            var min = list.Min(x => x.Score);
            var range = max - min;
            foreach (var (key, score) in list)
            {
                var normalized = range > 0 ? (score - min) / range : 1.0;
                scores[key] = scores.GetValueOrDefault(key) + w * normalized;
                firstSeen.TryAdd(key, order++);
            }
        }
        return scores.OrderByDescending(kv => kv.Value).ThenBy(kv => firstSeen[kv.Key]).Select(kv => (kv.Key, kv.Value)).ToList();
    }
}
