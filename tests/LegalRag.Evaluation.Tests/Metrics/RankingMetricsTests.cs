using LegalRag.Evaluation.Metrics;

namespace LegalRag.Evaluation.Tests.Metrics;

public sealed class RankingMetricsTests
{
    // Three gold provisions, found at ranks 1 and 3; the third not retrieved.
    private static readonly int?[] OneAndThree = [1, 3, null];

    [Fact]
    public void Recall_counts_gold_within_the_cutoff()
    {
        Assert.Equal(1.0 / 3, RankingMetrics.RecallAt(OneAndThree, 1), 12);
        Assert.Equal(1.0 / 3, RankingMetrics.RecallAt(OneAndThree, 2), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAt(OneAndThree, 5), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAt(OneAndThree, 100), 12);
        Assert.Equal(1.0, RankingMetrics.RecallAt([20], 20), 12);
        Assert.Equal(0.0, RankingMetrics.RecallAt([21], 20), 12);
    }

    [Fact]
    public void Reciprocal_rank_uses_the_best_gold_and_is_zero_beyond_the_cutoff()
    {
        Assert.Equal(1.0, RankingMetrics.ReciprocalRankAt(OneAndThree, 10), 12);
        Assert.Equal(0.25, RankingMetrics.ReciprocalRankAt([7, 4], 10), 12);
        Assert.Equal(0.1, RankingMetrics.ReciprocalRankAt([10], 10), 12);
        Assert.Equal(0.0, RankingMetrics.ReciprocalRankAt([11], 10), 12);
        Assert.Equal(0.0, RankingMetrics.ReciprocalRankAt([null], 10), 12);
    }

    [Fact]
    public void Ndcg_matches_hand_computation()
    {
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal with 3 gold = 1 + 1/log2(3) + 1/log2(4) = 2.1309…
        Assert.Equal(0.7039180890341347, RankingMetrics.NdcgAt(OneAndThree, 10), 12);
        // One gold at rank 4: 1/log2(5).
        Assert.Equal(0.43067655807339306, RankingMetrics.NdcgAt([4], 10), 12);
        // The ideal ranking scores 1.
        Assert.Equal(1.0, RankingMetrics.NdcgAt([2, 1], 10), 12);
        Assert.Equal(0.0, RankingMetrics.NdcgAt([12], 10), 12);
        // More gold than the cutoff: the ideal has only k hits, so a perfect top 10 still scores 1.
        Assert.Equal(1.0, RankingMetrics.NdcgAt([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, null], 10), 12);
    }

    [Fact]
    public void Average_precision_matches_hand_computation()
    {
        // (1/1 + 2/3) / 3 gold
        Assert.Equal((1 + 2.0 / 3) / 3, RankingMetrics.AveragePrecision(OneAndThree), 12);
        // Ranks given out of order are sorted: precision at rank 2 is 1/2, at rank 5 is 2/5.
        Assert.Equal((0.5 + 0.4) / 2, RankingMetrics.AveragePrecision([5, 2]), 12);
        Assert.Equal(1.0 / 12, RankingMetrics.AveragePrecision([12]), 12);
        Assert.Equal(0.0, RankingMetrics.AveragePrecision([null, null]), 12);
    }

    [Fact]
    public void No_gold_gives_zero_rather_than_dividing_by_zero()
    {
        Assert.Equal(0.0, RankingMetrics.RecallAt([], 10));
        Assert.Equal(0.0, RankingMetrics.NdcgAt([], 10));
        Assert.Equal(0.0, RankingMetrics.AveragePrecision([]));
    }
}
