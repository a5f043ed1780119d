using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>One request as the fake server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string? Body, string? ApiKey)
{
    public JsonNode? Json => Body is null ? null : JsonNode.Parse(Body);

    public IReadOnlyDictionary<string, string> QueryValues =>
        Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "", StringComparer.Ordinal);
}

/// <summary>What the fake answers: a status and JSON body, or a failure to connect, or a hang until cancelled.</summary>
internal sealed record FakeReply(HttpStatusCode Status, string? Json, bool Refuse = false, bool Hang = false, TimeSpan? RetryAfter = null)
{
    public static FakeReply Ok(string resultJson) => new(HttpStatusCode.OK, $$"""{"result":{{resultJson}},"status":"ok","time":0.0012}""");
    public static FakeReply Raw(HttpStatusCode status, string json) => new(status, json);
    public static FakeReply Error(HttpStatusCode status, string message) =>
        new(status, $$"""{"status":{"error":{{System.Text.Json.JsonSerializer.Serialize(message)}}},"time":0.0001}""");
    public static FakeReply ConnectionRefused { get; } = new(0, null, Refuse: true);
    public static FakeReply Hangs { get; } = new(0, null, Hang: true);
}

/// <summary>
/// A hand-written stand-in for a Qdrant server at the HTTP boundary: records every request and answers from
/// routes registered per method and path. A request with no route fails the test loudly.
/// </summary>
internal sealed class FakeQdrantHandler : HttpMessageHandler
{
    private readonly List<(string Method, string Path, Func<RecordedRequest, FakeReply> Respond)> _routes = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) return _requests.ToList(); } }

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>Answers every matching request with <paramref name="respond"/>; later registrations win.</summary>
    public FakeQdrantHandler On(string method, string path, Func<RecordedRequest, FakeReply> respond)
    {
        lock (_gate) _routes.Insert(0, (method, path, respond));
        return this;
    }

    public FakeQdrantHandler On(string method, string path, FakeReply reply) => On(method, path, _ => reply);

    /// <summary>Answers successive requests with the given replies in order, repeating the last.</summary>
    public FakeQdrantHandler OnSequence(string method, string path, params FakeReply[] replies)
    {
        var next = 0;
        return On(method, path, _ => replies[Math.Min(Interlocked.Increment(ref next) - 1, replies.Length - 1)]);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var apiKey = request.Headers.TryGetValues("api-key", out var values) ? values.Single() : null;
        var recorded = new RecordedRequest(request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.AbsolutePath), request.RequestUri.Query, body, apiKey);
        Func<RecordedRequest, FakeReply>? respond;
        lock (_gate)
        {
            _requests.Add(recorded);
            respond = _routes.FirstOrDefault(r => r.Method == recorded.Method && r.Path == recorded.Path).Respond;
        }
        if (respond is null) throw new InvalidOperationException($"The fake Qdrant has no route for {recorded.Method} {recorded.Path}.");

        var reply = respond(recorded);
        if (reply.Refuse)
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (fake)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        if (reply.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        var response = new HttpResponseMessage(reply.Status)
        {
            Content = new StringContent(reply.Json ?? "", Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
        if (reply.RetryAfter is { } wait) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    }
}
