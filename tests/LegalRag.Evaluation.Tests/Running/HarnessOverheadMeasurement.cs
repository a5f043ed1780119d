using System.Diagnostics;
using System.Text;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Retrieval;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Running;

/// <summary>
/// Measurement, run on demand: what the harness itself costs for 2,000 questions at k = 100 (gold resolution,
/// matching, metrics, 1,000 bootstrap resamples, both reports), with a retriever that answers instantly.
/// </summary>
public sealed class HarnessOverheadMeasurement
{
    private sealed class InstantRetriever(IReadOnlyList<RetrievedProvision> pool) : IEvalRetriever
    {
        public string Mode => "instant";

        public Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
        {
            // A different top k per question, so matching and metrics see varied ranks.
            var offset = Math.Abs(question.GetHashCode(StringComparison.Ordinal)) % pool.Count;
            IReadOnlyList<RetrievedProvision> ranked = Enumerable.Range(0, k).Select(i => pool[(offset + i * 7) % pool.Count]).ToList();
            return Task.FromResult(ranked);
        }
    }

    [Fact(Explicit = true)]
    public async Task Measure_two_thousand_questions_at_k_100()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        const int sections = 2500, questions = 2000;
        var pool = Enumerable.Range(1, sections).Select(n => new RetrievedProvision($"c/bgb/s{n}", $"BGB § {n}", 1.0 / n)).ToList();
        var document = new LegalRag.Core.Domain.LegalDocument
        {
            SourcePath = "synthetic", ContentHash = "x", Language = "de", Title = "BGB", Abbreviation = "BGB", Format = "synthetic",
            Provisions = pool.Select((p, i) => new LegalRag.Core.Domain.Provision
            {
                Key = p.ProvisionKey, Kind = LegalRag.Core.Domain.ProvisionKind.Section, Number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Citation = p.Citation,
            }).ToList(),
        };
        var set = new StringBuilder();
        for (var q = 0; q < questions; q++)
            set.Append($$"""{"id": "q{{q}}", "question": "Frage Nummer {{q}} mit etwas Text", "language": "de", "gold": ["BGB § {{q % sections + 1}}", "BGB § {{(q * 13) % sections + 1}}"], "tags": ["topic:t{{q % 12}}"]}""").Append('\n');

        var options = new EvalRunOptions { SetPath = temp.File("set.jsonl", set.ToString()), OutputDirectory = temp.Path, Parallelism = 2 };
        var clock = Stopwatch.StartNew();
        var result = await EvalRunner.RunAsync(options, new EvalServices(new InstantRetriever(pool)) { GoldResolver = new ProvisionCatalog([document]) }, null, ct);
        var elapsed = clock.ElapsedMilliseconds;

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{questions} questions × k=100: {elapsed} ms total; report.json {new FileInfo(result.ReportJsonPath!).Length / 1024} KiB, report.html {new FileInfo(result.ReportHtmlPath!).Length / 1024} KiB");
        Assert.Equal(questions, result.Report.Counts.Evaluated);
    }
}
