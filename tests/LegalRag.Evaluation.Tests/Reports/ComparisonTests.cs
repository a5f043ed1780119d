using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Tests.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Reports;

public sealed class ComparisonTests
{
    [Fact]
    public async Task No_change_passes_the_gate()
    {
        using var temp = new TempFolder();
        var a = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(), output: "a")).Report;
        var b = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(), output: "b")).Report;

        var comparison = ReportComparer.Compare(a, b, tolerance: 0.01);

        Assert.True(comparison.Passed);
        Assert.Empty(comparison.Worse);
        Assert.Empty(comparison.Better);
        Assert.Contains("PASS", ReportComparer.FormatText(comparison));
    }

    [Fact]
    public async Task A_synthetic_regression_fails_the_gate_and_lists_the_question()
    {
        using var temp = new TempFolder();
        var baseline = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(q1Rank: 2), output: "a")).Report;
        // q1's gold falls from rank 2 to rank 50: recall@5, @10, @20 drop by 1/4, MRR by 0.5/4.
        var candidate = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(q1Rank: 50), output: "b")).Report;

        var comparison = ReportComparer.Compare(baseline, candidate, tolerance: 0.01);

        Assert.False(comparison.Passed);
        var recall10 = comparison.Metrics.Single(m => m.Name == "recall@10");
        Assert.True(recall10.Regressed);
        Assert.Equal(-0.25, recall10.Delta, 6);
        Assert.False(comparison.Metrics.Single(m => m.Name == "recall@100").Regressed); // still found within 100
        Assert.DoesNotContain(comparison.Regressions, m => m.Name.Contains("latency"));

        var worse = Assert.Single(comparison.Worse);
        Assert.Equal("q1", worse.Id);
        var gold = Assert.Single(worse.Gold);
        Assert.Equal(("BGB § 573 Abs. 2", (int?)2, (int?)50), (gold.Citation, gold.BaselineRank, gold.CandidateRank));
        Assert.Equal("BGB § 700", worse.CandidateRetrieved[0].Citation); // what came instead
        var text = ReportComparer.FormatText(comparison);
        Assert.Contains("FAIL", text);
        Assert.Contains("recall@10", text);
        Assert.Contains("q1", text);

        // The same drop within a generous tolerance passes, and the reverse direction is an improvement.
        Assert.True(ReportComparer.Compare(baseline, candidate, tolerance: 0.3).Passed);
        var reverse = ReportComparer.Compare(candidate, baseline, tolerance: 0.01);
        Assert.True(reverse.Passed);
        Assert.Equal("q1", Assert.Single(reverse.Better).Id);
    }

    [Fact]
    public void A_drop_of_exactly_the_tolerance_passes_and_lower_is_better_metrics_gate_on_rises()
    {
        var baseline = Synthetic(new() { ["recall@10"] = 0.50, ["false_refusal_rate"] = 0.10, ["latency_p95_ms"] = 10 });
        var same = Synthetic(new() { ["recall@10"] = 0.49, ["false_refusal_rate"] = 0.10, ["latency_p95_ms"] = 500 });
        Assert.True(ReportComparer.Compare(baseline, same, 0.01).Passed); // latency is reported, not gated

        var moreRefusals = Synthetic(new() { ["recall@10"] = 0.50, ["false_refusal_rate"] = 0.20, ["latency_p95_ms"] = 10 });
        var comparison = ReportComparer.Compare(baseline, moreRefusals, 0.01);
        Assert.False(comparison.Passed);
        Assert.Equal("false_refusal_rate", Assert.Single(comparison.Regressions).Name);
    }

    [Fact]
    public void Different_question_sets_are_flagged()
    {
        var a = Synthetic(new() { ["recall@10"] = 0.5 });
        var b = Synthetic(new() { ["recall@10"] = 0.5 }) with { Run = a.Run with { QuestionSet = a.Run.QuestionSet with { Sha256 = "other" } } };
        Assert.Contains(ReportComparer.Compare(a, b, 0.01).Warnings, w => w.Contains("question sets differ"));
    }

    internal static EvalReport Synthetic(Dictionary<string, double> metrics) => new()
    {
        Schema = EvalReport.CurrentSchema,
        Run = new RunInfo
        {
            StartedUtc = DateTimeOffset.UnixEpoch,
            DurationMs = 1,
            Mode = "lexical",
            K = 100,
            Parallelism = 1,
            QuestionSet = new QuestionSetInfo("set", "native", ["set.jsonl"], "abc", 0),
            Models = [],
            Configuration = new Dictionary<string, string>(),
            Code = new CodeVersionInfo("1.0", null, null),
            Bootstrap = new BootstrapInfo(0, 1, 0.95),
            Machine = new MachineInfo("test", 2, "test"),
            AnswersEvaluated = false,
        },
        Metrics = metrics,
        ConfidenceIntervals = new Dictionary<string, LegalRag.Evaluation.Metrics.ConfidenceInterval>(),
        Counts = new ReportCounts { Questions = 0, Evaluated = 0, WithoutGold = 0, AllGoldUnresolvable = 0, UnresolvableGoldCitations = 0, RetrievalErrors = 0, AnswerErrors = 0 },
        Breakdowns = new ReportBreakdowns(new Dictionary<string, GroupSummary>(), new Dictionary<string, GroupSummary>()),
        Unresolvable = [],
        Warnings = [],
        Questions = [],
    };
}
