using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Running;

/// <summary>The committed regression set against the committed fixture corpus.</summary>
public sealed class RegressionSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_gold_citation_of_the_regression_set_resolves_in_the_fixture_corpus()
    {
        var set = await QuestionSetLoader.LoadAsync(RepoPaths.RegressionSet, QuestionSetFormat.Auto, Ct);
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());

        Assert.Equal(["de", "fr"], set.Questions.Select(q => q.Language).Distinct().Order());
        Assert.Contains(set.Questions, q => q.ShouldRefuse);
        foreach (var citation in set.Questions.SelectMany(q => q.GoldCitations))
            Assert.True(await catalog.ResolveAsync(citation, null, Ct) is not null, $"{citation} does not resolve in the fixture corpus");
    }

    [Fact]
    public async Task The_regression_set_runs_end_to_end_with_a_lexical_retriever()
    {
        using var temp = new TempFolder();
        var documents = FixtureCorpus.Load();
        var catalog = new ProvisionCatalog(documents);
        var options = new EvalRunOptions { SetPath = RepoPaths.RegressionSet, OutputDirectory = temp.Path, Corpus = null };

        var result = await EvalRunner.RunAsync(options, new EvalServices(new InMemoryBm25Retriever(documents)) { GoldResolver = catalog }, null, Ct);
        var report = result.Report;

        Assert.Equal(0, report.Counts.UnresolvableGoldCitations);
        Assert.Equal(report.Counts.Questions - 2, report.Counts.Evaluated); // two should_refuse questions
        Assert.Equal(["de", "fr"], report.Breakdowns.ByLanguage.Keys);
        var recalls = new[] { "recall@1", "recall@5", "recall@10", "recall@20", "recall@100" }.Select(k => report.Metrics[k]).ToArray();
        Assert.Equal(recalls.Order(), recalls); // recall never falls as k grows
        Assert.All(report.Metrics.Where(m => !m.Key.Contains("latency")), m => Assert.InRange(m.Value, 0, 1));
        Assert.True(File.Exists(result.ReportHtmlPath));
    }
}
