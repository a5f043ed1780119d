using System.CommandLine;
using System.Globalization;
using LegalRag.Cli.Output;
using LegalRag.Hosting;
using LegalRag.Hosting.Embedding;
using LegalRag.Core.Citations;
using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Cli.Commands;

/// <summary><c>legalrag model train</c> (a dense model from a corpus alone) and <c>legalrag model embed</c>.</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Train, import and apply dense embedding models");
        model.Subcommands.Add(TrainCommand());
        model.Subcommands.Add(EmbedCommand());
        model.Subcommands.Add(LatencyCommand());
        model.Subcommands.Add(TrainRankerCommand.Create());
        model.Subcommands.Add(ModelImportCommand.Create());
        return model;
    }

    private static Command TrainCommand()
    {
        var corpus = new Option<string>("--corpus") { Description = "Stored corpus to train on (ingest it first), e.g. de-bundesrecht", Required = true };
        var output = new Option<string>("--out") { Description = "Model folder to write (model.onnx, legalrag-embedding.json, training-report.json)", Required = true };
        var dim = new Option<int>("--dim") { Description = "Embedding dimensions", DefaultValueFactory = _ => 128 };
        var epochs = new Option<int>("--epochs") { Description = "Most skip-gram epochs (stage 1); a large corpus gets fewer, see --max-tokens", DefaultValueFactory = _ => 5 };
        var maxTokens = new Option<long>("--max-tokens")
        {
            Description = "Stage 1 token budget over all epochs (epochs = min(--epochs, budget / corpus tokens), at least 1)",
            DefaultValueFactory = _ => new SkipGramOptions().MaxProcessedTokens,
        };
        var contrastiveEpochs = new Option<int>("--contrastive-epochs") { Description = "Epochs of stages 2/3 (0 skips them)", DefaultValueFactory = _ => 3 };
        var noStage2 = new Option<bool>("--no-stage2") { Description = "Skip the self-supervised pairs of stage 2" };
        var pairs = new Option<string?>("--pairs") { Description = "Stage 3: question set (train split only!) whose gold citations give labelled question → provision pairs" };
        var pairsFormat = new Option<string>("--pairs-format") { Description = "auto|native|gerlayqa|coliee", DefaultValueFactory = _ => "auto" };
        var pairsCorpus = new Option<string?>("--pairs-corpus") { Description = "Corpus the pairs' gold citations resolve in (default: --corpus)" };
        var threads = new Option<int>("--threads") { Description = "Training threads (0: one per core; 1: bit-for-bit reproducible)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42UL };
        var ablations = new Option<string?>("--ablations") { Description = "Also write the variants from the same stage 1 into this folder: stage1, stage12 and, with --pairs, stage13 and stage123" };
        var command = new Command("train", "Train a dense retrieval model from a stored corpus alone and export it as ONNX")
        {
            corpus, output, dim, epochs, maxTokens, contrastiveEpochs, noStage2, pairs, pairsFormat, pairsCorpus, threads, seed, ablations,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = CliContext.Settings(parse);
            var corpusName = parse.GetValue(corpus)!;
            var outDir = parse.GetValue(output)!;
            if (parse.GetValue(dim) is < 8 or > 1024) return Usage("--dim must be between 8 and 1024");
            if (parse.GetValue(epochs) is < 1 or > 100) return Usage("--epochs must be between 1 and 100");
            if (parse.GetValue(maxTokens) < 1) return Usage("--max-tokens must be at least 1");
            if (parse.GetValue(contrastiveEpochs) is < 0 or > 100) return Usage("--contrastive-epochs must be between 0 and 100");

            // Training reads provision texts from the embedded store.
            using var store = await LegalRagComposition.OpenSqliteAsync(settings, null, ct);
            var corpora = await store.ListCorporaAsync(ct);
            var info = corpora.FirstOrDefault(c => c.Name == corpusName);
            if (info is null)
                return Usage($"corpus '{corpusName}' is not in the store {settings.DataDirectory} (corpora: {(corpora.Count == 0 ? "none" : string.Join(", ", corpora.Select(c => c.Name)))}); ingest it first");
            var texts = await store.ReadProvisionTextsAsync(corpusName, ct);
            var provisions = texts.Select(t => new TrainingProvision(t.Act, t.Heading, t.Text)).ToList();

            var labelled = new List<TrainingPair>();
            if (parse.GetValue(pairs) is { } pairsPath)
            {
                var (loaded, unresolved) = await LabelledPairsAsync(store, pairsPath, QuestionSetLoader.ParseFormat(parse.GetValue(pairsFormat)!),
                    parse.GetValue(pairsCorpus) ?? corpusName, ct);
                labelled = loaded;
                Console.Error.WriteLine($"pairs: {labelled.Count:N0} labelled pairs from {pairsPath} ({unresolved:N0} gold citations did not resolve)");
            }

            var threadCount = parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            var options = new StaticTrainingOptions
            {
                Dimensions = parse.GetValue(dim),
                Seed = parse.GetValue(seed),
                SkipGram = new SkipGramOptions { Epochs = parse.GetValue(epochs), MaxProcessedTokens = parse.GetValue(maxTokens), Threads = threadCount },
                SelfSupervised = !parse.GetValue(noStage2),
                Contrastive = new ContrastiveOptions { Epochs = parse.GetValue(contrastiveEpochs) },
                LabelledPairs = parse.GetValue(contrastiveEpochs) > 0 ? labelled : [],
            };
            if (options.Contrastive.Epochs == 0) options = options with { SelfSupervised = false };
            var progress = new Progress<string>(line => Console.Error.WriteLine(line));
            StaticEmbeddingModel trained;
            StaticTrainingReport report;
            var modelConfig = new StaticModelConfig { Language = info.Language, TrainedOn = corpusName, MaxFeatures = options.MaxFeatures };
            try
            {
                var (stage1, stage1Report) = await Task.Run(() => StaticModelTrainer.TrainStage1(provisions, corpusName, info.Language, options, progress, ct), ct);
                (trained, report) = await Task.Run(() => StaticModelTrainer.FineTune(stage1, stage1Report, provisions, options, progress, ct), ct);
                if (parse.GetValue(ablations) is { } ablationDir)
                {
                    // Same stage 1 for every variant, so the differences are the later stages' alone.
                    StaticModelExport.Save(stage1, Path.Combine(ablationDir, "stage1"), modelConfig, stage1Report, ct);
                    var variants = new List<(string Name, bool SelfSupervised, IReadOnlyList<TrainingPair> Labelled)> { ("stage12", true, []) };
                    if (labelled.Count > 0) variants.AddRange([("stage13", false, labelled), ("stage123", true, labelled)]);
                    foreach (var (name, self, pairsOfVariant) in variants)
                    {
                        var variantOptions = options with { SelfSupervised = self, LabelledPairs = pairsOfVariant, Contrastive = options.Contrastive with { Epochs = Math.Max(1, options.Contrastive.Epochs) } };
                        Console.Error.WriteLine($"ablation {name}");
                        var (variant, variantReport) = await Task.Run(() => StaticModelTrainer.FineTune(stage1, stage1Report, provisions, variantOptions, progress, ct), ct);
                        StaticModelExport.Save(variant, Path.Combine(ablationDir, name), modelConfig, variantReport, ct);
                    }
                }
            }
            catch (TrainingDataException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Usage;
            }

            StaticModelExport.Save(trained, outDir, modelConfig, report, ct);
            var config = StaticModelDirectory.ReadConfig(outDir);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model {StaticModelDirectory.ModelId(config)} written to {Path.GetFullPath(outDir)}: {report.Provisions:N0} provisions, {report.Tokens:N0} tokens, " +
                $"stage 1 {report.SkipGramSeconds:F1} s ({report.SkipGramEpochs} epoch(s), {report.TokensPerSecond:N0} tokens/s, {report.TokensPerCpuSecond:N0} per CPU s, {report.Threads} threads), stages 2/3 {report.ContrastiveSeconds:F1} s, " +
                $"total {report.TotalSeconds:F1} s ({report.CpuSeconds:F0} CPU s), peak working set {report.PeakWorkingSetBytes / (1024.0 * 1024):F0} MiB"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command EmbedCommand()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Embed only this corpus (default: all)" };
        var command = new Command("embed", "Embed the chunks that have no vector from the embedding model yet (cached by content hash)") { corpus };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct);
            var (store, embedder) = (services.Stack.Store, services.Stack.Embedder);
            if (embedder is null) return Usage("no embedding model: configure LegalRag:Embedding or pass --model <folder>");
            var summary = await EmbeddingModels.EmbedMissingAsync(store, embedder, parse.GetValue(corpus), EmbedProgressDisplay.Stderr($"Embedding with {embedder.ModelId}"), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{embedder.ModelId}: {summary.Embedded:N0} chunks embedded, {summary.FromCache:N0} from cache, {summary.Seconds:F1} s ({summary.ChunksPerSecond:F0} chunks/s)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command LatencyCommand()
    {
        var set = new Option<string?>("--set") { Description = "Question set whose questions serve as queries (default: a few built-in ones)" };
        var format = new Option<string>("--format") { Description = "auto|native|gerlayqa|coliee", DefaultValueFactory = _ => "auto" };
        var limit = new Option<int>("--limit") { Description = "At most this many queries", DefaultValueFactory = _ => 500 };
        var command = new Command("latency", "Measure query embedding latency of the embedding model (one query per call, as search does)") { set, format, limit };
        command.SetAction(async (parse, ct) =>
        {
            using var embedder = EmbeddingModels.Open(CliContext.Settings(parse));
            if (embedder is null) return Usage("no embedding model: configure LegalRag:Embedding or pass --model <folder>");
            var queries = parse.GetValue(set) is { } path
                ? (await QuestionSetLoader.LoadAsync(path, QuestionSetLoader.ParseFormat(parse.GetValue(format)!), ct)).Questions.Select(q => q.Question).Take(parse.GetValue(limit)).ToList()
                : ["Darf mein Vermieter wegen Eigenbedarf kündigen?", "Wie lange habe ich Gewährleistung beim Autokauf?", "Muss ich die Kaution verzinsen?"];
            for (var i = 0; i < 20; i++) await embedder.Generator.GenerateAsync([queries[i % queries.Count]], Core.Abstractions.EmbeddingInputKind.QueryOptions(), ct); // warm-up
            var times = new List<double>();
            foreach (var q in queries)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await embedder.Generator.GenerateAsync([q], Core.Abstractions.EmbeddingInputKind.QueryOptions(), ct);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{embedder.ModelId}: {times.Count} queries, mean {times.Average():F3} ms, p50 {times[times.Count / 2]:F3} ms, p95 {times[(int)(times.Count * 0.95)]:F3} ms, max {times[^1]:F3} ms"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Question → provision text for every gold citation of the set that resolves in <paramref name="corpus"/>.</summary>
    public static async Task<(List<TrainingPair> Pairs, int Unresolved)> LabelledPairsAsync(SqliteLegalStore store, string path, QuestionSetFormat format, string corpus, CancellationToken ct)
    {
        var set = await QuestionSetLoader.LoadAsync(path, format, ct);
        var pairs = new List<TrainingPair>();
        var unresolved = 0;
        foreach (var question in set.Questions)
        {
            foreach (var gold in question.GoldCitations)
            {
                if (!CitationParser.TryParse(gold, out var reference))
                {
                    unresolved++;
                    continue;
                }

                var found = await store.FindByCitationAsync(reference, corpus, ct);
                if (found.Count == 0)
                {
                    unresolved++;
                    continue;
                }

                var p = found[0].Provision;
                pairs.Add(new TrainingPair(question.Question, EmbeddingModels.PassageText(p.Heading, p.Text)));
            }
        }

        return (pairs, unresolved);
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }
}
