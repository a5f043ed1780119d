using LegalRag.Retrieval.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace LegalRag.Training.Ranking;

/// <summary>One labelled question: its candidates' features, which of them are gold, and how many gold
/// provisions it has in all (gold the first stage missed still counts in recall).</summary>
public sealed record RankingGroup(string QuestionId, string Set, IReadOnlyList<float[]> Features, IReadOnlyList<bool> Relevant, int GoldCount);

public sealed record RankerTrainingOptions
{
    public int Trees { get; init; } = 200;
    public int Leaves { get; init; } = 16;
    public double LearningRate { get; init; } = 0.05;
    public int MinExamplesPerLeaf { get; init; } = 20;
    /// <summary>Folds for cross-validation; 0 or 1 skips it.</summary>
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 1;
}

/// <summary>Ranking quality of one list of groups: recall@10, MRR@10 and recall@ window, before and after the ranker.</summary>
public sealed record RankingQuality(int Questions, double RecallAt10, double MrrAt10, double RecallAt1);

public sealed record SetQuality(RankingQuality FirstStage, RankingQuality Ranked);

public sealed record FoldResult(int Fold, RankingQuality FirstStage, RankingQuality Ranked);

public sealed record RankerTrainingReport
{
    public required string Mode { get; init; }
    public required IReadOnlyDictionary<string, int> QuestionsPerSet { get; init; }
    public int TrainingGroups { get; init; }
    public int Candidates { get; init; }
    public int Positives { get; init; }
    public required RankerTrainingOptions Options { get; init; }
    /// <summary>Cross-validated quality per set (each question scored by a model that never saw it).</summary>
    public IReadOnlyDictionary<string, SetQuality> CrossValidated { get; init; } = new Dictionary<string, SetQuality>();
    public IReadOnlyList<FoldResult> Folds { get; init; } = [];
    /// <summary>Cross-validated quality per set with each signal group left out (zeroed in training and testing).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, SetQuality>> Ablation { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, SetQuality>>();
    /// <summary>Total gain of each feature's splits in the final model.</summary>
    public IReadOnlyDictionary<string, double> FeatureGain { get; init; } = new Dictionary<string, double>();
    public double Seconds { get; init; }
}

/// <summary>
/// Trains LambdaMART (LightGBM through ML.NET) over <see cref="RankingFeatures"/> and exports the trees as a
/// <see cref="TreeEnsembleModel"/>, so the server evaluates plain trees and never loads ML.NET.
/// </summary>
public static class RankerTrainer
{
    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        [VectorType] public float[] Features { get; set; } = [];
    }

    public static (TreeEnsembleModel Model, IReadOnlyDictionary<string, double> Gain) Train(IReadOnlyList<RankingGroup> groups, string mode, RankerTrainingOptions options)
    {
        var usable = groups.Where(g => g.Relevant.Any(r => r) && g.Relevant.Any(r => !r)).ToList();
        if (usable.Count < 10)
            throw new InvalidOperationException($"only {usable.Count} questions have a gold provision among their candidates; a ranker needs at least 10 (check the sets' corpus and gold citations)");
        var ml = new MLContext(seed: options.Seed);
        var rows = new List<Row>();
        for (var g = 0; g < usable.Count; g++)
            for (var i = 0; i < usable[g].Features.Count; i++)
                rows.Add(new Row { Group = (uint)g, Label = usable[g].Relevant[i] ? 1f : 0f, Features = usable[g].Features[i] });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, RankingFeatures.Count);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group))
            .Append(ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                RowGroupColumnName = "GroupKey",
                NumberOfIterations = options.Trees,
                NumberOfLeaves = options.Leaves,
                LearningRate = options.LearningRate,
                MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                NumberOfThreads = 1, // deterministic
                Seed = options.Seed,
                Silent = true,
            }));
        var fitted = pipeline.Fit(data);
        var ensemble = fitted.LastTransformer.Model.TrainedTreeEnsemble;
        var trees = new List<RegressionTreeModel>(ensemble.Trees.Count);
        var gain = RankingFeatures.Names.ToDictionary(n => n, _ => 0.0);
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c)) throw new InvalidOperationException("the trainer produced a categorical split; the ranker evaluates numeric splits only");
            trees.Add(new RegressionTreeModel(
                tree.NumericalSplitFeatureIndexes.ToArray(), tree.NumericalSplitThresholds.ToArray(),
                tree.LeftChild.ToArray(), tree.RightChild.ToArray(), tree.LeafValues.ToArray(), ensemble.TreeWeights[t]));
            for (var n = 0; n < tree.NumberOfNodes; n++) gain[RankingFeatures.Names[tree.NumericalSplitFeatureIndexes[n]]] += tree.SplitGains[n];
        }
        var model = new TreeEnsembleModel { Mode = mode, Features = RankingFeatures.Names, Bias = ensemble.Bias, Trees = trees };
        return (model, gain);
    }

    /// <summary>
    /// K-fold cross-validation by question (folds assigned by a hash of the question id, so the split does not
    /// depend on order): every question is scored by a model trained without it.
    /// </summary>
    public static (IReadOnlyDictionary<string, SetQuality> PerSet, IReadOnlyList<FoldResult> Folds) CrossValidate(
        IReadOnlyList<RankingGroup> groups, string mode, RankerTrainingOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var folds = new List<FoldResult>();
        var rankedLists = new Dictionary<RankingGroup, IReadOnlyList<bool>>();
        for (var fold = 0; fold < options.Folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var test = groups.Where(g => FoldOf(g.QuestionId, options.Folds) == fold).ToList();
            var train = groups.Where(g => FoldOf(g.QuestionId, options.Folds) != fold).ToList();
            var (model, _) = Train(train, mode, options);
            var ranker = new TreeEnsembleRanker(model, $"fold {fold}");
            foreach (var g in test) rankedLists[g] = Rank(g, ranker);
            folds.Add(new FoldResult(fold, Quality(test, g => g.Relevant), Quality(test, g => rankedLists[g])));
            progress?.Report($"fold {fold + 1}/{options.Folds}: R@10 {folds[^1].FirstStage.RecallAt10:0.000} → {folds[^1].Ranked.RecallAt10:0.000}");
        }
        var perSet = groups.GroupBy(g => g.Set).ToDictionary(
            s => s.Key,
            s => new SetQuality(Quality(s.ToList(), g => g.Relevant), Quality(s.ToList(), g => rankedLists[g])));
        return (perSet, folds);
    }

    /// <summary>The signal groups an ablation leaves out one at a time.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SignalGroups = new Dictionary<string, string[]>
    {
        ["dense"] = ["dense_rr", "dense_score", "dense_gap", "dense_available"],
        ["coverage"] = ["cover_text", "cover_heading", "cover_sentence", "matched_terms"],
        ["hierarchy"] = ["cover_context"],
        ["references"] = ["in_degree"],
        ["act_priors"] = ["act_size", "act_share", "act_ordinance", "act_amending", "act_transitional", "act_treaty", "position"],
        ["annex"] = ["annex"],
        ["length"] = ["length"],
        ["routing"] = ["route_rr"],
    };

    /// <summary>Cross-validation once per signal group, with that group's features set to 0 everywhere.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, SetQuality>> Ablate(
        IReadOnlyList<RankingGroup> groups, string mode, RankerTrainingOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, SetQuality>>(StringComparer.Ordinal);
        foreach (var (name, features) in SignalGroups)
        {
            var indexes = features.Select(f => RankingFeatures.Names.ToList().IndexOf(f)).ToArray();
            var masked = groups.Select(g => g with
            {
                Features = g.Features.Select(f =>
                {
                    var copy = (float[])f.Clone();
                    foreach (var i in indexes) copy[i] = 0f;
                    return copy;
                }).ToList(),
            }).ToList();
            progress?.Report($"ablation: without {name}");
            result[name] = CrossValidate(masked, mode, options, null, cancellationToken).PerSet;
        }
        return result;
    }

    public static int FoldOf(string questionId, int folds) =>
        (int)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(questionId)), 0) % (uint)folds);

    /// <summary>The group's relevance flags in the order the ranker puts its candidates.</summary>
    public static IReadOnlyList<bool> Rank(RankingGroup group, IRanker ranker) =>
        group.Features.Select((f, i) => (i, s: ranker.Score(f))).OrderByDescending(x => x.s).ThenBy(x => x.i).Select(x => group.Relevant[x.i]).ToList();

    public static RankingQuality Quality(IReadOnlyList<RankingGroup> groups, Func<RankingGroup, IReadOnlyList<bool>> order)
    {
        if (groups.Count == 0) return new RankingQuality(0, 0, 0, 0);
        double r10 = 0, mrr = 0, r1 = 0;
        foreach (var g in groups)
        {
            var list = order(g);
            var gold = Math.Max(1, g.GoldCount);
            r10 += list.Take(10).Count(x => x) / (double)gold;
            r1 += list.Take(1).Count(x => x) / (double)gold;
            for (var i = 0; i < Math.Min(10, list.Count); i++)
            {
                if (!list[i]) continue;
                mrr += 1.0 / (i + 1);
                break;
            }
        }
        return new RankingQuality(groups.Count, Math.Round(r10 / groups.Count, 4), Math.Round(mrr / groups.Count, 4), Math.Round(r1 / groups.Count, 4));
    }
}
