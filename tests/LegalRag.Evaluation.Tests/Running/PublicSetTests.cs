using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.PublicCorpora;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Running;

/// <summary>The importers on the real public sets in ../shared (skipped when it is absent). Expected values are
/// computed here from the raw files independently of the importers, not copied from a run.</summary>
public sealed class PublicSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GerLayQa_dev_set_resolves_against_its_corpus_except_sections_missing_from_it()
    {
        var corpusPath = RepoPaths.RequireShared("evals/gerlayqa/bgb.json");
        var setPath = RepoPaths.RequireShared("evals/gerlayqa/bgb_dev.json");

        var document = await GerLayQaCorpus.ImportAsync(corpusPath, "gerlayqa", Ct);
        var set = await QuestionSetLoader.LoadAsync(setPath, QuestionSetFormat.GerLayQa, Ct);

        using var rawCorpus = JsonDocument.Parse(await File.ReadAllBytesAsync(corpusPath, Ct));
        using var rawSet = JsonDocument.Parse(await File.ReadAllBytesAsync(setPath, Ct));
        var ids = rawCorpus.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(ids.Count, document.Provisions.Count);
        Assert.Empty(document.Warnings);
        Assert.Equal(rawSet.RootElement.GetArrayLength(), set.Questions.Count);
        Assert.All(document.Provisions, p => Assert.False(string.IsNullOrEmpty(p.Heading), $"{p.Citation} has no heading"));

        var expectedMissing = rawSet.RootElement.EnumerateArray()
            .SelectMany(r => r.GetProperty("Paragraphs").EnumerateArray().Select(p => p.GetString()!))
            .Where(p => !ids.Contains(p)).Select(p => "BGB " + p).ToHashSet();
        var catalog = new ProvisionCatalog([document]);
        var unresolved = new HashSet<string>();
        foreach (var citation in set.Questions.SelectMany(q => q.GoldCitations).Distinct())
            if (await catalog.ResolveAsync(citation, "gerlayqa", Ct) is null) unresolved.Add(citation);
        Assert.Equal(expectedMissing.Order(), unresolved.Order());
    }

    [Fact]
    public async Task Coliee_questions_resolve_against_its_articles()
    {
        var folder = RepoPaths.RequireShared("evals/coliee");
        var corpusPath = Path.Combine(folder, "articlesFull.json");

        var document = await ColieeCorpus.ImportAsync(corpusPath, "coliee", Ct);
        var set = await QuestionSetLoader.LoadAsync(folder, QuestionSetFormat.Coliee, Ct);

        using var raw = JsonDocument.Parse(await File.ReadAllBytesAsync(corpusPath, Ct));
        var numbers = raw.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(numbers.Count, document.Provisions.Count);
        var pairs = Directory.GetFiles(folder, "*.xml").Sum(f => Regex.Matches(File.ReadAllText(f), "<pair ").Count);
        Assert.Equal(pairs, set.Questions.Count);
        Assert.DoesNotContain(document.Provisions, p => p.Text.Contains("Subsection ", StringComparison.Ordinal) && p.Text.StartsWith("Subsection", StringComparison.Ordinal));

        var catalog = new ProvisionCatalog([document]);
        foreach (var citation in set.Questions.SelectMany(q => q.GoldCitations).Distinct())
        {
            var number = citation["Civil Code Article ".Length..];
            var key = await catalog.ResolveAsync(citation, "coliee", Ct);
            Assert.Equal(numbers.Contains(number), key is not null);
        }
    }

    /// <summary>
    /// Measurement, run on demand: plain BM25 (k1 1.2, b 0.75, lower-cased words, no stemming) through the whole
    /// harness on both public sets, printing figures to compare with the reference in ../shared/README.md and
    /// writing reports under evals/reports/. <c>dotnet test --filter PublicSetTests -- xunit.explicit=on</c>… or
    /// <c>dotnet test -- RunConfiguration.ExplicitMode=on</c>.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task Measure_plain_bm25_on_the_public_sets()
    {
        var gerlayqaCorpus = RepoPaths.RequireShared("evals/gerlayqa/bgb.json");
        var coliee = RepoPaths.RequireShared("evals/coliee");
        await MeasureAsync("gerlayqa", await GerLayQaCorpus.ImportAsync(gerlayqaCorpus, "gerlayqa", Ct), RepoPaths.RequireShared("evals/gerlayqa/bgb_dev.json"));
        await MeasureAsync("coliee", await ColieeCorpus.ImportAsync(Path.Combine(coliee, "articlesFull.json"), "coliee", Ct), coliee);
    }

    private static async Task MeasureAsync(string name, LegalDocument document, string setPath)
    {
        var output = TestContext.Current.TestOutputHelper!;
        var clock = Stopwatch.StartNew();
        var retriever = new InMemoryBm25Retriever([document]);
        var indexMs = clock.ElapsedMilliseconds;
        var options = new EvalRunOptions
        {
            SetPath = setPath,
            Corpus = name,
            K = 100,
            Parallelism = 2,
            OutputDirectory = Path.Combine(RepoPaths.Root, "evals", "reports", $"test-bm25-{name}"),
            Configuration = new Dictionary<string, string> { ["retriever"] = "in-memory BM25 k1=1.2 b=0.75, lowercase words, no stemming" },
        };
        clock.Restart();
        var result = await EvalRunner.RunAsync(options, new EvalServices(retriever) { GoldResolver = new ProvisionCatalog([document]) }, null, Ct);
        var report = result.Report;
        output.WriteLine($"{name}: {report.Counts.Questions} questions, {report.Counts.Evaluated} evaluated, {report.Counts.UnresolvableGoldCitations} unresolvable gold; index {indexMs} ms, run {clock.ElapsedMilliseconds} ms");
        foreach (var (metric, value) in report.Metrics) output.WriteLine($"  {metric} = {value:0.####}");
        Assert.True(report.Metrics["recall@100"] >= report.Metrics["recall@10"]);
        Assert.True(report.Metrics["recall@10"] > 0);
        Assert.True(File.Exists(result.ReportHtmlPath));
        Assert.Equal(EvalReport.CurrentSchema, (await ReportJson.ReadAsync(result.ReportJsonPath!, Ct)).Schema);
    }
}
