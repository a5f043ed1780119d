using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using LegalRag.Core.Abstractions;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>
/// Dense vectors of the embedded store: persisted with the chunks, searched exactly with SIMD
/// (System.Numerics.Tensors) over an in-memory matrix that is loaded once and dropped on writes.
/// </summary>
public sealed partial class SqliteLegalStore : IVectorIndex
{
    private VectorMatrix? _vectors;
    private readonly Lock _vectorLock = new();

    /// <param name="FromDays">Each chunk's first day in force as <see cref="DateOnly.DayNumber"/>, the later of its provision's and act's
    /// starts; <see cref="int.MinValue"/> when neither is known.</param>
    /// <param name="ToDays">… its first day no longer in force, the earlier of the two ends; <see cref="int.MaxValue"/>: open.</param>
    /// <param name="CorpusIdsByName">The corpora's ids as the matrix was loaded, so a search in one corpus opens no connection.</param>
    private sealed record VectorMatrix(long[] ChunkIds, string[] ProvisionKeys, long[] CorpusIds, float[] Values, int Dimension, int[] FromDays, int[] ToDays,
        IReadOnlyDictionary<string, long> CorpusIdsByName);

    private void InvalidateVectorCache()
    {
        lock (_vectorLock) _vectors = null;
        InvalidateTermStatistics();
    }

    private async Task PutDocumentVectorsAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, IReadOnlyList<Core.Domain.Chunk> chunks, IReadOnlyList<ReadOnlyMemory<float>> vectors, CancellationToken cancellationToken)
    {
        // Chunks are identified by (provision, ordinal) within the document.
        var byIdentity = new Dictionary<(string, int), ReadOnlyMemory<float>>();
        for (var i = 0; i < chunks.Count; i++) byIdentity[(chunks[i].ProvisionKey, chunks[i].Ordinal)] = vectors[i];
        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT c.id, p.key, c.ordinal, c.content_hash FROM chunks c JOIN provisions p ON p.id = c.provision_id WHERE p.document_id = $d";
        read.Parameters.AddWithValue("$d", documentId);
        var rows = new List<(long Id, string Hash, ReadOnlyMemory<float> Vector)>();
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(1);
                var ordinal = (int)reader.GetInt64(2);
                // The stored key is the chunk's own, a version's date key included; a key the store had to suffix
                // (a second act with the same abbreviation) is the chunk's key before its last '@'.
                var stored = key.LastIndexOf('@') is var at and > 0 ? key[..at] : key;
                if (byIdentity.TryGetValue((key, ordinal), out var v) || byIdentity.TryGetValue((stored, ordinal), out v))
                    rows.Add((reader.GetInt64(0), reader.GetString(3), v));
            }
        }
        await using var put = connection.CreateCommand();
        put.Transaction = tx;
        put.CommandText = """
            INSERT INTO chunk_vectors(chunk_id, model, vector) VALUES ($id, $m, $v)
              ON CONFLICT(chunk_id) DO UPDATE SET model = excluded.model, vector = excluded.vector;
            INSERT INTO embedding_cache(content_hash, model, vector) VALUES ($h, $m, $v) ON CONFLICT DO NOTHING;
            """;
        var pId = put.Parameters.Add("$id", SqliteType.Integer);
        put.Parameters.AddWithValue("$m", _options.VectorModel);
        var pVec = put.Parameters.Add("$v", SqliteType.Blob);
        var pHash = put.Parameters.Add("$h", SqliteType.Text);
        foreach (var (id, hash, vector) in rows)
        {
            pId.Value = id;
            pHash.Value = hash;
            pVec.Value = MemoryMarshal.AsBytes(vector.Span).ToArray();
            await put.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores embeddings for chunks (and in the content-hash cache) in one transaction.</summary>
    public async Task PutVectorsAsync(string model, IReadOnlyList<(long ChunkId, string ContentHash, float[] Vector)> vectors, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var put = connection.CreateCommand();
            put.Transaction = tx;
            put.CommandText = """
                INSERT INTO chunk_vectors(chunk_id, model, vector) VALUES ($id, $m, $v)
                  ON CONFLICT(chunk_id) DO UPDATE SET model = excluded.model, vector = excluded.vector;
                INSERT INTO embedding_cache(content_hash, model, vector) VALUES ($h, $m, $v)
                  ON CONFLICT DO NOTHING;
                """;
            var pId = put.Parameters.Add("$id", SqliteType.Integer);
            put.Parameters.AddWithValue("$m", model);
            var pVec = put.Parameters.Add("$v", SqliteType.Blob);
            var pHash = put.Parameters.Add("$h", SqliteType.Text);
            foreach (var (chunkId, hash, vector) in vectors)
            {
                pId.Value = chunkId;
                pHash.Value = hash;
                pVec.Value = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
                await put.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Chunks that have no vector for <paramref name="model"/>, with a cached vector when the same text was embedded before.</summary>
    public async Task<IReadOnlyList<(long ChunkId, string ContentHash, string Heading, string Text, float[]? Cached)>> GetChunksMissingVectorsAsync(string model, string? corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT c.id, c.content_hash, c.heading, c.text, e.vector
            FROM chunks c
            LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = $m
            LEFT JOIN embedding_cache e ON e.content_hash = c.content_hash AND e.model = $m
            WHERE v.chunk_id IS NULL {(corpus is null ? "" : "AND c.corpus_id = (SELECT id FROM corpora WHERE name = $c)")}
            ORDER BY c.id
            """;
        cmd.Parameters.AddWithValue("$m", model);
        if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
        var list = new List<(long, string, string, string, float[]?)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            float[]? cached = reader.IsDBNull(4) ? null : MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)).ToArray();
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), cached));
        }
        return list;
    }

    /// <summary>The embedding models that vectors in the store were made with.</summary>
    public async Task<IReadOnlyList<string>> GetVectorModelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT model FROM chunk_vectors";
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(reader.GetString(0));
        return list;
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchDenseAsync(ReadOnlyMemory<float> queryVector, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        var matrix = await LoadVectorsAsync(cancellationToken).ConfigureAwait(false);
        if (matrix is null || matrix.ChunkIds.Length == 0) return [];
        if (queryVector.Length != matrix.Dimension)
            throw new InvalidOperationException($"Query vector has {queryVector.Length} dimensions, the stored vectors {matrix.Dimension}: the configured model differs from the one used at ingest.");
        long? corpusId = null;
        if (filter.Corpus is not null)
        {
            // From the matrix, not a query: opening a connection per search cost more than scanning a small corpus.
            if (!matrix.CorpusIdsByName.TryGetValue(filter.Corpus, out var id)) return [];
            corpusId = id;
        }
        var q = queryVector.Span;
        var d = matrix.Dimension;
        var day = filter.AsOf?.DayNumber;
        // Keep the best `limit` in a small min-heap: O(n log k) over all vectors.
        var heap = new PriorityQueue<int, float>(limit + 1);
        for (var i = 0; i < matrix.ChunkIds.Length; i++)
        {
            if (corpusId is not null && matrix.CorpusIds[i] != corpusId) continue;
            if (day is { } n && (matrix.FromDays[i] > n || matrix.ToDays[i] <= n)) continue;
            var score = TensorPrimitives.Dot(q, matrix.Values.AsSpan(i * d, d));
            if (heap.Count < limit) heap.Enqueue(i, score);
            else if (heap.TryPeek(out _, out var worst) && score > worst) heap.EnqueueDequeue(i, score);
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }
        var hits = new List<ChunkHit>(heap.Count);
        while (heap.TryDequeue(out var index, out var s)) hits.Add(new ChunkHit(matrix.ChunkIds[index], matrix.ProvisionKeys[index], s));
        hits.Reverse();
        return hits;
    }

    private async Task<VectorMatrix?> LoadVectorsAsync(CancellationToken cancellationToken)
    {
        lock (_vectorLock)
        {
            if (_vectors is not null) return _vectors;
        }
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT v.chunk_id, p.key, c.corpus_id, v.vector, p.valid_from, p.valid_to, d.valid_from, d.valid_to
            FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id JOIN provisions p ON p.id = c.provision_id JOIN documents d ON d.id = p.document_id
            WHERE v.model = $m ORDER BY v.chunk_id
            """;
        cmd.Parameters.AddWithValue("$m", _options.VectorModel);
        var ids = new List<long>();
        var keys = new List<string>();
        var corpora = new List<long>();
        var values = new List<float>();
        var fromDays = new List<int>();
        var toDays = new List<int>();
        var dimension = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(3));
                if (dimension == 0) dimension = vector.Length;
                if (vector.Length != dimension) continue;
                ids.Add(reader.GetInt64(0));
                keys.Add(reader.GetString(1));
                corpora.Add(reader.GetInt64(2));
                foreach (var x in vector) values.Add(x);
                fromDays.Add(Math.Max(ReadDate(reader, 4)?.DayNumber ?? int.MinValue, ReadDate(reader, 6)?.DayNumber ?? int.MinValue));
                toDays.Add(Math.Min(ReadDate(reader, 5)?.DayNumber ?? int.MaxValue, ReadDate(reader, 7)?.DayNumber ?? int.MaxValue));
            }
        }
        var corpusIds = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var names = connection.CreateCommand())
        {
            names.CommandText = "SELECT id, name FROM corpora";
            await using var reader = await names.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) corpusIds[reader.GetString(1)] = reader.GetInt64(0);
        }
        var matrix = new VectorMatrix(ids.ToArray(), keys.ToArray(), corpora.ToArray(), values.ToArray(), dimension, fromDays.ToArray(), toDays.ToArray(), corpusIds);
        lock (_vectorLock) _vectors = matrix;
        return matrix;
    }
}
