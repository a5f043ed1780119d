using System.Globalization;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Text;
using LegalRag.Retrieval.Lexical;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Lexical and dense search latency on the embedded store with and without the as-of filter (issue 14): the same
/// queries, no date, then each day of <c>--days</c> (default 1900-01-01 and today). Lexical is measured twice, on the
/// store's FTS5 index (one-shot CLI commands) and on the in-memory index (the server), interleaved query by query.
/// Queries are short French topic queries, or with <c>--questions FILE</c> (GerLayQA JSON or JSONL with "question")
/// long lay questions planned as a search plans them. Dense search needs vectors: with <c>--hash-vectors</c> every
/// chunk gets a hashed bag-of-words vector under the model name "asof-bench" (written into the store, so run it on a
/// copy), which costs what a real model's vectors of that size cost to scan.
/// </summary>
public static class AsOfLatency
{
    private static readonly string[] Queries =
    [
        "divorce faute", "mariage consentement", "succession héritier", "propriété bien", "contrat obligation",
        "responsabilité dommage", "nationalité française", "domicile", "filiation enfant", "tutelle mineur",
        "vente prix", "bail loyer", "donation", "prescription délai", "hypothèque créancier", "adoption",
        "autorité parentale", "régime matrimonial", "servitude", "usufruit",
    ];

    private const int Dimension = 256;

    // string.GetHashCode differs from process to process; stored vectors and query vectors must hash alike (FNV-1a).
    private static int StableHash(string term)
    {
        var h = 2166136261u;
        foreach (var c in term) h = (h ^ c) * 16777619u;
        return (int)(h & 0x7fffffff);
    }

    private static List<string> LoadQuestions(string file)
    {
        var text = File.ReadAllText(file);
        if (text.TrimStart().StartsWith('['))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            return doc.RootElement.EnumerateArray().Select(q => q.GetProperty("Question_text").GetString()!).Take(300).ToList();
        }
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => { using var doc = System.Text.Json.JsonDocument.Parse(line); return doc.RootElement.GetProperty("question").GetString()!; })
            .Take(300).ToList();
    }
    private const string Model = "asof-bench";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string? data = null, corpus = null, questionsFile = null, daysArg = null;
        var lang = "fr";
        var rounds = 5;
        var hashVectors = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = args[++i]; break;
                case "--corpus": corpus = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--hash-vectors": hashVectors = true; break;
                case "--lang": lang = args[++i]; break;
                case "--questions": questionsFile = args[++i]; break;
                case "--days": daysArg = args[++i]; break;
                default: Console.Error.WriteLine($"asof: unknown option {args[i]}"); return 2;
            }
        }
        if (data is null || corpus is null) { Console.Error.WriteLine("asof: --data DIR --corpus NAME are required"); return 2; }
        var analyzer = new TextAnalyzer(lang);
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.GetFullPath(data), VectorModel = Model }, ct);
        // Vectors first: writing them changes the store, which would send the in-memory index back to building.
        if (hashVectors)
        {
            var missing = await store.GetChunksMissingVectorsAsync(Model, corpus, ct);
            await store.PutVectorsAsync(Model, missing.Select(m => (m.ChunkId, m.ContentHash, Embed(m.Heading + " " + m.Text))).ToList(), ct);
            Console.WriteLine($"hash vectors written for {missing.Count} chunks");
        }
        var texts = questionsFile is null ? Queries.ToList() : LoadQuestions(questionsFile);
        if (texts.Count == 0) { Console.Error.WriteLine($"asof: no questions in {questionsFile}"); return 2; }
        var planner = new SearchService(store, store, signalsSource: store, references: store);
        var planned = new List<LexicalQuery>(texts.Count);
        foreach (var t in texts) planned.Add(questionsFile is null ? LexicalQuery.AllTerms(t, lang) : await planner.PlanLexicalAsync(t, corpus, ct));
        var vectors = texts.Select(Embed).ToList();
        using var memory = new MemoryLexicalIndex(store, store, store);
        var snapshot = await memory.EnsureCurrentAsync(ct);
        var stats = await store.GetStatisticsAsync(ct);
        Console.WriteLine($"store: {stats.Provisions:N0} provision versions, {stats.Chunks:N0} chunks; in-memory index {snapshot.Rows:N0} rows built in {snapshot.BuildTime.TotalSeconds:F1} s; {texts.Count} queries × {rounds} rounds, top 50");
        var days = new List<DateOnly?> { null };
        foreach (var d in (daysArg ?? "1900-01-01,today").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            days.Add(d == "today" ? DateOnly.FromDateTime(DateTime.UtcNow) : DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var indexes = new List<(string Name, Func<int, DateOnly?, Task<IReadOnlyList<ChunkHit>>> Search)>
        {
            ("lexical FTS5", (i, day) => store.SearchLexicalAsync(planned[i], 50, new SearchFilter(corpus, AsOf: day), ct)),
            ("lexical memory", (i, day) => memory.SearchLexicalAsync(planned[i], 50, new SearchFilter(corpus, AsOf: day), ct)),
        };
        if (hashVectors) indexes.Add(("dense", (i, day) => store.SearchDenseAsync(vectors[i], 50, new SearchFilter(corpus, AsOf: day), ct)));
        foreach (var (name, search) in indexes)
        {
            // Warm: the dense matrix and FTS pages load once, and the JIT's tiering needs a few dozen calls of each
            // method and a moment to compile the optimised code (measured cold, the dense scan of 4,183 vectors took
            // 2.8 ms instead of 0.24 ms).
            foreach (var day in days)
                for (var i = 0; i < Math.Max(texts.Count, 40); i++) await search(i % texts.Count, day);
            await Task.Delay(500, ct);
            // Days interleaved query by query, so drifting load or caches weigh on every day alike.
            var samples = days.Select(_ => new List<double>()).ToList();
            var hits = new long[days.Count];
            for (var r = 0; r < rounds; r++)
                for (var i = 0; i < texts.Count; i++)
                    for (var j = 0; j < days.Count; j++)
                    {
                        var (n, day) = (i, days[j]);
                        samples[j].Add(await Measurement.TimeAsync(async () => hits[j] += (await search(n, day)).Count));
                    }
            for (var j = 0; j < days.Count; j++)
                Console.WriteLine($"{name,-15} as of {(days[j] is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "(none)    ")}: median {Measurement.Ms(Measurement.Percentile(samples[j], 50))}, p90 {Measurement.Ms(Measurement.Percentile(samples[j], 90))}, {samples[j].Count} queries, {hits[j] / (double)samples[j].Count:F1} hits/query");
        }
        return 0;

        float[] Embed(string text)
        {
            var v = new float[Dimension];
            foreach (var term in analyzer.Analyze(text)) v[StableHash(term) % Dimension] += 1f;
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
            else v[0] = 1f;
            return v;
        }
    }
}
