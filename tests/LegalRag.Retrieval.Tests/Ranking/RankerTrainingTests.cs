using LegalRag.Retrieval.Ranking;
using LegalRag.Training.Ranking;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Retrieval.Tests.Ranking;

public sealed class RankerTrainingTests
{
    /// <summary>Questions whose gold candidate is the one with the highest "act_size" but a poor lexical rank:
    /// a signal the first stage ignores and the ranker must learn.</summary>
    private static List<RankingGroup> Synthetic(int questions, int seed)
    {
        var random = new Random(seed);
        var size = RankingFeatures.Names.ToList().IndexOf("act_size");
        var lex = RankingFeatures.Names.ToList().IndexOf("lexical_rr");
        var groups = new List<RankingGroup>();
        for (var q = 0; q < questions; q++)
        {
            var features = new List<float[]>();
            var relevant = new List<bool>();
            var gold = random.Next(3, 20);
            for (var i = 0; i < 20; i++)
            {
                var f = new float[RankingFeatures.Count];
                f[lex] = 1f / (i + 1);
                f[size] = i == gold ? 8f + (float)random.NextDouble() : (float)random.NextDouble() * 6f;
                for (var j = 0; j < f.Length; j++) if (j != lex && j != size) f[j] = (float)random.NextDouble();
                features.Add(f);
                relevant.Add(i == gold);
            }
            groups.Add(new RankingGroup($"q{q}", "synthetic", features, relevant, 1));
        }
        return groups;
    }

    [Fact]
    public void Cross_validation_scores_every_question_with_a_model_that_never_saw_it_and_the_ranker_learns_the_signal()
    {
        var groups = Synthetic(200, 1);
        var (perSet, folds) = RankerTrainer.CrossValidate(groups, "lexical", new RankerTrainingOptions { Trees = 30, Folds = 4 }, null, TestContext.Current.CancellationToken);

        Assert.Equal(4, folds.Count);
        Assert.Equal(200, folds.Sum(f => f.Ranked.Questions));
        var set = perSet["synthetic"];
        Assert.True(set.FirstStage.MrrAt10 < 0.3, $"first stage MRR {set.FirstStage.MrrAt10}");
        Assert.True(set.Ranked.MrrAt10 > 0.9, $"ranked MRR {set.Ranked.MrrAt10}");
    }

    [Fact]
    public void The_exported_trees_score_exactly_as_the_trainer_and_survive_a_round_trip_through_the_file()
    {
        var groups = Synthetic(120, 2);
        var (model, gain) = RankerTrainer.Train(groups, "hybrid", new RankerTrainingOptions { Trees = 20 });
        Assert.Equal("act_size", gain.MaxBy(kv => kv.Value).Key);

        using var dir = new TempDirectory();
        var path = TreeEnsembleRanker.FileFor(dir.Path, "hybrid");
        File.WriteAllText(path, model.ToJson());
        var loaded = TreeEnsembleRanker.Load(path);
        var inMemory = new TreeEnsembleRanker(model, "memory");
        Assert.Equal("hybrid", loaded.Mode);
        Assert.StartsWith("ranker.hybrid.json sha256:", loaded.Id);
        foreach (var g in groups.Take(10))
            foreach (var f in g.Features)
                Assert.Equal(inMemory.Score(f), loaded.Score(f), 9);
        // The gold candidate of a training question scores above the others.
        var first = groups[0];
        var best = first.Features.Select((f, i) => (i, s: loaded.Score(f))).MaxBy(x => x.s).i;
        Assert.True(first.Relevant[best]);
    }

    [Fact]
    public void An_ablation_without_the_signal_that_decides_loses_what_the_ranker_gained()
    {
        var ablation = RankerTrainer.Ablate(Synthetic(120, 4), "lexical", new RankerTrainingOptions { Trees = 20, Folds = 3 }, null, TestContext.Current.CancellationToken);
        Assert.Equal(RankerTrainer.SignalGroups.Keys.Order(), ablation.Keys.Order());
        Assert.True(ablation["act_priors"]["synthetic"].Ranked.MrrAt10 < 0.4, $"without act priors: {ablation["act_priors"]["synthetic"].Ranked.MrrAt10}");
        Assert.True(ablation["length"]["synthetic"].Ranked.MrrAt10 > 0.9, $"without length: {ablation["length"]["synthetic"].Ranked.MrrAt10}");
    }

    [Fact]
    public void Too_few_labelled_questions_are_refused_with_a_reason()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RankerTrainer.Train(Synthetic(5, 3), "lexical", new RankerTrainingOptions()));
        Assert.Contains("at least 10", ex.Message);
    }

    [Fact]
    public void Folds_are_assigned_by_question_id_not_by_order()
    {
        Assert.Equal(RankerTrainer.FoldOf("de-miete-001", 5), RankerTrainer.FoldOf("de-miete-001", 5));
        var counts = Enumerable.Range(0, 1000).GroupBy(i => RankerTrainer.FoldOf($"q{i}", 5)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 150, 250));
    }

    [Theory]
    [InlineData("not json", "not a ranker model")]
    [InlineData("""{"format":2,"mode":"lexical","features":[],"bias":0,"trees":[]}""", "ranker format 2")]
    [InlineData("""{"format":1,"mode":"lexical","features":["a"],"bias":0,"trees":[]}""", "retrain it")]
    public void A_bad_ranker_file_is_refused_naming_the_file_and_the_reason(string content, string reason)
    {
        using var dir = new TempDirectory();
        var path = dir.File("ranker.lexical.json", content);
        var ex = Assert.Throws<InvalidDataException>(() => TreeEnsembleRanker.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void A_tree_pointing_outside_itself_is_refused()
    {
        var model = new TreeEnsembleModel { Mode = "lexical", Features = RankingFeatures.Names, Trees = [new RegressionTreeModel([0], [0.5f], [5], [-2], [0.0, 1.0])] };
        var ex = Assert.Throws<InvalidDataException>(() => TreeEnsembleModel.FromJson(model.ToJson(), "m.json"));
        Assert.Contains("points outside itself", ex.Message);
    }

    [Fact]
    public void A_ranker_trained_before_a_feature_was_added_still_tests_the_features_it_knows()
    {
        // Trained on two features, in its own order: one tree asks "dense_rr <= 0.5" (its feature 1).
        var older = new TreeEnsembleModel
        {
            Mode = "hybrid", Features = ["lexical_rr", "dense_rr"],
            Trees = [new RegressionTreeModel([1], [0.5f], [~0], [~1], [-1.0, 1.0])],
        };
        var loaded = TreeEnsembleModel.FromJson(older.ToJson(), "ranker.hybrid.json");
        var ranker = new TreeEnsembleRanker(loaded, "older");

        var features = new float[RankingFeatures.Count];
        features[RankingFeatures.Names.ToList().IndexOf("dense_rr")] = 1f;
        Assert.Equal(1.0, ranker.Score(features));
        features[RankingFeatures.Names.ToList().IndexOf("dense_rr")] = 0f;
        features[RankingFeatures.Names.ToList().IndexOf("lexical_rr")] = 1f; // not the feature the tree tests
        Assert.Equal(-1.0, ranker.Score(features));
    }
}
