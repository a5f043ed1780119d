using System.Collections.Concurrent;
using System.Net;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using F = LegalRag.Storage.Qdrant.QdrantPayloadFields;

namespace LegalRag.Storage.Qdrant;

/// <summary>Where a collection's vectors disagree with the configuration, and what the store knows of a collection.</summary>
public sealed record QdrantCollectionStatus(
    string Name, string Status, long? PointsCount, int ShardNumber, int ReplicationFactor, int WriteConsistencyFactor,
    int ActiveReplicas, int UnhealthyReplicas);

/// <summary>Cluster and collection health for status output.</summary>
public sealed record QdrantStoreStatus(string Url, string ClusterStatus, int Peers, long? RaftLeader,
    IReadOnlyList<QdrantCollectionStatus> Collections, long ClientRetries);

/// <summary>
/// The index on Qdrant: one collection per corpus (or one shared collection with a tenant field), a named
/// dense vector for embeddings and a named sparse vector (modifier idf) for the lexical side, built from the
/// same <c>TextAnalyzer</c> terms as the embedded BM25 index. Stores never embed text: dense vectors come in
/// through <see cref="UpsertDocumentAsync(string, LegalDocument, IReadOnlyList{Chunk}, IReadOnlyList{ReadOnlyMemory{float}}?, CancellationToken)"/>.
/// </summary>
public sealed class QdrantStore : ILegalStore
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
    private readonly ConcurrentDictionary<string, CorpusRecord> _corpora = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _readyCollections = new(StringComparer.Ordinal);
    private volatile CorpusListCache? _corpusList;
    private HttpClient? _ownedHttp;

    private sealed record CorpusListCache(DateTimeOffset At, IReadOnlyList<CorpusRecord> Records);

    public QdrantStore(QdrantClient client, QdrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _client = client;
        _options = options;
        _encoder = SparseTermEncoder.FromOptions(options);
    }

    /// <summary>A store over its own HttpClient; pass a handler to route through a proxy or a test double.</summary>
    public static QdrantStore Create(QdrantOptions options, HttpMessageHandler? handler = null)
    {
        options.ThrowIfInvalid();
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: true);
        http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own limit (QdrantOptions.Timeout)
        return new QdrantStore(new QdrantClient(http, options), options) { _ownedHttp = http };
    }

    /// <summary>Releases the HttpClient when <see cref="Create"/> made it; a client passed in stays the caller's.</summary>
    public void Dispose()
    {
        _ownedHttp?.Dispose();
        _ownedHttp = null;
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
            var info = await _client.GetCollectionAsync(name, cancellationToken).ConfigureAwait(false);
            if (info is not null) problems.AddRange(ConfigurationProblems(name, info));
        }
        if (problems.Count > 0) throw new QdrantConfigurationException(string.Join(" ", problems));
        return collections;
    }

    public async Task<QdrantStoreStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var cluster = await _client.GetClusterStatusAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<QdrantCollectionStatus>();
        foreach (var name in await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var info = await _client.GetCollectionAsync(name, cancellationToken).ConfigureAwait(false);
            if (info is null) continue;
            var shards = await _client.GetCollectionClusterInfoAsync(name, cancellationToken).ConfigureAwait(false);
            var states = shards.LocalShards.Select(s => s.State).Concat(shards.RemoteShards.Select(s => s.State)).ToList();
            var active = states.Count(s => s == "Active");
            var p = info.Config.Params;
            result.Add(new QdrantCollectionStatus(name, info.Status, info.PointsCount, p.ShardNumber, p.ReplicationFactor,
                p.WriteConsistencyFactor, active, states.Count - active));
        }
        return new QdrantStoreStatus(_options.Url, cluster.Status, cluster.Peers?.Count ?? 1, cluster.RaftInfo?.Leader, result, _client.RetryCount);
    }

    private IEnumerable<string> ConfigurationProblems(string collection, CollectionInfo info)
    {
        var dense = info.Config.Params.NamedVectors();
        if (!dense.TryGetValue(_options.DenseVectorName, out var vector))
        {
            yield return $"Collection '{collection}' has no dense vector named '{_options.DenseVectorName}' (it has: {Names(dense.Keys)}); " +
                         "DenseVectorName must match the collection or the collection must be re-created.";
        }
        else
        {
            if (vector.Size != _options.DenseSize)
                yield return $"Collection '{collection}' stores dense vectors '{_options.DenseVectorName}' of size {vector.Size}, " +
                             $"but {QdrantOptions.SectionName}:DenseSize is {_options.DenseSize} (the embedding model's dimension). " +
                             "Configure the model the collection was built with, or re-create the collection and re-ingest.";
            if (vector.Distance != _options.Distance)
                yield return $"Collection '{collection}' uses distance {vector.Distance} for '{_options.DenseVectorName}', but {QdrantOptions.SectionName}:Distance is {_options.Distance}.";
        }
        var sparse = info.Config.Params.SparseVectors;
        if (sparse is null || !sparse.TryGetValue(_options.SparseVectorName, out var sparseParams))
            yield return $"Collection '{collection}' has no sparse vector named '{_options.SparseVectorName}' (it has: {Names(sparse?.Keys ?? [])}).";
        else if (sparseParams.Modifier != SparseModifier.Idf)
            yield return $"Collection '{collection}' sparse vector '{_options.SparseVectorName}' has no idf modifier; lexical scores would ignore term rarity. Re-create the collection.";
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Select(n => n.Length == 0 ? "(unnamed)" : n).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private async Task<IReadOnlyList<string>> OwnCollectionsAsync(CancellationToken cancellationToken)
    {
        var all = await _client.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Tenancy == QdrantTenancy.SharedCollection)
            return all.Where(n => n == CollectionFor("")).ToList();
        var shared = _options.CollectionPrefix + "corpora";
        return all.Where(n => n.StartsWith(_options.CollectionPrefix, StringComparison.Ordinal) && n != shared).Order(StringComparer.Ordinal).ToList();
    }

    private async Task EnsureCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        if (_readyCollections.ContainsKey(collection)) return;
        var info = await _client.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            try
            {
                await _client.CreateCollectionAsync(collection, CreateRequest(), cancellationToken).ConfigureAwait(false);
            }
            catch (QdrantException ex) when (ex.StatusCode is HttpStatusCode.Conflict
                || (ex.StatusCode is HttpStatusCode.BadRequest && ex.ServerError?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true))
            {
                // Another process created it between our check and our create: fine, validate what it made.
            }
            info = await _client.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false)
                   ?? throw new QdrantConfigurationException($"Collection '{collection}' was created but Qdrant does not return it.");
        }
        var problems = ConfigurationProblems(collection, info).ToList();
        if (problems.Count > 0) throw new QdrantConfigurationException(string.Join(" ", problems));

        foreach (var (field, schema) in PayloadIndexes())
            if (!info.PayloadSchema.ContainsKey(field))
                await _client.CreatePayloadIndexAsync(collection, new CreateFieldIndexRequest(field, schema), cancellationToken).ConfigureAwait(false);
        _readyCollections[collection] = true;
    }

    /// <summary>The collection layout: named dense + sparse(idf) vectors, sharding and replication from options.</summary>
    public CreateCollectionRequest CreateRequest() => new()
    {
        Vectors = new Dictionary<string, VectorParams> { [_options.DenseVectorName] = new(_options.DenseSize, _options.Distance) },
        SparseVectors = new Dictionary<string, SparseVectorParams> { [_options.SparseVectorName] = new() { Modifier = SparseModifier.Idf } },
        ShardNumber = _options.ShardNumber,
        ReplicationFactor = _options.ReplicationFactor,
        WriteConsistencyFactor = _options.WriteConsistencyFactor,
    };

    /// <summary>Payload indexes on every field a filter uses.</summary>
    public IReadOnlyList<(string Field, PayloadIndexParams Schema)> PayloadIndexes()
    {
        var keyword = new PayloadIndexParams(PayloadSchemaType.Keyword);
        return
        [
            (F.Kind, keyword),
            (F.Corpus, _options.Tenancy == QdrantTenancy.SharedCollection ? keyword with { IsTenant = true } : keyword),
            (F.SourcePath, keyword),
            (F.DocHash, keyword),
            (F.ActKeys, keyword),
            (F.ProvisionKey, keyword),
            (F.ProvisionKind, keyword),
            (F.NumberNorm, keyword),
            (F.ChunkId, new PayloadIndexParams(PayloadSchemaType.Integer) { Lookup = true, Range = false }),
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
        await _client.UpsertPointsAsync(collection,
            [new PointStruct(PointId.FromGuid(PointIds.Corpus(corpus.Name)), NoVectors, PayloadJson.ToPayload(record))],
            cancellationToken).ConfigureAwait(false);
        _corpora[corpus.Name] = record;
        _corpusList = null;
    }

    public async Task<IReadOnlyList<CorpusSummary>> ListCorporaAsync(CancellationToken cancellationToken)
    {
        var result = new List<CorpusSummary>();
        foreach (var corpus in await CorpusRecordsAsync(fresh: true, cancellationToken).ConfigureAwait(false))
        {
            var collection = CollectionFor(corpus.Corpus);
            var documents = await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindDocument), Condition.Equal(F.Corpus, corpus.Corpus)), cancellationToken).ConfigureAwait(false);
            var provisions = await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindProvision), Condition.Equal(F.Corpus, corpus.Corpus)), cancellationToken).ConfigureAwait(false);
            var chunks = await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindChunk), Condition.Equal(F.Corpus, corpus.Corpus)), cancellationToken).ConfigureAwait(false);
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
            return await _client.DeleteCollectionAsync(collection, cancellationToken).ConfigureAwait(false);
        }
        if (await _client.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false) is null) return false;
        var filter = Filter.All(Condition.Equal(F.Corpus, corpus));
        if (await CountAsync(collection, filter, cancellationToken).ConfigureAwait(false) == 0) return false;
        await _client.DeletePointsAsync(collection, filter, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        long corpora = 0, documents = 0, provisions = 0, chunks = 0, embeddings = 0;
        foreach (var collection in await OwnCollectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            corpora += await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindCorpus)), cancellationToken).ConfigureAwait(false);
            documents += await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindDocument)), cancellationToken).ConfigureAwait(false);
            provisions += await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindProvision)), cancellationToken).ConfigureAwait(false);
            chunks += await CountAsync(collection, Filter.All(Condition.Equal(F.Kind, F.KindChunk)), cancellationToken).ConfigureAwait(false);
            embeddings += await CountAsync(collection,
                Filter.All(Condition.Equal(F.Kind, F.KindChunk), Condition.HasVectorNamed(_options.DenseVectorName)), cancellationToken).ConfigureAwait(false);
        }
        return new StoreStatistics(corpora, documents, provisions, chunks, embeddings);
    }

    private Task<long> CountAsync(string collection, Filter filter, CancellationToken cancellationToken) =>
        _client.CountPointsAsync(collection, new CountRequest { Filter = filter, Exact = true }, cancellationToken);

    private async Task<CorpusRecord?> ReadCorpusAsync(string collection, string corpus, CancellationToken cancellationToken)
    {
        var page = await _client.ScrollPointsAsync(collection, new ScrollRequest
        {
            Filter = Filter.All(Condition.Equal(F.Kind, F.KindCorpus), Condition.Equal(F.Corpus, corpus)),
            Limit = 1,
            WithPayload = PayloadSelector.Everything,
            WithVector = false,
        }, cancellationToken).ConfigureAwait(false);
        return page.Points.Count == 0 ? null : PayloadJson.FromPayload<CorpusRecord>(page.Points[0].Payload);
    }

    /// <summary>A corpus known to the store, or null. Cached: corpora are few and change rarely.</summary>
    private async Task<CorpusRecord?> FindCorpusAsync(string corpus, CancellationToken cancellationToken)
    {
        if (_corpora.TryGetValue(corpus, out var known)) return known;
        var collection = CollectionFor(corpus);
        if (await _client.GetCollectionAsync(collection, cancellationToken).ConfigureAwait(false) is null) return null;
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
            var request = new ScrollRequest
            {
                Filter = Filter.All(Condition.Equal(F.Kind, F.KindCorpus)),
                Limit = ScrollPageSize,
                WithPayload = PayloadSelector.Everything,
                WithVector = false,
            };
            await foreach (var point in _client.ScrollAllAsync(collection, request, cancellationToken).ConfigureAwait(false))
            {
                var record = PayloadJson.FromPayload<CorpusRecord>(point.Payload);
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

    private static readonly IReadOnlyDictionary<string, VectorValue> NoVectors = new Dictionary<string, VectorValue>();

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
        await _client.UpsertPointsAsync(collection, points, cancellationToken).ConfigureAwait(false);

        // Everything of this source not written just now is from an older version.
        await _client.DeletePointsAsync(collection, new Filter
        {
            Must = [Condition.Equal(F.Corpus, corpus), Condition.Equal(F.SourcePath, document.SourcePath)],
            MustNot = [Condition.Equal(F.DocHash, document.ContentHash)],
        }, cancellationToken).ConfigureAwait(false);

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
        await _client.UpsertPointsAsync(collection,
            [new PointStruct(PointId.FromGuid(PointIds.Document(corpus, document.SourcePath)), NoVectors, PayloadJson.ToPayload(marker))],
            cancellationToken).ConfigureAwait(false);
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
        var actKeys = ActAliases.Derive(document.Language, document.Title, document.Abbreviation).Select(a => a.Key)
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
            };
            points.Add(new PointStruct(PointId.FromGuid(PointIds.Provision(corpus, provision.Key)), NoVectors, PayloadJson.ToPayload(record)));
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
            };
            var vector = new Dictionary<string, VectorValue>(StringComparer.Ordinal);
            // A chunk of stopwords only has no lexical terms; it gets no sparse vector rather than an empty one.
            var sparse = _encoder.EncodeDocument(document.Language, chunk.Heading, chunk.Text);
            if (sparse.Count > 0) vector[_options.SparseVectorName] = sparse;
            if (vectors is not null) vector[_options.DenseVectorName] = new DenseVector(vectors[i].ToArray());
            points.Add(new PointStruct(PointId.FromGuid(PointIds.Chunk(corpus, chunk.ProvisionKey, chunk.Ordinal)), vector, PayloadJson.ToPayload(record)));
        }
        return points;
    }

    private async Task<DocumentRecord?> ReadDocumentAsync(string collection, string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        var page = await _client.ScrollPointsAsync(collection, new ScrollRequest
        {
            Filter = Filter.All(Condition.Equal(F.Kind, F.KindDocument), Condition.Equal(F.Corpus, corpus), Condition.Equal(F.SourcePath, sourcePath)),
            Limit = 1,
            WithPayload = PayloadSelector.Everything,
            WithVector = false,
        }, cancellationToken).ConfigureAwait(false);
        return page.Points.Count == 0 ? null : PayloadJson.FromPayload<DocumentRecord>(page.Points[0].Payload);
    }

    public async Task<IReadOnlyList<string>> ListDocumentPathsAsync(string corpus, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return [];
        var paths = new List<string>();
        var request = new ScrollRequest
        {
            Filter = Filter.All(Condition.Equal(F.Kind, F.KindDocument), Condition.Equal(F.Corpus, corpus)),
            Limit = ScrollPageSize,
            WithPayload = PayloadSelector.Fields(F.SourcePath),
            WithVector = false,
        };
        await foreach (var point in _client.ScrollAllAsync(CollectionFor(corpus), request, cancellationToken).ConfigureAwait(false))
            if (point.Payload?[F.SourcePath]?.GetValue<string>() is { } path) paths.Add(path);
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    public async Task<bool> DeleteDocumentAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        if (await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false) is null) return false;
        var collection = CollectionFor(corpus);
        var filter = Filter.All(Condition.Equal(F.Corpus, corpus), Condition.Equal(F.SourcePath, sourcePath));
        if (await CountAsync(collection, filter, cancellationToken).ConfigureAwait(false) == 0) return false;
        // One filter removes marker, provisions and chunks together.
        await _client.DeletePointsAsync(collection, filter, cancellationToken).ConfigureAwait(false);
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

    private static Filter ChunkFilter(Scope scope, SearchFilter filter)
    {
        var must = new List<Condition>
        {
            Condition.Equal(F.Kind, F.KindChunk),
            scope.Corpora.Count == 1 ? Condition.Equal(F.Corpus, scope.Corpora[0]) : Condition.AnyOf(F.Corpus, scope.Corpora),
        };
        if (!string.IsNullOrWhiteSpace(filter.Act)) must.Add(Condition.Equal(F.ActKeys, CitationReference.NormalizeAct(filter.Act)));
        return new Filter { Must = must };
    }

    private static readonly PayloadSelector HitFields = PayloadSelector.Fields(F.ChunkId, F.ProvisionKey);

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
            var points = await _client.QueryPointsAsync(scope.Collection, new QueryRequest
            {
                Query = new QueryInput.Sparse(sparse),
                Using = _options.SparseVectorName,
                Filter = ChunkFilter(scope, filter),
                Limit = limit,
                WithPayload = HitFields,
            }, cancellationToken).ConfigureAwait(false);
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
            var points = await _client.QueryPointsAsync(scope.Collection, new QueryRequest
            {
                Query = new QueryInput.Dense(queryVector.ToArray()),
                Using = _options.DenseVectorName,
                Filter = ChunkFilter(scope, filter),
                Limit = limit,
                WithPayload = HitFields,
            }, cancellationToken).ConfigureAwait(false);
            hits.AddRange(ToHits(points));
        }
        return Merge(hits, limit);
    }

    /// <summary>
    /// Dense and sparse candidates fused by reciprocal rank inside Qdrant (Query API: two prefetches,
    /// <c>fusion: rrf</c>). Scores are RRF scores, comparable only within one call.
    /// </summary>
    public async Task<IReadOnlyList<ChunkHit>> SearchHybridAsync(LexicalQuery query, ReadOnlyMemory<float> queryVector, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckQueryVector(queryVector);
        limit = Math.Min(limit, MaxSearchLimit);
        if (limit <= 0) return [];
        var prefetchLimit = Math.Min(limit * _options.HybridPrefetchFactor, MaxSearchLimit);
        var hits = new List<ChunkHit>();
        foreach (var scope in await ScopesAsync(filter.Corpus, cancellationToken).ConfigureAwait(false))
        {
            var chunkFilter = ChunkFilter(scope, filter);
            var prefetch = new List<Prefetch>
            {
                new() { Query = new QueryInput.Dense(queryVector.ToArray()), Using = _options.DenseVectorName, Filter = chunkFilter, Limit = prefetchLimit },
            };
            var sparse = _encoder.EncodeQuery(query);
            if (sparse.Count > 0)
                prefetch.Insert(0, new Prefetch { Query = new QueryInput.Sparse(sparse), Using = _options.SparseVectorName, Filter = chunkFilter, Limit = prefetchLimit });
            var points = await _client.QueryPointsAsync(scope.Collection, new QueryRequest
            {
                Prefetch = prefetch,
                Query = new QueryInput.ReciprocalRankFusion(),
                Limit = limit,
                WithPayload = HitFields,
            }, cancellationToken).ConfigureAwait(false);
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
            var id = point.Payload?[F.ChunkId]?.GetValue<long>();
            var key = point.Payload?[F.ProvisionKey]?.GetValue<string>();
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
            var page = await _client.ScrollPointsAsync(collection, new ScrollRequest
            {
                Filter = Filter.All(Condition.Equal(F.Kind, F.KindProvision), Condition.Equal(F.ProvisionKey, key)),
                Limit = 1,
                WithPayload = PayloadSelector.Everything,
                WithVector = false,
            }, cancellationToken).ConfigureAwait(false);
            if (page.Points.Count > 0 && PayloadJson.FromPayload<ProvisionRecord>(page.Points[0].Payload) is { } record)
                return ToStoredProvision(record);
        }
        return null;
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
            var request = new ScrollRequest
            {
                Filter = Filter.All(Condition.Equal(F.Kind, F.KindChunk), Condition.AnyOf(F.ChunkId, wanted.Where(id => !found.ContainsKey(id)))),
                Limit = Math.Min(wanted.Count, ScrollPageSize),
                WithPayload = PayloadSelector.Everything,
                WithVector = false,
            };
            await foreach (var point in _client.ScrollAllAsync(collection, request, cancellationToken).ConfigureAwait(false))
                if (PayloadJson.FromPayload<ChunkRecord>(point.Payload) is { } c)
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
            var must = new List<Condition>
            {
                Condition.Equal(F.Kind, F.KindProvision),
                scope.Corpora.Count == 1 ? Condition.Equal(F.Corpus, scope.Corpora[0]) : Condition.AnyOf(F.Corpus, scope.Corpora),
                Condition.Equal(F.NumberNorm, CitationReference.NormalizeNumber(citation.Number)),
                Condition.Equal(F.ProvisionKind, citation.Kind.ToString()),
            };
            if (!string.IsNullOrWhiteSpace(citation.Act)) must.Add(Condition.AnyOf(F.ActKeys, ActAliases.QueryKeys(citation.Act)));
            var page = await _client.ScrollPointsAsync(scope.Collection, new ScrollRequest
            {
                Filter = new Filter { Must = must },
                Limit = 100,
                WithPayload = PayloadSelector.Everything,
                WithVector = false,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var point in page.Points)
                if (PayloadJson.FromPayload<ProvisionRecord>(point.Payload) is { } record) results.Add(ToStoredProvision(record));
        }
        var ordered = results.OrderBy(p => p.Corpus, StringComparer.Ordinal).ThenBy(p => p.ActName, StringComparer.Ordinal)
            .ThenBy(p => p.Provision.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(citation.Act)) return ordered;
        var keys = ActAliases.QueryKeys(citation.Act);
        return CitationMatches.Select(ordered.Select(p =>
        {
            var aliases = ActAliases.Derive(p.Language, p.ActTitle, p.ActName == p.ActTitle ? null : p.ActName);
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
        });

    #endregion
}
