using System.Globalization;
using System.Text.Json;
using LegalRag.Answering;
using LegalRag.Answering.Extractive;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Calibrates the extractive answer's refusal thresholds: runs answerable questions (GerLayQA, whose
/// gold is in the corpus) and questions from other domains the corpus cannot answer through
/// retrieval and the relevance gate's measures, and prints how each candidate threshold splits them.
/// <c>dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- refusal --data DIR --corpus gerlayqa-bgb --set ../shared/evals/gerlayqa/bgb_dev.json</c>
/// </summary>
public static class RefusalCalibration
{
    /// <summary>Questions a civil-law statute cannot answer: other domains, small talk, general knowledge.</summary>
    public static readonly string[] OffDomain =
    [
        "Wie backe ich einen Schokoladenkuchen ohne Eier?",
        "Wer hat die Fußball-Weltmeisterschaft 2014 gewonnen?",
        "Wie hoch ist die Kfz-Steuer für ein Elektroauto?",
        "Welche Impfungen brauche ich für eine Reise nach Thailand?",
        "Wie programmiere ich eine Schleife in Python?",
        "Was ist die Hauptstadt von Australien?",
        "Wie wird das Wetter morgen in Berlin?",
        "Welche Strafe droht bei Trunkenheit am Steuer?",
        "Wie beantrage ich einen Reisepass?",
        "Welche Partei hat die letzte Bundestagswahl gewonnen?",
        "Wie lange muss man Spaghetti kochen?",
        "Wie viele Urlaubstage stehen Beamten zu?",
        "Wie funktioniert die Photosynthese?",
        "Welche Farbe passt zu einem grünen Sofa?",
        "Muss ich für mein Segelboot einen Führerschein haben?",
        "Wann ist die Abgabefrist für die Einkommensteuererklärung?",
        "Wie pflege ich meine Zimmerpflanzen im Winter?",
        "Welche Bußgelder gelten für Falschparken?",
        "Was kostet ein Flug nach Paris?",
        "Wie wechsle ich den Reifen an meinem Fahrrad?",
        "Wie hoch ist der Mindestlohn für Auszubildende in der Pflege?",
        "Welche Voraussetzungen gelten für die Einbürgerung?",
        "Wie melde ich ein Gewerbe an?",
        "Wo finde ich einen Kinderarzt in Hamburg?",
        "Wie schreibe ich eine gute Bewerbung?",
        "Ist Cannabis zum Eigenkonsum erlaubt?",
        "Darf die Polizei mein Handy durchsuchen?",
        "Wie viele Stunden darf ein Lkw-Fahrer am Tag fahren?",
        "Welche Zölle fallen bei Paketen aus China an?",
        "Wie funktioniert ein Verbrennungsmotor?",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var data = Arg(args, "--data") ?? "data";
        var corpus = Arg(args, "--corpus");
        var set = Arg(args, "--set");
        var limit = int.Parse(Arg(args, "--limit") ?? "300", CultureInfo.InvariantCulture);
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.GetFullPath(data) }, CancellationToken.None);
        var search = new SearchService(store, store, signalsSource: store, references: store);
        var answerable = new List<string>();
        if (set is not null)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(set));
            answerable.AddRange(doc.RootElement.EnumerateArray().Select(e => e.GetProperty("Question_text").GetString()!).Take(limit));
        }
        var gate = new RelevanceGate(new RelevanceOptions { MinMatchedWeight = 0, MinScore = double.MinValue });
        async Task<List<RelevanceVerdict>> Measure(IEnumerable<string> questions)
        {
            var list = new List<RelevanceVerdict>();
            foreach (var q in questions)
            {
                var response = await search.SearchAsync(new SearchRequest { Query = q, Corpus = corpus, K = 6 }, CancellationToken.None);
                var sources = new List<AnswerSource>();
                foreach (var r in response.Results)
                    if (await store.GetProvisionAsync(r.ProvisionId, CancellationToken.None) is { } p) sources.Add(new AnswerSource(sources.Count + 1, p, r.Score, r.Pinpoint, r.Page));
                list.Add(gate.Evaluate(q, sources, response.Results.Count > 0 && response.Results[0].CitationMatch));
            }
            return list;
        }
        var yes = await Measure(answerable);
        var no = await Measure(OffDomain);
        Console.WriteLine($"answerable: {yes.Count}, off-domain: {no.Count}");
        foreach (var (name, pick) in new (string, Func<RelevanceVerdict, double>)[] { ("score", v => v.TopScore), ("weight", v => v.MatchedWeight), ("coverage", v => v.Coverage) })
        {
            Console.WriteLine($"{name,-9} answerable p5={Pct(yes, pick, 5):F2} p10={Pct(yes, pick, 10):F2} p50={Pct(yes, pick, 50):F2} | off-domain p50={Pct(no, pick, 50):F2} p90={Pct(no, pick, 90):F2} max={no.Select(pick).DefaultIfEmpty().Max():F2}");
        }
        Console.WriteLine("weight≥W and coverage≥C: answered share of answerable / refused share of off-domain");
        foreach (var w in new[] { 4.0, 6, 8, 10, 12, 14 })
        foreach (var c in new[] { 0.0, 0.1, 0.2, 0.3, 0.4, 0.5 })
        {
            bool Pass(RelevanceVerdict v) => v.MatchedWeight >= w && v.Coverage >= c;
            Console.WriteLine($"W={w,4} C={c:F1}: answered {yes.Count(Pass) / (double)Math.Max(1, yes.Count):P0}, refused {no.Count(v => !Pass(v)) / (double)no.Count:P0}");
        }
        foreach (var (q, v) in OffDomain.Zip(no)) Console.WriteLine($"  off: w={v.MatchedWeight,5:F1} c={v.Coverage:F2} s={v.TopScore,6:F2}  {q}");
        return 0;
    }

    private static double Pct(List<RelevanceVerdict> list, Func<RelevanceVerdict, double> pick, int p)
    {
        var sorted = list.Select(pick).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
