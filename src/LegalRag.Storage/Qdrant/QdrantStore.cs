using System.Collections.Concurrent;
using Grpc.Core;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Versions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using F = LegalRag.Storage.Qdrant.QdrantPayloadFields;
using Provision = LegalRag.Core.Domain.Provision;

namespace LegalRag.Storage.Qdrant;

/// <summary>What the store knows of one of its collections, for status output.</summary>
public sealed record QdrantCollectionStatus(
    string Name, string Status, long PointsCount, int ShardNumber, int ReplicationFactor, int WriteConsistencyFactor,
    int ActiveReplicas, int UnhealthyReplicas);

/// <summary>Server and collection health for status output. <see cref="Peers"/> counts the peers holding shards of our collections.</summary>
public sealed record QdrantStoreStatus(string Url, string ServerVersion, int Peers, IReadOnlyList<QdrantCollectionStatus> Collections);

/// <summary>
/// The index on Qdrant, through <see cref="QdrantClient"/> (gRPC): one collection per corpus (or one shared
/// collection with a tenant field), a named dense vector for embeddings and a named sparse vector (modifier
/// idf) for the lexical side, built from the same <c>TextAnalyzer</c> terms as the embedded BM25 index.
/// The store answers narrow questions ("these terms, this filter, top n"; "nearest vectors, this filter");
/// which terms to ask for and how results are ranked afterwards is retrieval's business.
/// Stores never embed text: dense vectors come in through <see cref="UpsertDocumentAsync(string, LegalDocument, IReadOnlyList{Chunk}, IReadOnlyList{ReadOnlyMemory{float}}?, CancellationToken)"/>.
/// </summary>
public sealed partial class QdrantStore : ILegalStore
{
    /// <summary>Most results one search may ask for; larger limits are cut, not sent.</summary>
    public const int MaxSearchLimit = 1000;
    /// <summary>Most chunk ids one <see cref="GetChunksAsync"/> call may resolve.</summary>
    public const int MaxChunkLookup = 10_000;
    private const int ScrollPageSize = 256;
    private static readonly TimeSpan CorpusListTtl = TimeSpan.FromSeconds(30);

    private readonly QdrantClient _client;
    private readonly QdrantOptions _options;
    private readonly SparseTermEncoder _encoder;
    private readonly ILogger _logger;
    private readonly ReadConsistency? _readConsistency;
    private readonly WriteOrderingType? _writeOrdering;
    private readonly ConcurrentDictionary<string, CorpusRecord> _corpora = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _readyCollections = new(StringComparer.Ordinal);
    private volatile CorpusListCache? _corpusList;
    private QdrantConnection? _ownedConnection;

    private sealed record CorpusListCache(DateTimeOffset At, IReadOnlyList<CorpusRecord> Records);

    /// <param name="connection">Stays the caller's: disposing the store does not close it.</param>
    public QdrantStore(QdrantConnection connection, QdrantOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _client = connection.Client;
        _options = options;
        _encoder = SparseTermEncoder.FromOptions(options);
        _logger = logger ?? NullLogger.Instance;
        _readConsistency = ReadConsistencyOf(options.ReadConsistency);
        _writeOrdering = options.WriteOrdering switch
        {
            null => null,
            QdrantWriteOrdering.Weak => WriteOrderingType.Weak,
            QdrantWriteOrdering.Medium => WriteOrderingType.Medium,
            _ => WriteOrderingType.Strong,
        };
    }

    /// <summary>A store over its own gRPC connection to <see cref="QdrantOptions.Url"/>, closed when the store is disposed.</summary>
    /// <param name="logger">Where the store says what it created (collections, payload indexes).</param>
    public static QdrantStore Create(QdrantOptions options, ILogger? logger = null)
    {
        var connection = QdrantConnection.Open(options);
        return new QdrantStore(connection, options, logger) { _ownedConnection = connection };
    }

    /// <summary>Closes the connection when <see cref="Create"/> opened it.</summary>
    public void Dispose()
    {
        _ownedConnection?.Dispose();
        _ownedConnection = null;
    }

    public QdrantClient Client => _client;
    public SparseTermEncoder Encoder => _encoder;

    /// <summary>The collection that holds a corpus.</summary>
    public string CollectionFor(string corpus)
    {
        if (_options.Tenancy == QdrantTenancy.SharedCollection) return _options.CollectionPrefix + "corpora";
        var safe = corpus.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') && corpus.Length <= 120;
        if (safe) return _options.CollectionPrefix + corpus;
        // Keep names readable but unique: unsafe characters become '_' and a hash of the real name is appended.
        var cleaned = new string(corpus.Take(100).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return $"{_options.CollectionPrefix}{cleaned}_{Hashing.Sha256Hex(corpus)[..8]}";
    }

    private static ReadConsistency? ReadConsistencyOf(string? setting) => setting switch
    {
        null => null,
        "majority" => new ReadConsistency { Type = ReadConsistencyType.Majority },
        "quorum" => new ReadConsistency { Type = ReadConsistencyType.Quorum },
        "all" => new ReadConsistency { Type = ReadConsistencyType.All },
        _ => new ReadConsistency { Factor = ulong.Parse(setting, System.Globalization.CultureInfo.InvariantCulture) },
    };

    #region Calls

    /// <summary>Runs one client call, turning a gRPC failure into a <see cref="QdrantException"/> that names what failed and where.</summary>
    private async Task<T> CallAsync<T>(string operation, string? collection, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure(operation, collection, ex);
        }
    }

    private Task CallAsync(string operation, string? collection, Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(operation, collection, async () => { await call().ConfigureAwait(false); return true; }, cancellationToken);

    private QdrantException Failure(string operation, string? collection, RpcException ex)
    {
        var where = collection is null ? "" : $" on collection '{collection}'";
        // A connection reset while the call was under way (Qdrant restarting, a proxy dropping it) surfaces
        // as Internal; it is an outage, not a Qdrant error, and the caller should hear "try again".
        var status = ex.StatusCode == StatusCode.Internal && IsTransportFailure(ex.Status.DebugException) ? StatusCode.Unavailable : ex.StatusCode;
        var message = status switch
        {
            StatusCode.Unavailable => $"Qdrant unavailable: {operation}{where} failed ({_options.MaxRetries} retries): {ex.Status.Detail.TrimEnd('.')}. " +
                                      $"Check that Qdrant's gRPC port answers at {_options.Url}.",
            StatusCode.DeadlineExceeded => $"Qdrant did not answer {operation}{where} within {_options.Timeout.TotalSeconds:0.#} s ({QdrantOptions.SectionName}:Timeout).",
            StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
                $"Qdrant refused {operation}{where}: {ex.Status.Detail}. Check {QdrantOptions.SectionName}:ApiKey (LegalRag__Qdrant__ApiKey).",
            _ => $"Qdrant rejected {operation}{where} ({ex.StatusCode}): {ex.Status.Detail}",
        };
        return new QdrantException(message, operation, collection, status, ex);
    }

    private static bool IsTransportFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is IOException or HttpRequestException or System.Net.Sockets.SocketException) return true;
        return false;
    }

    private async Task<CollectionInfo?> GetCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetCollectionInfoAsync(collection, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException ex) when (!(ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested))
        {
            throw Failure("get collection", collection, ex);
        }
    }

    private Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        CallAsync("list collections", null, () => _client.ListCollectionsAsync(cancellationToken), cancellationToken);

    /// <summary>Writes points in batches of <see cref="QdrantOptions.BatchSize"/>, each waited for, so a returned call
    /// means the points are searchable. Re-sending a batch is harmless: ids are deterministic.</summary>
    private async Task UpsertAsync(string collection, IReadOnlyList<PointStruct> points, CancellationToken cancellationToken)
    {
        for (var start = 0; start < points.Count; start += _options.BatchSize)
        {
            var batch = points.Skip(start).Take(_options.BatchSize).ToList();
            var result = await CallAsync("upsert points", collection,
                () => _client.UpsertAsync(collection, batch, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            EnsureApplied(result, "upsert points", collection);
        }
    }

    private async Task DeleteAsync(string collection, Filter filter, CancellationToken cancellationToken)
    {
        var result = await CallAsync("delete points", collection,
            () => _client.DeleteAsync(collection, filter, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        EnsureApplied(result, "delete points", collection);
    }

    private static void EnsureApplied(UpdateResult result, string operation, string collection)
    {
        // With wait=true Qdrant answers Completed; WaitTimeout means queued but not yet visible.
        if (result.Status is UpdateStatus.Completed or UpdateStatus.Acknowledged) return;
        throw new QdrantException($"Qdrant accepted {operation} on collection '{collection}' but answered {result.Status}: the change may not be applied yet.",
            operation, collection, StatusCode.DeadlineExceeded);
    }

    private async Task<long> CountAsync(string collection, Filter filter, CancellationToken cancellationToken) =>
        (long)await CallAsync("count points", collection,
            () => _client.CountAsync(collection, filter, exact: true, readConsistency: _readConsistency, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);

    private Task<ScrollResponse> ScrollAsync(string collection, Filter filter, uint limit, WithPayloadSelector payload, CancellationToken cancellationToken, PointId? offset = null) =>
        CallAsync("scroll points", collection,
            () => _client.ScrollAsync(collection, filter, limit, offset, payload, vectorsSelector: false, readConsistency: _readConsistency, cancellationToken: cancellationToken),
            cancellationToken);

    /// <summary>Every point matching the filter, page by page.</summary>
    private async IAsyncEnumerable<RetrievedPoint> ScrollAllAsync(string collection, Filter filter, uint pageSize, WithPayloadSelector payload,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PointId? offset = null;
        while (true)
        {
            var page = await ScrollAsync(collection, filter, pageSize, payload, cancellationToken, offset).ConfigureAwait(false);
            foreach (var point in page.Result) yield return point;
            if (page.NextPageOffset is null || page.Result.Count == 0) yield break;
            offset = page.NextPageOffset;
        }
    }

    private Task<IReadOnlyList<ScoredPoint>> QueryAsync(string collection, Query query, IReadOnlyList<PrefetchQuery>? prefetch, string? usingVector,
        Filter? filter, int limit, CancellationToken cancellationToken) =>
        CallAsync("query points", collection,
            () => _client.QueryAsync(collection, query, prefetch, usingVector, filter, limit: (ulong)limit, payloadSelector: HitFields,
                readConsistency: _readConsistency, cancellationToken: cancellationToken),
            cancellationToken);

    #endregion

    #region Filters

    /// <summary>The conditions every query of this store is built from: exact keyword matches, any-of matches and vector presence.</summary>
    public static class Match
    {
        public static Condition Keyword(string field, string value) => Conditions.MatchKeyword(field, value);
        /// <summary>The field is missing, null or empty.</summary>
        public static Condition IsEmpty(string field) => Conditions.IsEmpty(field);
        public static Condition AnyKeyword(string field, IEnumerable<string> values) => Conditions.Match(field, values.Distinct(StringComparer.Ordinal).ToList());
        public static Condition AnyInteger(string field, IEnumerable<long> values) => Conditions.Match(field, values.Distinct().ToList());

        public static Filter All(params Condition[] conditions)
        {
            var filter = new Filter();
            filter.Must.AddRange(conditions);
            return filter;
        }
    }

    private static Condition CorpusCondition(IReadOnlyList<string> corpora) =>
        corpora.Count == 1 ? Match.Keyword(F.Corpus, corpora[0]) : Match.AnyKeyword(F.Corpus, corpora);

    private static Filter ChunkFilter(Scope scope, SearchFilter filter)
    {
        var chunks = Match.All(Match.Keyword(F.Kind, F.KindChunk), CorpusCondition(scope.Corpora));
        if (!string.IsNullOrWhiteSpace(filter.Act)) chunks.Must.Add(Match.Keyword(F.ActKeys, CitationReference.NormalizeAct(filter.Act)));
        if (filter.AsOf is { } day)
        {
            // Validity.InForce as ranges: a start after the day or an end on or before it excludes; a range condition
            // on a missing field (an unknown date) does not match, so must_not keeps those chunks.
            var n = day.DayNumber;
            chunks.MustNot.Add(Conditions.Range(F.ValidFromDay, new global::Qdrant.Client.Grpc.Range { Gt = n }));
            chunks.MustNot.Add(Conditions.Range(F.ActValidFromDay, new global::Qdrant.Client.Grpc.Range { Gt = n }));
            chunks.MustNot.Add(Conditions.Range(F.ValidToDay, new global::Qdrant.Client.Grpc.Range { Lte = n }));
            chunks.MustNot.Add(Conditions.Range(F.ActValidToDay, new global::Qdrant.Client.Grpc.Range { Lte = n }));
        }
        return chunks;
    }

    #endregion

    #region Start-up validation and status

    /// <summary>
    /// Checks that Qdrant answers and that every collection of this store has the configured vectors
    /// (dense name, size, distance; sparse name with idf). Call at start so a wrong model dimension fails
    /// there, with the collection and both sizes named, rather than at the first query.
    /// </summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(CancellationToken cancellationToken)
    {
        var collections = await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var name in collections)
        {
            var info = await GetCollectionAsync(name, cancellationToken).ConfigureAwait(false);
            if (info is not null) problems.AddRange(ConfigurationProblems(name, info));
        }
        if (problems.Count > 0) throw new QdrantConfigurationException(string.Join(" ", problems));
        return collections;
    }

    public async Task<QdrantStoreStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var health = await CallAsync("health check", null, () => _client.HealthAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var result = new List<QdrantCollectionStatus>();
        var peers = new HashSet<ulong>();
        foreach (var name in await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var info = await GetCollectionAsync(name, cancellationToken).ConfigureAwait(false);
            if (info is null) continue;
            var shards = await CallAsync("collection cluster info", name, () => _client.GetCollectionClusterSetupInfoAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
            peers.Add(shards.PeerId);
            foreach (var remote in shards.RemoteShards) peers.Add(remote.PeerId);
            var states = shards.LocalShards.Select(s => s.State).Concat(shards.RemoteShards.Select(s => s.State)).ToList();
            var active = states.Count(s => s == ReplicaState.Active);
            var p = info.Config.Params;
            result.Add(new QdrantCollectionStatus(name, info.Status.ToString(), (long)info.PointsCount, (int)p.ShardNumber, (int)p.ReplicationFactor,
                (int)p.WriteConsistencyFactor, active, states.Count - active));
        }
        return new QdrantStoreStatus(_options.Url, health.Version, Math.Max(peers.Count, 1), result);
    }

    private IEnumerable<string> ConfigurationProblems(string collection, CollectionInfo info)
    {
        var dense = NamedVectors(info.Config.Params.VectorsConfig);
        if (!dense.TryGetValue(_options.DenseVectorName, out var vector))
        {
            yield return $"Collection '{collection}' has no dense vector named '{_options.DenseVectorName}' (it has: {Names(dense.Keys)}); " +
                         "DenseVectorName must match the collection or the collection must be re-created.";
        }
        else
        {
            if (vector.Size != (ulong)_options.DenseSize)
                yield return $"Collection '{collection}' stores dense vectors '{_options.DenseVectorName}' of size {vector.Size}, " +
                             $"but {QdrantOptions.SectionName}:DenseSize is {_options.DenseSize} (the embedding model's dimension). " +
                             "Configure the model the collection was built with, or re-create the collection and re-ingest.";
            if (vector.Distance != DistanceOf(_options.Distance))
                yield return $"Collection '{collection}' uses distance {vector.Distance} for '{_options.DenseVectorName}', but {QdrantOptions.SectionName}:Distance is {_options.Distance}.";
        }
        var sparse = info.Config.Params.SparseVectorsConfig?.Map;
        if (sparse is null || !sparse.TryGetValue(_options.SparseVectorName, out var sparseParams))
            yield return $"Collection '{collection}' has no sparse vector named '{_options.SparseVectorName}' (it has: {Names(sparse?.Keys ?? [])}).";
        else if (sparseParams.Modifier != Modifier.Idf)
            yield return $"Collection '{collection}' sparse vector '{_options.SparseVectorName}' has no idf modifier; lexical scores would ignore term rarity. Re-create the collection.";
    }

    /// <summary>The dense vectors by name; an unnamed (single) vector is returned under the empty name.</summary>
    private static Dictionary<string, VectorParams> NamedVectors(VectorsConfig? config)
    {
        var result = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        if (config?.ParamsMap is { } map)
            foreach (var (name, parameters) in map.Map) result[name] = parameters;
        else if (config?.Params is { } single)
            result[""] = single;
        return result;
    }

    private static Distance DistanceOf(QdrantDistance distance) => distance switch
    {
        QdrantDistance.Cosine => Distance.Cosine,
        QdrantDistance.Euclid => Distance.Euclid,
        QdrantDistance.Dot => Distance.Dot,
        _ => Distance.Manhattan,
    };

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Select(n => n.Length == 0 ? "(unnamed)" : n).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private async Task<IReadOnlyList<string>> OwnCollectionsAsync(CancellationToken cancellationToken)
    {
        var all = await ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Tenancy == QdrantTenancy.SharedCollection)
            return all.Where(n => n == CollectionFor("")).ToList();
        var shared = _options.CollectionPrefix + "corpora";
        return all.Where(n => n.StartsWith(_options.CollectionPrefix, StringComparison.Ordinal) && n != shared).Order(StringComparer.Ordinal).ToList();
    }

    private async Task EnsureCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        if (_readyCollections.ContainsKey(collection)) return;
        var info = await GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            try
            {
                var request = CreateRequest(collection);
                await _client.CreateCollectionAsync(request, cancellationToken).ConfigureAwait(false);
                LogCollectionCreated(_logger, collection, _options.DenseSize, request.ShardNumber, request.ReplicationFactor);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.AlreadyExists
                || (ex.StatusCode is StatusCode.InvalidArgument && ex.Status.Detail.Contains("already exists", StringComparison.OrdinalIgnoreCase)))
            {
                // Another process created it between our check and our create: fine, validate what it made.
            }
            catch (RpcException ex) when (!(ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested))
            {
                throw Failure("create collection", collection, ex);
            }
            info = await GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false)
                   ?? throw new QdrantConfigurationException($"Collection '{collection}' was created but Qdrant does not return it.");
        }
        var problems = ConfigurationProblems(collection, info).ToList();
        if (problems.Count > 0) throw new QdrantConfigurationException(string.Join(" ", problems));

        foreach (var index in PayloadIndexes())
        {
            if (info.PayloadSchema.ContainsKey(index.Field)) continue;
            await CallAsync("create payload index", collection,
                () => _client.CreatePayloadIndexAsync(collection, index.Field, index.Type, index.Parameters, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            LogPayloadIndexCreated(_logger, collection, index.Field, index.Type);
        }
        _readyCollections[collection] = true;
    }

    /// <summary>The collection layout: named dense + sparse(idf) vectors, sharding and replication from options.</summary>
    public CreateCollection CreateRequest(string collection)
    {
        var dense = new VectorParamsMap();
        dense.Map[_options.DenseVectorName] = new VectorParams { Size = (ulong)_options.DenseSize, Distance = DistanceOf(_options.Distance) };
        var sparse = new SparseVectorConfig();
        sparse.Map[_options.SparseVectorName] = new SparseVectorParams { Modifier = Modifier.Idf };
        return new CreateCollection
        {
            CollectionName = collection,
            VectorsConfig = new VectorsConfig { ParamsMap = dense },
            SparseVectorsConfig = sparse,
            ShardNumber = (uint)_options.ShardNumber,
            ReplicationFactor = (uint)_options.ReplicationFactor,
            WriteConsistencyFactor = (uint)_options.WriteConsistencyFactor,
        };
    }

    /// <summary>A payload index: its field, its type, and its parameters (null: Qdrant's defaults for the type).</summary>
    public sealed record PayloadIndex(string Field, PayloadSchemaType Type, PayloadIndexParams? Parameters);

    private static PayloadIndexParams DayRange => new() { IntegerIndexParams = new IntegerIndexParams { Lookup = false, Range = true } };

    /// <summary>Payload indexes on every field a filter uses.</summary>
    public IReadOnlyList<PayloadIndex> PayloadIndexes()
    {
        // The tenant index groups each corpus's points together on disk in a shared collection.
        var corpus = _options.Tenancy == QdrantTenancy.SharedCollection
            ? new PayloadIndexParams { KeywordIndexParams = new KeywordIndexParams { IsTenant = true } }
            : null;
        return
        [
            new(F.Kind, PayloadSchemaType.Keyword, null),
            new(F.Corpus, PayloadSchemaType.Keyword, corpus),
            new(F.SourcePath, PayloadSchemaType.Keyword, null),
            new(F.DocHash, PayloadSchemaType.Keyword, null),
            new(F.ActKeys, PayloadSchemaType.Keyword, null),
            new(F.ProvisionKey, PayloadSchemaType.Keyword, null),
            new(F.ProvisionKind, PayloadSchemaType.Keyword, null),
            new(F.NumberNorm, PayloadSchemaType.Keyword, null),
            // Chunk ids are only ever matched exactly.
            new(F.ChunkId, PayloadSchemaType.Integer, new PayloadIndexParams { IntegerIndexParams = new IntegerIndexParams { Lookup = true, Range = false } }),
            new(F.VersionOf, PayloadSchemaType.Keyword, null),
            // Validity days are only ever compared as ranges (the as-of filter).
            new(F.ValidFromDay, PayloadSchemaType.Integer, DayRange),
            new(F.ValidToDay, PayloadSchemaType.Integer, DayRange),
            new(F.ActValidFromDay, PayloadSchemaType.Integer, DayRange),
            new(F.ActValidToDay, PayloadSchemaType.Integer, DayRange),
        ];
    }

    #endregion

    #region Corpora

    public async Task EnsureCorpusAsync(CorpusInfo corpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (string.IsNullOrWhiteSpace(corpus.Name) || corpus.Name.Length > 200)
            throw new ArgumentException($"Corpus name '{corpus.Name}' must be non-empty and at most 200 characters.", nameof(corpus));
        var collection = CollectionFor(corpus.Name);
        await EnsureCollectionAsync(collection, cancellationToken).ConfigureAwait(false);

        var existing = await ReadCorpusAsync(collection, corpus.Name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Language == corpus.Language)
        {
            _corpora[corpus.Name] = existing;
            return;
        }
        var record = new CorpusRecord(F.KindCorpus, corpus.Name, corpus.Language, existing?.CreatedAt ?? DateTimeOffset.UtcNow);
        await UpsertAsync(collection, [Point(PointIds.Corpus(corpus.Name), record, null)], cancellationToken).ConfigureAwait(false);
        _corpora[corpus.Name] = record;
        _corpusList = null;
    }

    public async Task<IReadOnlyList<CorpusSummary>> ListCorporaAsync(CancellationToken cancellationToken)
    {
        var result = new List<CorpusSummary>();
        foreach (var corpus in await CorpusRecordsAsync(fresh: true, cancellationToken).ConfigureAwait(false))
        {
            var collection = CollectionFor(corpus.Corpus);
            Task<long> Count(string kind) => CountAsync(collection, Match.All(Match.Keyword(F.Kind, kind), Match.Keyword(F.Corpus, corpus.Corpus)), cancellationToken);
            var documents = await Count(F.KindDocument).ConfigureAwait(false);
            var provisions = await Count(F.KindProvision).ConfigureAwait(false);
            var chunks = await Count(F.KindChunk).ConfigureAwait(false);
            result.Add(new CorpusSummary(corpus.Corpus, corpus.Language, documents, provisions, chunks, corpus.CreatedAt));
        }
        return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<bool> RemoveCorpusAsync(string corpus, CancellationToken cancellationToken)
    {
        var collection = CollectionFor(corpus);
        _corpora.TryRemove(corpus, out _);
        _corpusList = null;
        if (_options.Tenancy == QdrantTenancy.CollectionPerCorpus)
        {
            _readyCollections.TryRemove(collection, out _);
            if (await GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false) is null) return false;
            await CallAsync("delete collection", collection, () => _client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (await GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false) is null) return false;
        var filter = Match.All(Match.Keyword(F.Corpus, corpus));
        if (await CountAsync(collection, filter, cancellationToken).ConfigureAwait(false) == 0) return false;
        await DeleteAsync(collection, filter, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        long corpora = 0, documents = 0, provisions = 0, chunks = 0, embeddings = 0;
        foreach (var collection in await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            Task<long> Count(params Condition[] conditions) => CountAsync(collection, Match.All(conditions), cancellationToken);
            corpora += await Count(Match.Keyword(F.Kind, F.KindCorpus)).ConfigureAwait(false);
            documents += await Count(Match.Keyword(F.Kind, F.KindDocument)).ConfigureAwait(false);
            provisions += await Count(Match.Keyword(F.Kind, F.KindProvision)).ConfigureAwait(false);
            chunks += await Count(Match.Keyword(F.Kind, F.KindChunk)).ConfigureAwait(false);
            embeddings += await Count(Match.Keyword(F.Kind, F.KindChunk), Conditions.HasVector(_options.DenseVectorName)).ConfigureAwait(false);
        }
        return new StoreStatistics(corpora, documents, provisions, chunks, embeddings);
    }

    private async Task<CorpusRecord?> ReadCorpusAsync(string collection, string corpus, CancellationToken cancellationToken)
    {
        var page = await ScrollAsync(collection, Match.All(Match.Keyword(F.Kind, F.KindCorpus), Match.Keyword(F.Corpus, corpus)), 1, true, cancellationToken).ConfigureAwait(false);
        return page.Result.Count == 0 ? null : QdrantPayload.Read<CorpusRecord>(page.Result[0].Payload);
    }

    /// <summary>A corpus known to the store, or null. Cached: corpora are few and change rarely.</summary>
    private async Task<CorpusRecord?> FindCorpusAsync(string corpus, CancellationToken cancellationToken)
    {
        if (_corpora.TryGetValue(corpus, out var known)) return known;
        var collection = CollectionFor(corpus);
        if (await GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false) is null) return null;
        var record = await ReadCorpusAsync(collection, corpus, cancellationToken).ConfigureAwait(false);
        if (record is not null) _corpora[corpus] = record;
        return record;
    }

    private async Task<IReadOnlyList<CorpusRecord>> CorpusRecordsAsync(bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && _corpusList is { } cached && DateTimeOffset.UtcNow - cached.At < CorpusListTtl) return cached.Records;
        var records = new List<CorpusRecord>();
        foreach (var collection in await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var point in ScrollAllAsync(collection, Match.All(Match.Keyword(F.Kind, F.KindCorpus)), ScrollPageSize, true, cancellationToken).ConfigureAwait(false))
            {
                var record = QdrantPayload.Read<CorpusRecord>(point.Payload);
                // A collection holds only the corpora that map to it; anything else is left over from another layout.
                if (record is not null && CollectionFor(record.Corpus) == collection) records.Add(record);
            }
        }
        foreach (var r in records) _corpora[r.Corpus] = r;
        _corpusList = new CorpusListCache(DateTimeOffset.UtcNow, records);
        return records;
    }

    #endregion

    #region Documents

    /// <summary>A point with a payload record and named vectors (none for markers and provisions, which serve lookups only).</summary>
    private static PointStruct Point<T>(Guid id, T record, Dictionary<string, Vector>? vectors)
    {
        var named = new NamedVectors();
        if (vectors is not null) named.Vectors.Add(vectors);
        var point = new PointStruct { Id = id, Vectors = new Vectors { Vectors_ = named } };
        point.Payload.Add(QdrantPayload.From(record));
        return point;
    }

    public async Task<string?> GetDocumentHashAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return null;
        return (await ReadDocumentAsync(CollectionFor(corpus), corpus, sourcePath, cancellationToken).ConfigureAwait(false))?.DocHash;
    }

    /// <summary>Stores a document without dense vectors (lexical search and lookups only).</summary>
    public Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken) =>
        UpsertDocumentAsync(corpus, document, chunks, null, cancellationToken);

    /// <summary>
    /// Stores a document with one dense vector per chunk (same order as <paramref name="chunks"/>), or none.
    /// Points are upserted first, stale points of the previous version deleted next, and the document
    /// marker written last: readers may briefly see new chunks beside not-yet-deleted old ones, but a crash
    /// never leaves a marker claiming a complete ingest (see docs/qdrant.md).
    /// </summary>
    public async Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks,
        IReadOnlyList<ReadOnlyMemory<float>>? vectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        ValidateVectors(document, chunks, vectors);
        _ = await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Corpus '{corpus}' does not exist in Qdrant; call EnsureCorpusAsync before ingesting {document.SourcePath}.");
        var collection = CollectionFor(corpus);
        await EnsureCollectionAsync(collection, cancellationToken).ConfigureAwait(false);

        var existing = await ReadDocumentAsync(collection, corpus, document.SourcePath, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.DocHash == document.ContentHash && (vectors is null || existing.HasDense))
            return UpsertOutcome.Unchanged;

        var points = BuildPoints(corpus, document, chunks, vectors);
        await UpsertAsync(collection, points, cancellationToken).ConfigureAwait(false);

        // Everything of this source not written just now is from an older version.
        var stale = Match.All(Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, document.SourcePath));
        stale.MustNot.Add(Match.Keyword(F.DocHash, document.ContentHash));
        await DeleteAsync(collection, stale, cancellationToken).ConfigureAwait(false);

        var marker = new DocumentRecord
        {
            Corpus = corpus,
            Language = document.Language,
            SourcePath = document.SourcePath,
            DocHash = document.ContentHash,
            Title = document.Title,
            Abbreviation = document.Abbreviation,
            Format = document.Format,
            Provisions = document.Provisions.Count,
            Chunks = chunks.Count,
            HasDense = vectors is not null,
            IngestedAt = DateTimeOffset.UtcNow,
        };
        await UpsertAsync(collection, [Point(PointIds.Document(corpus, document.SourcePath), marker, null)], cancellationToken).ConfigureAwait(false);
        return existing is null ? UpsertOutcome.Added : UpsertOutcome.Replaced;
    }

    private void ValidateVectors(LegalDocument document, IReadOnlyList<Chunk> chunks, IReadOnlyList<ReadOnlyMemory<float>>? vectors)
    {
        if (vectors is null) return;
        if (vectors.Count != chunks.Count)
            throw new ArgumentException($"{document.SourcePath}: {chunks.Count} chunks but {vectors.Count} dense vectors; give one per chunk or none.", nameof(vectors));
        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length != _options.DenseSize)
                throw new ArgumentException($"{document.SourcePath}: the dense vector of chunk {i} ({chunks[i].Citation}) has {vectors[i].Length} dimensions; " +
                                            $"the collection expects {_options.DenseSize} ({QdrantOptions.SectionName}:DenseSize).", nameof(vectors));
            foreach (var v in vectors[i].Span)
                if (!float.IsFinite(v))
                    throw new ArgumentException($"{document.SourcePath}: the dense vector of chunk {i} ({chunks[i].Citation}) holds NaN or infinity.", nameof(vectors));
        }
    }

    private List<PointStruct> BuildPoints(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, IReadOnlyList<ReadOnlyMemory<float>>? vectors)
    {
        // Every derived alias ("AO" for "AO 1977"), so a citation naming the act by one finds it; the tiers are
        // recomputed from the payload's act name and title when several match (see FindByCitationAsync).
        var actKeys = ActAliases.Derive(document).Select(a => a.Key)
            .Append(CitationReference.NormalizeAct(document.Title))
            .Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var provisions = new Dictionary<string, Provision>(StringComparer.Ordinal);
        var points = new List<PointStruct>(document.Provisions.Count + chunks.Count);

        foreach (var provision in document.Provisions)
        {
            if (!provisions.TryAdd(provision.Key, provision))
                throw new ArgumentException($"{document.SourcePath}: provision key '{provision.Key}' occurs twice.", nameof(document));
            var record = new ProvisionRecord
            {
                Corpus = corpus,
                Language = document.Language,
                SourcePath = document.SourcePath,
                DocHash = document.ContentHash,
                Act = document.ActName,
                ActTitle = document.Title,
                ActKeys = actKeys,
                ProvisionKey = provision.Key,
                ProvisionKind = provision.Kind.ToString(),
                Number = provision.Number,
                NumberNorm = CitationReference.NormalizeNumber(provision.Number),
                Heading = provision.Heading,
                Citation = provision.Citation,
                Path = provision.Path,
                HierarchyPath = provision.PathDisplay,
                Paragraphs = provision.Paragraphs.Select(p => new ParagraphRecord(p.Label, p.Text, p.Page)).ToList(),
                IsRepealed = provision.IsRepealed,
                ProvisionOrdinal = provision.Ordinal,
                Identifier = provision.Identifier,
                ValidFrom = provision.ValidFrom,
                ValidTo = provision.ValidTo,
                Notes = provision.Notes,
                VersionOf = ProvisionVersions.BaseKey(provision.Key),
                ChangedBy = provision.ChangedBy,
                ActIdentifier = document.Identifier,
                ActAliases = document.Aliases,
                ActValidFrom = document.ValidFrom,
                ActValidTo = document.ValidTo,
                Provenance = document.Provenance is { } pv ? new ProvenanceRecord(pv.Source, pv.Publisher, pv.RetrievedAt, pv.ContentHash) : null,
            };
            points.Add(Point(PointIds.Provision(corpus, provision.Key), record, null));
        }

        var seen = new HashSet<(string, int)>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if (!provisions.TryGetValue(chunk.ProvisionKey, out var provision))
                throw new ArgumentException($"{document.SourcePath}: chunk {chunk.Ordinal} ({chunk.Citation}) belongs to provision '{chunk.ProvisionKey}', which the document does not contain.", nameof(chunks));
            if (!seen.Add((chunk.ProvisionKey, chunk.Ordinal)))
                throw new ArgumentException($"{document.SourcePath}: two chunks of provision '{chunk.ProvisionKey}' share ordinal {chunk.Ordinal}.", nameof(chunks));
            var record = new ChunkRecord
            {
                Corpus = corpus,
                Language = document.Language,
                SourcePath = document.SourcePath,
                DocHash = document.ContentHash,
                Act = document.ActName,
                ActKeys = actKeys,
                ProvisionKey = chunk.ProvisionKey,
                Citation = chunk.Citation,
                Heading = chunk.Heading,
                Text = chunk.Text,
                ChunkOrdinal = chunk.Ordinal,
                ChunkId = PointIds.ChunkId(corpus, chunk.ProvisionKey, chunk.Ordinal),
                Page = chunk.Page,
                ChunkHash = chunk.ContentHash,
                HierarchyPath = provision.PathDisplay,
                ValidFromDay = provision.ValidFrom?.DayNumber,
                ValidToDay = provision.ValidTo?.DayNumber,
                ActValidFromDay = document.ValidFrom?.DayNumber,
                ActValidToDay = document.ValidTo?.DayNumber,
            };
            var named = new Dictionary<string, Vector>(StringComparer.Ordinal);
            // A chunk of stopwords only has no lexical terms; it gets no sparse vector rather than an empty one.
            var sparse = _encoder.EncodeDocument(document.Language, chunk.Heading, chunk.Text);
            if (sparse.Count > 0) named[_options.SparseVectorName] = (sparse.Values, sparse.Indices);
            if (vectors is not null) named[_options.DenseVectorName] = vectors[i].ToArray();
            points.Add(Point(PointIds.Chunk(corpus, chunk.ProvisionKey, chunk.Ordinal), record, named));
        }
        return points;
    }

    private async Task<DocumentRecord?> ReadDocumentAsync(string collection, string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        var filter = Match.All(Match.Keyword(F.Kind, F.KindDocument), Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath));
        var page = await ScrollAsync(collection, filter, 1, true, cancellationToken).ConfigureAwait(false);
        return page.Result.Count == 0 ? null : QdrantPayload.Read<DocumentRecord>(page.Result[0].Payload);
    }

    public async Task<IReadOnlyList<string>> ListDocumentPathsAsync(string corpus, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return [];
        var paths = new List<string>();
        var filter = Match.All(Match.Keyword(F.Kind, F.KindDocument), Match.Keyword(F.Corpus, corpus));
        await foreach (var point in ScrollAllAsync(CollectionFor(corpus), filter, ScrollPageSize, new[] { F.SourcePath }, cancellationToken).ConfigureAwait(false))
            if (QdrantPayload.String(point.Payload, F.SourcePath) is { } path) paths.Add(path);
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    public async Task<bool> DeleteDocumentAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return false;
        var collection = CollectionFor(corpus);
        var filter = Match.All(Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath));
        if (await CountAsync(collection, filter, cancellationToken).ConfigureAwait(false) == 0) return false;
        // One filter removes marker, provisions and chunks together.
        await DeleteAsync(collection, filter, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> CloseDocumentAsync(string corpus, string sourcePath, DateOnly closedOn, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return false;
        var collection = CollectionFor(corpus);
        var document = Match.All(Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath));
        if (await CountAsync(collection, document, cancellationToken).ConfigureAwait(false) == 0) return false;
        var date = closedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // The act's end rides on every provision point (as its other facts do); a provision that ended earlier keeps its own end.
        await CallAsync("close document", collection, () => _client.SetPayloadAsync(collection,
            new Dictionary<string, Value> { [F.ActValidTo] = date }, document, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        var stillOpen = Match.All(Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath), Match.Keyword(F.Kind, F.KindProvision), Match.IsEmpty(F.ValidTo));
        await CallAsync("close document", collection, () => _client.SetPayloadAsync(collection,
            new Dictionary<string, Value> { [F.ValidTo] = date }, stillOpen, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        // Chunks carry the act's end as a day number, which the as-of filter compares; an earlier end stays.
        var openChunks = Match.All(Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath), Match.Keyword(F.Kind, F.KindChunk), Match.IsEmpty(F.ActValidToDay));
        await CallAsync("close document", collection, () => _client.SetPayloadAsync(collection,
            new Dictionary<string, Value> { [F.ActValidToDay] = (long)closedOn.DayNumber }, openChunks, wait: true, ordering: _writeOrdering, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return true;
    }

    #endregion

    #region Search

    /// <summary>Where one search runs: a collection, the corpora it covers there, and their language (for analysis).</summary>
    private sealed record Scope(string Collection, IReadOnlyList<string> Corpora, string Language);

    private async Task<IReadOnlyList<Scope>> ScopesAsync(string? corpus, CancellationToken cancellationToken)
    {
        if (corpus is not null)
        {
            var record = await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false);
            return record is null ? [] : [new Scope(CollectionFor(corpus), [corpus], record.Language)];
        }
        var records = await CorpusRecordsAsync(fresh: false, cancellationToken).ConfigureAwait(false);
        // Corpora sharing a collection and a language are searched in one request; languages need their own analysis.
        return records
            .GroupBy(r => (Collection: CollectionFor(r.Corpus), r.Language))
            .Select(g => new Scope(g.Key.Collection, g.Select(r => r.Corpus).Order(StringComparer.Ordinal).ToList(), g.Key.Language))
            .OrderBy(s => s.Collection, StringComparer.Ordinal).ThenBy(s => s.Language, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The payload a hit needs. A new selector per request: protobuf messages are mutable, so none is shared.</summary>
    private static WithPayloadSelector HitFields => new[] { F.ChunkId, F.ProvisionKey };

    public async Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(LexicalQuery query, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        limit = Math.Min(limit, MaxSearchLimit);
        if (limit <= 0) return [];
        var hits = new List<ChunkHit>();
        foreach (var scope in await ScopesAsync(filter.Corpus, cancellationToken).ConfigureAwait(false))
        {
            var sparse = _encoder.EncodeQuery(query);
            if (sparse.Count == 0) continue; // only stopwords: nothing to match
            var points = await QueryAsync(scope.Collection, (sparse.Values, sparse.Indices), null, _options.SparseVectorName,
                ChunkFilter(scope, filter), limit, cancellationToken).ConfigureAwait(false);
            hits.AddRange(ToHits(points));
        }
        return Merge(hits, limit);
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchDenseAsync(ReadOnlyMemory<float> queryVector, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        CheckQueryVector(queryVector);
        limit = Math.Min(limit, MaxSearchLimit);
        if (limit <= 0) return [];
        var hits = new List<ChunkHit>();
        foreach (var scope in await ScopesAsync(filter.Corpus, cancellationToken).ConfigureAwait(false))
        {
            var points = await QueryAsync(scope.Collection, queryVector.ToArray(), null, _options.DenseVectorName,
                ChunkFilter(scope, filter), limit, cancellationToken).ConfigureAwait(false);
            hits.AddRange(ToHits(points));
        }
        return Merge(hits, limit);
    }

    /// <summary>
    /// Dense and sparse candidates fused by reciprocal rank inside Qdrant (Query API: two prefetches,
    /// <see cref="Fusion.Rrf"/>). Scores are RRF scores, comparable only within one call.
    /// </summary>
    public async Task<IReadOnlyList<ChunkHit>> SearchHybridAsync(LexicalQuery query, ReadOnlyMemory<float> queryVector, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckQueryVector(queryVector);
        limit = Math.Min(limit, MaxSearchLimit);
        if (limit <= 0) return [];
        var prefetchLimit = (ulong)Math.Min(limit * _options.HybridPrefetchFactor, MaxSearchLimit);
        var hits = new List<ChunkHit>();
        foreach (var scope in await ScopesAsync(filter.Corpus, cancellationToken).ConfigureAwait(false))
        {
            var chunkFilter = ChunkFilter(scope, filter);
            var prefetch = new List<PrefetchQuery>();
            var sparse = _encoder.EncodeQuery(query);
            if (sparse.Count > 0)
                prefetch.Add(new PrefetchQuery { Query = (sparse.Values, sparse.Indices), Using = _options.SparseVectorName, Filter = chunkFilter, Limit = prefetchLimit });
            prefetch.Add(new PrefetchQuery { Query = queryVector.ToArray(), Using = _options.DenseVectorName, Filter = chunkFilter, Limit = prefetchLimit });
            var points = await QueryAsync(scope.Collection, Fusion.Rrf, prefetch, null, null, limit, cancellationToken).ConfigureAwait(false);
            hits.AddRange(ToHits(points));
        }
        return Merge(hits, limit);
    }

    private void CheckQueryVector(ReadOnlyMemory<float> queryVector)
    {
        if (queryVector.Length != _options.DenseSize)
            throw new ArgumentException($"The query vector has {queryVector.Length} dimensions; the Qdrant collections hold {_options.DenseSize} ({QdrantOptions.SectionName}:DenseSize).", nameof(queryVector));
    }

    private static IEnumerable<ChunkHit> ToHits(IReadOnlyList<ScoredPoint> points)
    {
        foreach (var point in points)
        {
            var id = QdrantPayload.Integer(point.Payload, F.ChunkId);
            var key = QdrantPayload.String(point.Payload, F.ProvisionKey);
            if (id is null || key is null) continue; // not one of our chunk points
            yield return new ChunkHit(id.Value, key, point.Score);
        }
    }

    private static IReadOnlyList<ChunkHit> Merge(List<ChunkHit> hits, int limit) =>
        hits.OrderByDescending(h => h.Score).ThenBy(h => h.ChunkId).Take(limit).ToList();

    #endregion

    #region Provisions and chunks

    private async Task<IReadOnlyList<string>> CollectionsOfAsync(string? corpus, CancellationToken cancellationToken) =>
        (await ScopesAsync(corpus, cancellationToken).ConfigureAwait(false)).Select(s => s.Collection).Distinct(StringComparer.Ordinal).ToList();

    // Ranking signals. Qdrant keeps no act catalogue and no term statistics that are cheap to read, so
    // ranking on Qdrant runs without act sizes and with uniform term weights (the features say so: 0).
    public Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActSummary>>([]);

    public Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken) =>
        Task.FromResult(new TermStatistics(0, new Dictionary<string, long>()));

    public async Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new List<StoredProvision>(keys.Count);
        foreach (var key in keys)
            if (await GetProvisionAsync(key, cancellationToken).ConfigureAwait(false) is { } p) found.Add(p);
        return found;
    }

    public async Task<StoredProvision?> GetProvisionAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var collection in await CollectionsOfAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var page = await ScrollAsync(collection, Match.All(Match.Keyword(F.Kind, F.KindProvision), Match.Keyword(F.ProvisionKey, key)), 1, true, cancellationToken).ConfigureAwait(false);
            if (page.Result.Count > 0 && QdrantPayload.Read<ProvisionRecord>(page.Result[0].Payload) is { } record)
                return ToStoredProvision(record);
        }
        // A provision's base key names it whatever its versions are keyed by: the version in force today, else the latest.
        var versions = await ReadVersionsAsync(key, cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : ProvisionVersions.Current(versions, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    public async Task<IReadOnlyList<StoredProvision>> GetVersionsAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ProvisionVersions.Chronological(await ReadVersionsAsync(ProvisionVersions.BaseKey(key), cancellationToken).ConfigureAwait(false));
    }

    private async Task<List<StoredProvision>> ReadVersionsAsync(string baseKey, CancellationToken cancellationToken)
    {
        var found = new List<StoredProvision>();
        foreach (var collection in await CollectionsOfAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var filter = Match.All(Match.Keyword(F.Kind, F.KindProvision), Match.Keyword(F.VersionOf, baseKey));
            await foreach (var point in ScrollAllAsync(collection, filter, ScrollPageSize, true, cancellationToken).ConfigureAwait(false))
                if (QdrantPayload.Read<ProvisionRecord>(point.Payload) is { } record) found.Add(ToStoredProvision(record));
        }
        return found;
    }

    public async Task<IReadOnlyList<Provision>> GetDocumentProvisionsAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return [];
        var filter = Match.All(Match.Keyword(F.Kind, F.KindProvision), Match.Keyword(F.Corpus, corpus), Match.Keyword(F.SourcePath, sourcePath));
        var found = new List<Provision>();
        await foreach (var point in ScrollAllAsync(CollectionFor(corpus), filter, ScrollPageSize, true, cancellationToken).ConfigureAwait(false))
            if (QdrantPayload.Read<ProvisionRecord>(point.Payload) is { } record) found.Add(ToStoredProvision(record).Provision);
        return found.OrderBy(p => p.Ordinal).ThenBy(p => p.ValidFrom ?? DateOnly.MinValue).ToList();
    }

    public async Task<IReadOnlyList<StoredChunk>> GetChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (chunkIds.Count == 0) return [];
        if (chunkIds.Count > MaxChunkLookup)
            throw new ArgumentException($"At most {MaxChunkLookup} chunk ids per lookup (got {chunkIds.Count}).", nameof(chunkIds));
        var wanted = chunkIds.Distinct().ToList();
        var found = new Dictionary<long, StoredChunk>();
        foreach (var collection in await CollectionsOfAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var filter = Match.All(Match.Keyword(F.Kind, F.KindChunk), Match.AnyInteger(F.ChunkId, wanted.Where(id => !found.ContainsKey(id))));
            await foreach (var point in ScrollAllAsync(collection, filter, (uint)Math.Min(wanted.Count, ScrollPageSize), true, cancellationToken).ConfigureAwait(false))
                if (QdrantPayload.Read<ChunkRecord>(point.Payload) is { } c)
                    found[c.ChunkId] = new StoredChunk(c.ChunkId, c.ProvisionKey, c.ChunkOrdinal, c.Citation, c.Heading, c.Text, c.Page);
            if (found.Count == wanted.Count) break;
        }
        return chunkIds.Where(found.ContainsKey).Distinct().Select(id => found[id]).ToList();
    }

    public async Task<IReadOnlyList<StoredProvision>> FindByCitationAsync(CitationReference citation, string? corpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citation);
        var results = new List<StoredProvision>();
        foreach (var scope in await ScopesAsync(corpus, cancellationToken).ConfigureAwait(false))
        {
            var filter = Match.All(
                Match.Keyword(F.Kind, F.KindProvision),
                CorpusCondition(scope.Corpora),
                Match.Keyword(F.NumberNorm, CitationReference.NormalizeNumber(citation.Number)),
                Match.Keyword(F.ProvisionKind, citation.Kind.ToString()));
            if (!string.IsNullOrWhiteSpace(citation.Act)) filter.Must.Add(Match.AnyKeyword(F.ActKeys, ActAliases.QueryKeys(citation.Act)));
            var page = await ScrollAsync(scope.Collection, filter, 100, true, cancellationToken).ConfigureAwait(false);
            foreach (var point in page.Result)
                if (QdrantPayload.Read<ProvisionRecord>(point.Payload) is { } record) results.Add(ToStoredProvision(record));
        }
        // Without a date a citation names the provision as in force today: its other versions fold into that one.
        var ordered = ProvisionVersions.CollapseToCurrent(results, DateOnly.FromDateTime(DateTime.UtcNow)).OrderBy(p => p.Corpus, StringComparer.Ordinal).ThenBy(p => p.ActName, StringComparer.Ordinal)
            .ThenBy(p => p.Provision.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(citation.Act)) return ordered;
        var keys = ActAliases.QueryKeys(citation.Act);
        return CitationMatches.Select(ordered.Select(p =>
        {
            var aliases = ActAliases.Derive(p.Language, p.ActTitle, p.ActName == p.ActTitle ? null : p.ActName, p.Act?.Aliases);
            var tier = aliases.Where(a => keys.Contains(a.Key)).Select(a => a.Tier).DefaultIfEmpty(ActAliasTier.Title).Min();
            return new CitationCandidate<StoredProvision>(p, tier, p.Provision.Kind);
        }), citation.Kind);
    }

    /// <summary>Qdrant holds no reference edges (they would need a second collection or per-point lists kept in
    /// step across documents); the graph is empty here and the in-degree prior neutral.</summary>
    public Task<IReadOnlyDictionary<string, int>> GetInDegreesAsync(IReadOnlyCollection<string> provisionKeys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(provisionKeys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, _ => 0, StringComparer.Ordinal));

    /// <inheritdoc cref="GetInDegreesAsync"/>
    public Task<ProvisionReferences> GetReferencesAsync(string provisionKey, CancellationToken cancellationToken) =>
        Task.FromResult(ProvisionReferences.Empty(provisionKey));

    private static StoredProvision ToStoredProvision(ProvisionRecord r) =>
        new(r.ProvisionKey, r.Corpus, r.Language, r.Act, r.ActTitle, r.SourcePath, new Provision
        {
            Key = r.ProvisionKey,
            Kind = Enum.TryParse<ProvisionKind>(r.ProvisionKind, out var kind) ? kind : ProvisionKind.Other,
            Number = r.Number,
            Heading = r.Heading,
            Citation = r.Citation,
            Path = r.Path,
            Paragraphs = r.Paragraphs.Select(p => new ProvisionParagraph(p.Label, p.Text, p.Page)).ToList(),
            IsRepealed = r.IsRepealed,
            Ordinal = r.ProvisionOrdinal,
            Identifier = r.Identifier,
            ValidFrom = r.ValidFrom,
            ValidTo = r.ValidTo,
            Notes = r.Notes,
            ChangedBy = r.ChangedBy,
        }, new StoredActInfo(r.ActIdentifier, r.ActAliases, r.ActValidFrom, r.ActValidTo,
            r.Provenance is { } pv ? new Provenance(pv.Source, pv.Publisher, pv.RetrievedAt, pv.ContentHash) : null));

    #endregion

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created Qdrant collection {Collection} (dense size {DenseSize}, {Shards} shard(s), replication {Replication})")]
    private static partial void LogCollectionCreated(ILogger logger, string collection, int denseSize, uint shards, uint replication);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Created payload index {Field} ({Type}) on Qdrant collection {Collection}")]
    private static partial void LogPayloadIndexCreated(ILogger logger, string collection, string field, PayloadSchemaType type);
}
