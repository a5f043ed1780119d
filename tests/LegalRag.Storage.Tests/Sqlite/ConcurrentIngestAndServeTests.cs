using System.Diagnostics;
using System.Globalization;
using System.Text;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>
/// SQLite under concurrent ingest and serving: the ingestion pipeline writes a generated corpus of a few
/// hundred small acts into the store while readers search and look up provisions through
/// <see cref="SearchService"/> on the same store. No read may fail; reader latency during the write is
/// reported (not asserted: the machine is shared).
/// </summary>
public sealed class ConcurrentIngestAndServeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int Acts = 300;
    private const int Readers = 4;

    private static readonly string[] Subjects = ["Mietvertrag", "Kaufvertrag", "Baugenehmigung", "Hundehaltung", "Fischerei", "Gewerbeanmeldung", "Lärmschutz", "Denkmalschutz"];

    /// <summary>Act <paramref name="n"/>: three sections whose words vary with n, in the shared corpus's Markdown shape.</summary>
    private static string Act(int n)
    {
        var subject = Subjects[n % Subjects.Length];
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            ---
            Title: Gesetz über {subject} Nummer {n}
            jurabk: G{n}
            ---

            # Gesetz über {subject} Nummer {n} (G{n})

            """));
        for (var s = 1; s <= 3; s++)
            text.Append(CultureInfo.InvariantCulture, $"""

                ## § {s} {subject} Regel {s}

                (1) Wer einen {subject} im Bezirk {n} schließt, hat die Frist von {s + n % 7} Wochen einzuhalten und die Behörde zu unterrichten.

                (2) Die zuständige Behörde kann Ausnahmen zulassen, wenn ein berechtigtes Interesse am {subject} besteht.

                """);
        return text.ToString();
    }

    private static void WriteCorpus(string root, string prefix, int from, int count)
    {
        for (var n = from; n < from + count; n++)
        {
            var path = Path.Combine(root, prefix, $"g{n}", "index.md");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Act(n));
        }
    }

    [Fact]
    public async Task Readers_never_fail_while_the_pipeline_ingests_a_few_hundred_acts()
    {
        using var dir = new TempDirectory("concurrent-ingest");
        var acts = Path.Combine(dir.Path, "acts");
        WriteCorpus(acts, "base", 0, 20);
        WriteCorpus(acts, "bulk", 1000, Acts);
        using var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(dir.Path, "data") }, Ct);
        var pipeline = new IngestionPipeline(new ParserRegistry([new MarkdownStatuteParser()]), store, new StructureChunker(new ChunkingOptions()));
        var baseSummary = await pipeline.RunAsync(new IngestRequest { Root = acts, Corpus = "base", Language = "de", Include = ["base/**"] }, null, Ct);
        Assert.Equal(20, baseSummary.Ok);
        var search = new SearchService(store, store, signalsSource: store, references: store);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var failures = new List<string>();
        var latencies = new List<double>[Readers];
        var readerTasks = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            var mine = latencies[r] = [];
            var i = r;
            while (!stop.IsCancellationRequested)
            {
                var subject = Subjects[i % Subjects.Length];
                var clock = Stopwatch.StartNew();
                try
                {
                    // The whole store (new acts appear as they commit) and the corpus that is not being written.
                    var corpus = i % 2 == 0 ? null : "base";
                    var response = await search.SearchAsync(new SearchRequest { Query = $"Frist {subject} Behörde Ausnahme", Corpus = corpus, K = 5 }, CancellationToken.None);
                    if (response.Results.Count == 0) throw new InvalidOperationException($"no results for {subject} in {corpus ?? "all corpora"}");
                    foreach (var hit in response.Results.Take(2))
                        if (await store.GetProvisionAsync(hit.ProvisionId, CancellationToken.None) is null)
                            throw new InvalidOperationException($"provision {hit.ProvisionId} found by search but not by lookup");
                    if (await store.GetProvisionAsync($"base/g{i % 20}/s2", CancellationToken.None) is null)
                        throw new InvalidOperationException($"provision base/g{i % 20}/s2 missing");
                }
                catch (Exception ex)
                {
                    lock (failures) failures.Add($"reader {r}: {ex.GetType().Name}: {ex.Message}");
                }
                mine.Add(clock.Elapsed.TotalMilliseconds);
                i += Readers;
            }
        })).ToList();

        var writeClock = Stopwatch.StartNew();
        IngestSummary bulk;
        try
        {
            bulk = await pipeline.RunAsync(new IngestRequest { Root = acts, Corpus = "bulk", Language = "de", Include = ["bulk/**"] }, null, Ct);
        }
        finally
        {
            writeClock.Stop();
            stop.Cancel();
            await Task.WhenAll(readerTasks);
        }

        Assert.Empty(bulk.Failures);
        Assert.Equal(Acts, bulk.Ok);
        Assert.Empty(failures);
        var all = latencies.SelectMany(l => l).Order().ToList();
        Assert.True(all.Count > Readers, $"the readers ran only {all.Count} requests during the write");
        double At(double q) => all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"ingest of {Acts} acts took {writeClock.Elapsed.TotalSeconds:0.0} s; {Readers} readers made {all.Count} requests (search + 3 provision lookups), 0 failed; " +
            $"reader latency p50 {At(0.5):0.0} ms, p95 {At(0.95):0.0} ms, max {all[^1]:0.0} ms");
    }
}
