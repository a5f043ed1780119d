using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Warm search latency on an existing store: short lawyer-style queries and long lay questions
/// (GerLayQA, when the shared folder is there), each run once to warm up, then timed.
/// Usage: search --data DIR [--corpus NAME] [--questions FILE] [--rounds 3] [--mode lexical]
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
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = args[++i]; break;
                case "--corpus": corpus = args[++i]; break;
                case "--questions": questionsFile = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--mode": mode = args[++i]; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (data is null) { Console.Error.WriteLine("search: --data DIR (an ingested store) is required"); return 2; }
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data }, ct);
        var service = new SearchService(store, store, signalsSource: store, references: store);
        var stats = await store.GetStatisticsAsync(ct);
        Console.WriteLine($"store: {stats.Documents:N0} documents, {stats.Provisions:N0} provisions, {stats.Chunks:N0} chunks; mode {mode}, corpus {corpus ?? "(all)"}");

        await MeasureAsync("short queries (k=10)", ShortQueries, service, corpus, 10, rounds, ct);
        var questions = LoadQuestions(questionsFile);
        if (questions.Count > 0)
        {
            await MeasureAsync($"lay questions (k=10, {questions.Count})", questions, service, corpus, 10, 1, ct);
            await MeasureAsync($"lay questions (k=100, {questions.Count})", questions, service, corpus, 100, 1, ct);
        }
        return 0;
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
