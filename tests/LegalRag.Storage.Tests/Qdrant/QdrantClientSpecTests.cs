using System.Text.Json;
using System.Text.Json.Nodes;
using LegalRag.Storage.Qdrant;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>Every request the client can send is checked against the Qdrant OpenAPI spec (v1.19), and every
/// response it reads comes from a fixture that is itself checked against the spec's response schema.</summary>
public sealed class QdrantClientSpecTests
{
    private const string Collection = "legalrag_de-test";
    private const string C = "/collections/" + Collection;

    private static FakeQdrantHandler ServerWithEveryRoute(OpenApiSpec spec)
    {
        var fake = new FakeQdrantHandler();
        void Route(string method, string path, string resultJson)
        {
            var envelope = FakeReply.Ok(resultJson);
            SpecConformance.ValidResponse(spec, method, path, 200, envelope.Json!);
            fake.On(method, path, envelope);
        }
        Route("GET", "/collections", QdrantFixtures.CollectionsList);
        Route("GET", C + "/exists", """{"exists": true}""");
        Route("GET", C, QdrantFixtures.CollectionInfo(indexedFields: ["kind", "chunk_id"]));
        Route("PUT", C, "true");
        Route("DELETE", C, "true");
        Route("POST", "/collections/aliases", "true");
        Route("GET", C + "/aliases", QdrantFixtures.Aliases);
        Route("PUT", C + "/index", QdrantFixtures.UpdateCompleted);
        Route("PUT", C + "/points", QdrantFixtures.UpdateCompleted);
        Route("POST", C + "/points/delete", QdrantFixtures.UpdateCompleted);
        Route("POST", C + "/points/query", QdrantFixtures.ScoredPoints(("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", 0.83, 123456789, "de-test/bgb/§573")));
        Route("POST", C + "/points/scroll", QdrantFixtures.ScrollPage([("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c", """{"kind":"chunk","chunk_id":123456789}""")]));
        Route("POST", C + "/points/count", QdrantFixtures.Count(1234));
        Route("GET", "/cluster", QdrantFixtures.ClusterEnabled);
        Route("GET", C + "/cluster", QdrantFixtures.CollectionCluster);
        Route("POST", C + "/snapshots", QdrantFixtures.Snapshot);
        Route("GET", C + "/snapshots", QdrantFixtures.SnapshotList);
        Route("PUT", C + "/snapshots/recover", "true");
        return fake;
    }

    private static readonly string[] EveryOperation =
    [
        "GET /collections", "GET /collections/{collection_name}/exists", "GET /collections/{collection_name}",
        "PUT /collections/{collection_name}", "DELETE /collections/{collection_name}", "POST /collections/aliases",
        "GET /collections/{collection_name}/aliases", "PUT /collections/{collection_name}/index",
        "PUT /collections/{collection_name}/points", "POST /collections/{collection_name}/points/delete",
        "POST /collections/{collection_name}/points/query", "POST /collections/{collection_name}/points/scroll",
        "POST /collections/{collection_name}/points/count", "GET /cluster", "GET /collections/{collection_name}/cluster",
        "POST /collections/{collection_name}/snapshots", "GET /collections/{collection_name}/snapshots",
        "PUT /collections/{collection_name}/snapshots/recover",
    ];

    private static readonly Filter EveryConditionKind = new()
    {
        Must =
        [
            Condition.Equal("kind", "chunk"),
            Condition.Equal("chunk_ordinal", 3L),
            Condition.Equal("is_repealed", false),
            Condition.AnyOf("corpus", ["de-test", "fr-test"]),
            Condition.AnyOf("chunk_id", [1L, 2L, 3L]),
            Condition.HasVectorNamed("dense"),
        ],
        Should = [Condition.Where(Filter.All(Condition.Equal("act_keys", "bgb")))],
        MustNot = [Condition.Equal("doc_hash", "4f2a")],
    };

    [Fact]
    public async Task Every_client_operation_sends_what_the_spec_accepts()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var fake = ServerWithEveryRoute(spec);
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o =>
        {
            o.WriteOrdering = QdrantWriteOrdering.Strong;
            o.ReadConsistency = "majority";
            o.ApiKey = "test-key-not-a-secret";
        }));
        var ct = TestContext.Current.CancellationToken;

        await client.ListCollectionsAsync(ct);
        await client.CollectionExistsAsync(Collection, ct);
        await client.GetCollectionAsync(Collection, ct);
        await client.CreateCollectionAsync(Collection, new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { ["dense"] = new(4, QdrantDistance.Cosine) },
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["sparse"] = new() { Modifier = SparseModifier.Idf } },
            ShardNumber = 3,
            ReplicationFactor = 2,
            WriteConsistencyFactor = 1,
        }, ct);
        await client.DeleteCollectionAsync(Collection, ct);
        await client.UpdateAliasesAsync(new ChangeAliasesRequest(
        [
            new AliasAction.Delete("legalrag_de_live"),
            new AliasAction.Create(Collection, "legalrag_de_live"),
            new AliasAction.Rename("legalrag_de_live", "legalrag_de_current"),
        ]), ct);
        await client.ListCollectionAliasesAsync(Collection, ct);
        await client.CreatePayloadIndexAsync(Collection, new CreateFieldIndexRequest("corpus", new PayloadIndexParams(PayloadSchemaType.Keyword) { IsTenant = true }), ct);
        await client.CreatePayloadIndexAsync(Collection, new CreateFieldIndexRequest("chunk_id", new PayloadIndexParams(PayloadSchemaType.Integer) { Lookup = true, Range = false }), ct);
        await client.UpsertPointsAsync(Collection,
        [
            new PointStruct(PointId.FromGuid(PointIds.Chunk("de-test", "de-test/bgb/§573", 0)),
                new Dictionary<string, VectorValue>
                {
                    ["dense"] = new DenseVector([0.1f, -0.2f, 0.3f, 0.9f]),
                    ["sparse"] = new SparseVector([7, 4_000_000_000], [0.8f, 1.3f]),
                },
                new JsonObject { ["kind"] = "chunk", ["text"] = "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat.", ["page"] = null }),
            new PointStruct(PointId.FromGuid(PointIds.Document("de-test", "b/bgb/index.md")), new Dictionary<string, VectorValue>(),
                new JsonObject { ["kind"] = "document" }),
            new PointStruct(new PointId("42"), new Dictionary<string, VectorValue> { ["sparse"] = new SparseVector([], []) }, null),
        ], ct);
        await client.DeletePointsAsync(Collection, EveryConditionKind, ct);
        await client.DeletePointsAsync(Collection, [PointId.FromGuid(PointIds.Corpus("de-test")), new PointId("42")], ct);
        await client.QueryPointsAsync(Collection, new QueryRequest
        {
            Prefetch =
            [
                new Prefetch { Query = new QueryInput.Sparse(new SparseVector([7, 99], [1f, 1f])), Using = "sparse", Filter = EveryConditionKind, Limit = 40 },
                new Prefetch { Query = new QueryInput.Dense([0.1f, 0.2f, 0.3f, 0.4f]), Using = "dense", Limit = 40, ScoreThreshold = 0.2f },
            ],
            Query = new QueryInput.ReciprocalRankFusion(),
            Limit = 10,
            WithPayload = PayloadSelector.Fields("chunk_id", "provision_key"),
        }, ct);
        await client.QueryPointsAsync(Collection, new QueryRequest
        {
            Query = new QueryInput.Dense([0.1f, 0.2f, 0.3f, 0.4f]), Using = "dense", Filter = EveryConditionKind,
            ScoreThreshold = 0.5f, Limit = 5, Offset = 5, WithPayload = PayloadSelector.Everything, WithVector = false,
        }, ct);
        await client.QueryPointsAsync(Collection, new QueryRequest { Prefetch = [new Prefetch { Query = new QueryInput.Dense([1f, 0f, 0f, 0f]), Using = "dense" }], Query = new QueryInput.DistributionBasedFusion(), WithPayload = PayloadSelector.Nothing }, ct);
        await client.ScrollPointsAsync(Collection, new ScrollRequest { Filter = EveryConditionKind, Limit = 100, Offset = JsonValue.Create("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c"), WithPayload = PayloadSelector.Everything, WithVector = false }, ct);
        await client.CountPointsAsync(Collection, new CountRequest { Filter = EveryConditionKind }, ct);
        await client.GetClusterStatusAsync(ct);
        await client.GetCollectionClusterInfoAsync(Collection, ct);
        await client.CreateSnapshotAsync(Collection, ct);
        await client.ListSnapshotsAsync(Collection, ct);
        await client.RecoverSnapshotAsync(Collection, new SnapshotRecoverRequest("file:///qdrant/snapshots/legalrag_de-test/s1.snapshot") { Priority = SnapshotPriority.Snapshot, Checksum = "9c1185a5" }, ct);

        SpecConformance.AssertAllConform(spec, fake.Requests);
        var exercised = fake.Requests.Select(r => spec.FindOperation(r.Method, r.Path)!.Name).ToHashSet();
        Assert.Equal(EveryOperation.Order(), exercised.Order());
        Assert.All(fake.Requests, r => Assert.Equal("test-key-not-a-secret", r.ApiKey));
    }

    [Fact]
    public async Task Responses_are_read_into_typed_results()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var client = TestQdrant.Client(ServerWithEveryRoute(spec));
        var ct = TestContext.Current.CancellationToken;

        var collections = await client.ListCollectionsAsync(ct);
        Assert.Equal(["legalrag_de-bundesrecht", "legalrag_fr-code-civil", "other_app"], collections);

        var info = await client.GetCollectionAsync(Collection, ct);
        Assert.NotNull(info);
        Assert.Equal("green", info.Status);
        Assert.Equal(42, info.PointsCount);
        var dense = info.Config.Params.NamedVectors();
        Assert.Equal(new VectorParams(384, QdrantDistance.Cosine), dense["dense"]);
        Assert.Equal(SparseModifier.Idf, info.Config.Params.SparseVectors!["sparse"].Modifier);
        Assert.Equal(["chunk_id", "kind"], info.PayloadSchema.Keys.Order());

        var hits = await client.QueryPointsAsync(Collection, new QueryRequest { Query = new QueryInput.Dense([1f, 0f, 0f, 0f]), Using = "dense" }, ct);
        Assert.Equal(0.83, Assert.Single(hits).Score, 6);
        Assert.Equal(123456789L, hits[0].Payload!["chunk_id"]!.GetValue<long>());

        Assert.Equal(1234, await client.CountPointsAsync(Collection, new CountRequest(), ct));

        var cluster = await client.GetClusterStatusAsync(ct);
        Assert.Equal("enabled", cluster.Status);
        Assert.Equal(3, cluster.Peers!.Count);
        Assert.Equal(5473829301L, cluster.RaftInfo!.Leader);

        var shards = await client.GetCollectionClusterInfoAsync(Collection, ct);
        Assert.Equal(2, shards.ShardCount);
        Assert.Equal("Dead", shards.RemoteShards[2].State);

        var snapshots = await client.ListSnapshotsAsync(Collection, ct);
        Assert.Equal(18350080, Assert.Single(snapshots).Size);
        var aliases = await client.ListCollectionAliasesAsync(Collection, ct);
        Assert.Equal("legalrag_de_live", Assert.Single(aliases).AliasName);
    }

    [Fact]
    public void A_single_unnamed_vector_config_is_read_too()
    {
        var parameters = JsonNode.Parse("""{"vectors":{"size":768,"distance":"Dot"},"shard_number":1}""")!.Deserialize<CollectionParams>(QdrantJson.Options)!;
        Assert.Equal(new VectorParams(768, QdrantDistance.Dot), parameters.NamedVectors()[""]);
    }

    [Fact]
    public async Task Upserts_are_split_into_batches_each_waited_for()
    {
        var spec = SharedReference.RequireQdrantSpec();
        var fake = new FakeQdrantHandler().On("PUT", C + "/points", FakeReply.Ok(QdrantFixtures.UpdateCompleted));
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o => o.BatchSize = 2));
        var points = Enumerable.Range(0, 5).Select(i => new PointStruct(PointId.FromGuid(PointIds.Chunk("de-test", "k", i)),
            new Dictionary<string, VectorValue> { ["dense"] = new DenseVector([i, 0, 0, 1]) }, new JsonObject { ["i"] = i })).ToList();

        await client.UpsertPointsAsync(Collection, points, TestContext.Current.CancellationToken);

        var requests = fake.RequestsTo("PUT", C + "/points");
        Assert.Equal([2, 2, 1], requests.Select(r => r.Json!["points"]!.AsArray().Count));
        Assert.All(requests, r => Assert.Equal("true", r.QueryValues["wait"]));
        Assert.Equal(points.Select(p => p.Id.Value), requests.SelectMany(r => r.Json!["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>())));
        SpecConformance.AssertAllConform(spec, requests);
    }

    [Fact]
    public async Task Scroll_all_follows_next_page_offsets()
    {
        var spec = SharedReference.RequireQdrantSpec();
        const string second = "9b2e3c4d-0000-5000-8000-000000000002";
        var fake = new FakeQdrantHandler().On("POST", C + "/points/scroll", request =>
            request.Json!["offset"] is null
                ? FakeReply.Ok(QdrantFixtures.ScrollPage([("9b2e3c4d-0000-5000-8000-000000000001", """{"n":1}""")], nextOffset: second))
                : FakeReply.Ok(QdrantFixtures.ScrollPage([(second, """{"n":2}""")])));
        var client = TestQdrant.Client(fake);

        var all = new List<int>();
        await foreach (var p in client.ScrollAllAsync(Collection, new ScrollRequest { Limit = 1, WithPayload = PayloadSelector.Everything }, TestContext.Current.CancellationToken))
            all.Add(p.Payload!["n"]!.GetValue<int>());

        Assert.Equal([1, 2], all);
        Assert.Equal(second, fake.Requests[1].Json!["offset"]!.GetValue<string>());
        SpecConformance.AssertAllConform(spec, fake.Requests);
    }

    [Fact]
    public void Error_and_wait_timeout_fixtures_match_the_spec()
    {
        var spec = SharedReference.RequireQdrantSpec();
        SpecConformance.ValidResponse(spec, "PUT", C + "/points", 400, FakeReply.Error(System.Net.HttpStatusCode.BadRequest, "Wrong input: Vector dimension error: expected dim: 4, got 3").Json!);
        SpecConformance.ValidResponse(spec, "GET", C, 404, FakeReply.Error(System.Net.HttpStatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!").Json!);
        SpecConformance.ValidResponse(spec, "PUT", C + "/points", 200, FakeReply.Ok("""{"operation_id": 9, "status": "wait_timeout"}""").Json!);
        SpecConformance.ValidResponse(spec, "GET", "/cluster", 200, FakeReply.Ok(QdrantFixtures.ClusterDisabled).Json!);
    }
}
