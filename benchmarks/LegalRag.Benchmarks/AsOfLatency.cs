using System.Globalization;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Text;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Lexical (FTS5) and dense search latency on the embedded store with and without the as-of filter (issue 14):
/// the same queries, no date, then two days. Dense search needs vectors: with <c>--hash-vectors</c> every chunk gets a
/// hashed bag-of-words vector under the model name "asof-bench" (written into the store, so run it on a copy), which
/// costs what a real model's vectors of that size cost to scan.
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
    private const string Model = "asof-bench";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        string? data = null, corpus = null;
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
                default: Console.Error.WriteLine($"asof: unknown option {args[i]}"); return 2;
            }
        }
        if (data is null || corpus is null) { Console.Error.WriteLine("asof: --data DIR --corpus NAME are required"); return 2; }
        var analyzer = new TextAnalyzer("fr");
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.GetFullPath(data), VectorModel = Model }, ct);
        if (hashVectors)
        {
            var missing = await store.GetChunksMissingVectorsAsync(Model, corpus, ct);
            await store.PutVectorsAsync(Model, missing.Select(m => (m.ChunkId, m.ContentHash, Embed(m.Heading + " " + m.Text))).ToList(), ct);
            Console.WriteLine($"hash vectors written for {missing.Count} chunks");
        }
        DateOnly?[] days = [null, new DateOnly(1900, 1, 1), DateOnly.FromDateTime(DateTime.UtcNow)];
        foreach (var dense in new[] { false, true })
        {
            if (dense && !hashVectors) continue;
            // Warm: the dense matrix and FTS pages load once.
            foreach (var q in Queries) await SearchAsync(q);
            foreach (var day in days)
            {
                var samples = new List<double>();
                var hits = 0L;
                for (var r = 0; r < rounds; r++)
                    foreach (var q in Queries)
                        samples.Add(await Measurement.TimeAsync(async () => hits += (await SearchWithAsync(q, day)).Count));
                Console.WriteLine($"{(dense ? "dense  " : "lexical")} as of {(day is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "(none)    ")}: median {Measurement.Ms(Measurement.Percentile(samples, 50))}, p90 {Measurement.Ms(Measurement.Percentile(samples, 90))}, {samples.Count} queries, {hits / (double)samples.Count:F1} hits/query");
            }

            Task<IReadOnlyList<ChunkHit>> SearchAsync(string q) => SearchWithAsync(q, null);
            Task<IReadOnlyList<ChunkHit>> SearchWithAsync(string q, DateOnly? day) => dense
                ? store.SearchDenseAsync(Embed(q), 50, new SearchFilter(corpus, AsOf: day), ct)
                : store.SearchLexicalAsync(LexicalQuery.AllTerms(q, "fr"), 50, new SearchFilter(corpus, AsOf: day), ct);
        }
        return 0;

        float[] Embed(string text)
        {
            var v = new float[Dimension];
            foreach (var term in analyzer.Analyze(text)) v[(term.GetHashCode(StringComparison.Ordinal) & 0x7fffffff) % Dimension] += 1f;
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
            else v[0] = 1f;
            return v;
        }
    }
}
