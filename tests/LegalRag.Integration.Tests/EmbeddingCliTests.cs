using System.Text.Json.Nodes;
using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>Dense retrieval through the CLI with a model trained in the test: ingest embeds, the cache, switching models, refusals.</summary>
public sealed class EmbeddingCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tiny but real trained model (one thread, small tables) saved as a model folder.</summary>
    private static string TrainModel(string directory, ulong seed)
    {
        string[] parties = ["Der Mieter", "Der Vermieter", "Der Käufer", "Der Verkäufer", "Der Arbeitgeber"];
        string[] duties = ["kann den Vertrag kündigen", "muss die Miete zahlen", "hat Anspruch auf Schadensersatz", "kann Nacherfüllung verlangen"];
        var provisions = Enumerable.Range(0, 120).Select(i => new TrainingProvision("BGB", $"§ {i} Kündigung und Haftung",
            string.Join(" ", Enumerable.Range(0, 4).Select(s => $"{parties[(i + s) % parties.Length]} {duties[(i * 3 + s) % duties.Length]}, wenn ein wichtiger Grund vorliegt.")))).ToList();
        var options = new StaticTrainingOptions
        {
            Dimensions = 16,
            Seed = seed,
            Featurizer = new FeaturizerSettings { WordBuckets = 256, NgramBuckets = 1024 },
            SkipGram = new SkipGramOptions { Epochs = 1, Threads = 1, MinCount = 1 },
            Contrastive = new ContrastiveOptions { Epochs = 1, BatchSize = 16 },
            MinimumTokens = 1_000,
        };
        var (model, report) = StaticModelTrainer.Train(provisions, "fixture", "de", options, null, Ct);
        StaticModelExport.Save(model, directory, new StaticModelConfig { Language = "de" }, report, Ct);
        return directory;
    }

    [Fact]
    public async Task Ingest_embeds_once_reuses_the_cache_and_switching_models_re_embeds()
    {
        using var dir = new TempDirectory("embed-cli");
        CliEndToEndTests.WriteFixtureCorpus(dir);
        var acts = Path.Combine(dir.Path, "acts");
        var modelA = TrainModel(Path.Combine(dir.Path, "model-a"), 1);
        var modelB = TrainModel(Path.Combine(dir.Path, "model-b"), 2);
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var first = await cli.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json", "--model", modelA);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var chunks = first.Json.GetProperty("chunks").GetInt32();
        Assert.True(chunks > 0);
        Assert.Equal(chunks, first.Json.GetProperty("embedding").GetProperty("embedded").GetInt32());
        Assert.Contains("chunks/s", first.Stderr);

        var again = await cli.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json", "--model", modelA);
        Assert.Equal(0, again.Json.GetProperty("embedding").GetProperty("embedded").GetInt32());

        var hybrid = await cli.RunAsync(Ct, "search", "Eigenbedarf des Vermieters", "--mode", "hybrid", "--json", "--model", modelA);
        Assert.True(hybrid.ExitCode == 0, hybrid.Stderr);
        Assert.NotEmpty(hybrid.Json.GetProperty("results").EnumerateArray());
        // No --mode: LegalRag:Search:DefaultMode (hybrid) with a model, as the server and eval run do; lexical without one.
        var byDefault = await cli.RunAsync(Ct, "search", "Eigenbedarf des Vermieters", "--json", "--model", modelA);
        Assert.True(byDefault.ExitCode == 0, byDefault.Stderr);
        Assert.Equal(hybrid.Json.GetProperty("results").GetRawText(), byDefault.Json.GetProperty("results").GetRawText());
        var lexical = await cli.RunAsync(Ct, "search", "Eigenbedarf des Vermieters", "--json", "--mode", "lexical");
        var fallback = await cli.RunAsync(Ct, "search", "Eigenbedarf des Vermieters", "--json");
        Assert.True(fallback.ExitCode == 0, fallback.Stderr);
        Assert.Equal(lexical.Json.GetProperty("results").GetRawText(), fallback.Json.GetProperty("results").GetRawText());
        Assert.Contains("searching lexical by default", fallback.Stderr);
        Assert.DoesNotContain("searching lexical by default", lexical.Stderr);

        var dense = await cli.RunAsync(Ct, "search", "Kaufvertrag", "--mode", "dense", "--json", "--model", modelA);
        Assert.True(dense.ExitCode == 0, dense.Stderr);
        Assert.NotEmpty(dense.Json.GetProperty("results").EnumerateArray());

        // Model B has no vectors yet: dense search refuses clearly instead of returning nothing.
        var refused = await cli.RunAsync(Ct, "search", "Kaufvertrag", "--mode", "dense", "--model", modelB);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("no vectors from embedding model", refused.Stderr);

        var switched = await cli.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json", "--model", modelB);
        Assert.Equal(chunks, switched.Json.GetProperty("embedding").GetProperty("embedded").GetInt32());
        var back = await cli.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json", "--model", modelA);
        Assert.Equal(0, back.Json.GetProperty("embedding").GetProperty("embedded").GetInt32());
        Assert.Equal(chunks, back.Json.GetProperty("embedding").GetProperty("fromCache").GetInt32());
    }

    [Fact]
    public async Task A_tampered_model_folder_is_refused_and_a_tiny_corpus_cannot_train()
    {
        using var dir = new TempDirectory("embed-cli-bad");
        CliEndToEndTests.WriteFixtureCorpus(dir);
        var model = TrainModel(Path.Combine(dir.Path, "model"), 3);
        var config = Path.Combine(model, StaticModelDirectory.ConfigFile);
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["featurizer"]!["maxN"] = 5;
        File.WriteAllText(config, json.ToJsonString());
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var ingest = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--lang", "de", "--model", model);
        Assert.Equal(2, ingest.ExitCode);
        Assert.Contains("embedding model refused", ingest.Stderr);
        Assert.Contains("do not match the graph", ingest.Stderr);

        Assert.Equal(0, (await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--lang", "de")).ExitCode);
        var train = await cli.RunAsync(Ct, "model", "train", "--corpus", "fixture", "--out", Path.Combine(dir.Path, "trained"));
        Assert.Equal(2, train.ExitCode);
        Assert.Contains("too small to train on", train.Stderr);
        Assert.Contains("at least 50 provisions", train.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "trained")));
    }
}
