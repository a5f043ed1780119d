using LegalRag.Fuzzing;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>
/// The short fuzzing run CI does (the long one is <c>tests/LegalRag.Fuzzing -- --seconds N</c>): every attack on one
/// seed per format, then random damage until 40 s have passed, each input through ParserRegistry.Find and ParseAsync
/// as ingestion runs it. Nothing may crash, hang, pass its memory limit or fail for a bug in our code.
/// </summary>
public sealed class FuzzingTests(ITestOutputHelper output)
{
    /// <summary>Every format the registered parsers produce must have been fuzzed.</summary>
    private static readonly string[] Formats = ["markdown", "html", "docx", "pdf", "xml", "gii-xml", "bwb-xml", "legi-xml", "rt-xml", "akn"];

    [Fact]
    public async Task A_short_fuzzing_run_over_every_parser_finds_nothing()
    {
        var shared = SharedData.Root is { } root ? Path.Combine(root, "corpora", "official-samples") : null;
        var options = new FuzzOptions(TimeSpan.FromSeconds(40), RandomSeed: 13, shared, FindingsFolder: null)
        {
            QuickScenarios = true,
            // Small shared samples only: CI wants many iterations, and the fixtures already cover each dialect.
            MaxSharedSeedBytes = 32 * 1024,
            MaxHangs = 1,
            // PdfPig's letters of an 8 MB page take 1.5 GB before the parser refuses the page (a known limit, see
            // docs/reliability.md); CI keeps its inputs to 2 MB so its memory check stays meaningful and stable.
            MaxRepeatBytes = 2 * 1024 * 1024,
        };
        var report = await new FuzzSession(options).RunAsync(TestContext.Current.CancellationToken);
        output.WriteLine(report.Format());

        Assert.True(report.Findings.Count == 0, report.Format());
        foreach (var format in Formats)
            Assert.True(report.ByFormat.TryGetValue(format, out var tally) && tally.Iterations > 0, $"no inputs in format {format}\n{report.Format()}");
        Assert.All(new[] { MutationKind.BillionLaughs, MutationKind.ExternalEntity, MutationKind.ZipBomb, MutationKind.PathTraversal, MutationKind.DeepNesting, MutationKind.HugeAttribute, MutationKind.Truncate, MutationKind.FlipBytes },
            kind => Assert.True(report.ByMutation.GetValueOrDefault(kind) > 0, $"no {kind} inputs"));
    }
}
