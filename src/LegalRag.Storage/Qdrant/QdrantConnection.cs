using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// A <see cref="QdrantClient"/> over a gRPC channel built from <see cref="QdrantOptions"/>: retries come from
/// the channel's own retry policy (no retry loop of ours), the API key travels as the <c>api-key</c> call
/// header, and <see cref="QdrantOptions.Timeout"/> is each call's deadline. Disposing closes the channel.
/// </summary>
public sealed class QdrantConnection : IDisposable
{
    /// <summary>The gRPC status codes that mean "not handled, try again": Qdrant down or restarting, overloaded, or an aborted transaction.</summary>
    public static readonly IReadOnlyList<StatusCode> RetryableStatusCodes = [StatusCode.Unavailable, StatusCode.ResourceExhausted, StatusCode.Aborted];

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel? _channel;

    private QdrantConnection(QdrantClient client, GrpcChannel? channel)
    {
        Client = client;
        _channel = channel;
    }

    public QdrantClient Client { get; }

    /// <summary>Connects to <see cref="QdrantOptions.Url"/>; no call is made until the store needs one.</summary>
    /// <param name="handler">Replaces the channel's HTTP handler (a proxy, or a test server at the HTTP/2 boundary).</param>
    public static QdrantConnection Open(QdrantOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        loggerFactory ??= NullLoggerFactory.Instance;
        var channel = GrpcChannel.ForAddress(options.Url, ChannelOptions(options, loggerFactory, handler));
        try
        {
            var grpc = new QdrantGrpcClient(WithApiKey(channel.CreateCallInvoker(), options.ApiKey));
            return new QdrantConnection(new QdrantClient(grpc, options.Timeout, loggerFactory), channel);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>A client over any call invoker (tests record the calls this way); the invoker's owner closes it.</summary>
    public static QdrantConnection Over(CallInvoker invoker, QdrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        return new QdrantConnection(new QdrantClient(new QdrantGrpcClient(WithApiKey(invoker, options.ApiKey)), options.Timeout, NullLoggerFactory.Instance), null);
    }

    /// <summary>The channel settings: retry policy, message size limit and retry buffers.</summary>
    public static GrpcChannelOptions ChannelOptions(QdrantOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? handler = null)
    {
        var channelOptions = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxResponseBytes,
            LoggerFactory = loggerFactory,
            HttpHandler = handler,
            DisposeHttpClient = true,
            // An upsert batch is buffered for a possible retry only up to this size; a larger one is sent once.
            MaxRetryBufferPerCallSize = 32 << 20,
            MaxRetryBufferSize = 128 << 20,
            // After a failed connect the channel waits before connecting again, and calls fail at once in the
            // meantime; gRPC's default wait grows to 120 s, so a Qdrant that came back would stay "unavailable"
            // for up to two minutes. Capped like the call retries: back within about 10 s of Qdrant returning.
            InitialReconnectBackoff = options.RetryBaseDelay,
            MaxReconnectBackoff = options.RetryBaseDelay > MaxBackoff ? options.RetryBaseDelay : MaxBackoff,
        };
        if (options.MaxRetries > 0)
        {
            var retry = new RetryPolicy
            {
                MaxAttempts = options.MaxRetries + 1,
                InitialBackoff = options.RetryBaseDelay,
                MaxBackoff = options.RetryBaseDelay > MaxBackoff ? options.RetryBaseDelay : MaxBackoff,
                BackoffMultiplier = 2,
            };
            foreach (var code in RetryableStatusCodes) retry.RetryableStatusCodes.Add(code);
            // The channel caps every policy at MaxRetryAttempts (5 unless raised).
            channelOptions.MaxRetryAttempts = retry.MaxAttempts;
            channelOptions.ServiceConfig = new ServiceConfig { MethodConfigs = { new MethodConfig { Names = { MethodName.Default }, RetryPolicy = retry } } };
        }
        return channelOptions;
    }

    private static CallInvoker WithApiKey(CallInvoker invoker, string? apiKey) =>
        string.IsNullOrEmpty(apiKey)
            ? invoker
            : invoker.Intercept(metadata =>
            {
                metadata.Add("api-key", apiKey);
                return metadata;
            });

    public void Dispose()
    {
        Client.Dispose();
        _channel?.Dispose();
    }
}
