namespace LegalRag.Evaluation.Metrics;

/// <summary>
/// Provision-level ranking metrics for one question with binary relevance. Inputs are the 1-based ranks
/// at which each distinct gold provision was retrieved (null when not retrieved) — each retrieved provision
/// counts for at most one gold, so every metric stays within [0, 1].
/// </summary>
public static class RankingMetrics
{
    /// <summary>The cut-offs reported as recall@k.</summary>
    public static IReadOnlyList<int> RecallCutoffs { get; } = [1, 5, 10, 20, 100];

    /// <summary>Share of gold provisions found in the top <paramref name="k"/>.</summary>
    public static double RecallAt(IReadOnlyList<int?> goldRanks, int k)
    {
        if (goldRanks.Count == 0) return 0;
        var found = 0;
        foreach (var rank in goldRanks) if (rank <= k) found++;
        return (double)found / goldRanks.Count;
    }

    /// <summary>1 / rank of the first gold provision within the top <paramref name="k"/>, else 0.</summary>
    public static double ReciprocalRankAt(IReadOnlyList<int?> goldRanks, int k)
    {
        var best = int.MaxValue;
        foreach (var rank in goldRanks) if (rank is { } r && r < best) best = r;
        return best <= k ? 1.0 / best : 0;
    }

    /// <summary>nDCG with binary gains: DCG = Σ 1/log2(rank+1) over gold in the top k, normalised by the DCG
    /// of a ranking with all gold first (min(|gold|, k) hits).</summary>
    public static double NdcgAt(IReadOnlyList<int?> goldRanks, int k)
    {
        if (goldRanks.Count == 0) return 0;
        double dcg = 0;
        foreach (var rank in goldRanks) if (rank is { } r && r <= k) dcg += 1 / Math.Log2(r + 1);
        double ideal = 0;
        for (var i = 1; i <= Math.Min(goldRanks.Count, k); i++) ideal += 1 / Math.Log2(i + 1);
        return dcg / ideal;
    }

    /// <summary>Average precision: the mean over all gold provisions of precision at the rank each was found
    /// (0 for gold not retrieved). Its mean over questions is MAP.</summary>
    public static double AveragePrecision(IReadOnlyList<int?> goldRanks)
    {
        if (goldRanks.Count == 0) return 0;
        var ranks = goldRanks.Where(r => r is not null).Select(r => r!.Value).Order().ToArray();
        double sum = 0;
        for (var i = 0; i < ranks.Length; i++) sum += (i + 1.0) / ranks[i];
        return sum / goldRanks.Count;
    }
}
