using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

public sealed class SqliteLegalStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("store");
    private SqliteLegalStore _store = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        await _store.EnsureCorpusAsync(new CorpusInfo("c", "de"), Ct);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<UpsertOutcome> Put(LegalDocument d) => _store.UpsertDocumentAsync("c", d, Fixtures.Chunks(d), Ct);

    [Fact]
    public async Task Lexical_search_finds_inflected_forms_and_ranks_heading_matches()
    {
        await Put(Fixtures.MietG());
        await Put(Fixtures.KaufG());
        var hits = await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Kündigungen des Vermieters", "de"), 10, SearchFilter.None, Ct);
        Assert.Equal("c/mietg/s1", hits[0].ProvisionKey);
        Assert.DoesNotContain(hits, h => h.ProvisionKey.StartsWith("c/kaufg", StringComparison.Ordinal));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public async Task Reingesting_the_same_content_is_a_no_op()
    {
        Assert.Equal(UpsertOutcome.Added, await Put(Fixtures.MietG()));
        var before = await _store.GetStatisticsAsync(Ct);
        Assert.Equal(UpsertOutcome.Unchanged, await Put(Fixtures.MietG()));
        Assert.Equal(before, await _store.GetStatisticsAsync(Ct));
    }

    [Fact]
    public async Task A_changed_document_replaces_its_provisions_and_index_rows()
    {
        await Put(Fixtures.MietG());
        var changed = Fixtures.Act("c", "MietG", "m/mietg/index.md", "v2",
            Fixtures.Section("c", "MietG", "1", "Mieterhöhung", "Die Miete darf erhöht werden."));
        Assert.Equal(UpsertOutcome.Replaced, await Put(changed));
        Assert.Null(await _store.GetProvisionAsync("c/mietg/s2", Ct));
        Assert.Equal("Mieterhöhung", (await _store.GetProvisionAsync("c/mietg/s1", Ct))!.Provision.Heading);
        Assert.Empty(await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Eigenbedarf", "de"), 10, SearchFilter.None, Ct));
        Assert.Empty(await _store.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task A_failure_inside_a_write_leaves_the_previous_version_whole()
    {
        await Put(Fixtures.MietG());
        var before = await _store.GetStatisticsAsync(Ct);
        var changed = Fixtures.MietG(version: "v2");
        // A chunk pointing at a provision the document lacks makes the write fail half-way,
        // after the old rows were deleted and new provisions inserted: the transaction must roll it all back.
        var broken = Fixtures.Chunks(changed).Append(Fixtures.Chunks(changed)[0] with { ProvisionKey = "c/mietg/missing" }).ToList();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.UpsertDocumentAsync("c", changed, broken, Ct));

        Assert.Equal(before, await _store.GetStatisticsAsync(Ct));
        Assert.Equal(Fixtures.MietG().ContentHash, await _store.GetDocumentHashAsync("c", "m/mietg/index.md", Ct));
        Assert.NotEmpty(await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Eigenbedarf", "de"), 10, SearchFilter.None, Ct));
        Assert.Empty(await _store.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task Delete_document_and_remove_corpus()
    {
        await Put(Fixtures.MietG());
        await Put(Fixtures.KaufG());
        Assert.True(await _store.DeleteDocumentAsync("c", "m/mietg/index.md", Ct));
        Assert.False(await _store.DeleteDocumentAsync("c", "m/mietg/index.md", Ct));
        Assert.Equal(["k/kaufg/index.md"], await _store.ListDocumentPathsAsync("c", Ct));
        Assert.True(await _store.RemoveCorpusAsync("c", Ct));
        Assert.Equal(new StoreStatistics(0, 0, 0, 0, 0), await _store.GetStatisticsAsync(Ct));
        Assert.Empty(await _store.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task Citation_lookup_by_act_and_number()
    {
        await Put(Fixtures.MietG());
        await Put(Fixtures.KaufG());
        Assert.True(CitationParser.TryParse("§ 1 MietG", out var withAct));
        var found = Assert.Single(await _store.FindByCitationAsync(withAct, null, Ct));
        Assert.Equal("MietG § 1", found.Provision.Citation);
        Assert.True(CitationParser.TryParse("§ 1", out var bare));
        Assert.Equal(2, (await _store.FindByCitationAsync(bare, null, Ct)).Count);
    }

    [Fact]
    public async Task Filters_restrict_to_corpus_and_act()
    {
        await _store.EnsureCorpusAsync(new CorpusInfo("other", "de"), Ct);
        await Put(Fixtures.MietG());
        var other = Fixtures.MietG("other");
        await _store.UpsertDocumentAsync("other", other, Fixtures.Chunks(other), Ct);
        var hits = await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter", "de"), 10, new SearchFilter(Corpus: "other"), Ct);
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.StartsWith("other/", h.ProvisionKey));
        Assert.Empty(await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter", "de"), 10, new SearchFilter(Act: "KaufG"), Ct));
    }

    [Fact]
    public async Task A_corpus_cannot_change_language()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.EnsureCorpusAsync(new CorpusInfo("c", "fr"), Ct));
        Assert.Contains("'de'", ex.Message);
    }

    [Fact]
    public async Task Hostile_queries_are_safe()
    {
        await Put(Fixtures.MietG());
        foreach (var q in new[] { "\"", "NEAR(a b)", "* OR AND", "kündig* ^ - : ( )", new string('x', 100_000), "drop table chunks; --" })
            _ = await _store.SearchLexicalAsync(LexicalQuery.AllTerms(q, "de"), 5, SearchFilter.None, Ct);
        Assert.Empty(await _store.CheckConsistencyAsync(Ct));
    }

    [Fact]
    public async Task Dense_vectors_are_stored_cached_by_content_and_searched_exactly()
    {
        await Put(Fixtures.MietG());
        var missing = await _store.GetChunksMissingVectorsAsync("default", null, Ct);
        Assert.Equal(2, missing.Count);
        float[][] vectors = [[1, 0, 0], [0, 1, 0]];
        await _store.PutVectorsAsync("default", missing.Select((m, i) => (m.ChunkId, m.ContentHash, vectors[i])).ToList(), Ct);
        Assert.Empty(await _store.GetChunksMissingVectorsAsync("default", null, Ct));

        var hits = await _store.SearchDenseAsync(new float[] { 0.1f, 0.9f, 0 }, 2, SearchFilter.None, Ct);
        Assert.Equal(missing[1].ChunkId, hits[0].ChunkId);
        Assert.Equal(0.9, hits[0].Score, 5);

        // Re-ingest of changed content with the same text for one chunk: the cache supplies its vector.
        var changed = Fixtures.Act("c", "MietG", "m/mietg/index.md", "v2", Fixtures.MietG().Provisions[0]);
        await Put(changed);
        var again = Assert.Single(await _store.GetChunksMissingVectorsAsync("default", null, Ct));
        Assert.Equal(vectors[0], again.Cached);
    }

    [Fact]
    public async Task A_store_indexed_by_an_older_analyzer_is_reanalyzed_on_open()
    {
        await Put(Fixtures.MietG());
        _store.Dispose();
        // Simulate a store from an older version: another FTS layout, an older analyzer version.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "legalrag.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DROP TABLE chunks_fts; CREATE VIRTUAL TABLE chunks_fts USING fts5(heading, body); UPDATE meta SET value = '1' WHERE key = 'analyzer_version';";
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        Assert.True(_store.LexicalIndexRebuilt);
        Assert.Equal("c/mietg/s1", (await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Eigenbedarf", "de"), 5, new SearchFilter(Corpus: "c"), Ct))[0].ProvisionKey);
        Assert.Empty(await _store.CheckConsistencyAsync(Ct));
    }
}
