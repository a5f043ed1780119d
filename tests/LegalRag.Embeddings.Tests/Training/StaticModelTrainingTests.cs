using System.Text.Json.Nodes;
using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;
using Microsoft.Extensions.AI;

namespace LegalRag.Embeddings.Tests.Training;

public sealed class StaticModelTrainingTests
{
    private static readonly string[] Probes =
    [
        "Darf mein Vermieter fristlos kündigen?",
        "Der Käufer kann Nacherfüllung verlangen, wenn der Mangel erheblich ist.",
        "Kaution",
        "völlig unbekannte Wörter wie Quantenchromodynamik",
        "",
    ];

    [Fact]
    public async Task Exported_graph_matches_the_training_forward_pass_through_onnx_runtime()
    {
        var ct = TestContext.Current.CancellationToken;
        var (model, report) = StaticModelTrainer.Train(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions(), null, ct);
        Assert.NotEmpty(report.ContrastiveEpochs);
        var dir = Path.Combine(TrainingFixtures.TempDirectory(), "model");
        StaticModelExport.Save(model, dir, new StaticModelConfig { Language = "de", TrainedOn = "fixture" }, report, ct);
        Assert.True(File.Exists(Path.Combine(dir, StaticModelDirectory.ModelFile)));
        Assert.True(File.Exists(Path.Combine(dir, StaticModelDirectory.ReportFile)));

        using var generator = StaticModelDirectory.Open(dir);
        var embeddings = await generator.GenerateAsync(Probes, EmbeddingInputKind.PassageOptions(), ct);
        for (var i = 0; i < Probes.Length; i++)
        {
            var expected = model.Embed(Probes[i]);
            var actual = embeddings[i].Vector.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (var j = 0; j < expected.Length; j++)
                Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-5f, $"probe {i} '{Probes[i]}' dim {j}: C# {expected[j]}, ONNX {actual[j]}");
        }

        // Not a degenerate model: real texts embed to unit vectors, the empty text to zero.
        Assert.Equal(1f, Norm(embeddings[0].Vector.ToArray()), 3);
        Assert.Equal(0f, Norm(embeddings[4].Vector.ToArray()));
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed_with_one_thread()
    {
        var ct = TestContext.Current.CancellationToken;
        var provisions = TrainingFixtures.Provisions();
        var (a, _) = StaticModelTrainer.Train(provisions, "fixture", "de", TrainingFixtures.SmallOptions(seed: 11), null, ct);
        var (b, _) = StaticModelTrainer.Train(provisions, "fixture", "de", TrainingFixtures.SmallOptions(seed: 11), null, ct);
        var (c, _) = StaticModelTrainer.Train(provisions, "fixture", "de", TrainingFixtures.SmallOptions(seed: 12), null, ct);
        Assert.Equal(a.Table, b.Table);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Projection, b.Projection);
        Assert.NotEqual(a.Table, c.Table);
    }

    [Fact]
    public void A_large_corpus_gets_fewer_epochs_and_a_higher_minimum_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var provisions = TrainingFixtures.Provisions();
        var options = TrainingFixtures.SmallOptions();
        var (_, full) = StaticModelTrainer.TrainStage1(provisions, "fixture", "de", options with { SkipGram = options.SkipGram with { Epochs = 3 } }, null, ct);
        Assert.Equal(3, full.SkipGramEpochs);
        Assert.Equal(3, full.SkipGramLossPerEpoch.Length);
        Assert.Equal(2, full.MinCount); // the fixture is far below one step of the default 5M tokens

        // A budget below one pass still reads the corpus once; a step of 1/200 of the corpus raises the minimum by
        // about 200, above the count of most of the fixture's words.
        var step = full.Tokens / 200;
        var (_, budgeted) = StaticModelTrainer.TrainStage1(provisions, "fixture", "de",
            options with { SkipGram = options.SkipGram with { Epochs = 3, MaxProcessedTokens = 1, MinCountTokensStep = step } }, null, ct);
        Assert.Equal(1, budgeted.SkipGramEpochs);
        Assert.Single(budgeted.SkipGramLossPerEpoch);
        Assert.Equal(2 + (int)(full.Tokens / step), budgeted.MinCount);
        Assert.True(budgeted.Vocabulary < full.Vocabulary, $"vocabulary {budgeted.Vocabulary} should shrink below {full.Vocabulary}");
        Assert.True(full.TokensPerCpuSecond > 0);
    }

    [Fact]
    public void A_corpus_too_small_is_refused_with_the_minimum_needed()
    {
        var few = TrainingFixtures.Provisions(10);
        var ex = Assert.Throws<TrainingDataException>(() =>
            StaticModelTrainer.Train(few, "tiny", "de", new StaticTrainingOptions(), null, TestContext.Current.CancellationToken));
        Assert.Contains("tiny", ex.Message);
        Assert.Contains("at least 50 provisions and 20,000 words", ex.Message);
    }

    [Fact]
    public void Cancelling_during_training_throws_and_writes_no_model()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new InlineProgress(line =>
        {
            if (line.StartsWith("stage 1 epoch 1", StringComparison.Ordinal)) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            StaticModelTrainer.Train(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions() with { SkipGram = new SkipGramOptions { Epochs = 3, Threads = 1, MinCount = 2 } }, progress, cts.Token));
    }

    [Fact]
    public void A_cancelled_save_leaves_neither_the_model_nor_a_temporary_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var (model, report) = StaticModelTrainer.TrainStage1(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions(), null, ct);
        var parent = TrainingFixtures.TempDirectory();
        var dir = Path.Combine(parent, "model");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => StaticModelExport.Save(model, dir, new StaticModelConfig(), report, cancelled.Token));
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public void A_config_that_does_not_match_its_graph_is_refused_at_load()
    {
        var ct = TestContext.Current.CancellationToken;
        var (model, report) = StaticModelTrainer.TrainStage1(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions(), null, ct);
        var dir = Path.Combine(TrainingFixtures.TempDirectory(), "model");
        StaticModelExport.Save(model, dir, new StaticModelConfig(), report, ct);
        var configPath = Path.Combine(dir, StaticModelDirectory.ConfigFile);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        json["featurizer"]!["minN"] = 4;
        File.WriteAllText(configPath, json.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(() => StaticModelDirectory.Open(dir));
        Assert.Contains("do not match the graph", ex.Message);
    }

    [Fact]
    public void A_config_beside_another_graph_is_refused_by_its_hash()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, report) = StaticModelTrainer.TrainStage1(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions(seed: 1), null, ct);
        var (b, _) = StaticModelTrainer.TrainStage1(TrainingFixtures.Provisions(), "fixture", "de", TrainingFixtures.SmallOptions(seed: 2), null, ct);
        var root = TrainingFixtures.TempDirectory();
        StaticModelExport.Save(a, Path.Combine(root, "a"), new StaticModelConfig(), report, ct);
        StaticModelExport.Save(b, Path.Combine(root, "b"), new StaticModelConfig(), report, ct);
        File.Copy(Path.Combine(root, "b", StaticModelDirectory.ModelFile), Path.Combine(root, "a", StaticModelDirectory.ModelFile), overwrite: true);

        var ex = Assert.Throws<InvalidDataException>(() => StaticModelDirectory.ReadConfig(Path.Combine(root, "a")));
        Assert.Contains("belongs to another model", ex.Message);
    }

    [Fact]
    public void Self_supervised_pairs_come_from_headings_acts_and_first_sentences()
    {
        var pairs = StaticModelTrainer.SelfSupervisedPairs(TrainingFixtures.Provisions(), 10_000, 3);
        Assert.Equal(240, pairs.Count);
        Assert.All(pairs, p => Assert.DoesNotContain("§", p.Query));
        Assert.Contains(pairs, p => p.Query.StartsWith("BGB ", StringComparison.Ordinal) || p.Query.StartsWith("HGB ", StringComparison.Ordinal));
        Assert.Contains(pairs, p => p.Query.EndsWith('.'));
    }

    private static float Norm(float[] v) => MathF.Sqrt(v.Sum(x => x * x));

    private sealed class InlineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
