using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using LegalRag.Storage.Qdrant;
using Qdrant.Client.Grpc;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// The gRPC channel <see cref="QdrantConnection"/> builds, exercised over a fake HTTP/2 handler that answers
/// as a gRPC server would: retries of Unavailable come from the channel's own retry policy, the API key is a
/// request header, and a failure that outlasts the retries reaches the caller as a <see cref="QdrantException"/>.
/// </summary>
public sealed class QdrantConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Answers each gRPC request with the next status in the script (the last repeats); OK carries <see cref="Reply"/>.</summary>
    private sealed class ScriptedGrpcHandler(IMessage reply, params StatusCode[] script) : HttpMessageHandler
    {
        private int _calls;
        public List<HttpRequestMessage> Requests { get; } = [];
        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var status = script[Math.Min(Interlocked.Increment(ref _calls) - 1, script.Length - 1)];
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, RequestMessage = request };
            if (status != StatusCode.OK)
            {
                // A trailers-only response: the status travels in the headers and there is no body.
                response.Content = new ByteArrayContent([]);
                response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
                response.Headers.Add("grpc-status", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                response.Headers.Add("grpc-message", "qdrant restarting");
                return Task.FromResult(response);
            }
            // One length-prefixed message (no compression), then the status in the trailers.
            var body = reply.ToByteArray();
            var frame = new byte[5 + body.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
            body.CopyTo(frame, 5);
            response.Content = new ByteArrayContent(frame);
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            response.TrailingHeaders.Add("grpc-status", "0");
            return Task.FromResult(response);
        }
    }

    private static QdrantOptions Options(int maxRetries, string? apiKey = null) =>
        TestQdrant.Options(configure: o => { o.MaxRetries = maxRetries; o.RetryBaseDelay = TimeSpan.FromMilliseconds(1); o.ApiKey = apiKey; });

    [Fact]
    public async Task Unavailable_is_retried_by_the_channel_until_qdrant_answers()
    {
        var handler = new ScriptedGrpcHandler(new HealthCheckReply { Title = "qdrant", Version = "1.19.0" },
            StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.OK);
        using var connection = QdrantConnection.Open(Options(maxRetries: 3, apiKey: "s3cret"), handler: handler);

        var health = await connection.Client.HealthAsync(Ct);

        Assert.Equal("1.19.0", health.Version);
        Assert.Equal(3, handler.Calls);
        Assert.All(handler.Requests, r => Assert.Equal("s3cret", Assert.Single(r.Headers.GetValues("api-key"))));
        Assert.All(handler.Requests, r => Assert.Equal("/qdrant.Qdrant/HealthCheck", r.RequestUri!.AbsolutePath));
    }

    [Fact]
    public async Task When_the_retries_run_out_the_store_names_the_operation_and_the_endpoint()
    {
        var handler = new ScriptedGrpcHandler(new ListCollectionsResponse(), StatusCode.Unavailable);
        var options = Options(maxRetries: 2);
        using var connection = QdrantConnection.Open(options, handler: handler);
        var store = new QdrantStore(connection, options);

        var ex = await Assert.ThrowsAsync<QdrantException>(() => store.ValidateAsync(Ct));

        Assert.Equal(3, handler.Calls); // the first attempt and two retries
        Assert.Equal((StatusCode.Unavailable, "list collections"), (ex.StatusCode, ex.Operation));
        Assert.Contains(TestQdrant.Url, ex.Message);
        Assert.Contains("2 retries", ex.Message);
    }

    [Fact]
    public async Task Without_retries_one_failure_is_final_and_a_rejection_is_never_retried()
    {
        var unavailable = new ScriptedGrpcHandler(new HealthCheckReply(), StatusCode.Unavailable, StatusCode.OK);
        using (var connection = QdrantConnection.Open(Options(maxRetries: 0), handler: unavailable))
            await Assert.ThrowsAsync<RpcException>(() => connection.Client.HealthAsync(Ct));
        Assert.Equal(1, unavailable.Calls);

        var rejected = new ScriptedGrpcHandler(new HealthCheckReply(), StatusCode.InvalidArgument, StatusCode.OK);
        using (var connection = QdrantConnection.Open(Options(maxRetries: 3), handler: rejected))
            Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => connection.Client.HealthAsync(Ct))).StatusCode);
        Assert.Equal(1, rejected.Calls);
    }

    [Fact]
    public void The_retry_policy_follows_the_options()
    {
        var channel = QdrantConnection.ChannelOptions(TestQdrant.Options(configure: o => { o.MaxRetries = 6; o.RetryBaseDelay = TimeSpan.FromMilliseconds(400); o.MaxResponseBytes = 1 << 20; }));

        var policy = Assert.Single(channel.ServiceConfig!.MethodConfigs).RetryPolicy!;
        Assert.Equal(7, policy.MaxAttempts);
        Assert.Equal(7, channel.MaxRetryAttempts); // the channel caps every policy at this
        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.InitialBackoff);
        Assert.Equal(QdrantConnection.RetryableStatusCodes, policy.RetryableStatusCodes);
        Assert.Equal(1 << 20, channel.MaxReceiveMessageSize);
        Assert.Null(QdrantConnection.ChannelOptions(TestQdrant.Options(configure: o => o.MaxRetries = 0)).ServiceConfig);
    }
}
