using System.Net;
using System.Text.Json.Nodes;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Storage.Qdrant;
using LegalRag.Storage.Tests.Conformance;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// What <see cref="QdrantStore"/> sends and how it reads the answers, against a fake server at the HTTP
/// boundary. Every request is also checked against the spec. Search quality itself needs a real Qdrant:
/// that is the conformance suite (<see cref="QdrantConformanceTests"/>).
/// </summary>
public sealed class QdrantStoreTests
{
    private const string Corpus = "de-test";
    private const string Collection = "legalrag_de-test";
    private const string C = "/collections/" + Collection;
    private const string CorpusMarker = """{"kind":"corpus","corpus":"de-test","language":"de","created_at":"2025-11-20T09:00:00+00:00"}""";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] AllIndexedFields(QdrantOptions options) =>
        new QdrantStore(TestQdrant.Client(new FakeQdrantHandler(), options), options).PayloadIndexes().Select(i => i.Field).ToArray();

    private static string? KindFilter(RecordedRequest request) =>
        request.Json?["filter"]?["must"]?.AsArray()
            .FirstOrDefault(c => c?["key"]?.GetValue<string>() == QdrantPayloadFields.Kind)?["match"]?["value"]?.GetValue<string>();

    /// <summary>A server where the corpus exists (collection with all indexes and a corpus marker).</summary>
    private static (FakeQdrantHandler Fake, QdrantStore Store) ServerWithCorpus(string? documentMarker = null, Action<QdrantOptions>? configure = null)
    {
        var options = TestQdrant.Options(configure: configure);
        var fake = new FakeQdrantHandler()
            .On("GET", C, FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: options.DenseSize, indexedFields: AllIndexedFields(options))))
            .On("PUT", C + "/points", FakeReply.Ok(QdrantFixtures.UpdateCompleted))
            .On("POST", C + "/points/delete", FakeReply.Ok(QdrantFixtures.UpdateCompleted))
            .On("POST", C + "/points/scroll", request => KindFilter(request) switch
            {
                QdrantPayloadFields.KindCorpus => FakeReply.Ok(QdrantFixtures.ScrollPage([(PointIds.Corpus(Corpus).ToString(), CorpusMarker)])),
                QdrantPayloadFields.KindDocument when documentMarker is not null =>
                    FakeReply.Ok(QdrantFixtures.ScrollPage([(PointIds.Document(Corpus, "b/bgb/index.md").ToString(), documentMarker)])),
                _ => FakeReply.Ok(QdrantFixtures.EmptyScroll),
            });
        return (fake, new QdrantStore(TestQdrant.Client(fake, options), options));
    }

    [Fact]
    public async Task Ensuring_a_new_corpus_creates_the_collection_its_indexes_and_its_marker()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var options = TestQdrant.Options(denseSize: 384, configure: o => { o.ShardNumber = 3; o.ReplicationFactor = 2; o.WriteConsistencyFactor = 2; });
        var fake = new FakeQdrantHandler()
            .OnSequence("GET", C, FakeReply.Error(HttpStatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!"),
                FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 384, indexedFields: [])))
            .On("PUT", C, FakeReply.Ok("true"))
            .On("PUT", C + "/index", FakeReply.Ok(QdrantFixtures.UpdateCompleted))
            .On("POST", C + "/points/scroll", FakeReply.Ok(QdrantFixtures.EmptyScroll))
            .On("PUT", C + "/points", FakeReply.Ok(QdrantFixtures.UpdateCompleted));
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        await store.EnsureCorpusAsync(new CorpusInfo(Corpus, "de"), Ct);

        var create = Assert.Single(fake.RequestsTo("PUT", C)).Json!;
        Assert.Equal(384, create["vectors"]!["dense"]!["size"]!.GetValue<int>());
        Assert.Equal("Cosine", create["vectors"]!["dense"]!["distance"]!.GetValue<string>());
        Assert.Equal("idf", create["sparse_vectors"]!["sparse"]!["modifier"]!.GetValue<string>());
        Assert.Equal((3, 2, 2), (create["shard_number"]!.GetValue<int>(), create["replication_factor"]!.GetValue<int>(), create["write_consistency_factor"]!.GetValue<int>()));

        var indexes = fake.RequestsTo("PUT", C + "/index").Select(r => r.Json!).ToList();
        Assert.Equal(AllIndexedFields(options).Order(), indexes.Select(i => i["field_name"]!.GetValue<string>()).Order());
        Assert.Equal("integer", indexes.Single(i => i["field_name"]!.GetValue<string>() == "chunk_id")["field_schema"]!["type"]!.GetValue<string>());
        Assert.Null(indexes.Single(i => i["field_name"]!.GetValue<string>() == "corpus")["field_schema"]!["is_tenant"]);

        var marker = Assert.Single(fake.RequestsTo("PUT", C + "/points")).Json!["points"]![0]!;
        Assert.Equal(PointIds.Corpus(Corpus).ToString(), marker["id"]!.GetValue<string>());
        Assert.Equal(("corpus", Corpus, "de"), (marker["payload"]!["kind"]!.GetValue<string>(), marker["payload"]!["corpus"]!.GetValue<string>(), marker["payload"]!["language"]!.GetValue<string>()));
        Assert.Empty(marker["vector"]!.AsObject());
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task A_shared_collection_marks_the_corpus_field_as_its_tenant()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var options = TestQdrant.Options(configure: o => o.Tenancy = QdrantTenancy.SharedCollection);
        const string shared = "/collections/legalrag_corpora";
        var fake = new FakeQdrantHandler()
            .OnSequence("GET", shared, FakeReply.Error(HttpStatusCode.NotFound, "Not found: Collection `legalrag_corpora` doesn't exist!"),
                FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 4)))
            .On("PUT", shared, FakeReply.Ok("true"))
            .On("PUT", shared + "/index", FakeReply.Ok(QdrantFixtures.UpdateCompleted))
            .On("POST", shared + "/points/scroll", FakeReply.Ok(QdrantFixtures.EmptyScroll))
            .On("PUT", shared + "/points", FakeReply.Ok(QdrantFixtures.UpdateCompleted));
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        await store.EnsureCorpusAsync(new CorpusInfo("fr-code-civil", "fr"), Ct);

        Assert.Equal("legalrag_corpora", store.CollectionFor("fr-code-civil"));
        var corpusIndex = fake.RequestsTo("PUT", shared + "/index").Single(r => r.Json!["field_name"]!.GetValue<string>() == "corpus");
        Assert.True(corpusIndex.Json!["field_schema"]!["is_tenant"]!.GetValue<bool>());
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task A_collection_with_another_vector_size_fails_at_ensure_before_anything_is_written()
    {
        var options = TestQdrant.Options(denseSize: 384);
        var fake = new FakeQdrantHandler().On("GET", C, FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 768)));
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        var ex = await Assert.ThrowsAsync<QdrantConfigurationException>(() => store.EnsureCorpusAsync(new CorpusInfo(Corpus, "de"), Ct));

        Assert.Contains($"'{Collection}'", ex.Message);
        Assert.Contains("size 768", ex.Message);
        Assert.Contains("DenseSize is 384", ex.Message);
        Assert.All(fake.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Validation_at_start_reports_every_misconfigured_collection()
    {
        var options = TestQdrant.Options(denseSize: 384);
        var fake = new FakeQdrantHandler()
            .On("GET", "/collections", FakeReply.Ok(QdrantFixtures.CollectionsList))
            .On("GET", "/collections/legalrag_de-bundesrecht", FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 1024)))
            .On("GET", "/collections/legalrag_fr-code-civil", FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 384, distance: "Dot", withSparse: false)));
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        var ex = await Assert.ThrowsAsync<QdrantConfigurationException>(() => store.ValidateAsync(Ct));

        Assert.Contains("'legalrag_de-bundesrecht' stores dense vectors 'dense' of size 1024", ex.Message);
        Assert.Contains("'legalrag_fr-code-civil' uses distance Dot", ex.Message);
        Assert.Contains("'legalrag_fr-code-civil' has no sparse vector named 'sparse'", ex.Message);
        Assert.DoesNotContain(fake.Requests, r => r.Path == "/collections/other_app"); // not ours: never read
    }

    [Fact]
    public async Task Validation_passes_for_matching_collections()
    {
        var options = TestQdrant.Options(denseSize: 384);
        var fake = new FakeQdrantHandler()
            .On("GET", "/collections", FakeReply.Ok(QdrantFixtures.CollectionsList))
            .On("GET", "/collections/legalrag_de-bundesrecht", FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 384)))
            .On("GET", "/collections/legalrag_fr-code-civil", FakeReply.Ok(QdrantFixtures.CollectionInfo(denseSize: 384)));
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        Assert.Equal(["legalrag_de-bundesrecht", "legalrag_fr-code-civil"], await store.ValidateAsync(Ct));
    }

    [Fact]
    public async Task Upserting_writes_points_then_drops_stale_ones_then_writes_the_document_marker()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus(configure: o => o.DenseSize = TestEmbedder.Dimension);
        var bgb = ConformanceData.Bgb(Corpus);
        var vectors = TestEmbedder.EmbedChunks("de", bgb.Chunks);

        var outcome = await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, vectors, Ct);

        Assert.Equal(UpsertOutcome.Added, outcome);
        var writes = fake.Requests.Where(r => r.Method != "GET" && KindFilter(r) is null or not ("corpus" or "document")).Where(r => !r.Path.EndsWith("/scroll", StringComparison.Ordinal)).ToList();
        Assert.Equal(["PUT points", "POST points/delete", "PUT points"], writes.Select(r => r.Method + " " + r.Path[(C.Length + 1)..]));

        var points = writes[0].Json!["points"]!.AsArray();
        Assert.Equal(bgb.Document.Provisions.Count + bgb.Chunks.Count, points.Count);
        var provision = points.Single(p => p!["id"]!.GetValue<string>() == PointIds.Provision(Corpus, "de-test/bgb/§573").ToString())!;
        Assert.Empty(provision["vector"]!.AsObject());
        Assert.Equal(("provision", "573", "Section"), (provision["payload"]!["kind"]!.GetValue<string>(), provision["payload"]!["number_norm"]!.GetValue<string>(), provision["payload"]!["provision_kind"]!.GetValue<string>()));

        var chunk = bgb.Chunks.Single(c => c.Citation == "BGB § 573 Abs. 1");
        var chunkPoint = points.Single(p => p!["id"]!.GetValue<string>() == PointIds.Chunk(Corpus, chunk.ProvisionKey, chunk.Ordinal).ToString())!;
        var payload = chunkPoint["payload"]!;
        Assert.Equal(PointIds.ChunkId(Corpus, chunk.ProvisionKey, 0), payload["chunk_id"]!.GetValue<long>());
        // The act name, its title and the title folded over inflection (ActAliases): every name a citation may use.
        Assert.Equal(["bgb", "burgerlichesgesetzbuch", "~burgerlich_gesetzbuch"], payload["act_keys"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal((chunk.Text, "Buch 2 › Abschnitt 8 › Titel 5", bgb.Document.ContentHash),
            (payload["text"]!.GetValue<string>(), payload["hierarchy_path"]!.GetValue<string>(), payload["doc_hash"]!.GetValue<string>()));
        var expectedSparse = store.Encoder.EncodeDocument("de", chunk.Heading, chunk.Text);
        Assert.Equal(expectedSparse.Indices, chunkPoint["vector"]!["sparse"]!["indices"]!.AsArray().Select(i => i!.GetValue<uint>()));
        Assert.Equal(vectors[bgb.Chunks.ToList().IndexOf(chunk)].ToArray(), chunkPoint["vector"]!["dense"]!.AsArray().Select(v => v!.GetValue<float>()));

        var stale = writes[1].Json!["filter"]!;
        Assert.Equal(["corpus", "source_path"], stale["must"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()));
        Assert.Equal(bgb.Document.ContentHash, stale["must_not"]![0]!["match"]!["value"]!.GetValue<string>());

        var marker = Assert.Single(writes[2].Json!["points"]!.AsArray())!["payload"]!;
        Assert.Equal(("document", bgb.Document.ContentHash, true, 5),
            (marker["kind"]!.GetValue<string>(), marker["doc_hash"]!.GetValue<string>(), marker["has_dense"]!.GetValue<bool>(), marker["chunks"]!.GetValue<int>()));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    private static string DocumentMarker(string hash, bool hasDense) => $$"""
        {"kind":"document","corpus":"de-test","language":"de","source_path":"b/bgb/index.md","doc_hash":"{{hash}}",
         "title":"Bürgerliches Gesetzbuch","abbreviation":"BGB","format":"markdown","provisions":3,"chunks":5,
         "has_dense":{{(hasDense ? "true" : "false")}},"ingested_at":"2025-11-20T09:05:00+00:00"}
        """;

    [Fact]
    public async Task An_unchanged_document_is_not_written_again()
    {
        var bgb = ConformanceData.Bgb(Corpus);
        var (fake, store) = ServerWithCorpus(DocumentMarker(bgb.Document.ContentHash, hasDense: true), o => o.DenseSize = TestEmbedder.Dimension);

        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, TestEmbedder.EmbedChunks("de", bgb.Chunks), Ct));
        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, Ct));
        Assert.Empty(fake.RequestsTo("PUT", C + "/points"));
        Assert.Empty(fake.RequestsTo("POST", C + "/points/delete"));
    }

    [Theory]
    [InlineData("an older hash", true, UpsertOutcome.Replaced)]
    [InlineData(null, false, UpsertOutcome.Replaced)] // same text, but stored without embeddings: the vectors must be added
    public async Task A_changed_or_newly_embedded_document_is_replaced(string? storedHash, bool storedDense, UpsertOutcome expected)
    {
        var bgb = ConformanceData.Bgb(Corpus);
        var (fake, store) = ServerWithCorpus(DocumentMarker(storedHash ?? bgb.Document.ContentHash, storedDense), o => o.DenseSize = TestEmbedder.Dimension);

        Assert.Equal(expected, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, TestEmbedder.EmbedChunks("de", bgb.Chunks), Ct));
        Assert.Equal(2, fake.RequestsTo("PUT", C + "/points").Count);
    }

    [Fact]
    public async Task Wrong_vectors_are_refused_naming_the_file_and_the_chunk()
    {
        var (fake, store) = ServerWithCorpus(configure: o => o.DenseSize = 4);
        var bgb = ConformanceData.Bgb(Corpus);

        var tooFew = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, [new float[4]], Ct));
        Assert.Contains("b/bgb/index.md: 5 chunks but 1 dense vectors", tooFew.Message);

        var wrongSize = bgb.Chunks.Select(_ => (ReadOnlyMemory<float>)new float[4]).ToList();
        wrongSize[2] = new float[3];
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, wrongSize, Ct));
        Assert.Contains($"chunk 2 ({bgb.Chunks[2].Citation}) has 3 dimensions", ex.Message);

        var notFinite = bgb.Chunks.Select(_ => (ReadOnlyMemory<float>)new[] { 1f, 0f, float.NaN, 0f }).ToList();
        Assert.Contains("NaN", (await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, notFinite, Ct))).Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_chunk_of_a_provision_the_document_lacks_is_refused()
    {
        var (fake, store) = ServerWithCorpus();
        var bgb = ConformanceData.Bgb(Corpus);
        var orphan = bgb.Chunks[0] with { ProvisionKey = "de-test/bgb/§999" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertDocumentAsync(Corpus, bgb.Document, [orphan], Ct));

        Assert.Contains("b/bgb/index.md", ex.Message);
        Assert.Contains("§999", ex.Message);
        Assert.Empty(fake.RequestsTo("PUT", C + "/points"));
    }

    [Fact]
    public async Task Ingesting_into_an_unknown_corpus_asks_for_ensure_first()
    {
        var fake = new FakeQdrantHandler().On("GET", "/collections/legalrag_nowhere", FakeReply.Error(HttpStatusCode.NotFound, "Not found: Collection `legalrag_nowhere` doesn't exist!"));
        var options = TestQdrant.Options();
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);
        var bgb = ConformanceData.Bgb("nowhere");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpsertDocumentAsync("nowhere", bgb.Document, bgb.Chunks, Ct));

        Assert.Contains("EnsureCorpusAsync", ex.Message);
        Assert.Contains("b/bgb/index.md", ex.Message);
    }

    [Fact]
    public async Task Lexical_search_sends_the_analyzed_query_as_a_sparse_vector_with_filters()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus();
        fake.On("POST", C + "/points/query", FakeReply.Ok(QdrantFixtures.ScoredPoints(
            ("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 7.25, 1001, "de-test/bgb/§573"),
            ("11e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 3.5, 1002, "de-test/bgb/§535"))));

        var hits = await store.SearchLexicalAsync(LexicalQuery.AllTerms("Kündigung durch den Vermieter", "de"), 10, new SearchFilter(Corpus, "BGB"), Ct);

        Assert.Equal([new ChunkHit(1001, "de-test/bgb/§573", 7.25), new ChunkHit(1002, "de-test/bgb/§535", 3.5)], hits);
        var query = Assert.Single(fake.RequestsTo("POST", C + "/points/query")).Json!;
        Assert.Equal("sparse", query["using"]!.GetValue<string>());
        Assert.Equal(store.Encoder.EncodeQuery("de", "Kündigung durch den Vermieter").Indices, query["query"]!["indices"]!.AsArray().Select(i => i!.GetValue<uint>()));
        Assert.Equal(2, query["query"]!["indices"]!.AsArray().Count); // "durch", "den" are stopwords
        var must = query["filter"]!["must"]!.AsArray().Select(c => (c!["key"]!.GetValue<string>(), c["match"]!["value"]!.GetValue<string>()));
        Assert.Equal([("kind", "chunk"), ("corpus", Corpus), ("act_keys", "bgb")], must);
        Assert.Equal(["chunk_id", "provision_key"], query["with_payload"]!["include"]!.AsArray().Select(f => f!.GetValue<string>()));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task A_query_of_stopwords_only_sends_nothing()
    {
        var (fake, store) = ServerWithCorpus();
        Assert.Empty(await store.SearchLexicalAsync(LexicalQuery.AllTerms("und der die das", "de"), 10, new SearchFilter(Corpus), Ct));
        Assert.Empty(fake.RequestsTo("POST", C + "/points/query"));
    }

    [Fact]
    public async Task Hybrid_search_prefetches_sparse_and_dense_and_fuses_by_reciprocal_rank()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus();
        fake.On("POST", C + "/points/query", FakeReply.Ok(QdrantFixtures.ScoredPoints(("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 0.5, 1001, "de-test/bgb/§573"))));

        var hits = await store.SearchHybridAsync(LexicalQuery.AllTerms("Kündigung Vermieter", "de"), new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, 5, new SearchFilter(Corpus), Ct);

        Assert.Equal(1001, Assert.Single(hits).ChunkId);
        var query = Assert.Single(fake.RequestsTo("POST", C + "/points/query")).Json!;
        Assert.Equal("rrf", query["query"]!["fusion"]!.GetValue<string>());
        Assert.Equal(5, query["limit"]!.GetValue<int>());
        var prefetch = query["prefetch"]!.AsArray();
        Assert.Equal(["sparse", "dense"], prefetch.Select(p => p!["using"]!.GetValue<string>()));
        Assert.All(prefetch, p => Assert.Equal(20, p!["limit"]!.GetValue<int>()));
        Assert.All(prefetch, p => Assert.NotNull(p!["filter"]));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task Dense_search_refuses_a_query_vector_of_the_wrong_dimension()
    {
        var (fake, store) = ServerWithCorpus();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchDenseAsync(new float[3], 5, SearchFilter.None, Ct));
        Assert.Contains("3 dimensions", ex.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Searching_all_corpora_queries_each_collection_and_merges_by_score()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var options = TestQdrant.Options();
        var fake = new FakeQdrantHandler()
            .On("GET", "/collections", FakeReply.Ok(QdrantFixtures.CollectionsList));
        foreach (var (corpus, language, hits) in new[]
                 {
                     ("de-bundesrecht", "de", new[] { ("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 0.91, 11L, "de/bgb/§573"), ("38e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 0.42, 12L, "de/bgb/§535") }),
                     ("fr-code-civil", "fr", new[] { ("48e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 0.77, 21L, "fr/code-civil/art1240") }),
                 })
        {
            var marker = $$"""{"kind":"corpus","corpus":"{{corpus}}","language":"{{language}}","created_at":"2025-11-20T09:00:00+00:00"}""";
            fake.On("POST", $"/collections/legalrag_{corpus}/points/scroll", FakeReply.Ok(QdrantFixtures.ScrollPage([(PointIds.Corpus(corpus).ToString(), marker)])));
            fake.On("POST", $"/collections/legalrag_{corpus}/points/query", FakeReply.Ok(QdrantFixtures.ScoredPoints(hits)));
        }
        var store = new QdrantStore(TestQdrant.Client(fake, options), options);

        var merged = await store.SearchDenseAsync(new float[] { 1, 0, 0, 0 }, 2, SearchFilter.None, Ct);

        Assert.Equal([11L, 21L], merged.Select(h => h.ChunkId));
        Assert.Equal(2, fake.Requests.Count(r => r.Path.EndsWith("/points/query", StringComparison.Ordinal)));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task Deleting_a_document_removes_every_point_of_its_source_in_one_request()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus();
        fake.OnSequence("POST", C + "/points/count", FakeReply.Ok(QdrantFixtures.Count(9)), FakeReply.Ok(QdrantFixtures.Count(0)));

        Assert.True(await store.DeleteDocumentAsync(Corpus, "b/bgb/index.md", Ct));
        Assert.False(await store.DeleteDocumentAsync(Corpus, "b/bgb/index.md", Ct));

        var delete = Assert.Single(fake.RequestsTo("POST", C + "/points/delete")).Json!;
        Assert.Equal([("corpus", Corpus), ("source_path", "b/bgb/index.md")],
            delete["filter"]!["must"]!.AsArray().Select(c => (c!["key"]!.GetValue<string>(), c["match"]!["value"]!.GetValue<string>())));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task Chunks_are_read_back_by_id_in_the_order_asked()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus();
        fake.On("GET", "/collections", FakeReply.Ok("""{"collections": [{"name": "legalrag_de-test"}]}"""));
        var chunkPayload = (long id, int ordinal, string text) => $$"""
            {"kind":"chunk","corpus":"de-test","language":"de","source_path":"b/bgb/index.md","doc_hash":"h","act":"BGB","act_keys":["bgb"],
             "provision_key":"de-test/bgb/§573","citation":"BGB § 573 Abs. {{ordinal + 1}}","heading":"Ordentliche Kündigung des Vermieters",
             "text":"{{text}}","chunk_ordinal":{{ordinal}},"chunk_id":{{id}},"page":null,"chunk_hash":"x","hierarchy_path":"Buch 2"}
            """;
        fake.On("POST", C + "/points/scroll", request => KindFilter(request) == "chunk"
            ? FakeReply.Ok(QdrantFixtures.ScrollPage([("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", chunkPayload(1001, 0, "Der Vermieter kann nur kündigen.")),
                                                      ("38e38ef5-6c84-5e2b-8914-fb4d57e7f23c", chunkPayload(1002, 1, "Ein berechtigtes Interesse liegt vor."))]))
            : FakeReply.Ok(QdrantFixtures.ScrollPage([(PointIds.Corpus(Corpus).ToString(), CorpusMarker)])));

        var chunks = await store.GetChunksAsync([1002, 1001, 4242], Ct);

        Assert.Equal([1002L, 1001L], chunks.Select(c => c.Id));
        Assert.Equal(new StoredChunk(1001, "de-test/bgb/§573", 0, "BGB § 573 Abs. 1", "Ordentliche Kündigung des Vermieters", "Der Vermieter kann nur kündigen.", null), chunks[1]);
        var lookup = fake.RequestsTo("POST", C + "/points/scroll").Single(r => KindFilter(r) == "chunk").Json!;
        Assert.Equal([1002L, 1001L, 4242L], lookup["filter"]!["must"]![1]!["match"]!["any"]!.AsArray().Select(v => v!.GetValue<long>()));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task Statistics_count_embeddings_by_the_presence_of_the_dense_vector()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var (fake, store) = ServerWithCorpus();
        fake.On("GET", "/collections", FakeReply.Ok("""{"collections": [{"name": "legalrag_de-test"}, {"name": "unrelated"}]}"""));
        fake.On("POST", C + "/points/count", request =>
        {
            var must = request.Json!["filter"]!["must"]!.AsArray();
            if (must.Any(c => c!["has_vector"] is not null)) return FakeReply.Ok(QdrantFixtures.Count(4));
            return FakeReply.Ok(QdrantFixtures.Count(KindFilter(request) switch { "corpus" => 1, "document" => 2, "provision" => 6, _ => 9 }));
        });

        Assert.Equal(new StoreStatistics(1, 2, 6, 9, 4), await store.GetStatisticsAsync(Ct));
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public async Task Status_reports_cluster_peers_and_unhealthy_replicas()
    {
        var (fake, store) = ServerWithCorpus();
        fake.On("GET", "/cluster", FakeReply.Ok(QdrantFixtures.ClusterEnabled))
            .On("GET", "/collections", FakeReply.Ok("""{"collections": [{"name": "legalrag_de-test"}]}"""))
            .On("GET", C + "/cluster", FakeReply.Ok(QdrantFixtures.CollectionCluster));

        var status = await store.GetStatusAsync(Ct);

        Assert.Equal(("enabled", 3, 5473829301L), (status.ClusterStatus, status.Peers, status.RaftLeader));
        var collection = Assert.Single(status.Collections);
        Assert.Equal((Collection, 3, 1), (collection.Name, collection.ActiveReplicas, collection.UnhealthyReplicas));
    }

    [Fact]
    public void Unsafe_corpus_names_map_to_distinct_valid_collection_names()
    {
        var options = TestQdrant.Options();
        var store = new QdrantStore(TestQdrant.Client(new FakeQdrantHandler(), options), options);

        Assert.Equal("legalrag_de-bundesrecht", store.CollectionFor("de-bundesrecht"));
        var a = store.CollectionFor("nl/wetten");
        var b = store.CollectionFor("nl?wetten");
        Assert.NotEqual(a, b);
        Assert.Matches("^legalrag_nl_wetten_[0-9a-f]{8}$", a);
    }
}
