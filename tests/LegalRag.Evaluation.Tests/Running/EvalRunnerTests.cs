using System.Text.Json;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Retrieval;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;
using static LegalRag.Evaluation.Tests.Support.ScriptedRetriever;

namespace LegalRag.Evaluation.Tests.Running;

public sealed class EvalRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal const string SetText = """
        {"id": "q1", "question": "Eigenbedarf?", "language": "de", "gold": ["BGB § 573 Abs. 2"], "tags": ["topic:miete"]}
        {"id": "q2", "question": "Kaution und Minderung?", "language": "de", "gold": ["BGB § 551", "BGB § 536"], "tags": ["topic:miete", "difficulty:hard"]}
        {"id": "q3", "question": "Eigentum?", "language": "de", "gold": ["BGB § 9999", "BGB § 903"]}
        {"id": "q4", "question": "Kfz-Steuer?", "language": "de", "tags": ["should_refuse"]}
        {"id": "q5", "question": "Schaden?", "language": "de", "gold": ["BGB § 823"]}
        """;

    private static RetrievedProvision S(string number) => Hit($"fixtures-de/bgb/s{number}", $"BGB § {number}");

    /// <summary>Rankings with ranks known in advance: q1 finds its gold at 2; q2 at 1 and 3 (one provision repeated
    /// through a second chunk); q3 finds nothing; q4 has no gold; q5's retrieval fails.</summary>
    internal static ScriptedRetriever Scripted(int q1Rank = 2)
    {
        var q1 = Enumerable.Range(0, Math.Max(q1Rank, 3)).Select(i => S($"{700 + i}")).ToList();
        q1[q1Rank - 1] = S("573");
        var retriever = new ScriptedRetriever(new Dictionary<string, IReadOnlyList<RetrievedProvision>>
        {
            ["Eigenbedarf?"] = q1,
            ["Kaution und Minderung?"] = [S("536"), S("543"), S("543"), S("551")],
            ["Eigentum?"] = [],
            ["Kfz-Steuer?"] = [S("535")],
        });
        retriever.FailOn.Add("Schaden?");
        return retriever;
    }

    internal static async Task<EvalRunResult> RunAsync(TempFolder temp, ScriptedRetriever retriever, string? output = "out", string? baseline = null, IProgress<EvalProgress>? progress = null, bool resolver = true)
    {
        var set = temp.File("set.jsonl", SetText);
        var options = new EvalRunOptions
        {
            SetPath = set,
            OutputDirectory = output is null ? null : Path.Combine(temp.Path, output),
            BaselinePath = baseline,
            Parallelism = 2,
            BootstrapResamples = 200,
            CorpusSnapshot = "fixture-snapshot",
            Configuration = new Dictionary<string, string> { ["analyzer"] = "plain" },
        };
        var services = new EvalServices(retriever) { GoldResolver = resolver ? new ProvisionCatalog(FixtureCorpus.Load()) : null };
        return await EvalRunner.RunAsync(options, services, progress, Ct);
    }

    [Fact]
    public async Task Aggregate_metrics_match_hand_computation()
    {
        using var temp = new TempFolder();
        var report = (await RunAsync(temp, Scripted())).Report;

        // Evaluated: q1, q2, q3 (§ 903 resolves, § 9999 does not) and q5 (failed: a miss). q4 has no gold.
        // recall@1: q2 0.5 → 0.5/4; recall@5: q1 1, q2 1 → 2/4; MRR: (1/2 + 1)/4; MAP: (1/2 + (1 + 2/3)/2)/4;
        // nDCG@10: (1/log2 3 + (1 + 1/log2 4)/(1 + 1/log2 3))/4.
        Assert.Equal(0.125, report.Metrics["recall@1"], 6);
        Assert.Equal(0.5, report.Metrics["recall@5"], 6);
        Assert.Equal(0.5, report.Metrics["recall@100"], 6);
        Assert.Equal(0.375, report.Metrics["mrr@10"], 6);
        Assert.Equal((0.5 + (1 + 2.0 / 3) / 2) / 4, report.Metrics["map"], 6);
        Assert.Equal(0.38766263567991127, report.Metrics["ndcg@10"], 6);

        Assert.Equal(5, report.Counts.Questions);
        Assert.Equal(4, report.Counts.Evaluated);
        Assert.Equal(1, report.Counts.WithoutGold);
        Assert.Equal(1, report.Counts.UnresolvableGoldCitations);
        Assert.Equal(0, report.Counts.AllGoldUnresolvable);
        Assert.Equal(1, report.Counts.RetrievalErrors);
    }

    [Fact]
    public async Task Per_question_results_show_gold_ranks_unresolvable_gold_and_errors()
    {
        using var temp = new TempFolder();
        var report = (await RunAsync(temp, Scripted())).Report;
        var byId = report.Questions.ToDictionary(q => q.Id);

        Assert.Equal(["q1", "q2", "q3", "q4", "q5"], report.Questions.Select(q => q.Id)); // set order, not completion order
        var q1Gold = Assert.Single(byId["q1"].Gold);
        Assert.Equal(("BGB § 573 Abs. 2", "fixtures-de/bgb/s573", GoldStatus.Resolved, (int?)2), (q1Gold.Citation, q1Gold.Key, q1Gold.Status, q1Gold.Rank));
        Assert.Equal([1, 3], byId["q2"].Gold.Select(g => g.Rank ?? -1).Order());
        Assert.Equal(["BGB § 536", "BGB § 543", "BGB § 551"], byId["q2"].Retrieved.Select(r => r.Citation)); // the repeated § 543 ranks once
        Assert.Equal([true, false, true], byId["q2"].Retrieved.Select(r => r.Relevant));

        var unresolvable = Assert.Single(report.Unresolvable);
        Assert.Equal(("q3", "BGB § 9999"), (unresolvable.QuestionId, unresolvable.Citation));
        Assert.Equal(GoldStatus.Unresolvable, byId["q3"].Gold[0].Status);
        Assert.True(byId["q3"].Evaluated);
        Assert.False(byId["q4"].Evaluated);
        Assert.Empty(byId["q4"].Metrics);
        Assert.Contains("search backend unavailable", byId["q5"].Error);
        Assert.Equal(0, byId["q5"].Metrics["recall@100"]);
        Assert.Contains(report.Warnings, w => w.Contains("1 gold citation(s) match no provision"));
    }

    [Fact]
    public async Task Without_a_resolver_gold_matches_by_normalised_citation()
    {
        using var temp = new TempFolder();
        var report = (await RunAsync(temp, Scripted(), resolver: false)).Report;
        var q1 = report.Questions.Single(q => q.Id == "q1");
        Assert.Equal(GoldStatus.ByCitation, q1.Gold[0].Status);
        Assert.Equal(2, q1.Gold[0].Rank); // "BGB § 573 Abs. 2" matched the retrieved "BGB § 573"
        // Without a resolver, § 9999 cannot be told from a miss: it counts against recall.
        Assert.Empty(report.Unresolvable);
        Assert.Equal(0.0, report.Questions.Single(q => q.Id == "q3").Metrics["recall@100"]);
    }

    [Fact]
    public async Task Breakdowns_cover_tags_and_languages()
    {
        using var temp = new TempFolder();
        var report = (await RunAsync(temp, Scripted())).Report;

        Assert.Equal(["difficulty:hard", "should_refuse", "topic:miete"], report.Breakdowns.ByTag.Keys);
        var miete = report.Breakdowns.ByTag["topic:miete"];
        Assert.Equal(2, miete.Evaluated);
        Assert.Equal(0.25, miete.Metrics["recall@1"], 6); // (0 + 0.5) / 2
        Assert.Equal(0, report.Breakdowns.ByTag["should_refuse"].Evaluated);
        Assert.Equal(["de"], report.Breakdowns.ByLanguage.Keys);
        Assert.Equal(5, report.Breakdowns.ByLanguage["de"].Questions);
    }

    [Fact]
    public async Task Report_json_has_the_stable_schema()
    {
        using var temp = new TempFolder();
        var result = await RunAsync(temp, Scripted());

        Assert.True(File.Exists(result.ReportJsonPath));
        Assert.True(File.Exists(result.ReportHtmlPath));
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(result.ReportJsonPath!, Ct));
        var root = json.RootElement;
        Assert.Equal(
            ["schema", "run", "metrics", "confidence_intervals", "counts", "breakdowns", "unresolvable", "warnings", "questions"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(EvalReport.CurrentSchema, root.GetProperty("schema").GetString());
        var metrics = root.GetProperty("metrics");
        foreach (var key in new[] { "recall@1", "recall@5", "recall@10", "recall@20", "recall@100", "mrr@10", "ndcg@10", "map", "latency_p50_ms", "latency_p95_ms" })
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
        var run = root.GetProperty("run");
        Assert.Equal("fixture-snapshot", run.GetProperty("corpus_snapshot").GetString());
        Assert.Equal("plain", run.GetProperty("configuration").GetProperty("analyzer").GetString());
        Assert.Equal(64, run.GetProperty("question_set").GetProperty("sha256").GetString()!.Length);
        Assert.Equal(20240611UL, run.GetProperty("bootstrap").GetProperty("seed").GetUInt64());
        Assert.True(run.GetProperty("code").TryGetProperty("git_commit", out _));
        var ci = root.GetProperty("confidence_intervals").GetProperty("recall@10");
        Assert.True(ci.GetProperty("low").GetDouble() <= ci.GetProperty("high").GetDouble());
        var q1 = root.GetProperty("questions")[0];
        Assert.Equal("resolved", q1.GetProperty("gold")[0].GetProperty("status").GetString());
        Assert.Equal(2, q1.GetProperty("gold")[0].GetProperty("rank").GetInt32());

        // It reads back into the same report.
        var back = await ReportJson.ReadAsync(result.ReportJsonPath!, Ct);
        Assert.Equal(result.Report.Metrics, back.Metrics);
        Assert.Equal(result.Report.Questions.Count, back.Questions.Count);
    }

    [Fact]
    public async Task Runs_are_deterministic_apart_from_timing()
    {
        using var temp = new TempFolder();
        var first = (await RunAsync(temp, Scripted(), output: "a")).Report;
        var second = (await RunAsync(temp, Scripted(), output: "b")).Report;

        foreach (var (name, value) in first.Metrics.Where(m => !m.Key.Contains("latency")))
        {
            Assert.Equal(value, second.Metrics[name]);
            Assert.Equal(first.ConfidenceIntervals[name], second.ConfidenceIntervals[name]);
        }
        Assert.Equal(first.Questions.Select(q => string.Join(",", q.Gold.Select(g => g.Rank))), second.Questions.Select(q => string.Join(",", q.Gold.Select(g => g.Rank))));
    }

    [Fact]
    public async Task Progress_is_reported_up_to_the_total()
    {
        using var temp = new TempFolder();
        var seen = new List<EvalProgress>();
        var progress = new SynchronousProgress(p => { lock (seen) seen.Add(p); });
        await RunAsync(temp, Scripted(), output: null, progress: progress);
        Assert.Equal(new EvalProgress(0, 5), seen[0]);
        Assert.Equal(5, seen.Max(p => p.Completed));
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public async Task Bad_options_and_baselines_fail_before_any_question_is_asked()
    {
        using var temp = new TempFolder();
        var retriever = Scripted();
        var set = temp.File("set.jsonl", SetText);
        var services = new EvalServices(retriever);

        var error = await Assert.ThrowsAsync<EvalInputException>(() => EvalRunner.RunAsync(new EvalRunOptions { SetPath = set, K = 0 }, services, null, Ct));
        Assert.Contains("--k", error.Message);
        var badBaseline = temp.File("baseline.json", "{\"schema\": 5}");
        error = await Assert.ThrowsAsync<EvalInputException>(() => EvalRunner.RunAsync(new EvalRunOptions { SetPath = set, BaselinePath = badBaseline }, services, null, Ct));
        Assert.Contains("baseline.json: not an evaluation report", error.Message);
        Assert.Equal(0, retriever.Calls);
    }

    [Fact]
    public async Task When_every_retrieval_fails_the_run_fails_with_the_first_error()
    {
        using var temp = new TempFolder();
        var retriever = new ScriptedRetriever(new Dictionary<string, IReadOnlyList<RetrievedProvision>>());
        foreach (var q in new[] { "Eigenbedarf?", "Kaution und Minderung?", "Eigentum?", "Kfz-Steuer?", "Schaden?" }) retriever.FailOn.Add(q);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(temp, retriever));
        Assert.Contains("search backend unavailable", error.Message);
    }

    [Fact]
    public async Task Limit_and_k_restrict_the_run()
    {
        using var temp = new TempFolder();
        var retriever = Scripted(q1Rank: 3);
        var options = new EvalRunOptions { SetPath = temp.File("set.jsonl", SetText), K = 2, Limit = 2, BootstrapResamples = 0 };
        var report = (await EvalRunner.RunAsync(options, new EvalServices(retriever) { GoldResolver = new ProvisionCatalog(FixtureCorpus.Load()) }, null, Ct)).Report;

        Assert.Equal(2, report.Questions.Count);
        Assert.Null(report.Questions[0].Gold[0].Rank); // rank 3 is beyond k = 2
        Assert.Equal(1, report.Questions[1].Gold.Count(g => g.Rank is not null));
        Assert.Empty(report.ConfidenceIntervals);
        Assert.Contains(report.Warnings, w => w.Contains("Only 2 results"));
    }

    /// <summary>Progress&lt;T&gt; posts to a synchronization context; tests need the calls to have happened on return.</summary>
    private sealed class SynchronousProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}
