using System.Globalization;
using LegalRag.Answering;
using LegalRag.Answering.Extractive;
using LegalRag.Answering.Languages;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Languages;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Benchmarks;

/// <summary>
/// Calibrates and measures the extractive answer on a native question set with off-topic questions
/// (tag <c>should_refuse</c>): the relevance gate's measures and a grid of refusal thresholds, then the
/// composed answers' provision precision, how often the first quote carries the kind of information
/// asked for, and how precise the decisive lead ("Maßgeblich ist …") is at each margin. Tune on a
/// <c>split:train</c> file, report on the <c>split:test</c> one.
/// <c>dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- composer --data DIR --corpus de-bundesrecht --set evals/everyday/de.train.jsonl</c>
/// </summary>
public static class ComposerCalibration
{
    private sealed record Row(EvalQuestion Question, List<AnswerSource> Sources, RelevanceVerdict Measures, RelevanceVerdict Verdict, HashSet<string> Gold, ComposedAnswer? Answer);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var data = RefusalCalibration.Arg(args, "--data") ?? "data";
        var corpus = RefusalCalibration.Arg(args, "--corpus");
        var set = RefusalCalibration.Arg(args, "--set") ?? throw new ArgumentException("--set FILE.jsonl is required");
        var k = int.Parse(RefusalCalibration.Arg(args, "--k") ?? "6", CultureInfo.InvariantCulture);
        var questions = await NativeQuestionSet.ReadAsync(set, QuestionSetLimits.Default, cancellationToken);
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.GetFullPath(data) }, cancellationToken);
        var search = new SearchService(store, store, signalsSource: store, references: store);
        var measuring = new RelevanceGate(new RelevanceOptions { MinMatchedWeight = 0, MinScore = double.MinValue });
        var gate = new RelevanceGate();
        // --no-cues: the same composer without the question-kind bonus, to see what the cues change.
        var composer = new ExtractiveComposer(args.Contains("--no-cues") ? new ExtractiveOptions { SpecificCueBonus = 0, GeneralCueBonus = 0 } : null);
        var rows = new List<Row>();
        foreach (var q in questions)
        {
            // Retrieval as the answer service does it: ranked provisions, the best k become the sources.
            var hits = await search.RetrieveAsync(new SearchRequest { Query = q.Question, Corpus = corpus, K = k }, new SearchFilter(corpus), Math.Max(k * 4, 50), cancellationToken);
            var sources = new List<AnswerSource>();
            foreach (var hit in hits)
            {
                if (sources.Count >= k) break;
                if (await store.GetProvisionAsync(hit.ProvisionKey, cancellationToken) is { } p)
                    sources.Add(new AnswerSource(sources.Count + 1, p, hit.Score, p.Provision.Citation, p.Provision.FirstPage));
            }
            var verdict = gate.Evaluate(q.Question, sources, false);
            var answer = verdict.Relevant ? composer.Compose(q.Question, q.Language, sources) : null;
            var gold = q.GoldCitations.Select(CitationKey.Of).OfType<string>().ToHashSet(StringComparer.Ordinal);
            rows.Add(new Row(q, sources, measuring.Evaluate(q.Question, sources, false), verdict, gold, answer));
        }

        var yes = rows.Where(r => !r.Question.ShouldRefuse).ToList();
        var no = rows.Where(r => r.Question.ShouldRefuse).ToList();
        Console.WriteLine($"{Path.GetFileName(set)}: {yes.Count} answerable, {no.Count} off-topic; gold among the {k} sources for {yes.Count(r => r.Sources.Any(s => IsGold(r, s.Citation))) / (double)Math.Max(1, yes.Count):P0}");
        Console.WriteLine($"current gate: refusal accuracy {Accuracy(rows, r => r.Verdict.Relevant):F3}, false refusals {yes.Count(r => !r.Verdict.Relevant) / (double)Math.Max(1, yes.Count):F3}, off-topic refused {no.Count(r => !r.Verdict.Relevant) / (double)Math.Max(1, no.Count):F3}");
        foreach (var (name, pick) in new (string, Func<RelevanceVerdict, double>)[] { ("weight", v => v.MatchedWeight), ("content", v => v.ContentWeight), ("coverage", v => v.Coverage), ("c-cover", v => v.ContentCoverage), ("score", v => v.TopScore) })
            Console.WriteLine($"{name,-9} answerable p10={P(yes, pick, 10):F2} p25={P(yes, pick, 25):F2} p50={P(yes, pick, 50):F2} | off-topic p50={P(no, pick, 50):F2} p75={P(no, pick, 75):F2} p90={P(no, pick, 90):F2} max={no.Select(r => pick(r.Measures)).DefaultIfEmpty().Max():F2}");
        Console.WriteLine("content weight ≥ W and content coverage ≥ C: refusal accuracy / false refusals / off-topic refused");
        foreach (var w in new[] { 4.0, 6, 8, 10, 12 })
        foreach (var c in new[] { 0.0, 0.1, 0.2, 0.3, 0.4 })
        {
            bool Pass(Row r) => r.Measures.ContentWeight >= w && r.Measures.ContentCoverage >= c;
            Console.WriteLine($"  W={w,4} C={c:F1}: {Accuracy(rows, Pass):F3} / {yes.Count(r => !Pass(r)) / (double)Math.Max(1, yes.Count):F3} / {no.Count(r => !Pass(r)) / (double)Math.Max(1, no.Count):F3}");
        }
        foreach (var r in no.Where(r => r.Verdict.Relevant))
            Console.WriteLine($"  answered off-topic: w={r.Measures.MatchedWeight:F1} content={r.Measures.ContentWeight:F1} cc={r.Measures.ContentCoverage:F2}  {r.Question.Question}");

        // The answers to answerable questions the gate let through.
        var answered = yes.Where(r => r.Answer is not null).ToList();
        var cited = answered.Select(r => r.Answer!.Citations.Select(c => c.ProvisionCitation).Distinct().ToList()).ToList();
        var precision = answered.Zip(cited).Where(x => x.Second.Count > 0).Select(x => x.Second.Count(c => IsGold(x.First, c)) / (double)x.Second.Count).DefaultIfEmpty().Average();
        var recall = answered.Zip(cited).Where(x => x.First.Gold.Count > 0).Select(x => x.Second.Where(c => IsGold(x.First, c)).Select(CitationKey.Of).Distinct().Count() / (double)x.First.Gold.Count).DefaultIfEmpty().Average();
        var firstGold = answered.Count(r => r.Answer!.Citations.Count > 0 && IsGold(r, r.Answer.Citations[0].ProvisionCitation)) / (double)Math.Max(1, answered.Count);
        Console.WriteLine($"answers: {answered.Count}; cited-provision precision {precision:F3}, recall {recall:F3}; first quote from a gold provision {firstGold:F3}");
        // The composer judged given what retrieval found: questions whose gold is among the sources.
        var found = answered.Where(r => r.Sources.Any(s => IsGold(r, s.Citation))).ToList();
        var foundPrecision = found.Select(r => r.Answer!.Citations.Select(c => c.ProvisionCitation).Distinct().ToList()).Where(c => c.Count > 0)
            .Zip(found).Select(x => x.First.Count(c => IsGold(x.Second, c)) / (double)x.First.Count).DefaultIfEmpty().Average();
        var firstGoldFound = found.Count(r => r.Answer!.Citations.Count > 0 && IsGold(r, r.Answer.Citations[0].ProvisionCitation)) / (double)Math.Max(1, found.Count);
        var retrievalFirstGold = found.Count(r => IsGold(r, r.Sources[0].Citation)) / (double)Math.Max(1, found.Count);
        var quotesGold = found.Count(r => r.Answer!.Citations.Any(c => IsGold(r, c.ProvisionCitation))) / (double)Math.Max(1, found.Count);
        Console.WriteLine($"given gold among the sources ({found.Count}): cited-provision precision {foundPrecision:F3}; first quote gold {firstGoldFound:F3} (retrieval's first hit gold {retrievalFirstGold:F3}); some citation gold {quotesGold:F3}");
        var asked = answered.Where(r => r.Answer!.Asked.Count > 0 && r.Answer.Citations.Count > 0).ToList();
        var carried = asked.Count(r => r.Answer!.Asked.Any(kind => r.Answer.Citations.Any(c => QuestionCues.For(r.Sources[0].Provision.Language).Says(kind, c.Quote))));
        var byKind = asked.SelectMany(r => r.Answer!.Asked).GroupBy(x => x).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine($"questions with a kind asked: {asked.Count} ({string.Join(", ", byKind)}); a quote carries it in {carried / (double)Math.Max(1, asked.Count):F3}");
        Console.WriteLine("decisive lead at margin M (and retrieval's first hit): share of answers / first quoted provision gold when decisive / when not");
        foreach (var m in new[] { 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 })
        {
            var decisive = answered.Where(r => r.Answer!.Margin >= m && r.Answer.Citations.Count > 0 && r.Answer.Citations[0].ProvisionId == r.Sources[0].ProvisionId).ToList();
            var rest = answered.Except(decisive).ToList();
            double Gold(List<Row> list) => list.Count(r => r.Answer!.Citations.Count > 0 && IsGold(r, r.Answer.Citations[0].ProvisionCitation)) / (double)Math.Max(1, list.Count);
            Console.WriteLine($"  M={m:F1}: {decisive.Count / (double)Math.Max(1, answered.Count):F3} / {Gold(decisive):F3} / {Gold(rest):F3}");
        }
        return 0;
    }

    private static bool IsGold(Row row, string citation) => CitationKey.Of(citation) is { } key && row.Gold.Contains(key);

    private static double Accuracy(List<Row> rows, Func<Row, bool> relevant) =>
        rows.Count(r => relevant(r) != r.Question.ShouldRefuse) / (double)Math.Max(1, rows.Count);

    private static double P(List<Row> rows, Func<RelevanceVerdict, double> pick, int p)
    {
        var sorted = rows.Select(r => pick(r.Measures)).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
