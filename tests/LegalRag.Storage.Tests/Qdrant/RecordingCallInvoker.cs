using Google.Protobuf;
using Grpc.Core;
using LegalRag.Storage.Qdrant;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>One gRPC call as the client sent it: the method ("/qdrant.Points/Upsert"), the request message and its headers.</summary>
internal sealed record RecordedCall(string Method, IMessage Request, Metadata Headers);

/// <summary>
/// A gRPC <see cref="CallInvoker"/> standing in for Qdrant: it records every call <c>Qdrant.Client</c> makes and
/// answers from replies registered per method. A call nobody registered fails the test with the method named.
/// Qdrant's API is unary only, so only unary calls are served.
/// </summary>
internal sealed class RecordingCallInvoker : CallInvoker
{
    private readonly Dictionary<string, Func<IMessage, IMessage>> _replies = new(StringComparer.Ordinal);
    private readonly List<RecordedCall> _calls = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<RecordedCall> Calls
    {
        get { lock (_lock) return _calls.ToList(); }
    }

    /// <summary>Answers every call of <paramref name="method"/> (e.g. "Points/Query") with what <paramref name="reply"/> makes of the request.</summary>
    public RecordingCallInvoker On<TRequest>(string method, Func<TRequest, IMessage> reply) where TRequest : IMessage
    {
        _replies["/qdrant." + method] = request => reply((TRequest)request);
        return this;
    }

    public RecordingCallInvoker On(string method, IMessage reply) => On<IMessage>(method, _ => reply);

    /// <summary>Answers (or fails, see <see cref="Fail"/>) every call of <paramref name="method"/> anew.</summary>
    public RecordingCallInvoker On(string method, Func<IMessage> reply) => On<IMessage>(method, _ => reply());

    /// <summary>Answers calls of <paramref name="method"/> with the replies in turn, the last one repeated.</summary>
    public RecordingCallInvoker OnSequence(string method, params Func<IMessage>[] replies)
    {
        var next = 0;
        return On<IMessage>(method, _ => replies[Math.Min(next++, replies.Length - 1)]());
    }

    /// <summary>The requests sent to <paramref name="method"/>, in order.</summary>
    public IReadOnlyList<T> Requests<T>(string method) where T : IMessage =>
        Calls.Where(c => c.Method == "/qdrant." + method).Select(c => (T)c.Request).ToList();

    public static Func<IMessage> Fail(StatusCode code, string detail) => () => throw new RpcException(new Status(code, detail));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var message = (IMessage)request;
        lock (_lock) _calls.Add(new RecordedCall(method.FullName, message, options.Headers ?? []));
        Task<TResponse> response;
        try
        {
            if (!_replies.TryGetValue(method.FullName, out var reply))
                throw new RpcException(new Status(StatusCode.Unimplemented, $"the test registered no reply for {method.FullName}"));
            options.CancellationToken.ThrowIfCancellationRequested();
            // Round-trip through bytes, as the wire would: the client sees a fresh message, never our instance.
            var answer = reply(message);
            if (answer is not TResponse)
                throw new InvalidOperationException($"the test answered {method.FullName} with a {answer.GetType().Name}; the client expects a {typeof(TResponse).Name}");
            var fresh = (IMessage)Activator.CreateInstance(typeof(TResponse))!;
            fresh.MergeFrom(answer.ToByteArray());
            response = Task.FromResult((TResponse)fresh);
        }
        catch (Exception ex)
        {
            response = Task.FromException<TResponse>(ex);
        }
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException($"Qdrant has no streaming calls; the client asked for {method.FullName}.");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"Qdrant has no streaming calls; the client asked for {method.FullName}.");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException($"Qdrant has no streaming calls; the client asked for {method.FullName}.");
}

/// <summary>Options and stores wired to a <see cref="RecordingCallInvoker"/>.</summary>
internal static class TestQdrant
{
    public const string Url = "http://qdrant.test:6334";

    public static QdrantOptions Options(int denseSize = 4, Action<QdrantOptions>? configure = null)
    {
        var options = new QdrantOptions { Url = Url, DenseSize = denseSize, MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        configure?.Invoke(options);
        return options;
    }

    public static QdrantStore Store(RecordingCallInvoker invoker, QdrantOptions options) =>
        new(QdrantConnection.Over(invoker, options), options);
}
