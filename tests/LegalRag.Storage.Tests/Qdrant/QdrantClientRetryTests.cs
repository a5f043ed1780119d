using System.Net;
using LegalRag.Storage.Qdrant;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>Which failures are retried, how often, and what the caller learns when retrying does not help.</summary>
public sealed class QdrantClientRetryTests
{
    private const string Collection = "legalrag_de-test";
    private const string Points = "/collections/" + Collection + "/points";
    private const string Query = Points + "/query";
    private static readonly QueryRequest AnyQuery = new() { Query = new QueryInput.Dense([1f, 0f, 0f, 0f]), Using = "dense", Limit = 3 };
    private static readonly string EmptyResult = FakeReply.Ok("""{"points": []}""").Json!;

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Transient_statuses_are_retried_until_success(HttpStatusCode status)
    {
        var fake = new FakeQdrantHandler().OnSequence("POST", Query,
            FakeReply.Error(status, "Service temporarily overloaded"), FakeReply.Error(status, "Service temporarily overloaded"),
            FakeReply.Raw(HttpStatusCode.OK, EmptyResult));
        var client = TestQdrant.Client(fake);

        var hits = await client.QueryPointsAsync(Collection, AnyQuery, TestContext.Current.CancellationToken);

        Assert.Empty(hits);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(2, client.RetryCount);
    }

    [Fact]
    public async Task Refused_connections_are_retried_then_reported_as_unavailable()
    {
        var fake = new FakeQdrantHandler().On("POST", Query, FakeReply.ConnectionRefused);
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o => o.MaxRetries = 2));

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.QueryPointsAsync(Collection, AnyQuery, TestContext.Current.CancellationToken));

        Assert.Equal(3, fake.Requests.Count); // first try + 2 retries
        Assert.True(ex.IsTransient);
        Assert.Equal(3, ex.Attempts);
        Assert.Null(ex.StatusCode);
        Assert.Contains("POST /collections/{collection_name}/points/query", ex.Message);
        Assert.Contains(Collection, ex.Message);
        Assert.Contains(TestQdrant.Url, ex.Message);
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_names_collection_and_field()
    {
        var fake = new FakeQdrantHandler().On("POST", Query,
            FakeReply.Error(HttpStatusCode.BadRequest, "Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]"));
        var client = TestQdrant.Client(fake);

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.QueryPointsAsync(Collection, AnyQuery with { Limit = 0 }, TestContext.Current.CancellationToken));

        Assert.Single(fake.Requests);
        Assert.Equal(0, client.RetryCount);
        Assert.False(ex.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("limit", ex.Field);
        Assert.Equal(Collection, ex.Collection);
        Assert.Contains($"collection '{Collection}'", ex.Message);
        Assert.Contains("field limit", ex.Message);
        Assert.Contains("must be 1 or larger", ex.Message);
    }

    [Fact]
    public async Task A_parse_error_position_is_turned_into_the_json_path_of_the_field()
    {
        var fake = new FakeQdrantHandler().On("PUT", Points, request =>
        {
            // Point the error at the dense vector of the second point, as serde would by line and column.
            var column = request.Body!.IndexOf("\"dense\"", request.Body.IndexOf("\"dense\"", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 10;
            return FakeReply.Error(HttpStatusCode.BadRequest, $"Format error in JSON body: invalid type: string \"x\", expected f32 at line 1 column {column}");
        });
        var client = TestQdrant.Client(fake);
        var vectors = new Dictionary<string, VectorValue> { ["dense"] = new DenseVector([1f, 2f, 3f, 4f]) };

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.UpsertPointsAsync(Collection,
            [new PointStruct(new PointId("1"), vectors, null), new PointStruct(new PointId("2"), vectors, null)], TestContext.Current.CancellationToken));

        Assert.Equal("$.points[1].vector.dense[0]", ex.Field);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Server_overload_is_retried_but_gives_up_after_max_retries()
    {
        var fake = new FakeQdrantHandler().On("PUT", Points, FakeReply.Error(HttpStatusCode.ServiceUnavailable, "Service Unavailable: shard transfer in progress"));
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o => o.MaxRetries = 4));

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.UpsertPointsAsync(Collection,
            [new PointStruct(new PointId("1"), new Dictionary<string, VectorValue>(), null)], TestContext.Current.CancellationToken));

        Assert.Equal(5, fake.Requests.Count);
        Assert.True(ex.IsTransient);
        Assert.Contains("shard transfer in progress", ex.Message);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var fake = new FakeQdrantHandler().OnSequence("POST", Query,
            new FakeReply(HttpStatusCode.TooManyRequests, FakeReply.Error(HttpStatusCode.TooManyRequests, "Too many requests").Json, RetryAfter: TimeSpan.FromMilliseconds(300)),
            FakeReply.Raw(HttpStatusCode.OK, EmptyResult));
        var client = TestQdrant.Client(fake);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await client.QueryPointsAsync(Collection, AnyQuery, TestContext.Current.CancellationToken);

        // Retry-After has one-second resolution on the wire: a 300 ms delta is sent as 0 or 1 s; the wait is what the header said.
        Assert.Equal(2, fake.Requests.Count);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_hung_attempt_times_out_and_is_retried()
    {
        var fake = new FakeQdrantHandler().OnSequence("POST", Query, FakeReply.Hangs, FakeReply.Raw(HttpStatusCode.OK, EmptyResult));
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o => o.Timeout = TimeSpan.FromMilliseconds(200)));

        await client.QueryPointsAsync(Collection, AnyQuery, TestContext.Current.CancellationToken);

        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(1, client.RetryCount);
    }

    [Fact]
    public async Task Caller_cancellation_stops_at_once_without_retrying()
    {
        var fake = new FakeQdrantHandler().On("POST", Query, FakeReply.Hangs);
        var client = TestQdrant.Client(fake);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(150));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryPointsAsync(Collection, AnyQuery, cts.Token));

        Assert.Single(fake.Requests);
        Assert.Equal(0, client.RetryCount);
    }

    [Fact]
    public async Task Snapshot_creation_is_not_repeated_after_a_server_error()
    {
        var fake = new FakeQdrantHandler().On("POST", "/collections/" + Collection + "/snapshots", FakeReply.Error(HttpStatusCode.InternalServerError, "Service internal error: disk full"));
        var client = TestQdrant.Client(fake);

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.CreateSnapshotAsync(Collection, TestContext.Current.CancellationToken));

        Assert.Single(fake.Requests); // a retry could leave two snapshots
        Assert.Contains("disk full", ex.Message);
    }

    [Fact]
    public async Task A_missing_collection_reads_as_null_but_a_missing_route_elsewhere_is_an_error()
    {
        var fake = new FakeQdrantHandler()
            .On("GET", "/collections/" + Collection, FakeReply.Error(HttpStatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!"))
            .On("POST", Query, FakeReply.Error(HttpStatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!"));
        var client = TestQdrant.Client(fake);
        var ct = TestContext.Current.CancellationToken;

        Assert.Null(await client.GetCollectionAsync(Collection, ct));
        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.QueryPointsAsync(Collection, AnyQuery, ct));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("doesn't exist", ex.Message);
    }

    [Fact]
    public async Task An_oversized_answer_is_refused_not_buffered()
    {
        var huge = FakeReply.Ok("{\"points\": [" + string.Join(",", Enumerable.Repeat("""{"id": 1, "version": 1, "score": 0.5}""", 200)) + "]}");
        var fake = new FakeQdrantHandler().On("POST", Query, huge);
        var client = TestQdrant.Client(fake, TestQdrant.Options(configure: o => o.MaxResponseBytes = 2048));

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.QueryPointsAsync(Collection, AnyQuery, TestContext.Current.CancellationToken));

        Assert.Contains("2048-byte limit", ex.Message);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_wait_timeout_is_reported_not_taken_for_success()
    {
        var fake = new FakeQdrantHandler().On("PUT", Points, FakeReply.Ok("""{"operation_id": 9, "status": "wait_timeout"}"""));
        var client = TestQdrant.Client(fake);

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.UpsertPointsAsync(Collection,
            [new PointStruct(new PointId("1"), new Dictionary<string, VectorValue>(), null)], TestContext.Current.CancellationToken));

        Assert.Contains("did not apply it within its wait timeout", ex.Message);
    }

    [Fact]
    public async Task Non_json_error_pages_are_reported_verbatim()
    {
        var fake = new FakeQdrantHandler().On("GET", "/collections", new FakeReply(HttpStatusCode.Forbidden, "<html>403 Forbidden: missing api-key</html>"));
        var client = TestQdrant.Client(fake);

        var ex = await Assert.ThrowsAsync<QdrantException>(() => client.ListCollectionsAsync(TestContext.Current.CancellationToken));

        Assert.Single(fake.Requests);
        Assert.Contains("missing api-key", ex.Message);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }
}
