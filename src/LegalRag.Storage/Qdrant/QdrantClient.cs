using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// A small typed client for the Qdrant REST API (written against the v1.19 OpenAPI spec; the official
/// .NET client is not available here). Every call retries transient failures — no connection, timeouts,
/// 5xx and 429 — with exponential backoff and jitter; 4xx answers are not retried and become a
/// <see cref="QdrantException"/> naming the operation, the collection and, where it can be told, the field.
/// </summary>
public sealed class QdrantClient
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly QdrantOptions _options;
    private readonly Uri _baseUri;
    private long _retries;

    /// <param name="http">Its own Timeout is not used: each attempt gets <see cref="QdrantOptions.Timeout"/>.</param>
    public QdrantClient(HttpClient http, QdrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _http = http;
        _options = options;
        var url = options.Url.EndsWith('/') ? options.Url : options.Url + "/";
        _baseUri = new Uri(url, UriKind.Absolute);
    }

    public QdrantOptions Options => _options;

    /// <summary>Retries made so far by this client (all calls together), for status output.</summary>
    public long RetryCount => Interlocked.Read(ref _retries);

    #region Collections

    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync<CollectionsResponse>(HttpMethod.Get, "/collections", null, "collections", null, null,
            cancellationToken).ConfigureAwait(false);
        return result!.Collections.Select(c => c.Name).ToList();
    }

    public async Task<bool> CollectionExistsAsync(string collection, CancellationToken cancellationToken)
    {
        var result = await SendAsync<CollectionExistence>(HttpMethod.Get, "/collections/{collection_name}/exists", collection,
            $"collections/{Esc(collection)}/exists", null, null, cancellationToken).ConfigureAwait(false);
        return result!.Exists;
    }

    /// <summary>The collection's configuration and counts, or null when it does not exist.</summary>
    public Task<CollectionInfo?> GetCollectionAsync(string collection, CancellationToken cancellationToken) =>
        SendAsync<CollectionInfo>(HttpMethod.Get, "/collections/{collection_name}", collection,
            $"collections/{Esc(collection)}", null, null, cancellationToken, notFoundIsNull: true);

    public Task CreateCollectionAsync(string collection, CreateCollectionRequest request, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Put, "/collections/{collection_name}", collection,
            $"collections/{Esc(collection)}", null, request, cancellationToken);

    /// <summary>Deletes a collection; false when it did not exist.</summary>
    public async Task<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken) =>
        await SendAsync<bool>(HttpMethod.Delete, "/collections/{collection_name}", collection,
            $"collections/{Esc(collection)}", null, null, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);

    public Task UpdateAliasesAsync(ChangeAliasesRequest request, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Post, "/collections/aliases", null, "collections/aliases", null, request, cancellationToken);

    public async Task<IReadOnlyList<AliasDescription>> ListCollectionAliasesAsync(string collection, CancellationToken cancellationToken)
    {
        var result = await SendAsync<CollectionsAliasesResponse>(HttpMethod.Get, "/collections/{collection_name}/aliases", collection,
            $"collections/{Esc(collection)}/aliases", null, null, cancellationToken).ConfigureAwait(false);
        return result!.Aliases;
    }

    public Task CreatePayloadIndexAsync(string collection, CreateFieldIndexRequest request, CancellationToken cancellationToken) =>
        SendAsync<UpdateResult>(HttpMethod.Put, "/collections/{collection_name}/index", collection,
            $"collections/{Esc(collection)}/index", WriteQuery(), request, cancellationToken);

    #endregion

    #region Points

    /// <summary>Upserts in batches of <see cref="QdrantOptions.BatchSize"/>, each waited for (wait=true), so a
    /// returned call means the points are searchable. Re-sending a batch is harmless: ids are deterministic.</summary>
    public async Task UpsertPointsAsync(string collection, IReadOnlyList<PointStruct> points, CancellationToken cancellationToken)
    {
        for (var start = 0; start < points.Count; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = points.Skip(start).Take(_options.BatchSize).ToList();
            var result = await SendAsync<UpdateResult>(HttpMethod.Put, "/collections/{collection_name}/points", collection,
                $"collections/{Esc(collection)}/points", WriteQuery(), new UpsertPointsRequest(batch), cancellationToken).ConfigureAwait(false);
            EnsureCompleted(result, "upsert", collection);
        }
    }

    public async Task DeletePointsAsync(string collection, Filter filter, CancellationToken cancellationToken)
    {
        var result = await SendAsync<UpdateResult>(HttpMethod.Post, "/collections/{collection_name}/points/delete", collection,
            $"collections/{Esc(collection)}/points/delete", WriteQuery(), new DeletePointsByFilterRequest(filter), cancellationToken).ConfigureAwait(false);
        EnsureCompleted(result, "delete", collection);
    }

    public async Task DeletePointsAsync(string collection, IReadOnlyList<PointId> ids, CancellationToken cancellationToken)
    {
        var result = await SendAsync<UpdateResult>(HttpMethod.Post, "/collections/{collection_name}/points/delete", collection,
            $"collections/{Esc(collection)}/points/delete", WriteQuery(), new DeletePointsByIdRequest(ids), cancellationToken).ConfigureAwait(false);
        EnsureCompleted(result, "delete", collection);
    }

    public async Task<IReadOnlyList<ScoredPoint>> QueryPointsAsync(string collection, QueryRequest request, CancellationToken cancellationToken)
    {
        var result = await SendAsync<QueryResponse>(HttpMethod.Post, "/collections/{collection_name}/points/query", collection,
            $"collections/{Esc(collection)}/points/query", ReadQuery(), request, cancellationToken).ConfigureAwait(false);
        return result!.Points;
    }

    public async Task<ScrollResult> ScrollPointsAsync(string collection, ScrollRequest request, CancellationToken cancellationToken) =>
        (await SendAsync<ScrollResult>(HttpMethod.Post, "/collections/{collection_name}/points/scroll", collection,
            $"collections/{Esc(collection)}/points/scroll", ReadQuery(), request, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Every point matching the request, page by page (the request's limit is the page size).</summary>
    public async IAsyncEnumerable<PointRecord> ScrollAllAsync(string collection, ScrollRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = request;
        while (true)
        {
            var result = await ScrollPointsAsync(collection, page, cancellationToken).ConfigureAwait(false);
            foreach (var point in result.Points) yield return point;
            if (result.NextPageOffset is null || result.Points.Count == 0) yield break;
            page = page with { Offset = result.NextPageOffset.DeepClone() };
        }
    }

    public async Task<long> CountPointsAsync(string collection, CountRequest request, CancellationToken cancellationToken) =>
        (await SendAsync<CountResult>(HttpMethod.Post, "/collections/{collection_name}/points/count", collection,
            $"collections/{Esc(collection)}/points/count", ReadQuery(), request, cancellationToken).ConfigureAwait(false))!.Count;

    #endregion

    #region Cluster and snapshots

    public async Task<ClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken) =>
        (await SendAsync<ClusterStatus>(HttpMethod.Get, "/cluster", null, "cluster", null, null, cancellationToken).ConfigureAwait(false))!;

    public async Task<CollectionClusterInfo> GetCollectionClusterInfoAsync(string collection, CancellationToken cancellationToken) =>
        (await SendAsync<CollectionClusterInfo>(HttpMethod.Get, "/collections/{collection_name}/cluster", collection,
            $"collections/{Esc(collection)}/cluster", null, null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Creates a snapshot and waits for it. Not retried after a send that may have reached the server,
    /// since a retry would make a second snapshot.</summary>
    public async Task<SnapshotDescription> CreateSnapshotAsync(string collection, CancellationToken cancellationToken) =>
        (await SendAsync<SnapshotDescription>(HttpMethod.Post, "/collections/{collection_name}/snapshots", collection,
            $"collections/{Esc(collection)}/snapshots", "wait=true", null, cancellationToken, idempotent: false).ConfigureAwait(false))!;

    public async Task<IReadOnlyList<SnapshotDescription>> ListSnapshotsAsync(string collection, CancellationToken cancellationToken) =>
        (await SendAsync<List<SnapshotDescription>>(HttpMethod.Get, "/collections/{collection_name}/snapshots", collection,
            $"collections/{Esc(collection)}/snapshots", null, null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Restores a collection from a snapshot URL (http(s) or file:// on the server) and waits for it.</summary>
    public Task RecoverSnapshotAsync(string collection, SnapshotRecoverRequest request, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Put, "/collections/{collection_name}/snapshots/recover", collection,
            $"collections/{Esc(collection)}/snapshots/recover", "wait=true", request, cancellationToken, idempotent: false);

    #endregion

    #region Transport

    private static string Esc(string collection) => Uri.EscapeDataString(collection);

    private string WriteQuery() =>
        _options.WriteOrdering is { } ordering
            ? "wait=true&ordering=" + ordering.ToString().ToLowerInvariant()
            : "wait=true";

    private string? ReadQuery() =>
        _options.ReadConsistency is { } consistency ? "consistency=" + Uri.EscapeDataString(consistency) : null;

    private static void EnsureCompleted(UpdateResult? result, string what, string collection)
    {
        // With wait=true Qdrant answers "completed"; "wait_timeout" means the change is queued but not yet visible.
        if (result is { Status: UpdateStatus.WaitTimeout })
            throw new QdrantException($"Qdrant accepted the {what} on collection '{collection}' but did not apply it within its wait timeout; it may still be applied.",
                what, collection, HttpStatusCode.OK, "wait_timeout", null, isTransient: true, attempts: 1);
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string operationTemplate, string? collection, string relativePath,
        string? query, object? body, CancellationToken cancellationToken, bool notFoundIsNull = false, bool idempotent = true)
    {
        var operation = $"{method.Method} {operationTemplate}";
        var uri = new Uri(_baseUri, query is null ? relativePath : relativePath + "?" + query);
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), QdrantJson.Options);
        var maxAttempts = _options.MaxRetries + 1;
        Exception? lastFailure = null;
        string? lastDescription = null;

        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? retryAfter = null;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCts.CancelAfter(_options.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(method, uri);
                    if (payload is not null)
                    {
                        request.Content = new ByteArrayContent(payload);
                        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    }
                    if (!string.IsNullOrEmpty(_options.ApiKey)) request.Headers.TryAddWithoutValidation("api-key", _options.ApiKey);

                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                    var bytes = await ReadLimitedAsync(response, operation, collection, attemptCts.Token).ConfigureAwait(false);

                    if (response.IsSuccessStatusCode)
                        return ParseResult<T>(bytes, operation, collection, payload);

                    var status = response.StatusCode;
                    if (status == HttpStatusCode.NotFound && notFoundIsNull) return default;

                    var serverError = QdrantErrorParser.ReadServerError(bytes);
                    var transientStatus = (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
                    // A 429 or 503 means the server refused before doing anything, so even unsafe calls may retry.
                    var mayRetry = idempotent || status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
                    if (!transientStatus || !mayRetry)
                    {
                        var field = QdrantErrorParser.FindField(serverError, payload);
                        throw new QdrantException(
                            Describe(operation, collection, $"{(int)status} {status}", serverError, field),
                            operation, collection, status, serverError, field, isTransient: transientStatus, attempts: attempt);
                    }
                    lastDescription = $"{(int)status} {status}: {serverError ?? "no error text"}";
                    lastFailure = null;
                    retryAfter = RetryAfter(response);
                }
                catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // No response at all. Unsafe calls retry only when the connection was refused: then nothing was sent.
                    if (!idempotent && !IsConnectionRefused(ex))
                        throw new QdrantException(Describe(operation, collection, "no response", ex.Message, null),
                            operation, collection, null, ex.Message, null, isTransient: true, attempts: attempt, ex);
                    lastFailure = ex;
                    lastDescription = "no response: " + ex.Message;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Our per-attempt timeout fired, not the caller's token.
                    if (!idempotent)
                        throw new QdrantException(Describe(operation, collection, $"timed out after {_options.Timeout.TotalSeconds:0.#} s", null, null),
                            operation, collection, null, null, null, isTransient: true, attempts: attempt, ex);
                    lastFailure = ex;
                    lastDescription = $"timed out after {_options.Timeout.TotalSeconds:0.#} s";
                }
            }

            if (attempt < maxAttempts)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(Backoff(attempt, retryAfter), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new QdrantException(
            $"Qdrant unavailable: {operation}{OnCollection(collection)} failed {maxAttempts} time(s); last: {lastDescription}. Check that Qdrant runs at {_options.Url}.",
            operation, collection, null, lastDescription, null, isTransient: true, attempts: maxAttempts, lastFailure);
    }

    private static string OnCollection(string? collection) => collection is null ? "" : $" on collection '{collection}'";

    private static string Describe(string operation, string? collection, string what, string? serverError, string? field) =>
        $"Qdrant rejected {operation}{OnCollection(collection)} ({what})"
        + (field is null ? "" : $", field {field}")
        + (serverError is null ? "." : $": {serverError}");

    private T? ParseResult<T>(byte[] bytes, string operation, string? collection, byte[]? payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("error", out var error))
            {
                var text = error.GetString();
                var field = QdrantErrorParser.FindField(text, payload);
                throw new QdrantException(Describe(operation, collection, "error status", text, field),
                    operation, collection, HttpStatusCode.OK, text, field, isTransient: false, attempts: 1);
            }
            if (!root.TryGetProperty("result", out var result))
                throw new JsonException("the response has no 'result'");
            return result.Deserialize<T>(QdrantJson.Options);
        }
        catch (JsonException ex)
        {
            throw new QdrantException($"Qdrant answered {operation}{OnCollection(collection)} with a body this client cannot read: {ex.Message}",
                operation, collection, HttpStatusCode.OK, null, null, isTransient: false, attempts: 1, ex);
        }
    }

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, string operation, string? collection, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > limit)
            throw TooLarge(operation, collection, declared, limit);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(operation, collection, buffer.Length + read, limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static QdrantException TooLarge(string operation, string? collection, long size, long limit) =>
        new($"Qdrant's answer to {operation}{OnCollection(collection)} exceeds the {limit}-byte limit (at least {size} bytes); ask for fewer points or raise MaxResponseBytes.",
            operation, collection, null, null, null, isTransient: false, attempts: 1);

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait) return wait > MaxRetryAfter ? MaxRetryAfter : wait;
        var baseMs = _options.RetryBaseDelay.TotalMilliseconds;
        var exponential = baseMs * Math.Pow(2, attempt - 1);
        var jittered = exponential + Random.Shared.NextDouble() * baseMs;
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxBackoff.TotalMilliseconds));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) { var d = date - DateTimeOffset.UtcNow; return d > TimeSpan.Zero ? d : TimeSpan.Zero; }
        return null;
    }

    private static bool IsConnectionRefused(HttpRequestException ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
        || ex.HttpRequestError == HttpRequestError.ConnectionError;

    #endregion
}
