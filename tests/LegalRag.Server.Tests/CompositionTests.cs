using System.Net.Http.Json;
using System.Text.Json;
using LegalRag.Answering.Tests.Support;
using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;
using LegalRag.Hosting;
using LegalRag.Hosting.Configuration;
using LegalRag.Hosting.Embedding;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Tests.Support;
using LegalRag.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>AddLegalRag, the one composition root: settings validated at start, the default mode, and the server ranking as the CLI does.</summary>
public sealed class CompositionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(IDictionary<string, string?> settings, LegalRagHostOptions? host = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddLegalRag(configuration, host).BuildServiceProvider();
    }

    [Fact]
    public async Task Nested_settings_and_the_default_mode_are_validated_at_start_with_the_key_named()
    {
        using var dir = new TempDirectory("composition-invalid");
        await using var services = Build(new Dictionary<string, string?>
        {
            ["LegalRag:DataDirectory"] = dir.Path,
            ["LegalRag:Search:RrfK"] = "0",
            ["LegalRag:Search:DefaultMode"] = "quantum",
            ["LegalRag:Embedding:ExecutionProvider"] = "tpu",
        });
        var ex = await Assert.ThrowsAsync<SettingsException>(() => services.InitializeLegalRagAsync(Ct));
        Assert.Contains("LegalRag:Search:RrfK", ex.Message);
        Assert.Contains("LegalRag:Search:DefaultMode", ex.Message);
        Assert.Contains("lexical, dense, hybrid or hybrid+rerank", ex.Message);
        Assert.Contains("LegalRag:Embedding:ExecutionProvider", ex.Message);
        Assert.Contains("must be cpu or cuda", ex.Message);
    }

    [Fact]
    public async Task A_cuda_model_setting_without_CUDA_runs_on_CPU_and_logs_one_warning()
    {
        using var models = new TempDirectory("composition-cuda");
        var settings = new LegalRagSettings { DataDirectory = models.Path };
        settings.Embedding.ModelDirectory = TrainModel(Path.Combine(models.Path, "model"));
        settings.Embedding.ExecutionProvider = "CUDA";
        var warnings = new WarningLogger();
        using var embedder = EmbeddingModels.Open(settings, warnings)!;
        var generator = Assert.IsType<LegalRag.Embeddings.OnnxEmbeddingGenerator>(embedder.Generator);
        if (!LegalRag.Embeddings.Onnx.OnnxSession.AvailableProviders().Contains("CUDAExecutionProvider"))
        {
            // The default build is CPU-only: the configured cuda must not stop the start.
            Assert.Equal(LegalRag.Embeddings.Onnx.ExecutionProvider.Cpu, generator.ActiveExecutionProvider);
        }

        Assert.Equal(generator.ActiveExecutionProvider == LegalRag.Embeddings.Onnx.ExecutionProvider.Cpu ? 1 : 0, warnings.Messages.Count);
        var embedded = await generator.GenerateAsync(["Kündigung wegen Eigenbedarf"], cancellationToken: Ct);
        Assert.Equal(16, embedded[0].Vector.Length);
    }

    /// <summary>Keeps warnings so a test can count them.</summary>
    private sealed class WarningLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                lock (Messages) Messages.Add(formatter(state, exception));
            }
        }
    }

    [Fact]
    public async Task Without_a_model_the_default_mode_falls_back_to_lexical_and_a_hybrid_answer_mode_stops_the_start()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        await using (var services = Build(new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = corpus.DataDirectory }))
        {
            var stack = await services.InitializeLegalRagAsync(Ct);
            Assert.Equal(RetrievalMode.Lexical, stack.DefaultMode.Mode);
            Assert.Equal("hybrid", stack.DefaultMode.Configured);
            Assert.Contains("no embedding model", stack.DefaultMode.FallbackReason);
            Assert.Null(stack.ModeOrDefault("quantum"));
            Assert.Equal(RetrievalMode.Dense, stack.ModeOrDefault("dense"));
        }

        await using var hybridAnswers = Build(new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = corpus.DataDirectory, ["LegalRag:Answering:Mode"] = "hybrid" });
        var ex = await Assert.ThrowsAsync<SettingsException>(() => hybridAnswers.InitializeLegalRagAsync(Ct));
        Assert.Contains("LegalRag:Answering:Mode", ex.Message);
    }

    [Fact]
    public async Task The_server_searches_and_answers_hybrid_and_ranks_exactly_as_the_in_process_search_service()
    {
        using var models = new TempDirectory("composition-model");
        var model = TrainModel(Path.Combine(models.Path, "model"));
        var settings = new Dictionary<string, string?>
        {
            ["LegalRag:Embedding:ModelDirectory"] = model,
            ["LegalRag:Answering:Mode"] = "hybrid",
        };
        await using var host = await ServerHost.StartAsync(Ct, settings, prepare: async corpus =>
        {
            var withModel = new LegalRagSettings { DataDirectory = corpus.DataDirectory };
            withModel.Embedding.ModelDirectory = model;
            using var embedder = EmbeddingModels.Open(withModel)!;
            await EmbeddingModels.EmbedMissingAsync(corpus.Store, embedder, null, null, Ct);
        });
        // An evaluator reads every corpus, so the server filters nothing out of the ranking.
        using var http = host.Client(ServerHost.EvaluatorKey);

        // The CLI's path: the same AddLegalRag over the same settings, SearchService from the container.
        await using var services = Build(new Dictionary<string, string?>(settings) { ["LegalRag:DataDirectory"] = host.Corpus.DataDirectory });
        var stack = await services.InitializeLegalRagAsync(Ct);
        Assert.Equal(RetrievalMode.Hybrid, stack.DefaultMode.Mode);
        Assert.Null(stack.DefaultMode.FallbackReason);

        foreach (var query in new[] { "Eigenbedarf des Vermieters", "Kündigung Frist Wohnraum", "Hund Halter Schaden" })
        {
            // No mode in the request: the server's default, hybrid.
            var response = await http.PostAsJsonAsync("/api/search", new { query, k = 8 }, Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            var api = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("results").EnumerateArray()
                .Select(r => (r.GetProperty("provisionId").GetString(), r.GetProperty("score").GetDouble())).ToList();
            var local = (await stack.Search.SearchAsync(new SearchRequest { Query = query, K = 8, Mode = RetrievalMode.Hybrid }, Ct)).Results
                .Select(r => (r.ProvisionId, r.Score)).ToList();
            Assert.NotEmpty(local);
            Assert.Equal(local.Select(r => r.ProvisionId), api.Select(r => r.Item1));
            Assert.Equal(local.Select(r => Math.Round(r.Score, 9)), api.Select(r => Math.Round(r.Item2, 9)));
        }

        // Every mode is available to the API; a lexical search ranks by another list than hybrid does.
        var lexical = await http.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf des Vermieters", mode = "lexical" }, Ct);
        Assert.True(lexical.IsSuccessStatusCode);
        var bad = await http.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf", mode = "quantum" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

        // Answering:Mode=hybrid works with a model configured.
        var ask = await http.PostAsJsonAsync("/api/ask", new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
        Assert.True(ask.IsSuccessStatusCode, await ask.Content.ReadAsStringAsync(Ct));
        var me = await http.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal("hybrid", me.GetProperty("searchMode").GetString());
    }

    /// <summary>A tiny but real trained model (one thread, small tables), as the CLI's embedding tests train one.</summary>
    private static string TrainModel(string directory)
    {
        string[] parties = ["Der Mieter", "Der Vermieter", "Der Halter", "Der Käufer"];
        string[] duties = ["kann den Vertrag kündigen", "muss die Miete zahlen", "haftet für den Schaden", "benötigt die Wohnung als Eigenbedarf"];
        var provisions = Enumerable.Range(0, 120).Select(i => new TrainingProvision("MietG", $"§ {i} Kündigung und Haftung",
            string.Join(" ", Enumerable.Range(0, 4).Select(s => $"{parties[(i + s) % parties.Length]} {duties[(i * 3 + s) % duties.Length]}, wenn ein wichtiger Grund vorliegt.")))).ToList();
        var options = new StaticTrainingOptions
        {
            Dimensions = 16,
            Seed = 7,
            Featurizer = new FeaturizerSettings { WordBuckets = 256, NgramBuckets = 1024 },
            SkipGram = new SkipGramOptions { Epochs = 1, Threads = 1, MinCount = 1 },
            Contrastive = new ContrastiveOptions { Epochs = 1, BatchSize = 16 },
            MinimumTokens = 1_000,
        };
        var (trained, report) = StaticModelTrainer.Train(provisions, "fixture", "de", options, null, Ct);
        StaticModelExport.Save(trained, directory, new StaticModelConfig { Language = "de" }, report, Ct);
        return directory;
    }
}
