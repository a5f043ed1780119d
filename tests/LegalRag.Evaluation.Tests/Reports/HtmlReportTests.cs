using System.Text.RegularExpressions;
using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Tests.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Reports;

public sealed partial class HtmlReportTests
{
    // An attribute inside a tag that points off the page; escaped text holds no '<', so it cannot match.
    [GeneratedRegex(@"<[^>]*\b(?:src|href|xlink:href|action)\s*=\s*[""']?\s*(?:https?:)?//[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteReference();

    private static async Task<(EvalReport Baseline, EvalReport Candidate)> ReportsWithHostileTextAsync(TempFolder temp)
    {
        var baseline = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(q1Rank: 2), output: "a")).Report;
        var candidate = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(q1Rank: 50), output: "b")).Report;
        // User-written text ends up in the page: a question holding markup and a link.
        var hostile = candidate.Questions[0] with { Question = "<script>alert('x')</script> & <img src=https://evil.example/x.png> \"quoted\"" };
        candidate = candidate with { Questions = [hostile, .. candidate.Questions.Skip(1)] };
        return (baseline, candidate);
    }

    [Fact]
    public async Task Html_is_self_contained()
    {
        using var temp = new TempFolder();
        var (baseline, candidate) = await ReportsWithHostileTextAsync(temp);
        var html = HtmlReport.Render(candidate, ReportComparer.Compare(baseline, candidate, 0.01), baseline);

        Assert.Matches(RemoteReference(), "<img alt=x src=\"https://cdn.example/a.png\">"); // the check itself can fail
        Assert.DoesNotMatch(RemoteReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(3, Regex.Matches(html, "<svg ").Count); // recall curve, latency histogram, per-tag bars
    }

    [Fact]
    public async Task The_corpus_sources_are_recorded_beside_the_snapshot_in_json_and_html()
    {
        using var temp = new TempFolder();
        var report = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(q1Rank: 2), output: "a")).Report;
        var retrieved = new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero);
        var sources = Core.Domain.CorpusProvenance.Summarize("de-gii",
        [
            new Core.Domain.Provenance("https://www.gesetze-im-internet.de/bgb/xml.zip", "Bundesministerium der Justiz", retrieved, "a"),
            new Core.Domain.Provenance("https://www.gesetze-im-internet.de/gg/xml.zip", "Bundesministerium der Justiz", retrieved.AddMinutes(5), "b"),
            null,
        ]);
        report = report with { Run = report.Run with { CorpusSources = [sources] } };

        var html = HtmlReport.Render(report, null, null);
        Assert.Contains("Corpus source: de-gii", html);
        Assert.Contains("2 of 3 documents with provenance; Bundesministerium der Justiz; from https://www.gesetze-im-internet.de, retrieved 2026-11-30 08:15 to 2026-11-30 08:20 UTC", html);
        var read = ReportJson.Parse(System.Text.Encoding.UTF8.GetBytes(ReportJson.Serialize(report)), "report.json");
        var source = Assert.Single(read.Run.CorpusSources);
        Assert.Equal((sources.Corpus, sources.Documents, sources.WithProvenance, sources.FirstRetrievedUtc, sources.LastRetrievedUtc),
            (source.Corpus, source.Documents, source.WithProvenance, source.FirstRetrievedUtc, source.LastRetrievedUtc));
        Assert.Equal(sources.Origins, source.Origins);
    }

    [Fact]
    public async Task Html_escapes_text_and_shows_the_comparison()
    {
        using var temp = new TempFolder();
        var (baseline, candidate) = await ReportsWithHostileTextAsync(temp);
        var html = HtmlReport.Render(candidate, ReportComparer.Compare(baseline, candidate, 0.01), baseline);

        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=https://evil.example/x.png&gt; &quot;quoted&quot;", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("FAIL against the baseline", html);
        Assert.Contains("Questions that got worse", html);
        Assert.Contains("BGB § 573 Abs. 2 (2 → 50)", html);
        Assert.Contains("BGB § 700", html); // retrieved instead
        Assert.Contains("Unresolvable gold citations (1)", html);
        Assert.Contains("BGB § 9999", html);
        Assert.Contains("recall@10", html);
    }

    [Fact]
    public async Task Recall_curve_is_monotone_and_matches_the_headline_metrics()
    {
        using var temp = new TempFolder();
        var report = (await EvalRunnerTests.RunAsync(temp, EvalRunnerTests.Scripted(), output: null)).Report;
        var curve = HtmlReport.RecallCurve(report);

        Assert.Equal(100, curve.Count);
        for (var i = 1; i < curve.Count; i++) Assert.True(curve[i] >= curve[i - 1]);
        Assert.Equal(report.Metrics["recall@1"], curve[0], 6);
        Assert.Equal(report.Metrics["recall@10"], curve[9], 6);
        Assert.Equal(report.Metrics["recall@100"], curve[99], 6);
    }
}
