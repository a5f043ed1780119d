using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Retrieval.Lexical;
using LegalRag.Retrieval.Ranking;
using LegalRag.Retrieval.Snippets;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Warm search latency on an existing store: short lawyer-style queries and long lay questions
/// (GerLayQA, when the shared folder is there), each run once to warm up, then timed.
/// Usage: search --data DIR [--corpus NAME] [--questions FILE] [--rounds 3] [--mode lexical] [--lexical store|memory|both]
/// With --lexical both (the default) one run measures the store's FTS5 index and the in-memory index on the same store,
/// interleaved query by query, with a breakdown by stage, and checks that both return the same top 100.
/// </summary>
public static class SearchLatency
{
    private static readonly string[] ShortQueries =
    [
        "Kündigung Eigenbedarf", "Mietvertrag Schriftform", "Verjährung Mängelansprüche", "Rücktritt vom Kaufvertrag",
        "Schadensersatz Pflichtverletzung", "Testament Form", "Unterhalt Kinder", "Kündigungsfrist Arbeitsverhältnis",
        "Mieterhöhung Vergleichsmiete", "Pflichtteil Erbe", "Datenschutz Einwilligung", "Steuererklärung Frist",
        "Baugenehmigung Abstand", "Aufenthaltserlaubnis Familiennachzug", "Widerruf Fernabsatzvertrag", "Bürgschaft Schriftform",
        "§ 573 BGB", "Art. 1 GG", "BGB § 433", "StGB § 242",
    ];

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string? data = null, corpus = null, questionsFile = null;
        var rounds = 3;
        var mode = "lexical";
        var lexicalIndex = "both";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = args[++i]; break;
                case "--corpus": corpus = args[++i]; break;
                case "--questions": questionsFile = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--mode": mode = args[++i]; break;
                case "--lexical": lexicalIndex = args[++i]; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (data is null) { Console.Error.WriteLine("search: --data DIR (an ingested store) is required"); return 2; }
        if (lexicalIndex is not ("store" or "memory" or "both")) { Console.Error.WriteLine("search: --lexical is store, memory or both"); return 2; }
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data }, ct);
        var stats = await store.GetStatisticsAsync(ct);
        Console.WriteLine($"store: {stats.Documents:N0} documents, {stats.Provisions:N0} provisions, {stats.Chunks:N0} chunks; mode {mode}, corpus {corpus ?? "(all)"}");
        var questions = LoadQuestions(questionsFile);

        var services = new List<(string Name, SearchService Service)>();
        if (lexicalIndex != "memory") services.Add(("store FTS5", new SearchService(store, store, signalsSource: store, references: store)));
        using var memory = new MemoryLexicalIndex(store, store, store);
        if (lexicalIndex != "store")
        {
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var snapshot = await memory.EnsureCurrentAsync(ct);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"in-memory index: {snapshot.Rows:N0} rows, {snapshot.Terms:N0} terms, {snapshot.Postings:N0} postings; built in {snapshot.BuildTime.TotalSeconds:F1} s; " +
                              $"managed heap +{(after - before) / (1024.0 * 1024):F0} MiB (arrays ≈ {snapshot.ApproximateBytes / (1024.0 * 1024):F0} MiB)");
            services.Add(("in-memory", new SearchService(memory, store, signalsSource: memory, references: store)));
        }

        if (lexicalIndex == "both" && questions.Count > 0)
        {
            await CompareAsync(questions, services[0].Service, store, memory.Snapshot!, corpus, ct);
            await StagesAsync(questions, services[0].Service, store, memory, corpus, ct);
        }
        foreach (var (name, service) in services)
        {
            await MeasureAsync($"[{name}] short queries (k=10)", ShortQueries, service, corpus, 10, rounds, ct);
            if (questions.Count > 0)
            {
                await MeasureAsync($"[{name}] lay questions (k=10, {questions.Count})", questions, service, corpus, 10, 1, ct);
                await MeasureAsync($"[{name}] lay questions (k=100, {questions.Count})", questions, service, corpus, 100, 1, ct);
            }
        }
        return 0;
    }

    /// <summary>Same planned query, both indexes, top 100: ids and scores must agree (equal scores may trade places).</summary>
    private static async Task CompareAsync(IReadOnlyList<string> questions, SearchService service, SqliteLegalStore store, LexicalSnapshot snapshot, string? corpus, CancellationToken ct)
    {
        int same = 0, differ = 0, unsupported = 0;
        double worst = 0;
        foreach (var q in questions.Concat(ShortQueries))
        {
            var plan = await service.PlanLexicalAsync(q, corpus, ct);
            var filter = new SearchFilter(corpus);
            var fts = await store.SearchLexicalAsync(plan, 100, filter, ct);
            var mem = snapshot.Search(plan, 100, filter);
            if (mem is null) { unsupported++; continue; }
            var ok = fts.Count == mem.Count;
            for (var i = 0; ok && i < fts.Count; i++)
            {
                var rel = Math.Abs(fts[i].Score - mem[i].Score) / Math.Max(1e-12, Math.Abs(fts[i].Score));
                worst = Math.Max(worst, rel);
                ok = rel <= 1e-9;
            }
            var lastScore = fts.Count > 0 ? fts[^1].Score : 0;
            ok = ok && fts.Where(h => h.Score > lastScore * (1 + 1e-9)).Select(h => h.ChunkId).ToHashSet()
                .SetEquals(mem.Where(h => h.Score > lastScore * (1 + 1e-9)).Select(h => h.ChunkId));
            if (ok) same++; else differ++;
        }
        Console.WriteLine($"equivalence (top 100, FTS5 vs in-memory): {same} queries equal, {differ} differ, {unsupported} left to FTS5; worst relative score difference {worst:E2}");
    }

    /// <summary>Where a long lay question's time goes, stage by stage (k=10, FTS5 against in-memory), interleaved.</summary>
    private static async Task StagesAsync(IReadOnlyList<string> questions, SearchService service, SqliteLegalStore store, MemoryLexicalIndex memory, string? corpus, CancellationToken ct)
    {
        var plan = new List<double>();
        var fts = new List<double>();
        var mem = new List<double>();
        var provisions = new List<double>();
        var inDegrees = new List<double>();
        var fingerprints = new List<double>();
        var chunks = new List<double>();
        var snippets = new List<double>();
        var full = new List<double>();
        var memoryService = new SearchService(memory, store, signalsSource: memory, references: store);
        var filter = new SearchFilter(corpus, AsOf: DateOnly.FromDateTime(DateTime.UtcNow));
        foreach (var q in questions.Take(20)) await store.SearchLexicalAsync(await service.PlanLexicalAsync(q, corpus, ct), 100, filter, ct);
        foreach (var q in questions)
        {
            LexicalQuery planned = null!;
            plan.Add(await Measurement.TimeAsync(async () => planned = await service.PlanLexicalAsync(q, corpus, ct)));
            IReadOnlyList<ChunkHit> hits = [];
            fts.Add(await Measurement.TimeAsync(async () => hits = await store.SearchLexicalAsync(planned, 100, filter, ct)));
            mem.Add(await Measurement.TimeAsync(() => memory.SearchLexicalAsync(planned, 100, filter, ct)));
            var keys = hits.Select(h => h.ProvisionKey).Distinct().ToList();
            IReadOnlyList<StoredProvision> read = [];
            provisions.Add(await Measurement.TimeAsync(async () => read = await store.GetProvisionsAsync(keys, ct)));
            inDegrees.Add(await Measurement.TimeAsync(() => store.GetInDegreesAsync(keys, ct)));
            fingerprints.Add(await Measurement.TimeAsync(() => { foreach (var p in read) NearDuplicates.Fingerprint(p); return Task.CompletedTask; }));
            IReadOnlyList<StoredChunk> top = [];
            chunks.Add(await Measurement.TimeAsync(async () => top = await store.GetChunksAsync(hits.Take(10).Select(h => h.ChunkId).ToList(), ct)));
            snippets.Add(await Measurement.TimeAsync(() =>
            {
                foreach (var c in top) SnippetBuilder.Build(c.Text, q, new LegalRag.Core.Text.TextAnalyzer("de"), 240);
                return Task.CompletedTask;
            }));
            full.Add(await Measurement.TimeAsync(() => memoryService.SearchAsync(new SearchRequest { Query = q, Corpus = corpus, K = 10 }, ct)));
        }
        void Line(string label, List<double> s) =>
            Console.WriteLine($"  {label,-44} p50 {Measurement.Ms(Measurement.Percentile(s, 50)),10}  p95 {Measurement.Ms(Measurement.Percentile(s, 95)),10}");
        Console.WriteLine($"stages of a lay question ({questions.Count}, 100 candidates):");
        Line("plan (analysis, term statistics)", plan);
        Line("lexical index: store FTS5", fts);
        Line("lexical index: in-memory", mem);
        Line("read the candidates' provisions (batched)", provisions);
        Line("their reference in-degrees", inDegrees);
        Line("near-duplicate fingerprints", fingerprints);
        Line("read the top 10 chunks", chunks);
        Line("10 snippets", snippets);
        Line("whole search, in-memory index (k=10)", full);
    }

    private static List<string> LoadQuestions(string? file)
    {
        file ??= Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "evals", "gerlayqa", "bgb_dev.json");
        if (!File.Exists(file)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.EnumerateArray().Select(q => q.GetProperty("Question_text").GetString()!).Take(300).ToList();
    }

    private static async Task MeasureAsync(string label, IReadOnlyList<string> queries, SearchService service, string? corpus, int k, int rounds, CancellationToken ct)
    {
        foreach (var q in queries.Take(20)) await service.SearchAsync(new SearchRequest { Query = q, Corpus = corpus, K = k }, ct); // warm-up
        var samples = new List<double>();
        for (var r = 0; r < rounds; r++)
            foreach (var q in queries)
                samples.Add(await Measurement.TimeAsync(() => service.SearchAsync(new SearchRequest { Query = q, Corpus = corpus, K = k }, ct)));
        Console.WriteLine($"{label,-34} n={samples.Count,5}  p50 {Measurement.Ms(Measurement.Percentile(samples, 50)),10}  p95 {Measurement.Ms(Measurement.Percentile(samples, 95)),10}  max {Measurement.Ms(samples.Max()),10}");
    }
}
