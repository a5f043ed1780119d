using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using Xunit;

namespace LegalRag.Storage.Tests.Conformance;

/// <summary>Stores a document with one dense vector per chunk (the store's own extension of <see cref="ICorpusWriter"/>).</summary>
public delegate Task<UpsertOutcome> UpsertWithVectors(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks,
    IReadOnlyList<ReadOnlyMemory<float>> vectors, CancellationToken cancellationToken);

/// <summary>Dense + lexical search fused by the store, where it offers one.</summary>
public delegate Task<IReadOnlyList<ChunkHit>> HybridSearch(LexicalQuery query, ReadOnlyMemory<float> queryVector, int limit,
    SearchFilter filter, CancellationToken cancellationToken);

/// <summary>One store as the suite sees it: the four Core interfaces plus the vector-aware upsert and optional hybrid search.</summary>
public sealed record StoreUnderTest(
    ICorpusWriter Writer,
    ILexicalIndex Lexical,
    IVectorIndex Vectors,
    IProvisionStore Provisions,
    UpsertWithVectors UpsertWithVectors,
    HybridSearch? Hybrid = null,
    Func<ValueTask>? Cleanup = null) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Cleanup?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>
/// What every store must do, whatever it runs on. A subclass supplies the store: <see cref="CreateStoreAsync"/>
/// must return an empty store of its own for each test (tests run in parallel and in any order), or set
/// <see cref="SkipReason"/> when its backend is not available here. Dense vectors come from
/// <see cref="TestEmbedder"/>, so the store must be configured for <see cref="TestEmbedder.Dimension"/>.
/// </summary>
public abstract class StoreConformanceTests
{
    /// <summary>Why the suite cannot run for this store here, or null to run it.</summary>
    protected abstract string? SkipReason { get; }

    protected abstract Task<StoreUnderTest> CreateStoreAsync(CancellationToken cancellationToken);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<StoreUnderTest> OpenAsync()
    {
        Assert.SkipWhen(SkipReason is not null, SkipReason ?? "");
        return await CreateStoreAsync(Ct);
    }

    private static string NewCorpus(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 9)];

    private static async Task<UpsertOutcome> IngestAsync(StoreUnderTest store, string corpus, ConformanceData.Ingestible item) =>
        await store.UpsertWithVectors(corpus, item.Document, item.Chunks, TestEmbedder.EmbedChunks(item.Document.Language, item.Chunks), Ct);

    private static async Task<string> NewGermanCorpusAsync(StoreUnderTest store, string stem = "de")
    {
        var corpus = NewCorpus(stem);
        await store.Writer.EnsureCorpusAsync(new CorpusInfo(corpus, "de"), Ct);
        return corpus;
    }

    [Fact]
    public async Task Ingest_reports_added_then_unchanged_and_keeps_chunk_ids()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var bgb = ConformanceData.Bgb(corpus);

        Assert.Equal(UpsertOutcome.Added, await IngestAsync(store, corpus, bgb));
        Assert.Equal(bgb.Document.ContentHash, await store.Writer.GetDocumentHashAsync(corpus, bgb.Document.SourcePath, Ct));
        var before = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter Mieter Miete", "de"), 20, new SearchFilter(corpus), Ct);
        var statsBefore = await store.Writer.GetStatisticsAsync(Ct);

        Assert.Equal(UpsertOutcome.Unchanged, await IngestAsync(store, corpus, bgb));
        Assert.Equal(UpsertOutcome.Unchanged, await store.Writer.UpsertDocumentAsync(corpus, bgb.Document, bgb.Chunks, Ct));

        var after = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter Mieter Miete", "de"), 20, new SearchFilter(corpus), Ct);
        Assert.NotEmpty(before);
        Assert.Equal(before.Select(h => h.ChunkId).Order(), after.Select(h => h.ChunkId).Order());
        Assert.Equal(statsBefore, await store.Writer.GetStatisticsAsync(Ct));
        Assert.Equal(new StoreStatistics(1, 1, 3, 5, 5), statsBefore);
        Assert.Equal([bgb.Document.SourcePath], await store.Writer.ListDocumentPathsAsync(corpus, Ct));
    }

    [Fact]
    public async Task Lexical_search_finds_a_section_by_inflected_words()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        await IngestAsync(store, corpus, ConformanceData.Bgb(corpus));
        await IngestAsync(store, corpus, ConformanceData.Stgb(corpus));

        var hits = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Wann darf der Vermieter wegen berechtigter Interessen kündigen?", "de"), 5, new SearchFilter(corpus), Ct);

        Assert.NotEmpty(hits);
        Assert.Equal($"{corpus}/bgb/§573", hits[0].ProvisionKey);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits must come best first");
        Assert.Empty(await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Photosynthese Chlorophyll", "de"), 5, new SearchFilter(corpus), Ct));
    }

    [Fact]
    public async Task Dense_search_ranks_the_nearest_chunk_first()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        await IngestAsync(store, corpus, ConformanceData.Bgb(corpus));
        await IngestAsync(store, corpus, ConformanceData.Stgb(corpus));

        var query = TestEmbedder.Embed("de", "Erbfall: das Vermögen geht auf die Erben über");
        var hits = await store.Vectors.SearchDenseAsync(query, 3, new SearchFilter(corpus), Ct);

        Assert.Equal($"{corpus}/bgb/§1922", hits[0].ProvisionKey);
        Assert.True(hits.Count <= 3);
    }

    [Fact]
    public async Task Hybrid_search_fuses_dense_and_lexical_results()
    {
        await using var store = await OpenAsync();
        Assert.SkipWhen(store.Hybrid is null, "This store offers no hybrid search of its own.");
        var corpus = await NewGermanCorpusAsync(store);
        await IngestAsync(store, corpus, ConformanceData.Bgb(corpus));
        await IngestAsync(store, corpus, ConformanceData.Stgb(corpus));

        const string question = "fremde bewegliche Sache wegnehmen";
        var hits = await store.Hybrid!(LexicalQuery.AllTerms(question, "de"), TestEmbedder.Embed("de", question), 4, new SearchFilter(corpus), Ct);

        Assert.Equal($"{corpus}/stgb/§242", hits[0].ProvisionKey);
        Assert.Equal(hits.Count, hits.Select(h => h.ChunkId).Distinct().Count());
    }

    [Fact]
    public async Task Filters_restrict_results_to_one_corpus_and_one_act()
    {
        await using var store = await OpenAsync();
        var first = await NewGermanCorpusAsync(store, "de-a");
        var second = await NewGermanCorpusAsync(store, "de-b");
        await IngestAsync(store, first, ConformanceData.Bgb(first));
        await IngestAsync(store, first, ConformanceData.Stgb(first));
        await IngestAsync(store, second, ConformanceData.Bgb(second));
        const string question = "Vermieter Mietvertrag Miete";

        var onlyFirst = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms(question, "de"), 20, new SearchFilter(first), Ct);
        var everywhere = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms(question, "de"), 20, SearchFilter.None, Ct);
        var denseSecond = await store.Vectors.SearchDenseAsync(TestEmbedder.Embed("de", question), 20, new SearchFilter(second), Ct);
        var stgbOnly = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Sache Vermieter Diebstahl", "de"), 20, new SearchFilter(first, "StGB"), Ct);

        Assert.NotEmpty(onlyFirst);
        Assert.All(onlyFirst, h => Assert.StartsWith(first + "/", h.ProvisionKey));
        Assert.All(denseSecond, h => Assert.StartsWith(second + "/", h.ProvisionKey));
        Assert.Contains(everywhere, h => h.ProvisionKey.StartsWith(first + "/", StringComparison.Ordinal));
        Assert.Contains(everywhere, h => h.ProvisionKey.StartsWith(second + "/", StringComparison.Ordinal));
        Assert.NotEmpty(stgbOnly);
        Assert.All(stgbOnly, h => Assert.Equal($"{first}/stgb/§242", h.ProvisionKey));
    }

    [Fact]
    public async Task Deleting_a_document_removes_it_from_search_listing_and_lookups()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var bgb = ConformanceData.Bgb(corpus);
        await IngestAsync(store, corpus, bgb);
        await IngestAsync(store, corpus, ConformanceData.Stgb(corpus));

        Assert.True(await store.Writer.DeleteDocumentAsync(corpus, bgb.Document.SourcePath, Ct));
        Assert.False(await store.Writer.DeleteDocumentAsync(corpus, bgb.Document.SourcePath, Ct));

        Assert.Null(await store.Writer.GetDocumentHashAsync(corpus, bgb.Document.SourcePath, Ct));
        Assert.Equal(["s/stgb/index.md"], await store.Writer.ListDocumentPathsAsync(corpus, Ct));
        Assert.Null(await store.Provisions.GetProvisionAsync($"{corpus}/bgb/§573", Ct));
        var hits = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter kündigen", "de"), 10, new SearchFilter(corpus), Ct);
        Assert.DoesNotContain(hits, h => h.ProvisionKey.Contains("/bgb/", StringComparison.Ordinal));
        var stats = await store.Writer.GetStatisticsAsync(Ct);
        Assert.Equal(new StoreStatistics(1, 1, 1, 2, 2), stats);
    }

    [Fact]
    public async Task Closing_a_document_keeps_it_and_ends_its_validity_where_it_was_open()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var official = ConformanceData.Official(corpus);
        await IngestAsync(store, corpus, official);
        var key = official.Document.Provisions.Single().Key;
        var path = official.Document.SourcePath;

        // The act ends before the provision's own end (2030-12-31): the provision ends with its act.
        Assert.True(await store.Writer.CloseDocumentAsync(corpus, path, new DateOnly(2026, 6, 30), Ct));
        var closed = await store.Provisions.GetProvisionAsync(key, Ct);
        Assert.NotNull(closed);
        Assert.Equal((DateOnly?)new DateOnly(2026, 6, 30), closed.Provision.ValidTo);
        Assert.Equal((DateOnly?)new DateOnly(2026, 6, 30), closed.Act!.ValidTo);
        Assert.Equal([path], await store.Writer.ListDocumentPathsAsync(corpus, Ct));
        Assert.NotNull(await store.Writer.GetDocumentHashAsync(corpus, path, Ct));

        // Closing again later does not move an end that is already earlier.
        Assert.True(await store.Writer.CloseDocumentAsync(corpus, path, new DateOnly(2027, 1, 1), Ct));
        Assert.Equal((DateOnly?)new DateOnly(2026, 6, 30), (await store.Provisions.GetProvisionAsync(key, Ct))!.Provision.ValidTo);
        Assert.False(await store.Writer.CloseDocumentAsync(corpus, "no/such/file.xml", new DateOnly(2026, 6, 30), Ct));
    }

    [Fact]
    public async Task Reingesting_a_changed_document_replaces_it_and_drops_stale_parts()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        await IngestAsync(store, corpus, ConformanceData.Bgb(corpus, version: 1));
        var v2 = ConformanceData.Bgb(corpus, version: 2);

        Assert.Equal(UpsertOutcome.Replaced, await IngestAsync(store, corpus, v2));
        Assert.Equal(UpsertOutcome.Unchanged, await IngestAsync(store, corpus, v2));

        Assert.Equal(v2.Document.ContentHash, await store.Writer.GetDocumentHashAsync(corpus, v2.Document.SourcePath, Ct));
        Assert.Null(await store.Provisions.GetProvisionAsync($"{corpus}/bgb/§1922", Ct));
        Assert.Empty(await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Erbfall Erbschaft", "de"), 10, new SearchFilter(corpus), Ct));
        var hits = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Angehörige seines Haushalts", "de"), 10, new SearchFilter(corpus), Ct);
        var chunks = await store.Provisions.GetChunksAsync(hits.Select(h => h.ChunkId).ToList(), Ct);
        Assert.Contains(chunks, c => c.Text.Contains("Angehörige seines Haushalts", StringComparison.Ordinal));
        Assert.Equal(new StoreStatistics(1, 1, 2, 4, 4), await store.Writer.GetStatisticsAsync(Ct));
    }

    [Fact]
    public async Task Provisions_and_chunks_read_back_as_stored()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var bgb = ConformanceData.Bgb(corpus);
        await IngestAsync(store, corpus, bgb);
        var original = bgb.Document.Provisions.Single(p => p.Number == "573");

        var stored = await store.Provisions.GetProvisionAsync(original.Key, Ct);
        Assert.NotNull(stored);
        Assert.Equal((corpus, "de", "BGB", "Bürgerliches Gesetzbuch", "b/bgb/index.md"),
            (stored.Corpus, stored.Language, stored.ActName, stored.ActTitle, stored.SourcePath));
        Assert.Equal(original.Citation, stored.Provision.Citation);
        Assert.Equal(original.Path, stored.Provision.Path);
        Assert.Equal(original.Paragraphs, stored.Provision.Paragraphs);
        Assert.Equal(ProvisionKind.Section, stored.Provision.Kind);

        var byCitation = await store.Provisions.FindByCitationAsync(new CitationReference("BGB", ProvisionKind.Section, "573", "2"), corpus, Ct);
        Assert.Equal(original.Key, Assert.Single(byCitation).Key);
        var byNumberOnly = await store.Provisions.FindByCitationAsync(new CitationReference(null, ProvisionKind.Section, "573", null), corpus, Ct);
        Assert.Equal(original.Key, Assert.Single(byNumberOnly).Key);
        Assert.Empty(await store.Provisions.FindByCitationAsync(new CitationReference("StGB", ProvisionKind.Section, "573", null), corpus, Ct));

        var hits = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("berechtigtes Interesse", "de"), 10, new SearchFilter(corpus), Ct);
        var ids = hits.Select(h => h.ChunkId).ToList();
        var chunks = await store.Provisions.GetChunksAsync(ids, Ct);
        Assert.Equal(ids, chunks.Select(c => c.Id));
        var first = chunks.Single(c => c.Citation == "BGB § 573 Abs. 1");
        Assert.Equal((original.Key, 0, "Ordentliche Kündigung des Vermieters"), (first.ProvisionKey, first.Ordinal, first.Heading));
        Assert.StartsWith("Der Vermieter kann nur kündigen", first.Text);
        Assert.Empty(await store.Provisions.GetChunksAsync([long.MaxValue - 7], Ct));
    }

    [Fact]
    public async Task Official_fields_and_provenance_read_back_as_stored()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var official = ConformanceData.Official(corpus);
        await IngestAsync(store, corpus, official);
        var original = official.Document.Provisions.Single();

        var stored = await store.Provisions.GetProvisionAsync(original.Key, Ct);
        Assert.NotNull(stored);
        Assert.Equal(("BJNR002670953BJNE000204377", new DateOnly(2023, 1, 1), new DateOnly(2030, 12, 31)),
            (stored.Provision.Identifier, stored.Provision.ValidFrom, stored.Provision.ValidTo));
        Assert.Equal(original.Notes, stored.Provision.Notes);
        Assert.Equal(original.Paragraphs, stored.Provision.Paragraphs); // the table's lines come back as written
        var act = Assert.IsType<StoredActInfo>(stored.Act);
        Assert.Equal(("BJNR002670953", new DateOnly(1953, 9, 3), (DateOnly?)null), (act.Identifier, act.ValidFrom, act.ValidTo));
        Assert.Equal(["ArbGerG"], act.Aliases);
        Assert.Equal(official.Document.Provenance, act.Provenance);
        Assert.Equal(ConformanceData.OfficialRetrievedAt, act.Provenance!.RetrievedAt);

        // A document without the new fields reads back with them empty, not with another document's.
        var bgb = ConformanceData.Bgb(corpus);
        await IngestAsync(store, corpus, bgb);
        var plain = await store.Provisions.GetProvisionAsync(bgb.Document.Provisions[0].Key, Ct);
        Assert.NotNull(plain);
        Assert.Equal((null, null, null, 0), (plain.Provision.Identifier, plain.Provision.ValidFrom, plain.Provision.ValidTo, plain.Provision.Notes.Count));
        Assert.True(plain.Act is null || (plain.Act.Identifier is null && plain.Act.Aliases.Count == 0 && plain.Act.Provenance is null));
    }

    [Fact]
    public async Task An_act_is_found_by_its_official_alias_and_by_its_key()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var official = ConformanceData.Official(corpus);
        await IngestAsync(store, corpus, official);
        var key = official.Document.Provisions.Single().Key;

        Assert.Equal(key, Assert.Single(await store.Provisions.FindByCitationAsync(new CitationReference("ArbGerG", ProvisionKind.Section, "1", null), corpus, Ct)).Key);
        Assert.Equal(key, Assert.Single(await store.Provisions.FindByCitationAsync(new CitationReference("ArbGG", ProvisionKind.Section, "1", "2"), corpus, Ct)).Key);
        Assert.Empty(await store.Provisions.FindByCitationAsync(new CitationReference("ArbZG", ProvisionKind.Section, "1", null), corpus, Ct));
    }

    [Fact]
    public async Task Corpora_are_listed_with_counts_and_removed_whole()
    {
        await using var store = await OpenAsync();
        var german = await NewGermanCorpusAsync(store);
        var french = NewCorpus("fr");
        await store.Writer.EnsureCorpusAsync(new CorpusInfo(french, "fr"), Ct);
        await IngestAsync(store, german, ConformanceData.Bgb(german));
        await IngestAsync(store, french, ConformanceData.CodeCivil1240(french));

        var corpora = await store.Writer.ListCorporaAsync(Ct);
        var de = corpora.Single(c => c.Name == german);
        Assert.Equal(("de", 1L, 3L, 5L), (de.Language, de.Documents, de.Provisions, de.Chunks));
        Assert.Equal("fr", corpora.Single(c => c.Name == french).Language);

        var frenchHits = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("dommage causé à autrui", "fr"), 5, new SearchFilter(french), Ct);
        Assert.Equal($"{french}/code-civil/art1240", frenchHits[0].ProvisionKey);

        Assert.True(await store.Writer.RemoveCorpusAsync(french, Ct));
        Assert.False(await store.Writer.RemoveCorpusAsync(french, Ct));
        Assert.DoesNotContain(await store.Writer.ListCorporaAsync(Ct), c => c.Name == french);
        Assert.Empty(await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("dommage", "fr"), 5, new SearchFilter(french), Ct));
        Assert.NotEmpty(await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("Vermieter", "de"), 5, new SearchFilter(german), Ct));
    }

    // ---------------------------------------------------------------- versions and the as-of filter (issue 14)

    private static async Task<(string Corpus, ConformanceData.Ingestible Item)> NewVersionedCorpusAsync(StoreUnderTest store)
    {
        var corpus = NewCorpus("fr");
        await store.Writer.EnsureCorpusAsync(new CorpusInfo(corpus, "fr"), Ct);
        var item = ConformanceData.VersionedCodeCivil(corpus);
        await IngestAsync(store, corpus, item);
        return (corpus, item);
    }

    private static async Task<string[]> LexicalKeysAsync(StoreUnderTest store, string corpus, DateOnly? asOf) =>
        (await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("divorce", "fr"), 20, new SearchFilter(corpus, AsOf: asOf), Ct))
            .Select(h => h.ProvisionKey).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static async Task<string[]> DenseKeysAsync(StoreUnderTest store, string corpus, DateOnly? asOf) =>
        (await store.Vectors.SearchDenseAsync(TestEmbedder.Embed("fr", "divorce"), 20, new SearchFilter(corpus, AsOf: asOf), Ct))
            .Select(h => h.ProvisionKey).Distinct().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task As_of_a_day_lexical_and_dense_search_return_only_the_versions_in_force_that_day()
    {
        await using var store = await OpenAsync();
        var (corpus, _) = await NewVersionedCorpusAsync(store);
        var a229 = $"{corpus}/code-civil/art229";
        var a230 = $"{corpus}/code-civil/art230";
        foreach (var search in new Func<StoreUnderTest, string, DateOnly?, Task<string[]>>[] { LexicalKeysAsync, DenseKeysAsync })
        {
            // No date: every version.
            Assert.Equal(5, (await search(store, corpus, null)).Length);
            Assert.Equal([$"{a229}@1804-03-21", $"{a230}@1804-03-21"], await search(store, corpus, new DateOnly(1850, 1, 1)));
            // An end is the first day out of force: the day of a change has the new version only.
            Assert.Equal([$"{a229}@1975-07-11", $"{a230}@1950-06-01"], await search(store, corpus, new DateOnly(1975, 7, 11)));
            Assert.Equal([$"{a229}@1804-03-21", $"{a230}@1950-06-01"], await search(store, corpus, new DateOnly(1975, 7, 10)));
            // Repealed in 1900, re-enacted in 1950: absent between.
            Assert.Equal([$"{a229}@1804-03-21"], await search(store, corpus, new DateOnly(1920, 5, 5)));
            Assert.Equal([$"{a229}@1804-03-21", $"{a230}@1950-06-01"], await search(store, corpus, new DateOnly(1960, 1, 1)));
            // Open ends run to today and beyond.
            Assert.Equal([$"{a229}@2005-01-01", $"{a230}@1950-06-01"], await search(store, corpus, new DateOnly(2999, 1, 1)));
            // Before the first version: nothing.
            Assert.Empty(await search(store, corpus, new DateOnly(1700, 1, 1)));
        }
    }

    [Fact]
    public async Task Versions_are_listed_oldest_first_and_an_undated_lookup_takes_the_version_in_force_today()
    {
        await using var store = await OpenAsync();
        var (corpus, _) = await NewVersionedCorpusAsync(store);
        var history = (IProvisionHistory)store.Provisions;
        var baseKey = $"{corpus}/code-civil/art229";

        var versions = await history.GetVersionsAsync(baseKey, Ct);
        Assert.Equal([$"{baseKey}@1804-03-21", $"{baseKey}@1975-07-11", $"{baseKey}@2005-01-01"], versions.Select(v => v.Key));
        Assert.Equal("Modifié par Loi n°75-617 du 11 juillet 1975", versions[1].Provision.ChangedBy);
        Assert.Equal((new DateOnly(1975, 7, 11), new DateOnly(2005, 1, 1)), (versions[1].Provision.ValidFrom!.Value, versions[1].Provision.ValidTo!.Value));
        // Any version's key names the same history.
        Assert.Equal(versions.Select(v => v.Key), (await history.GetVersionsAsync($"{baseKey}@1975-07-11", Ct)).Select(v => v.Key));

        Assert.Equal($"{baseKey}@2005-01-01", (await store.Provisions.GetProvisionAsync(baseKey, Ct))?.Key);
        Assert.Equal($"{baseKey}@1804-03-21", (await store.Provisions.GetProvisionAsync($"{baseKey}@1804-03-21", Ct))?.Key);
        var byCitation = await store.Provisions.FindByCitationAsync(new CitationReference("Code civil", ProvisionKind.Article, "229", null), corpus, Ct);
        Assert.Equal($"{baseKey}@2005-01-01", Assert.Single(byCitation).Key);
        Assert.Equal(5, (await history.GetDocumentProvisionsAsync(corpus, "versions.jsonl", Ct)).Count);
        Assert.Empty(await history.GetVersionsAsync($"{corpus}/code-civil/art9999", Ct));
    }

    [Fact]
    public async Task As_of_a_day_the_version_in_force_is_found_below_hundreds_of_better_ranked_superseded_ones()
    {
        await using var store = await OpenAsync();
        var corpus = NewCorpus("fr");
        await store.Writer.EnsureCorpusAsync(new CorpusInfo(corpus, "fr"), Ct);
        await IngestAsync(store, corpus, ConformanceData.ManySupersededVersions(corpus, superseded: 400));
        var current = $"{corpus}/code-civil/art229@2100-01-01";

        var lexical = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("divorce", "fr"), 5, new SearchFilter(corpus, AsOf: new DateOnly(2200, 1, 1)), Ct);
        Assert.Equal([current], lexical.Select(h => h.ProvisionKey));
        var dense = await store.Vectors.SearchDenseAsync(TestEmbedder.Embed("fr", "divorce"), 5, new SearchFilter(corpus, AsOf: new DateOnly(2200, 1, 1)), Ct);
        Assert.Equal([current], dense.Select(h => h.ProvisionKey));
        // Without a date the superseded wording ranks first, so the case above really had to look past it.
        var undated = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("divorce", "fr"), 5, new SearchFilter(corpus), Ct);
        Assert.Equal(5, undated.Count);
        Assert.DoesNotContain(current, undated.Select(h => h.ProvisionKey));
        // A day in the middle of the run of old versions: that year's version alone.
        var mid = await store.Lexical.SearchLexicalAsync(LexicalQuery.AllTerms("divorce", "fr"), 5, new SearchFilter(corpus, AsOf: new DateOnly(1850, 6, 1)), Ct);
        Assert.Equal([$"{corpus}/code-civil/art229@1850-01-01"], mid.Select(h => h.ProvisionKey));
    }

    [Fact]
    public async Task A_closed_act_is_found_as_of_a_day_before_its_close_and_not_after()
    {
        await using var store = await OpenAsync();
        var corpus = await NewGermanCorpusAsync(store);
        var bgb = ConformanceData.Bgb(corpus);
        await IngestAsync(store, corpus, bgb);
        Assert.True(await store.Writer.CloseDocumentAsync(corpus, bgb.Document.SourcePath, new DateOnly(2020, 1, 1), Ct));

        var query = LexicalQuery.AllTerms("Vermieter", "de");
        var vector = TestEmbedder.Embed("de", "Vermieter");
        Assert.NotEmpty(await store.Lexical.SearchLexicalAsync(query, 5, new SearchFilter(corpus, AsOf: new DateOnly(2019, 12, 31)), Ct));
        Assert.Empty(await store.Lexical.SearchLexicalAsync(query, 5, new SearchFilter(corpus, AsOf: new DateOnly(2020, 1, 1)), Ct));
        Assert.NotEmpty(await store.Vectors.SearchDenseAsync(vector, 5, new SearchFilter(corpus, AsOf: new DateOnly(2019, 12, 31)), Ct));
        Assert.Empty(await store.Vectors.SearchDenseAsync(vector, 5, new SearchFilter(corpus, AsOf: new DateOnly(2020, 1, 1)), Ct));
        // Without a date the closed act is still searchable (history), as before.
        Assert.NotEmpty(await store.Lexical.SearchLexicalAsync(query, 5, new SearchFilter(corpus), Ct));
    }
}
