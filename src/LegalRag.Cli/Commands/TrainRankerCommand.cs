using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Hosting;
using LegalRag.Hosting.Embedding;
using LegalRag.Retrieval.Ranking;
using LegalRag.Retrieval.Search;
using LegalRag.Training.Ranking;

namespace LegalRag.Cli.Commands;

/// <summary>
/// <c>legalrag model train-ranker --pairs SET[@CORPUS] …</c>: labels the first stage's candidates of every
/// question with its gold provisions, cross-validates LambdaMART by question, then trains on everything and
/// writes ranker.&lt;mode&gt;.json and ranker-report.&lt;mode&gt;.json into the model folder.
/// </summary>
public static class TrainRankerCommand
{
    public static Command Create()
    {
        var pairs = new Option<string[]>("--pairs")
        {
            Description = "Question sets with gold citations (train splits only), each optionally '@corpus' (e.g. evals/everyday/de.train.jsonl@de-bundesrecht)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string?>("--out") { Description = "Folder for the ranker (default: the --model folder)" };
        var mode = new Option<string?>("--mode") { Description = "First stage the ranker orders: lexical|dense|hybrid (default: hybrid with a model, else lexical)" };
        var tag = new Option<string?>("--tag") { Description = "Use only questions carrying this tag (e.g. split:train)" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (0: none)", DefaultValueFactory = _ => 5 };
        var trees = new Option<int>("--trees") { Description = "Boosting rounds", DefaultValueFactory = _ => 200 };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree", DefaultValueFactory = _ => 16 };
        var ablate = new Option<bool>("--ablate") { Description = "Also cross-validate with each signal group left out (the ablation table in the report)" };
        var limit = new Option<int>("--limit") { Description = "At most this many questions of each set (the first ones; 0: all)", DefaultValueFactory = _ => 0 };
        var command = new Command("train-ranker", "Train the learned ranker (LambdaMART) from labelled questions, with cross-validation")
        {
            pairs, output, mode, tag, folds, trees, leaves, limit, ablate,
        };
        command.SetAction(async (parse, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var requestedMode = parse.GetValue(mode);
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: RetrievalModes.Parse(requestedMode) != RetrievalMode.Lexical);
            var (settings, store, embedder) = (services.Settings, services.Stack.Store, services.Stack.Embedder);
            var modeName = requestedMode ?? (embedder is null ? "lexical" : "hybrid");
            var searchMode = RetrievalModes.Parse(modeName);
            if (searchMode is null or RetrievalMode.HybridRerank) return Usage($"--mode must be lexical, dense or hybrid, not '{modeName}'");
            if (searchMode != RetrievalMode.Lexical && embedder is null) return Usage($"--mode {modeName} needs an embedding model: pass --model <folder>");
            var outDir = parse.GetValue(output) ?? LegalRagComposition.RankerDirectory(settings);
            if (outDir is null) return Usage("--out is required when no --model folder is given");
            if (parse.GetValue(folds) is < 0 or > 20 or 1) return Usage("--folds must be 0 or between 2 and 20");

            if (embedder is not null && searchMode != RetrievalMode.Lexical) await EmbeddingModels.EnsureVectorsAsync(store, embedder, null, ct);
            // The first stage as every host composes it, without rankers: the ranker learns to order what it finds.
            var search = LegalRagComposition.CreateSearchService(store, settings, searchMode == RetrievalMode.Lexical ? null : embedder, reranker: null, withRankers: false);

            var resolver = new Eval.StoreGoldResolver(store);
            var groups = new List<RankingGroup>();
            var perSet = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var spec in parse.GetValue(pairs)!)
            {
                var at = spec.LastIndexOf('@');
                var (path, corpus) = at > 0 ? (spec[..at], spec[(at + 1)..]) : (spec, (string?)null);
                QuestionSet set;
                try
                {
                    set = await QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Auto, ct);
                }
                catch (Exception ex) when (ex is EvalInputException or IOException)
                {
                    return Usage(ex.Message);
                }
                var questions = set.Questions.Where(q => !q.ShouldRefuse && (parse.GetValue(tag) is not { } t || q.Tags.Contains(t, StringComparer.Ordinal))).ToList();
                if (parse.GetValue(limit) > 0) questions = questions.Take(parse.GetValue(limit)).ToList();
                int used = 0, unresolved = 0, done = 0;
                foreach (var q in questions)
                {
                    ct.ThrowIfCancellationRequested();
                    var gold = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var citation in q.GoldCitations)
                    {
                        if (await resolver.ResolveAsync(citation, corpus, ct) is { } key) gold.Add(key);
                        else unresolved++;
                    }
                    if (gold.Count == 0) continue;
                    var request = new SearchRequest { Query = q.Question, Corpus = corpus, K = 10, Mode = searchMode.Value };
                    var candidates = (await search.CandidatesAsync(request, new SearchFilter(corpus), search.CandidatesFor(request.K), ct))
                        .Where(c => c.Provision is not null).ToList();
                    groups.Add(new RankingGroup($"{set.Name}/{q.Id}", set.Name, candidates.Select(c => c.Features).ToList(),
                        candidates.Select(c => gold.Contains(c.Hit.ProvisionKey)).ToList(), gold.Count));
                    used++;
                    if (++done % 200 == 0) Console.Error.WriteLine($"{set.Name}: {done:N0}/{questions.Count:N0} questions");
                }
                perSet[set.Name] = used;
                Console.Error.WriteLine($"{set.Name}: {used:N0} questions labelled{(corpus is null ? "" : $" in {corpus}")}, {unresolved:N0} gold citations did not resolve");
            }

            var options = new RankerTrainingOptions { Folds = parse.GetValue(folds), Trees = parse.GetValue(trees), Leaves = parse.GetValue(leaves) };
            var progress = new Progress<string>(line => Console.Error.WriteLine(line));
            IReadOnlyDictionary<string, SetQuality> crossValidated = new Dictionary<string, SetQuality>();
            IReadOnlyList<FoldResult> foldResults = [];
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, SetQuality>> ablation = new Dictionary<string, IReadOnlyDictionary<string, SetQuality>>();
            TreeEnsembleModel model;
            IReadOnlyDictionary<string, double> gain;
            try
            {
                if (options.Folds > 1)
                    (crossValidated, foldResults) = await Task.Run(() => RankerTrainer.CrossValidate(groups, RetrievalModes.Name(searchMode.Value), options, progress, ct), ct);
                (model, gain) = await Task.Run(() => RankerTrainer.Train(groups, RetrievalModes.Name(searchMode.Value), options), ct);
                if (parse.GetValue(ablate) && options.Folds > 1)
                    ablation = await Task.Run(() => RankerTrainer.Ablate(groups, RetrievalModes.Name(searchMode.Value), options, progress, ct), ct);
            }
            catch (InvalidOperationException ex)
            {
                return Usage(ex.Message);
            }

            Directory.CreateDirectory(outDir);
            var file = TreeEnsembleRanker.FileFor(outDir, RetrievalModes.Name(searchMode.Value));
            // Temp then rename: a reader never sees half a model.
            await File.WriteAllTextAsync(file + ".tmp", model.ToJson(), ct);
            File.Move(file + ".tmp", file, overwrite: true);
            var report = new RankerTrainingReport
            {
                Mode = model.Mode,
                QuestionsPerSet = perSet,
                TrainingGroups = groups.Count,
                Candidates = groups.Sum(g => g.Features.Count),
                Positives = groups.Sum(g => g.Relevant.Count(r => r)),
                Options = options,
                CrossValidated = crossValidated,
                Folds = foldResults,
                Ablation = ablation,
                FeatureGain = gain.OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
                Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            };
            var reportFile = Path.Combine(outDir, $"ranker-report.{model.Mode}.json");
            await File.WriteAllTextAsync(reportFile, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }), ct);

            foreach (var (name, q) in crossValidated)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} ({q.Ranked.Questions} questions, {options.Folds}-fold CV): R@10 {q.FirstStage.RecallAt10:0.000} → {q.Ranked.RecallAt10:0.000}, MRR@10 {q.FirstStage.MrrAt10:0.000} → {q.Ranked.MrrAt10:0.000}"));
            foreach (var (without, sets) in ablation)
                foreach (var (name, q) in sets)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  without {without,-12} {name}: R@10 {q.Ranked.RecallAt10:0.000}, MRR@10 {q.Ranked.MrrAt10:0.000}"));
            Console.WriteLine($"ranker written to {Path.GetFullPath(file)} ({model.Trees.Count} trees, {groups.Count:N0} questions, {clock.Elapsed.TotalSeconds:F0} s); report {reportFile}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }
}
