using System.Globalization;
using System.Text;
using LegalRag.Core.Abstractions;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Retrieval.Lexical;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>
/// The in-memory lexical index must rank exactly as the store's FTS5 index: the same top k with the same scores
/// (1e-9 relative) for plain, prefix, filtered and hostile queries on a made-up corpus of a few hundred chunks, and
/// it must notice a write to the store (by another connection too) and rebuild.
/// </summary>
public sealed class MemoryLexicalIndexTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Words =
    [
        "mietvertrag", "miete", "mieter", "mietminderung", "kaution", "kündigung", "eigenbedarf", "frist", "wohnung", "vermieter",
        "kaufvertrag", "mangel", "rücktritt", "gewährleistung", "schadensersatz", "pflichtverletzung", "behörde", "genehmigung",
        "erbe", "testament", "pflichtteil", "unterhalt", "kinder", "arbeitsverhältnis", "lohn", "urlaub", "bürgschaft", "schriftform",
    ];

    private readonly TempDirectory _dir = new("memory-lexical");
    private SqliteLegalStore _store = null!;
    private MemoryLexicalIndex _index = null!;

    /// <summary>Act n: three sections of words drawn with a fixed seed, so term frequencies and lengths vary.</summary>
    private static string Act(int n, Random random, string? extra = null)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"---\nTitle: Gesetz über {Words[n % Words.Length]} Nummer {n}\njurabk: G{n}\n---\n\n# Gesetz über {Words[n % Words.Length]} (G{n})\n"));
        for (var s = 1; s <= 3; s++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## § {s} {Words[random.Next(Words.Length)]} und {Words[random.Next(Words.Length)]}\n\n(1) ");
            var length = 5 + random.Next(60);
            for (var w = 0; w < length; w++) text.Append(Words[random.Next(Words.Length)]).Append(w % 9 == 8 ? ". " : " ");
            if (extra is not null) text.Append(extra);
            text.Append("\n\n(2) Die Behörde kann Ausnahmen zulassen.\n");
        }
        return text.ToString();
    }

    public async ValueTask InitializeAsync()
    {
        var random = new Random(1234);
        var acts = Path.Combine(_dir.Path, "acts");
        for (var n = 0; n < 90; n++)
        {
            var path = Path.Combine(acts, n % 3 == 0 ? "beta" : "alpha", $"g{n}", "index.md");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, Act(n, random), Ct);
        }
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(_dir.Path, "data") }, Ct);
        var pipeline = new IngestionPipeline(new ParserRegistry([new MarkdownStatuteParser()]), _store, new StructureChunker(new ChunkingOptions()));
        foreach (var corpus in new[] { "alpha", "beta" })
        {
            var summary = await pipeline.RunAsync(new IngestRequest { Root = acts, Corpus = corpus, Language = "de", Include = [corpus + "/**"] }, null, Ct);
            Assert.Empty(summary.Failures);
        }
        _index = new MemoryLexicalIndex(_store, _store, _store);
    }

    public ValueTask DisposeAsync()
    {
        _index.Dispose();
        _store.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static LexicalQuery Query(params string[] terms) =>
        new(terms.Select(t => t.EndsWith('*') && t.Length > 1 ? new LexicalTerm(t[..^1], Prefix: true) : new LexicalTerm(t)).ToList());

    private static void AssertSameRanking(IReadOnlyList<ChunkHit> expected, IReadOnlyList<ChunkHit> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} hits from FTS5, {actual.Count} from memory");
        for (var i = 0; i < expected.Count; i++)
        {
            var relative = Math.Abs(expected[i].Score - actual[i].Score) / Math.Max(1e-300, Math.Abs(expected[i].Score));
            Assert.True(relative <= 1e-9, $"{what}: rank {i + 1} scores {expected[i].Score:R} (FTS5) and {actual[i].Score:R} (memory)");
        }
        // Equal scores may come in either order, and the last place's ties may be cut differently: the sets above it agree.
        if (expected.Count == 0) return;
        var cut = expected[^1].Score * (1 + 1e-9);
        Assert.Equal(expected.Where(h => h.Score > cut).Select(h => (h.ChunkId, h.ProvisionKey)).ToHashSet(),
            actual.Where(h => h.Score > cut).Select(h => (h.ChunkId, h.ProvisionKey)).ToHashSet());
    }

    public static TheoryData<string[]> PlainAndPrefixQueries => new()
    {
        new[] { "miete" },
        new[] { "kundigung", "frist" },
        new[] { "mietvertrag", "kaution", "behord", "ausnahm" },
        new[] { "miet*" },
        new[] { "miet*", "kundigung", "eigenbedarf*" },
        new[] { "gesetz", "nummer", "g12" },
        new[] { "schadensersatz*", "pflichtverletzung", "rucktritt*", "mangel", "kaufvertrag*", "gewahrleistung" },
        new[] { "fehltganz", "auchnicht*" },
        new[] { "miete", "miete", "miet*" },
    };

    [Theory]
    [MemberData(nameof(PlainAndPrefixQueries))]
    public async Task Plain_and_prefix_queries_rank_as_FTS5_does(string[] terms)
    {
        var snapshot = await _index.EnsureCurrentAsync(Ct);
        foreach (var weights in new[] { LexicalFieldWeights.Default, new LexicalFieldWeights(2.5, 0.3), new LexicalFieldWeights(0, 0) })
        foreach (var k in new[] { 1, 5, 50, 1000 })
        {
            var query = Query(terms) with { Weights = weights };
            var expected = await _store.SearchLexicalAsync(query, k, SearchFilter.None, Ct);
            var actual = snapshot.Search(query, k, SearchFilter.None);
            Assert.NotNull(actual);
            AssertSameRanking(expected, actual, $"{string.Join(' ', terms)} k={k} weights={weights}");
        }
    }

    [Fact]
    public async Task Corpus_and_act_filters_rank_as_FTS5_does()
    {
        var snapshot = await _index.EnsureCurrentAsync(Ct);
        var filters = new[]
        {
            new SearchFilter("alpha"), new SearchFilter("beta"), new SearchFilter("gamma"), new SearchFilter(Act: "G4"),
            new SearchFilter("alpha", "G4"), new SearchFilter("beta", "G4"), new SearchFilter(Act: "§§"), new SearchFilter(Act: "G999"),
        };
        foreach (var filter in filters)
        foreach (var query in new[] { Query("miet*", "frist"), Query("behord", "ausnahm*", "kaution") })
        {
            var expected = await _store.SearchLexicalAsync(query, 20, filter, Ct);
            var actual = snapshot.Search(query, 20, filter);
            Assert.NotNull(actual);
            AssertSameRanking(expected, actual, $"{filter}");
        }
        Assert.NotEmpty(snapshot.Search(Query("miet*"), 20, new SearchFilter("alpha", "G4"))!);
    }

    [Fact]
    public async Task The_as_of_filter_keeps_what_FTS5_ranks_minus_what_is_not_in_force()
    {
        // Some provisions end, some start later, one act ends: by the store's validity columns.
        await using (var connection = new SqliteConnection($"Data Source={_store.Options.DatabasePath}"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                UPDATE provisions SET valid_to = '2020-01-01' WHERE id % 5 = 0;
                UPDATE provisions SET valid_from = '2030-01-01' WHERE id % 7 = 0;
                UPDATE documents SET valid_to = '2021-06-01' WHERE id = 3;
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        var snapshot = await _index.EnsureCurrentAsync(Ct);
        var validity = new Dictionary<long, (string? From, string? To, string? ActFrom, string? ActTo)>();
        await using (var connection = new SqliteConnection($"Data Source={_store.Options.DatabasePath}"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT c.id, p.valid_from, p.valid_to, d.valid_from, d.valid_to FROM chunks c JOIN provisions p ON p.id = c.provision_id JOIN documents d ON d.id = p.document_id";
            await using var reader = await cmd.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
                validity[reader.GetInt64(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }
        bool InForce(long chunk, string day)
        {
            var v = validity[chunk];
            return !(string.CompareOrdinal(v.From, day) > 0 || (v.To is not null && string.CompareOrdinal(v.To, day) <= 0)
                     || string.CompareOrdinal(v.ActFrom, day) > 0 || (v.ActTo is not null && string.CompareOrdinal(v.ActTo, day) <= 0));
        }
        foreach (var day in new[] { new DateOnly(2019, 5, 1), new DateOnly(2020, 1, 1), new DateOnly(2025, 1, 1), new DateOnly(2031, 1, 1) })
        foreach (var corpus in new[] { null, "alpha" })
        {
            var query = Query("miet*", "frist", "behord");
            var all = await _store.SearchLexicalAsync(query, 100_000, new SearchFilter(corpus), Ct);
            var expected = all.Where(h => InForce(h.ChunkId, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Take(15).ToList();
            var actual = snapshot.Search(query, 15, new SearchFilter(corpus, AsOf: day));
            Assert.NotNull(actual);
            AssertSameRanking(expected, actual, $"as of {day} in {corpus ?? "all"}");
            Assert.True(all.Count > expected.Count || day == new DateOnly(2019, 5, 1), $"as of {day} the filter excluded nothing");
        }
    }

    public static TheoryData<string[]> HostileQueries => new()
    {
        new[] { "\"" },
        new[] { "miete\" OR \"frist" },
        new[] { "NEAR", "AND", "OR", "NOT" },
        new[] { "NEAR(miete frist)" },
        new[] { "*" },
        new[] { "heading:miete" },
        new[] { "scope:c1" },
        new[] { "c1", "ag4" },
        new[] { "", "miete", "" },
        new[] { "MIETE", "Frist*" },
        new[] { "mie\u0001te", "\u0007" },
        new[] { "§§§", "…" },
        new[] { "7:201", "miete" },
        Enumerable.Range(0, 300).Select(i => i == 290 ? "miete" : "wort" + i.ToString(CultureInfo.InvariantCulture)).ToArray(),
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Hostile_queries_answer_as_FTS5_does(string[] terms)
    {
        var snapshot = await _index.EnsureCurrentAsync(Ct);
        var query = new LexicalQuery(terms.Select((t, i) => new LexicalTerm(t, Prefix: i % 2 == 1)).ToList());
        var expected = await _store.SearchLexicalAsync(query, 30, SearchFilter.None, Ct);
        // A term FTS5 reads as a phrase of several tokens is left to the store; everything else the snapshot ranks itself.
        var direct = snapshot.Search(query, 30, SearchFilter.None);
        if (direct is not null) AssertSameRanking(expected, direct, string.Join(' ', terms));
        else Assert.Contains(query.Terms.Take(LexicalSnapshot.MaxMatchTerms), t => t.Text.Length > 0 && Fts5Tokens.Split(t.Text).Count != 1);
        AssertSameRanking(expected, await _index.SearchLexicalAsync(query, 30, SearchFilter.None, Ct), string.Join(' ', terms));
    }

    [Fact]
    public async Task Term_statistics_equal_the_stores()
    {
        var snapshot = await _index.EnsureCurrentAsync(Ct);
        string[] terms = ["miete", "miet*", "kundigung", "c1", "ag4", "fehltganz", "fehlt*", "g1*", "MIETE"];
        var expected = await _store.GetTermStatisticsAsync(terms, Ct);
        var actual = snapshot.TermStatistics(terms);
        Assert.Equal(expected.TotalChunks, actual.TotalChunks);
        foreach (var term in terms) Assert.True(expected.DocumentFrequency[term] == actual.DocumentFrequency[term], $"{term}: {expected.DocumentFrequency[term]} vs {actual.DocumentFrequency[term]}");
        Assert.True(actual.DocumentFrequency["miet*"] > actual.DocumentFrequency["miete"]);
    }

    [Fact]
    public async Task A_write_by_another_connection_makes_the_index_rebuild_and_find_it()
    {
        var before = await _index.EnsureCurrentAsync(Ct);
        Assert.Empty(before.Search(Query("zebrafink"), 10, SearchFilter.None)!);

        // Another store on the same file: its own connections, as another process's ingest would write.
        var acts = Path.Combine(_dir.Path, "more");
        var path = Path.Combine(acts, "gamma", "g500", "index.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, Act(500, new Random(7), extra: "Der Zebrafink singt. "), Ct);
        using (var other = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(_dir.Path, "data") }, Ct))
        {
            var pipeline = new IngestionPipeline(new ParserRegistry([new MarkdownStatuteParser()]), other, new StructureChunker(new ChunkingOptions()));
            var summary = await pipeline.RunAsync(new IngestRequest { Root = acts, Corpus = "gamma", Language = "de" }, null, Ct);
            Assert.Equal(1, summary.Ok);
        }

        // The stale snapshot is never asked: the store answers until the rebuild is done, then the new snapshot.
        var meanwhile = await _index.SearchLexicalAsync(Query("zebrafink"), 10, SearchFilter.None, Ct);
        Assert.Equal(3, meanwhile.Count);
        var after = await _index.EnsureCurrentAsync(Ct);
        Assert.NotEqual(before.Version, after.Version);
        Assert.Equal(before.Rows + 3, after.Rows);
        var found = after.Search(Query("zebrafink"), 10, new SearchFilter("gamma"));
        Assert.NotNull(found);
        AssertSameRanking(await _store.SearchLexicalAsync(Query("zebrafink"), 10, new SearchFilter("gamma"), Ct), found, "zebrafink");
        Assert.Equal(3, found.Count);
        Assert.Equal(after.Version, (await _index.EnsureCurrentAsync(Ct)).Version);
    }
}
