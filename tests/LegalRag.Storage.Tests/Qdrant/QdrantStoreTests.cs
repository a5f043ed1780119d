using Google.Protobuf;
using Grpc.Core;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Storage.Qdrant;
using LegalRag.Storage.Tests.Conformance;
using Qdrant.Client.Grpc;
using Xunit;
using F = LegalRag.Storage.Qdrant.QdrantPayloadFields;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// How <see cref="QdrantStore"/> maps filters, payloads, sparse and dense vectors and hybrid queries onto
/// <c>Qdrant.Client</c>'s request messages, and reads the answers, through a <see cref="RecordingCallInvoker"/>
/// at the gRPC boundary. Search quality itself needs a real Qdrant: that is <see cref="QdrantConformanceTests"/>.
/// </summary>
public sealed class QdrantStoreTests
{
    private const string Corpus = "de-test";
    private const string Collection = "legalrag_de-test";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PointsOperationResponse Completed => new() { Result = new UpdateResult { OperationId = 17, Status = UpdateStatus.Completed } };

    private static string[] AllIndexedFields(QdrantOptions options) =>
        TestQdrant.Store(new RecordingCallInvoker(), options).PayloadIndexes().Select(i => i.Field).ToArray();

    private static GetCollectionInfoResponse CollectionInfo(int denseSize = 4, Distance distance = Distance.Cosine, bool withSparse = true,
        IEnumerable<string>? indexedFields = null, uint shards = 1)
    {
        var dense = new VectorParamsMap();
        dense.Map["dense"] = new VectorParams { Size = (ulong)denseSize, Distance = distance };
        var parameters = new CollectionParams
        {
            VectorsConfig = new VectorsConfig { ParamsMap = dense },
            ShardNumber = shards, ReplicationFactor = 2, WriteConsistencyFactor = 1,
        };
        if (withSparse)
        {
            parameters.SparseVectorsConfig = new SparseVectorConfig();
            parameters.SparseVectorsConfig.Map["sparse"] = new SparseVectorParams { Modifier = Modifier.Idf };
        }
        var info = new CollectionInfo { Status = CollectionStatus.Green, PointsCount = 42, Config = new CollectionConfig { Params = parameters } };
        foreach (var field in indexedFields ?? [])
            info.PayloadSchema[field] = new PayloadSchemaInfo { DataType = field == F.ChunkId ? PayloadSchemaType.Integer : PayloadSchemaType.Keyword };
        return new GetCollectionInfoResponse { Result = info };
    }

    private static ListCollectionsResponse Collections(params string[] names)
    {
        var response = new ListCollectionsResponse();
        response.Collections.AddRange(names.Select(n => new CollectionDescription { Name = n }));
        return response;
    }

    private static RetrievedPoint Retrieved(Guid id, MapField payload)
    {
        var point = new RetrievedPoint { Id = id };
        point.Payload.Add(payload.Fields);
        return point;
    }

    /// <summary>A payload given as field/value pairs.</summary>
    private sealed record MapField(params (string Name, Value Value)[] Pairs)
    {
        public Dictionary<string, Value> Fields => Pairs.ToDictionary(p => p.Name, p => p.Value);
    }

    private static MapField CorpusMarker(string corpus = Corpus, string language = "de") =>
        new((F.Kind, "corpus"), (F.Corpus, corpus), ("language", language), ("created_at", "2025-11-20T09:00:00+00:00"));

    private static ScrollResponse Page(params RetrievedPoint[] points)
    {
        var page = new ScrollResponse();
        page.Result.AddRange(points);
        return page;
    }

    /// <summary>The <c>kind</c> a filter asks for, or null.</summary>
    private static string? KindOf(Filter filter) =>
        filter.Must.FirstOrDefault(c => c.Field?.Key == F.Kind)?.Field.Match.Keyword;

    private static IEnumerable<(string Key, string Value)> Keywords(IEnumerable<Condition> conditions) =>
        conditions.Select(c => (c.Field.Key, c.Field.Match.Keyword));

    /// <summary>A server where the corpus exists (collection with every index and a corpus marker), and optionally a document marker.</summary>
    private static (RecordingCallInvoker Qdrant, QdrantStore Store) ServerWithCorpus(MapField? documentMarker = null, Action<QdrantOptions>? configure = null)
    {
        var options = TestQdrant.Options(configure: configure);
        var qdrant = new RecordingCallInvoker()
            .On("Collections/Get", CollectionInfo(denseSize: options.DenseSize, indexedFields: AllIndexedFields(options)))
            .On("Points/Upsert", Completed)
            .On("Points/Delete", Completed)
            .On<ScrollPoints>("Points/Scroll", request => KindOf(request.Filter) switch
            {
                "corpus" => Page(Retrieved(PointIds.Corpus(Corpus), CorpusMarker())),
                "document" when documentMarker is not null => Page(Retrieved(PointIds.Document(Corpus, "b/bgb/index.md"), documentMarker)),
                _ => Page(),
            });
        return (qdrant, TestQdrant.Store(qdrant, options));
    }

    [Fact]
    public async Task Ensuring_a_new_corpus_creates_the_collection_its_indexes_and_its_marker()
    {
        var options = TestQdrant.Options(denseSize: 384, configure: o => { o.ShardNumber = 3; o.ReplicationFactor = 2; o.WriteConsistencyFactor = 2; });
        var qdrant = new RecordingCallInvoker()
            .OnSequence("Collections/Get", RecordingCallInvoker.Fail(StatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!"),
                () => CollectionInfo(denseSize: 384))
            .On("Collections/Create", new CollectionOperationResponse { Result = true })
            .On("Points/CreateFieldIndex", Completed)
            .On("Points/Scroll", Page())
            .On("Points/Upsert", Completed);
        var store = TestQdrant.Store(qdrant, options);

        await store.EnsureCorpusAsync(new CorpusInfo(Corpus, "de"), Ct);

        var create = Assert.Single(qdrant.Requests<CreateCollection>("Collections/Create"));
        Assert.Equal(Collection, create.CollectionName);
        var dense = create.VectorsConfig.ParamsMap.Map["dense"];
        Assert.Equal((384UL, Distance.Cosine), (dense.Size, dense.Distance));
        Assert.Equal(Modifier.Idf, create.SparseVectorsConfig.Map["sparse"].Modifier);
        Assert.Equal((3u, 2u, 2u), (create.ShardNumber, create.ReplicationFactor, create.WriteConsistencyFactor));

        var indexes = qdrant.Requests<CreateFieldIndexCollection>("Points/CreateFieldIndex");
        Assert.Equal(AllIndexedFields(options).Order(), indexes.Select(i => i.FieldName).Order());
        Assert.All(indexes, i => Assert.Equal(Collection, i.CollectionName));
        var chunkId = indexes.Single(i => i.FieldName == F.ChunkId);
        Assert.Equal(FieldType.Integer, chunkId.FieldType);
        Assert.Equal((true, false), (chunkId.FieldIndexParams.IntegerIndexParams.Lookup, chunkId.FieldIndexParams.IntegerIndexParams.Range));
        Assert.Equal(FieldType.Keyword, indexes.Single(i => i.FieldName == F.Corpus).FieldType);
        Assert.Null(indexes.Single(i => i.FieldName == F.Corpus).FieldIndexParams); // tenant only in a shared collection

        var upsert = Assert.Single(qdrant.Requests<UpsertPoints>("Points/Upsert"));
        Assert.True(upsert.Wait);
        var marker = Assert.Single(upsert.Points);
        Assert.Equal(PointIds.Corpus(Corpus).ToString(), marker.Id.Uuid);
        Assert.Equal(("corpus", Corpus, "de"), (marker.Payload[F.Kind].StringValue, marker.Payload[F.Corpus].StringValue, marker.Payload["language"].StringValue));
        Assert.Empty(marker.Vectors.Vectors_.Vectors);
    }

    [Fact]
    public async Task A_shared_collection_marks_the_corpus_field_as_its_tenant()
    {
        var options = TestQdrant.Options(configure: o => o.Tenancy = QdrantTenancy.SharedCollection);
        var qdrant = new RecordingCallInvoker()
            .OnSequence("Collections/Get", RecordingCallInvoker.Fail(StatusCode.NotFound, "Not found: Collection `legalrag_corpora` doesn't exist!"),
                () => CollectionInfo())
            .On("Collections/Create", new CollectionOperationResponse { Result = true })
            .On("Points/CreateFieldIndex", Completed)
            .On("Points/Scroll", Page())
            .On("Points/Upsert", Completed);
        var store = TestQdrant.Store(qdrant, options);

        await store.EnsureCorpusAsync(new CorpusInfo("fr-code-civil", "fr"), Ct);

        Assert.Equal("legalrag_corpora", store.CollectionFor("fr-code-civil"));
        var corpusIndex = qdrant.Requests<CreateFieldIndexCollection>("Points/CreateFieldIndex").Single(r => r.FieldName == F.Corpus);
        Assert.True(corpusIndex.FieldIndexParams.KeywordIndexParams.IsTenant);
    }

    [Fact]
    public async Task A_collection_with_another_vector_size_fails_at_ensure_before_anything_is_written()
    {
        var options = TestQdrant.Options(denseSize: 384);
        var qdrant = new RecordingCallInvoker().On("Collections/Get", CollectionInfo(denseSize: 768));
        var store = TestQdrant.Store(qdrant, options);

        var ex = await Assert.ThrowsAsync<QdrantConfigurationException>(() => store.EnsureCorpusAsync(new CorpusInfo(Corpus, "de"), Ct));

        Assert.Contains($"'{Collection}'", ex.Message);
        Assert.Contains("size 768", ex.Message);
        Assert.Contains("DenseSize is 384", ex.Message);
        Assert.All(qdrant.Calls, c => Assert.Equal("/qdrant.Collections/Get", c.Method));
    }

    [Fact]
    public async Task Validation_at_start_reports_every_misconfigured_collection()
    {
        var options = TestQdrant.Options(denseSize: 384);
        var qdrant = new RecordingCallInvoker()
            .On("Collections/List", Collections("legalrag_de-bundesrecht", "legalrag_fr-code-civil", "other_app"))
            .On<GetCollectionInfoRequest>("Collections/Get", request => request.CollectionName switch
            {
                "legalrag_de-bundesrecht" => CollectionInfo(denseSize: 1024),
                _ => CollectionInfo(denseSize: 384, distance: Distance.Dot, withSparse: false),
            });
        var store = TestQdrant.Store(qdrant, options);

        var ex = await Assert.ThrowsAsync<QdrantConfigurationException>(() => store.ValidateAsync(Ct));

        Assert.Contains("'legalrag_de-bundesrecht' stores dense vectors 'dense' of size 1024", ex.Message);
        Assert.Contains("'legalrag_fr-code-civil' uses distance Dot", ex.Message);
        Assert.Contains("'legalrag_fr-code-civil' has no sparse vector named 'sparse'", ex.Message);
        Assert.DoesNotContain(qdrant.Requests<GetCollectionInfoRequest>("Collections/Get"), r => r.CollectionName == "other_app"); // not ours: never read
    }

    [Fact]
    public async Task Validation_passes_for_matching_collections()
    {
        var qdrant = new RecordingCallInvoker()
            .On("Collections/List", Collections("legalrag_de-bundesrecht", "legalrag_fr-code-civil"))
            .On("Collections/Get", CollectionInfo(denseSize: 384));
        var store = TestQdrant.Store(qdrant, TestQdrant.Options(denseSize: 384));

        Assert.Equal(["legalrag_de-bundesrecht", "legalrag_fr-code-civil"], await store.ValidateAsync(Ct));
    }

    [Fact]
    public async Task Upserting_writes_points_then_drops_stale_ones_then_writes_the_document_marker()
    {
        var (qdrant, store) = ServerWithCorpus(configure: o => { o.DenseSize = TestEmbedder.Dimension; o.WriteOrdering = QdrantWriteOrdering.Strong; });
        var bgb = ConformanceData.Bgb(Corpus);
        var vectors = TestEmbedder.EmbedChunks("de", bgb.Chunks);

        var outcome = await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, vectors, Ct);

        Assert.Equal(UpsertOutcome.Added, outcome);
        var writes = qdrant.Calls.Where(c => c.Method is "/qdrant.Points/Upsert" or "/qdrant.Points/Delete").ToList();
        Assert.Equal(["/qdrant.Points/Upsert", "/qdrant.Points/Delete", "/qdrant.Points/Upsert"], writes.Select(c => c.Method));
        var upsert = (UpsertPoints)writes[0].Request;
        Assert.Equal((Collection, true, WriteOrderingType.Strong), (upsert.CollectionName, upsert.Wait, upsert.Ordering.Type));

        var points = upsert.Points;
        Assert.Equal(bgb.Document.Provisions.Count + bgb.Chunks.Count, points.Count);
        var provision = points.Single(p => p.Id.Uuid == PointIds.Provision(Corpus, "de-test/bgb/§573").ToString());
        Assert.Empty(provision.Vectors.Vectors_.Vectors);
        Assert.Equal(("provision", "573", "Section"),
            (provision.Payload[F.Kind].StringValue, provision.Payload[F.NumberNorm].StringValue, provision.Payload[F.ProvisionKind].StringValue));
        // Nested records become structs inside the payload, lists become list values.
        var paragraphs = provision.Payload["paragraphs"].ListValue.Values;
        Assert.Equal(2, paragraphs.Count);
        Assert.StartsWith("Der Vermieter kann nur kündigen", paragraphs[0].StructValue.Fields["text"].StringValue);

        var chunk = bgb.Chunks.Single(c => c.Citation == "BGB § 573 Abs. 1");
        var chunkPoint = points.Single(p => p.Id.Uuid == PointIds.Chunk(Corpus, chunk.ProvisionKey, chunk.Ordinal).ToString());
        var payload = chunkPoint.Payload;
        // An integer payload value, as the integer index and the any-of match on chunk ids need.
        Assert.Equal(Value.KindOneofCase.IntegerValue, payload[F.ChunkId].KindCase);
        Assert.Equal(PointIds.ChunkId(Corpus, chunk.ProvisionKey, 0), payload[F.ChunkId].IntegerValue);
        // The act name, its title and the title folded over inflection (ActAliases): every name a citation may use.
        Assert.Equal(["bgb", "burgerlichesgesetzbuch", "~burgerlich_gesetzbuch"], payload[F.ActKeys].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal((chunk.Text, "Buch 2 › Abschnitt 8 › Titel 5", bgb.Document.ContentHash),
            (payload["text"].StringValue, payload["hierarchy_path"].StringValue, payload[F.DocHash].StringValue));
        Assert.False(payload.ContainsKey("page")); // null members are left out, not stored as null

        var expectedSparse = store.Encoder.EncodeDocument("de", chunk.Heading, chunk.Text);
        var sparse = chunkPoint.Vectors.Vectors_.Vectors["sparse"].Sparse;
        Assert.Equal(expectedSparse.Indices, sparse.Indices);
        Assert.Equal(expectedSparse.Values, sparse.Values);
        Assert.Equal(vectors[bgb.Chunks.ToList().IndexOf(chunk)].ToArray(), chunkPoint.Vectors.Vectors_.Vectors["dense"].Dense.Data);

        var stale = ((DeletePoints)writes[1].Request).Points.Filter;
        Assert.Equal([(F.Corpus, Corpus), (F.SourcePath, "b/bgb/index.md")], Keywords(stale.Must));
        Assert.Equal([(F.DocHash, bgb.Document.ContentHash)], Keywords(stale.MustNot));

        var marker = Assert.Single(((UpsertPoints)writes[2].Request).Points).Payload;
        Assert.Equal(("document", bgb.Document.ContentHash, true, 5L),
            (marker[F.Kind].StringValue, marker[F.DocHash].StringValue, marker["has_dense"].BoolValue, marker["chunks"].IntegerValue));
    }

    [Fact]
    public async Task Upserts_go_out_in_batches_of_the_configured_size()
    {
        var (qdrant, store) = ServerWithCorpus(configure: o => o.BatchSize = 3);
        var bgb = ConformanceData.Bgb(Corpus); // 3 provisions + 5 chunks = 8 points, then the marker

        await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, Ct);

        Assert.Equal([3, 3, 2, 1], qdrant.Requests<UpsertPoints>("Points/Upsert").Select(u => u.Points.Count));
    }

    private static MapField DocumentMarker(string hash, bool hasDense) =>
        new((F.Kind, "document"), (F.Corpus, Corpus), ("language", "de"), (F.SourcePath, "b/bgb/index.md"), (F.DocHash, hash),
            ("title", "Bürgerliches Gesetzbuch"), ("abbreviation", "BGB"), ("format", "markdown"), ("provisions", 3L), ("chunks", 5L),
            ("has_dense", hasDense), ("ingested_at", "2025-11-20T09:05:00+00:00"));

    [Fact]
    public async Task An_unchanged_document_is_not_written_again()
    {
        var bgb = ConformanceData.Bgb(Corpus);
        var (qdrant, store) = ServerWithCorpus(DocumentMarker(bgb.Document.ContentHash, hasDense: true), o => o.DenseSize = TestEmbedder.Dimension);

        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, TestEmbedder.EmbedChunks("de", bgb.Chunks), Ct));
        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, Ct));
        Assert.Empty(qdrant.Requests<UpsertPoints>("Points/Upsert"));
        Assert.Empty(qdrant.Requests<DeletePoints>("Points/Delete"));
        Assert.Equal("b/bgb/index.md", Assert.Single(await store.ListDocumentPathsAsync(Corpus, Ct)));
    }

    [Theory]
    [InlineData("an older hash", true)]
    [InlineData(null, false)] // same text, but stored without embeddings: the vectors must be added
    public async Task A_changed_or_newly_embedded_document_is_replaced(string? storedHash, bool storedDense)
    {
        var bgb = ConformanceData.Bgb(Corpus);
        var (qdrant, store) = ServerWithCorpus(DocumentMarker(storedHash ?? bgb.Document.ContentHash, storedDense), o => o.DenseSize = TestEmbedder.Dimension);

        Assert.Equal(UpsertOutcome.Replaced, await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, TestEmbedder.EmbedChunks("de", bgb.Chunks), Ct));
        Assert.Equal(2, qdrant.Requests<UpsertPoints>("Points/Upsert").Count);
    }

    [Fact]
    public async Task Wrong_vectors_are_refused_naming_the_file_and_the_chunk()
    {
        var (qdrant, store) = ServerWithCorpus(configure: o => o.DenseSize = 4);
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
        Assert.Empty(qdrant.Calls);
    }

    [Fact]
    public async Task A_chunk_of_a_provision_the_document_lacks_is_refused()
    {
        var (qdrant, store) = ServerWithCorpus();
        var bgb = ConformanceData.Bgb(Corpus);
        var orphan = bgb.Chunks[0] with { ProvisionKey = "de-test/bgb/§999" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertDocumentAsync(Corpus, bgb.Document, [orphan], Ct));

        Assert.Contains("b/bgb/index.md", ex.Message);
        Assert.Contains("§999", ex.Message);
        Assert.Empty(qdrant.Requests<UpsertPoints>("Points/Upsert"));
    }

    [Fact]
    public async Task Ingesting_into_an_unknown_corpus_asks_for_ensure_first()
    {
        var qdrant = new RecordingCallInvoker().On("Collections/Get", RecordingCallInvoker.Fail(StatusCode.NotFound, "Not found: Collection `legalrag_nowhere` doesn't exist!"));
        var store = TestQdrant.Store(qdrant, TestQdrant.Options());
        var bgb = ConformanceData.Bgb("nowhere");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpsertDocumentAsync("nowhere", bgb.Document, bgb.Chunks, Ct));

        Assert.Contains("EnsureCorpusAsync", ex.Message);
        Assert.Contains("b/bgb/index.md", ex.Message);
    }

    private static QueryResponse Hits(params (Guid Id, float Score, long ChunkId, string ProvisionKey)[] hits)
    {
        var response = new QueryResponse();
        foreach (var hit in hits)
        {
            var point = new ScoredPoint { Id = hit.Id, Score = hit.Score };
            point.Payload[F.ChunkId] = hit.ChunkId;
            point.Payload[F.ProvisionKey] = hit.ProvisionKey;
            response.Result.Add(point);
        }
        return response;
    }

    [Fact]
    public async Task Lexical_search_sends_the_analyzed_query_as_a_sparse_vector_with_filters()
    {
        var (qdrant, store) = ServerWithCorpus(configure: o => o.ReadConsistency = "majority");
        qdrant.On("Points/Query", Hits((Guid.NewGuid(), 7.25f, 1001, "de-test/bgb/§573"), (Guid.NewGuid(), 3.5f, 1002, "de-test/bgb/§535")));

        var hits = await store.SearchLexicalAsync(LexicalQuery.AllTerms("Kündigung durch den Vermieter", "de"), 10, new SearchFilter(Corpus, "BGB"), Ct);

        Assert.Equal([new ChunkHit(1001, "de-test/bgb/§573", 7.25), new ChunkHit(1002, "de-test/bgb/§535", 3.5)], hits);
        var query = Assert.Single(qdrant.Requests<QueryPoints>("Points/Query"));
        Assert.Equal((Collection, "sparse", 10UL), (query.CollectionName, query.Using, query.Limit));
        var expected = store.Encoder.EncodeQuery(LexicalQuery.AllTerms("Kündigung durch den Vermieter", "de"));
        Assert.Equal(expected.Indices, query.Query.Nearest.Sparse.Indices);
        Assert.Equal(expected.Values, query.Query.Nearest.Sparse.Values);
        Assert.Equal(2, query.Query.Nearest.Sparse.Indices.Count); // "durch", "den" are stopwords
        Assert.Equal([(F.Kind, "chunk"), (F.Corpus, Corpus), (F.ActKeys, "bgb")], Keywords(query.Filter.Must));
        Assert.Equal([F.ChunkId, F.ProvisionKey], query.WithPayload.Include.Fields);
        Assert.Equal(ReadConsistencyType.Majority, query.ReadConsistency.Type);
        Assert.Empty(query.Prefetch);
    }

    [Fact]
    public async Task A_query_of_stopwords_only_sends_nothing()
    {
        var (qdrant, store) = ServerWithCorpus();
        Assert.Empty(await store.SearchLexicalAsync(LexicalQuery.AllTerms("und der die das", "de"), 10, new SearchFilter(Corpus), Ct));
        Assert.Empty(qdrant.Requests<QueryPoints>("Points/Query"));
    }

    [Fact]
    public async Task Dense_search_sends_the_vector_as_is_with_the_chunk_filter()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Points/Query", Hits((Guid.NewGuid(), 0.9f, 1001, "de-test/bgb/§573")));

        var hits = await store.SearchDenseAsync(new[] { 0.1f, 0.2f, 0.3f, 0.4f }, 3, new SearchFilter(Corpus), Ct);

        Assert.Equal(1001, Assert.Single(hits).ChunkId);
        var query = Assert.Single(qdrant.Requests<QueryPoints>("Points/Query"));
        Assert.Equal(("dense", 3UL), (query.Using, query.Limit));
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], query.Query.Nearest.Dense.Data);
        Assert.Equal([(F.Kind, "chunk"), (F.Corpus, Corpus)], Keywords(query.Filter.Must));
    }

    [Fact]
    public async Task Hybrid_search_prefetches_sparse_and_dense_and_fuses_by_reciprocal_rank()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Points/Query", Hits((Guid.NewGuid(), 0.5f, 1001, "de-test/bgb/§573")));

        var hits = await store.SearchHybridAsync(LexicalQuery.AllTerms("Kündigung Vermieter", "de"), new[] { 0.5f, 0.5f, 0.5f, 0.5f }, 5, new SearchFilter(Corpus, "BGB"), Ct);

        Assert.Equal(1001, Assert.Single(hits).ChunkId);
        var query = Assert.Single(qdrant.Requests<QueryPoints>("Points/Query"));
        Assert.Equal(Fusion.Rrf, query.Query.Fusion);
        Assert.Equal(5UL, query.Limit);
        Assert.Null(query.Filter); // the filter belongs to each prefetch: fusion only reorders their candidates
        Assert.Equal(["sparse", "dense"], query.Prefetch.Select(p => p.Using));
        Assert.All(query.Prefetch, p => Assert.Equal(20UL, p.Limit)); // limit × HybridPrefetchFactor
        Assert.All(query.Prefetch, p => Assert.Equal([(F.Kind, "chunk"), (F.Corpus, Corpus), (F.ActKeys, "bgb")], Keywords(p.Filter.Must)));
        Assert.Equal(store.Encoder.EncodeQuery(LexicalQuery.AllTerms("Kündigung Vermieter", "de")).Indices, query.Prefetch[0].Query.Nearest.Sparse.Indices);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], query.Prefetch[1].Query.Nearest.Dense.Data);
    }

    [Fact]
    public async Task Hybrid_search_of_stopwords_only_prefetches_the_dense_side_alone()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Points/Query", Hits());

        await store.SearchHybridAsync(LexicalQuery.AllTerms("und der die das", "de"), new[] { 1f, 0f, 0f, 0f }, 5, new SearchFilter(Corpus), Ct);

        Assert.Equal(["dense"], Assert.Single(qdrant.Requests<QueryPoints>("Points/Query")).Prefetch.Select(p => p.Using));
    }

    [Fact]
    public async Task Dense_search_refuses_a_query_vector_of_the_wrong_dimension()
    {
        var (qdrant, store) = ServerWithCorpus();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchDenseAsync(new float[3], 5, SearchFilter.None, Ct));
        Assert.Contains("3 dimensions", ex.Message);
        Assert.Empty(qdrant.Calls);
    }

    [Fact]
    public async Task Searching_all_corpora_queries_each_collection_and_merges_by_score()
    {
        var qdrant = new RecordingCallInvoker()
            .On("Collections/List", Collections("legalrag_de-bundesrecht", "legalrag_fr-code-civil"))
            .On<ScrollPoints>("Points/Scroll", request => request.CollectionName == "legalrag_de-bundesrecht"
                ? Page(Retrieved(PointIds.Corpus("de-bundesrecht"), CorpusMarker("de-bundesrecht", "de")))
                : Page(Retrieved(PointIds.Corpus("fr-code-civil"), CorpusMarker("fr-code-civil", "fr"))))
            .On<QueryPoints>("Points/Query", request => request.CollectionName == "legalrag_de-bundesrecht"
                ? Hits((Guid.NewGuid(), 0.91f, 11, "de/bgb/§573"), (Guid.NewGuid(), 0.42f, 12, "de/bgb/§535"))
                : Hits((Guid.NewGuid(), 0.77f, 21, "fr/code-civil/art1240")));
        var store = TestQdrant.Store(qdrant, TestQdrant.Options());

        var merged = await store.SearchDenseAsync(new float[] { 1, 0, 0, 0 }, 2, SearchFilter.None, Ct);

        Assert.Equal([11L, 21L], merged.Select(h => h.ChunkId));
        Assert.Equal(["legalrag_de-bundesrecht", "legalrag_fr-code-civil"], qdrant.Requests<QueryPoints>("Points/Query").Select(q => q.CollectionName).Order());
    }

    [Fact]
    public async Task Deleting_a_document_removes_every_point_of_its_source_in_one_request()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.OnSequence("Points/Count", () => new CountResponse { Result = new CountResult { Count = 9 } }, () => new CountResponse { Result = new CountResult { Count = 0 } });

        Assert.True(await store.DeleteDocumentAsync(Corpus, "b/bgb/index.md", Ct));
        Assert.False(await store.DeleteDocumentAsync(Corpus, "b/bgb/index.md", Ct));

        var delete = Assert.Single(qdrant.Requests<DeletePoints>("Points/Delete"));
        Assert.Equal([(F.Corpus, Corpus), (F.SourcePath, "b/bgb/index.md")], Keywords(delete.Points.Filter.Must));
        Assert.True(qdrant.Requests<CountPoints>("Points/Count").All(c => c.Exact));
    }

    [Fact]
    public async Task Chunks_are_read_back_by_id_in_the_order_asked()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Collections/List", Collections(Collection));
        MapField ChunkPayload(long id, int ordinal, string text) => new(
            (F.Kind, "chunk"), (F.Corpus, Corpus), ("language", "de"), (F.SourcePath, "b/bgb/index.md"), (F.DocHash, "h"), ("act", "BGB"),
            (F.ActKeys, new[] { "bgb" }), (F.ProvisionKey, "de-test/bgb/§573"), ("citation", $"BGB § 573 Abs. {ordinal + 1}"),
            ("heading", "Ordentliche Kündigung des Vermieters"), ("text", text), ("chunk_ordinal", (long)ordinal), (F.ChunkId, id),
            ("chunk_hash", "x"), ("hierarchy_path", "Buch 2"));
        qdrant.On<ScrollPoints>("Points/Scroll", request => KindOf(request.Filter) == "chunk"
            ? Page(Retrieved(Guid.NewGuid(), ChunkPayload(1001, 0, "Der Vermieter kann nur kündigen.")),
                   Retrieved(Guid.NewGuid(), ChunkPayload(1002, 1, "Ein berechtigtes Interesse liegt vor.")))
            : Page(Retrieved(PointIds.Corpus(Corpus), CorpusMarker())));

        var chunks = await store.GetChunksAsync([1002, 1001, 4242], Ct);

        Assert.Equal([1002L, 1001L], chunks.Select(c => c.Id));
        Assert.Equal(new StoredChunk(1001, "de-test/bgb/§573", 0, "BGB § 573 Abs. 1", "Ordentliche Kündigung des Vermieters", "Der Vermieter kann nur kündigen.", null), chunks[1]);
        var lookup = qdrant.Requests<ScrollPoints>("Points/Scroll").Single(r => KindOf(r.Filter) == "chunk");
        Assert.Equal(F.ChunkId, lookup.Filter.Must[1].Field.Key);
        Assert.Equal([1002L, 1001L, 4242L], lookup.Filter.Must[1].Field.Match.Integers.Integers);
        Assert.True(lookup.WithPayload.Enable);
        Assert.False(lookup.WithVectors.Enable);
    }

    [Fact]
    public async Task Official_fields_and_provenance_ride_on_the_provision_point_and_read_back()
    {
        var (qdrant, store) = ServerWithCorpus();
        var official = ConformanceData.Official(Corpus);
        var key = official.Document.Provisions[0].Key;
        await store.UpsertDocumentAsync(Corpus, official.Document, official.Chunks, Ct);
        var written = qdrant.Requests<UpsertPoints>("Points/Upsert")[0].Points.Single(p => p.Id.Uuid == PointIds.Provision(Corpus, key).ToString());
        // Dates as ISO strings, the provenance as a struct, lists as list values.
        Assert.Equal(("2023-01-01", "BJNR002670953", "ArbGerG"),
            (written.Payload["valid_from"].StringValue, written.Payload["act_identifier"].StringValue, written.Payload["act_aliases"].ListValue.Values[0].StringValue));
        Assert.Equal("Bundesministerium der Justiz", written.Payload["provenance"].StructValue.Fields["publisher"].StringValue);
        qdrant.On("Collections/List", Collections(Collection));
        qdrant.On<ScrollPoints>("Points/Scroll", request => KindOf(request.Filter) == "provision"
            ? Page(new RetrievedPoint { Id = written.Id, Payload = { written.Payload } })
            : Page(Retrieved(PointIds.Corpus(Corpus), CorpusMarker())));

        var stored = await store.GetProvisionAsync(key, Ct);

        Assert.NotNull(stored);
        var original = official.Document.Provisions[0];
        Assert.Equal((original.Identifier, original.ValidFrom, original.ValidTo), (stored.Provision.Identifier, stored.Provision.ValidFrom, stored.Provision.ValidTo));
        Assert.Equal(original.Notes, stored.Provision.Notes);
        Assert.Equal(("BJNR002670953", new DateOnly(1953, 9, 3)), (stored.Act?.Identifier, stored.Act?.ValidFrom));
        Assert.Equal(["ArbGerG"], stored.Act!.Aliases);
        Assert.Equal(official.Document.Provenance, stored.Act.Provenance);
        // The official alias is a lookup key of the point, so "§ 1 ArbGerG" finds it.
        Assert.Contains("arbgerg", written.Payload[F.ActKeys].ListValue.Values.Select(v => v.StringValue));
    }

    [Fact]
    public async Task A_provision_reads_back_as_it_was_written()
    {
        var (qdrant, store) = ServerWithCorpus();
        var bgb = ConformanceData.Bgb(Corpus);
        await store.UpsertDocumentAsync(Corpus, bgb.Document, bgb.Chunks, Ct);
        var written = qdrant.Requests<UpsertPoints>("Points/Upsert")[0].Points.Single(p => p.Id.Uuid == PointIds.Provision(Corpus, "de-test/bgb/§573").ToString());
        qdrant.On("Collections/List", Collections(Collection));
        qdrant.On<ScrollPoints>("Points/Scroll", request => KindOf(request.Filter) == "provision"
            ? Page(new RetrievedPoint { Id = written.Id, Payload = { written.Payload } })
            : Page(Retrieved(PointIds.Corpus(Corpus), CorpusMarker())));

        var stored = await store.GetProvisionAsync("de-test/bgb/§573", Ct);

        var original = bgb.Document.Provisions.Single(p => p.Key == "de-test/bgb/§573");
        Assert.NotNull(stored);
        Assert.Equal((Corpus, "de", "BGB", "Bürgerliches Gesetzbuch", "b/bgb/index.md"), (stored.Corpus, stored.Language, stored.ActName, stored.ActTitle, stored.SourcePath));
        Assert.Equal((original.Kind, original.Number, original.Heading, original.Citation, original.Ordinal),
            (stored.Provision.Kind, stored.Provision.Number, stored.Provision.Heading, stored.Provision.Citation, stored.Provision.Ordinal));
        Assert.Equal(original.Path, stored.Provision.Path);
        Assert.Equal(original.Paragraphs, stored.Provision.Paragraphs);
        var lookup = qdrant.Requests<ScrollPoints>("Points/Scroll").Last();
        Assert.Equal([(F.Kind, "provision"), (F.ProvisionKey, "de-test/bgb/§573")], Keywords(lookup.Filter.Must));
    }

    [Fact]
    public async Task Statistics_count_embeddings_by_the_presence_of_the_dense_vector()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Collections/List", Collections(Collection, "unrelated"));
        qdrant.On<CountPoints>("Points/Count", request => new CountResponse
        {
            Result = new CountResult
            {
                Count = request.Filter.Must.Any(c => c.HasVector is not null) ? 4UL
                    : KindOf(request.Filter) switch { "corpus" => 1UL, "document" => 2UL, "provision" => 6UL, _ => 9UL },
            },
        });

        Assert.Equal(new StoreStatistics(1, 2, 6, 9, 4), await store.GetStatisticsAsync(Ct));
        var embedded = qdrant.Requests<CountPoints>("Points/Count").Single(c => c.Filter.Must.Any(m => m.HasVector is not null));
        Assert.Equal("dense", embedded.Filter.Must.Single(m => m.HasVector is not null).HasVector.HasVector);
        Assert.All(qdrant.Requests<CountPoints>("Points/Count"), c => Assert.Equal(Collection, c.CollectionName)); // "unrelated" is not ours
    }

    [Fact]
    public async Task Status_reports_peers_and_unhealthy_replicas()
    {
        var (qdrant, store) = ServerWithCorpus();
        var cluster = new CollectionClusterInfoResponse { PeerId = 1, ShardCount = 2 };
        cluster.LocalShards.Add(new LocalShardInfo { ShardId = 0, PointsCount = 1200, State = ReplicaState.Active });
        cluster.RemoteShards.Add(new RemoteShardInfo { ShardId = 0, PeerId = 2, State = ReplicaState.Active });
        cluster.RemoteShards.Add(new RemoteShardInfo { ShardId = 1, PeerId = 2, State = ReplicaState.Active });
        cluster.RemoteShards.Add(new RemoteShardInfo { ShardId = 1, PeerId = 3, State = ReplicaState.Dead });
        qdrant.On("Qdrant/HealthCheck", new HealthCheckReply { Title = "qdrant", Version = "1.19.0" })
            .On("Collections/List", Collections(Collection))
            .On("Collections/CollectionClusterInfo", cluster);

        var status = await store.GetStatusAsync(Ct);

        Assert.Equal(("1.19.0", 3), (status.ServerVersion, status.Peers));
        var collection = Assert.Single(status.Collections);
        Assert.Equal((Collection, "Green", 42L, 3, 1), (collection.Name, collection.Status, collection.PointsCount, collection.ActiveReplicas, collection.UnhealthyReplicas));
    }

    [Fact]
    public async Task The_api_key_travels_as_a_call_header()
    {
        var qdrant = new RecordingCallInvoker().On("Collections/List", Collections());
        var store = TestQdrant.Store(qdrant, TestQdrant.Options(configure: o => o.ApiKey = "s3cret"));

        await store.ValidateAsync(Ct);

        Assert.Equal("s3cret", Assert.Single(qdrant.Calls).Headers.GetValue("api-key"));
    }

    [Fact]
    public async Task A_failed_call_names_the_operation_the_collection_and_the_endpoint()
    {
        var (qdrant, store) = ServerWithCorpus();
        qdrant.On("Points/Query", RecordingCallInvoker.Fail(StatusCode.Unavailable, "connection refused"));

        var ex = await Assert.ThrowsAsync<QdrantException>(() => store.SearchDenseAsync(new float[] { 1, 0, 0, 0 }, 5, new SearchFilter(Corpus), Ct));

        Assert.Equal(("query points", Collection, StatusCode.Unavailable, true), (ex.Operation, ex.Collection, ex.StatusCode, ex.IsTransient));
        Assert.Contains(TestQdrant.Url, ex.Message);
        Assert.Contains("connection refused", ex.Message);

        qdrant.On("Points/Query", RecordingCallInvoker.Fail(StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 384, got 4"));
        var rejected = await Assert.ThrowsAsync<QdrantException>(() => store.SearchDenseAsync(new float[] { 1, 0, 0, 0 }, 5, new SearchFilter(Corpus), Ct));
        Assert.False(rejected.IsTransient);
        Assert.Contains("Vector dimension error", rejected.Message);
    }

    [Fact]
    public void Unsafe_corpus_names_map_to_distinct_valid_collection_names()
    {
        var store = TestQdrant.Store(new RecordingCallInvoker(), TestQdrant.Options());

        Assert.Equal("legalrag_de-bundesrecht", store.CollectionFor("de-bundesrecht"));
        var a = store.CollectionFor("nl/wetten");
        var b = store.CollectionFor("nl?wetten");
        Assert.NotEqual(a, b);
        Assert.Matches("^legalrag_nl_wetten_[0-9a-f]{8}$", a);
    }
}
