using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Metrics;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Retrieval;

namespace LegalRag.Evaluation.Running;

/// <summary>Matches one question's ranking against its gold and computes its metrics.</summary>
internal static class QuestionScorer
{
    public sealed record Scored(
        IReadOnlyList<GoldResult> Gold, IReadOnlyList<RetrievedResult> Retrieved, bool Evaluated, IReadOnlyDictionary<string, double> Metrics);

    public static Scored Score(IReadOnlyList<ResolvedGold> gold, IReadOnlyList<RetrievedProvision> hits, int k, int keepInReport)
    {
        // Two gold citations of one provision ("BGB § 573", "BGB § 573 Abs. 2") are one relevant provision.
        var relevant = gold.Where(g => g.Status != GoldStatus.Unresolvable).DistinctBy(g => g.Identity, StringComparer.Ordinal).ToList();
        var ranks = new int?[relevant.Count];
        var retrieved = new List<RetrievedResult>(Math.Min(keepInReport, hits.Count));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rank = 0;
        foreach (var hit in hits)
        {
            if (rank == k) break;
            if (!seen.Add(hit.ProvisionKey)) continue; // a provision found through several chunks ranks once
            rank++;
            var citationKey = CitationKey.Of(hit.Citation);
            var isRelevant = false;
            for (var j = 0; j < relevant.Count; j++)
            {
                if (ranks[j] is null && relevant[j].Matches(hit.ProvisionKey, citationKey))
                {
                    ranks[j] = rank;
                    isRelevant = true;
                    break;
                }
            }
            if (rank <= keepInReport) retrieved.Add(new RetrievedResult(rank, hit.ProvisionKey, hit.Citation, hit.Score, isRelevant));
        }

        var rankByIdentity = relevant.Select((g, i) => (g.Identity, Rank: ranks[i])).ToDictionary(x => x.Identity, x => x.Rank, StringComparer.Ordinal);
        var goldResults = gold.DistinctBy(g => g.Citation, StringComparer.Ordinal)
            .Select(g => new GoldResult(g.Citation, g.Key, g.Status, g.Status == GoldStatus.Unresolvable ? null : rankByIdentity[g.Identity]))
            .ToList();

        if (relevant.Count == 0) return new Scored(goldResults, retrieved, false, new Dictionary<string, double>());
        return new Scored(goldResults, retrieved, true, Compute(ranks));
    }

    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<int?> ranks)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var cutoff in RankingMetrics.RecallCutoffs) metrics[$"recall@{cutoff}"] = Round(RankingMetrics.RecallAt(ranks, cutoff));
        metrics["mrr@10"] = Round(RankingMetrics.ReciprocalRankAt(ranks, 10));
        metrics["ndcg@10"] = Round(RankingMetrics.NdcgAt(ranks, 10));
        metrics["ap"] = Round(RankingMetrics.AveragePrecision(ranks));
        return metrics;
    }

    /// <summary>Six decimals: far below any difference that matters, and stable across platforms in diffs.</summary>
    public static double Round(double value) => Math.Round(value, 6, MidpointRounding.ToEven);
}
