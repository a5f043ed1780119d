using System.Diagnostics;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Bwb;

/// <summary>The real BWB files in shared/ (toestand 2016, two versions of one act with its manifest, and the 2012 Grondwet and Awb).</summary>
public sealed class BwbSampleTests(ITestOutputHelper output)
{
    private const string Folder = "corpora/official-samples/nl-bwb-xml";
    private static readonly XmlParser Parser = new();
    private static readonly ParseContext Dutch = new("nl-bwb", "nl", null, null, new IngestionLimits());

    private static SourceFile Read(string root, string path) =>
        new(path, Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllBytes(path));

    private static List<string> ActFiles(string root) =>
        Directory.EnumerateFiles(root, "*.xml", SearchOption.AllDirectories).Where(f => !f.EndsWith("_manifest.xml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Every_sample_parses_with_its_BWB_id_articles_and_JCI_references()
    {
        var root = SharedCorpora.Require(Folder);
        var files = ActFiles(root);
        Assert.Equal(7, files.Count);
        foreach (var path in files)
        {
            var clock = Stopwatch.StartNew();
            var document = await Parser.ParseAsync(Read(root, path), Dutch, TestContext.Current.CancellationToken);
            clock.Stop();
            Assert.Equal("bwb-xml", document.Format);
            Assert.StartsWith(document.Identifier!, Path.GetFileName(path));
            var articles = document.Provisions.Where(p => p.Kind == ProvisionKind.Article).ToList();
            Assert.True(articles.Count >= 5, $"{path}: {articles.Count} articles");
            Assert.All(articles, a => Assert.StartsWith("jci1.3:c:" + document.Identifier, a.Identifier));
            // Without text only when repealed, or when an editorial note says why ("nog niet in werking getreden").
            Assert.All(articles, a => Assert.True(a.IsRepealed || a.Paragraphs.Count > 0 || a.Notes.Count > 0, $"{a.Citation} has no text"));
            Assert.DoesNotContain(articles, a => a.Paragraphs.Any(p => p.Text.Contains("jci1.3", StringComparison.Ordinal) || p.Text.Contains("Stb.", StringComparison.Ordinal) && p.Text.Contains("isodatum", StringComparison.Ordinal)));
            Assert.Equal(articles.Count, articles.Select(a => a.Key).Distinct().Count());
            var tables = document.Provisions.Sum(p => p.Paragraphs.Sum(x => x.Text.Split('\n').Count(l => l.StartsWith("| ---", StringComparison.Ordinal))));
            output.WriteLine($"{Path.GetFileName(path)} ({clock.Elapsed.TotalMilliseconds:F0} ms): {document.ActName} | {document.Title} | from {document.ValidFrom} to {document.ValidTo} | " +
                             $"{document.Provisions.Count} provisions, {articles.Count} articles, {document.Provisions.Count(p => p.Identifier is not null)} ids, " +
                             $"{document.Provisions.Count(p => p.ValidFrom is not null || p.ValidTo is not null)} dated, {document.Provisions.Count(p => p.Notes.Count > 0)} with notes, " +
                             $"{document.Provisions.Count(p => p.IsRepealed)} repealed, {tables} tables, aliases [{string.Join(", ", document.Aliases)}]");
        }
    }

    [Fact]
    public async Task The_two_versions_of_the_Drank_en_Horecawet_stay_apart_by_their_dates_and_the_manifest_closes_the_older()
    {
        var root = SharedCorpora.Require(Folder);
        var older = await Parser.ParseAsync(Read(root, Path.Combine(root, "BWBR0002458_2000-11-01_0.xml")), Dutch, TestContext.Current.CancellationToken);
        var newer = await Parser.ParseAsync(Read(root, Path.Combine(root, "BWBR0002458_2015-01-01_0.xml")), Dutch, TestContext.Current.CancellationToken);

        Assert.Equal("BWBR0002458", older.Identifier);
        Assert.Equal(older.Identifier, newer.Identifier);
        Assert.Equal("Drank- en Horecawet", newer.ActName);
        Assert.Equal((new DateOnly(2000, 11, 1), new DateOnly(2002, 6, 30)), (older.ValidFrom, older.ValidTo));
        Assert.Equal((new DateOnly(2015, 1, 1), (DateOnly?)null), (newer.ValidFrom, newer.ValidTo));
        var article1 = Assert.Single(newer.Provisions, p => p.Citation == "art. 1 Drank- en Horecawet");
        Assert.Equal(new DateOnly(2014, 1, 1), article1.ValidFrom);
        Assert.Equal(["§ 1 - Begripsbepalingen"], article1.Path);
        Assert.NotEqual(older.Provisions.Single(p => p.Citation == article1.Citation).Text, article1.Text);
    }

    [Fact]
    public async Task Parse_speed_per_schema_is_reported()
    {
        var root = SharedCorpora.Require(Folder);
        foreach (var group in ActFiles(root).GroupBy(f => f.Contains("legacy-2012", StringComparison.Ordinal) ? "wetgeving 2012" : "toestand 2016"))
        {
            var sources = group.Select(f => Read(root, f)).ToList();
            var timings = new List<double>();
            long provisions = 0;
            // Two warm-up runs first (JIT tiers), then the median of nine.
            for (var run = 0; run < 11; run++)
            {
                var clock = Stopwatch.StartNew();
                provisions = 0;
                foreach (var source in sources)
                    provisions += (await Parser.ParseAsync(source, Dutch, TestContext.Current.CancellationToken)).Provisions.Count;
                if (run >= 2) timings.Add(clock.Elapsed.TotalMilliseconds);
            }
            timings.Sort();
            var median = timings[timings.Count / 2];
            var megabytes = sources.Sum(s => s.Bytes.Length) / 1e6;
            Assert.True(provisions > 0);
            output.WriteLine($"{group.Key}: {sources.Count} files, {megabytes:F2} MB, {provisions} provisions, median of 9 runs {median:F1} ms " +
                             $"({megabytes / (median / 1000):F1} MB/s, {provisions / (median / 1000):F0} provisions/s)");
        }
    }
}
