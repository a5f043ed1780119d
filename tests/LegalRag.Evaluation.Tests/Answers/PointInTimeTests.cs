using System.Collections.Concurrent;
using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;
using Xunit;

namespace LegalRag.Evaluation.Tests.Answers;

/// <summary>Dated question sets: the optional asOf field, its way to retrieval and answers, and point-in-time accuracy.</summary>
public sealed class PointInTimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string DatedSet = """
        {"id": "t1", "question": "Kündigung wegen Eigenbedarf en 2008 ?", "language": "de", "gold": ["BGB § 573"], "asOf": "2008-01-01"}
        {"id": "t2", "question": "Kündigung wegen Eigenbedarf en 2000 ?", "language": "de", "gold": ["BGB § 573"], "asOf": "2000-01-01"}
        {"id": "t3", "question": "Eigenbedarf, aber § 535 zitiert", "language": "de", "gold": ["BGB § 573"], "asOf": "2008-01-01"}
        {"id": "t4", "question": "Eigenbedarf ohne Fassungsdaten", "language": "de", "gold": ["BGB § 573"], "asOf": "2008-01-01"}
        {"id": "t5", "question": "Eigenbedarf heute", "language": "de", "gold": ["BGB § 573"]}
        """;

    /// <summary>Fixed answers per question, recording the day each was asked as of.</summary>
    private sealed class DatedAnswers(Dictionary<string, AnswerResult> answers) : IAnswerClient
    {
        public ConcurrentDictionary<string, DateOnly?> AskedAsOf { get; } = new();

        public Task<AnswerResult> AskAsync(string question, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
        {
            AskedAsOf[question] = asOf;
            return Task.FromResult(answers[question]);
        }
    }

    private static AnswerResult Citing(string citation, string key, DateOnly? from, DateOnly? to) =>
        new("Antwort.", [new AnswerCitation(citation, key, null, from, to)], false);

    [Fact]
    public async Task Accuracy_counts_answers_citing_the_gold_in_the_version_in_force_on_the_day_asked()
    {
        using var temp = new TempFolder();
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var since2001 = new DateOnly(2001, 9, 1);
        var client = new DatedAnswers(new Dictionary<string, AnswerResult>
        {
            // In force on 2008-01-01: right.
            ["Kündigung wegen Eigenbedarf en 2008 ?"] = Citing("BGB § 573", "fixtures-de/bgb/s573", since2001, null),
            // The same version asked about 2000: not yet in force, so the wrong version.
            ["Kündigung wegen Eigenbedarf en 2000 ?"] = Citing("BGB § 573", "fixtures-de/bgb/s573", since2001, null),
            // No gold cited at all: wrong.
            ["Eigenbedarf, aber § 535 zitiert"] = Citing("BGB § 535", "fixtures-de/bgb/s535", since2001, null),
            // Gold cited without any dates: its version cannot be told, not judged.
            ["Eigenbedarf ohne Fassungsdaten"] = Citing("BGB § 573", "fixtures-de/bgb/s573", null, null),
            // No day of its own: asked, and judged, as of the run's --as-of.
            ["Eigenbedarf heute"] = Citing("BGB § 573", "fixtures-de/bgb/s573", since2001, null),
        });
        var options = new EvalRunOptions { SetPath = temp.File("dated.jsonl", DatedSet), BootstrapResamples = 50, AsOf = new DateOnly(2026, 1, 1) };
        var services = new EvalServices(new ScriptedRetriever(new Dictionary<string, IReadOnlyList<Retrieval.RetrievedProvision>>())) { GoldResolver = catalog, AnswerClient = client };

        var report = (await EvalRunner.RunAsync(options, services, null, Ct)).Report;
        var byId = report.Questions.ToDictionary(q => q.Id);

        Assert.Equal([true, false, false], new[] { "t1", "t2", "t3" }.Select(id => byId[id].Answer!.PointInTime));
        Assert.Null(byId["t4"].Answer!.PointInTime);
        Assert.True(byId["t5"].Answer!.PointInTime);
        Assert.Equal(2.0 / 4, report.Metrics["point_in_time_accuracy"], 6);
        // Each question is asked as of its own day; one without a day as of the run's --as-of.
        Assert.Equal(new DateOnly(2000, 1, 1), client.AskedAsOf["Kündigung wegen Eigenbedarf en 2000 ?"]);
        Assert.Equal(new DateOnly(2026, 1, 1), client.AskedAsOf["Eigenbedarf heute"]);
        Assert.Equal(new DateOnly(2000, 1, 1), byId["t2"].AsOf);
        Assert.Equal(since2001, byId["t1"].Answer!.Citations[0].ValidFrom);
    }

    [Fact]
    public async Task A_store_without_validity_dates_reports_no_point_in_time_accuracy()
    {
        using var temp = new TempFolder();
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var undated = Citing("BGB § 535", "fixtures-de/bgb/s535", null, null);
        var client = new DatedAnswers(DatedSet.Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()!)
            .ToDictionary(q => q, _ => undated));
        var options = new EvalRunOptions { SetPath = temp.File("dated.jsonl", DatedSet), BootstrapResamples = 50 };
        var services = new EvalServices(new ScriptedRetriever(new Dictionary<string, IReadOnlyList<Retrieval.RetrievedProvision>>())) { GoldResolver = catalog, AnswerClient = client };

        var report = (await EvalRunner.RunAsync(options, services, null, Ct)).Report;
        // Each answer misses the gold, but no version could have been told: no metric rather than a made-up 0.
        Assert.False(report.Questions[0].Answer!.PointInTime);
        Assert.False(report.Metrics.ContainsKey("point_in_time_accuracy"));
    }

    [Fact]
    public void The_version_in_force_starts_on_its_first_day_and_ends_before_its_last()
    {
        static List<LegalRag.Evaluation.Reports.AnswerCitationOutcome> One(DateOnly? from, DateOnly? to) => [new("BGB § 573", "k", null, "k", true, null, from, to)];
        var from = new DateOnly(2011, 5, 19);
        var to = new DateOnly(2015, 1, 1);
        Assert.True(AnswerScorer.PointInTime(One(from, to), from));
        Assert.False(AnswerScorer.PointInTime(One(from, to), from.AddDays(-1)));
        Assert.True(AnswerScorer.PointInTime(One(from, to), to.AddDays(-1)));
        Assert.False(AnswerScorer.PointInTime(One(from, to), to));
        Assert.True(AnswerScorer.PointInTime(One(null, to), new DateOnly(1804, 1, 1)));
        Assert.Null(AnswerScorer.PointInTime(One(null, null), from));
    }

    [Fact]
    public async Task The_loader_reads_as_of_writes_it_back_and_names_the_line_of_a_bad_day()
    {
        var questions = await NativeQuestionSet.ReadAsync(new StringReader(DatedSet), "dated.jsonl", QuestionSetLimits.Default, Ct);
        Assert.Equal(new DateOnly(2008, 1, 1), questions[0].AsOf);
        Assert.Null(questions[4].AsOf);

        var written = new StringWriter();
        NativeQuestionSet.Write(written, questions);
        Assert.Contains("\"asOf\":\"2008-01-01\"", written.ToString().Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("asOf", written.ToString().Split('\n')[4], StringComparison.Ordinal);
        var again = await NativeQuestionSet.ReadAsync(new StringReader(written.ToString()), "written.jsonl", QuestionSetLimits.Default, Ct);
        Assert.Equal(questions.Select(q => q.AsOf), again.Select(q => q.AsOf));

        var bad = await Assert.ThrowsAsync<EvalInputException>(() => NativeQuestionSet.ReadAsync(new StringReader(
            """
            {"id": "ok", "question": "q", "language": "fr", "gold": ["Code civil, art. 910"], "asOf": "2008-01-01"}
            {"id": "b1", "question": "q", "language": "fr", "gold": ["Code civil, art. 910"], "asOf": "01/01/2008"}
            {"id": "b2", "question": "q", "language": "fr", "gold": ["Code civil, art. 910"], "asOf": 2008}
            """), "dated.jsonl", QuestionSetLimits.Default, Ct));
        Assert.Contains("dated.jsonl", bad.Message, StringComparison.Ordinal);
        Assert.Contains("line 2: field \"asOf\" must be a date written YYYY-MM-DD (e.g. \"2010-01-01\"), not \"01/01/2008\"", bad.Message, StringComparison.Ordinal);
        Assert.Contains("line 3: field \"asOf\" must be a date written YYYY-MM-DD (e.g. \"2010-01-01\"), not 2008", bad.Message, StringComparison.Ordinal);
    }
}
