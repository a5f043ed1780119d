using System.Security.Cryptography;
using System.Text;
using LegalRag.Core.Abstractions;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>
/// Verification and repair: SQLite's own integrity check, orphans in every table, the full-text index against the
/// chunks, and each document against the manifest written with it (its content hash, its provision and chunk counts,
/// and a digest of the rows themselves) in the same transaction.
/// </summary>
public sealed partial class SqliteLegalStore : IStoreVerification
{
    /// <summary>The orphan checks: what is counted, and the statement that deletes it. Ordered parents first, so a
    /// deletion that orphans children (foreign keys off in a hand-damaged file) is caught by a later step.</summary>
    private static readonly (string What, string Count, string Delete)[] OrphanChecks =
    [
        ("documents without a corpus",
            "SELECT COUNT(*) FROM documents WHERE corpus_id NOT IN (SELECT id FROM corpora)",
            "DELETE FROM documents WHERE corpus_id NOT IN (SELECT id FROM corpora)"),
        ("provisions without a document",
            "SELECT COUNT(*) FROM provisions WHERE document_id NOT IN (SELECT id FROM documents)",
            "DELETE FROM provisions WHERE document_id NOT IN (SELECT id FROM documents)"),
        ("chunks without a provision",
            "SELECT COUNT(*) FROM chunks WHERE provision_id NOT IN (SELECT id FROM provisions)",
            "DELETE FROM chunks WHERE provision_id NOT IN (SELECT id FROM provisions)"),
        ("vectors without a chunk",
            "SELECT COUNT(*) FROM chunk_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)",
            "DELETE FROM chunk_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)"),
        ("full-text rows without a chunk",
            "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)",
            "DELETE FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)"),
        ("act aliases without a document",
            "SELECT COUNT(*) FROM act_aliases WHERE document_id NOT IN (SELECT id FROM documents)",
            "DELETE FROM act_aliases WHERE document_id NOT IN (SELECT id FROM documents)"),
        ("references from a missing provision",
            "SELECT COUNT(*) FROM provision_references WHERE from_id NOT IN (SELECT id FROM provisions)",
            "DELETE FROM provision_references WHERE from_id NOT IN (SELECT id FROM provisions)"),
        // A reference into a missing provision is unresolved, not wrong: cleared, the next ingest resolves it again.
        ("references into a missing provision",
            "SELECT COUNT(*) FROM provision_references WHERE to_id IS NOT NULL AND to_id NOT IN (SELECT id FROM provisions)",
            "UPDATE provision_references SET to_id = NULL WHERE to_id IS NOT NULL AND to_id NOT IN (SELECT id FROM provisions)"),
        ("document manifests without a document",
            "SELECT COUNT(*) FROM document_manifests WHERE document_id NOT IN (SELECT id FROM documents)",
            "DELETE FROM document_manifests WHERE document_id NOT IN (SELECT id FROM documents)"),
    ];

    /// <summary>What one inspection found, with what repair needs beyond the report.</summary>
    private sealed record Inspection(VerificationReport Report, IReadOnlyList<(long Id, RemovedDocument Document)> Damaged, bool LexicalIndexOutOfStep);

    public async Task<VerificationReport> VerifyAsync(string? corpus, CancellationToken cancellationToken) =>
        (await InspectAsync(corpus, cancellationToken).ConfigureAwait(false)).Report;

    public async Task<RepairReport> RepairAsync(string? corpus, CancellationToken cancellationToken)
    {
        var inspection = await InspectAsync(corpus, cancellationToken).ConfigureAwait(false);
        var actions = new List<string>();
        if (inspection.Report.Problems.Any(p => p.Kind == StoreProblemKind.FileDamaged))
        {
            // Deleting rows out of a damaged b-tree can make it worse; the file is for a backup or a rebuild.
            actions.Add("nothing changed: the database file is damaged, which no row deletion mends");
            return new RepairReport(actions, [], inspection.Report);
        }
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            foreach (var (id, document) in inspection.Damaged)
            {
                await DeleteDocumentRowsAsync(connection, tx, id, cancellationToken).ConfigureAwait(false);
                actions.Add($"removed damaged document {document.Corpus}:{document.SourcePath} ({document.Reason})");
            }
            foreach (var (what, _, delete) in OrphanChecks)
            {
                await using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = delete;
                var changed = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (changed > 0) actions.Add($"{(delete.StartsWith("UPDATE", StringComparison.Ordinal) ? "cleared" : "deleted")} {changed} {what}");
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
        }
        catch (SqliteException ex) when (StoreFaults.IsStorageFault(ex))
        {
            throw StoreFaults.Unavailable(_options.DataDirectory, ex);
        }
        finally
        {
            _writeLock.Release();
        }
        if (inspection.LexicalIndexOutOfStep)
        {
            await RebuildLexicalIndexAsync(cancellationToken).ConfigureAwait(false);
            actions.Add("rebuilt the full-text index from the stored chunks");
        }
        var after = await VerifyAsync(corpus, cancellationToken).ConfigureAwait(false);
        return new RepairReport(actions, inspection.Damaged.Select(d => d.Document).ToList(), after);
    }

    private async Task<Inspection> InspectAsync(string? corpus, CancellationToken cancellationToken)
    {
        var problems = new List<StoreProblem>();
        var notes = new List<string>();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: every check sees the same snapshot, even while an ingest writes (WAL).
        await using var tx = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true);

        // integrity_check covers the FTS5 index too (SQLite 3.44+ asks virtual tables). Findings in the full-text
        // index alone are mended by rebuilding it from the chunk texts; anything else is the file itself.
        var integrity = await IntegrityProblemsAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        var lexicalOutOfStep = false;
        if (integrity.Count > 0 && integrity.All(line => line.Contains("chunks_fts", StringComparison.Ordinal)))
        {
            lexicalOutOfStep = true;
            problems.Add(new StoreProblem(StoreProblemKind.LexicalIndexOutOfStep, null, null, $"the full-text index is damaged: {string.Join("; ", integrity)}",
                "legalrag verify --repair rebuilds the full-text index from the stored chunks"));
        }
        else if (integrity.Count > 0)
        {
            problems.Add(new StoreProblem(StoreProblemKind.FileDamaged, null, null,
                $"SQLite integrity_check of {_options.DatabasePath}: {string.Join("; ", integrity)}",
                $"restore a backup of {_options.DatabasePath}, or move it aside and ingest every corpus again (--repair cannot mend a damaged file)"));
            // Row-level checks over a damaged file report noise or fail; the file is the problem to fix first.
            return new Inspection(new VerificationReport([], problems, notes), [], false);
        }
        if (corpus is not null && await ScalarAsync<long?>(connection, tx, "SELECT id FROM corpora WHERE name = $c", cancellationToken, ("$c", corpus)).ConfigureAwait(false) is null)
            throw new InvalidOperationException($"corpus '{corpus}' is not in the store at {_options.DataDirectory}; 'legalrag corpus list' shows the stored corpora");

        foreach (var (what, count, _) in OrphanChecks)
        {
            var n = await ScalarAsync<long>(connection, tx, count, cancellationToken).ConfigureAwait(false);
            if (n > 0) problems.Add(new StoreProblem(StoreProblemKind.Orphans, null, null, $"{n} {what}", "legalrag verify --repair deletes them"));
        }

        var unindexed = await ScalarAsync<long>(connection, tx, "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)", cancellationToken).ConfigureAwait(false);
        if (unindexed > 0)
        {
            lexicalOutOfStep = true;
            problems.Add(new StoreProblem(StoreProblemKind.LexicalIndexOutOfStep, null, null, $"{unindexed} chunks without a full-text row (lexical search cannot find them)",
                "legalrag verify --repair rebuilds the full-text index from the stored chunks"));
        }
        var damaged = await DamagedDocumentsAsync(connection, tx, corpus, notes, cancellationToken).ConfigureAwait(false);
        foreach (var (_, d) in damaged)
            problems.Add(new StoreProblem(StoreProblemKind.DamagedDocument, d.Corpus, d.SourcePath, $"document {d.SourcePath} in corpus {d.Corpus} is not whole: {d.Reason}",
                $"legalrag verify --repair removes it; then 'legalrag ingest <its folder> --corpus {d.Corpus}' stores it again"));

        var counts = await CountsAsync(connection, tx, corpus, cancellationToken).ConfigureAwait(false);
        return new Inspection(new VerificationReport(counts, problems, notes), damaged, lexicalOutOfStep);
    }

    private static async Task<List<string>> IntegrityProblemsAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        // At most 20 findings: a badly damaged file yields thousands, and the first say enough.
        cmd.CommandText = "PRAGMA integrity_check(20)";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var line = reader.GetString(0);
            if (line != "ok") lines.Add(line);
        }
        return lines;
    }

    private async Task<List<(long Id, RemovedDocument Document)>> DamagedDocumentsAsync(SqliteConnection connection, SqliteTransaction tx, string? corpus, List<string> notes, CancellationToken cancellationToken)
    {
        var documents = new List<(long Id, string Corpus, string Path, string Hash, string? RecordedHash, long? Provisions, long? Chunks, string? Digest)>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                SELECT d.id, c.name, d.source_path, d.content_hash, m.content_hash, m.provisions, m.chunks, m.digest
                FROM documents d JOIN corpora c ON c.id = d.corpus_id LEFT JOIN document_manifests m ON m.document_id = d.id
                WHERE $c IS NULL OR c.name = $c ORDER BY c.name, d.source_path
                """;
            cmd.Parameters.AddWithValue("$c", (object?)corpus ?? DBNull.Value);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                documents.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        var misplaced = new HashSet<long>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT DISTINCT p.document_id FROM chunks k JOIN provisions p ON p.id = k.provision_id JOIN documents d ON d.id = p.document_id WHERE k.corpus_id <> d.corpus_id";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) misplaced.Add(reader.GetInt64(0));
        }

        var damaged = new List<(long, RemovedDocument)>();
        var unrecorded = 0;
        foreach (var d in documents)
        {
            var reasons = new List<string>();
            if (misplaced.Contains(d.Id)) reasons.Add("some of its chunks are filed under another corpus");
            if (d.Digest is null)
            {
                unrecorded++;
            }
            else
            {
                var actual = await DocumentManifest.ComputeAsync(connection, tx, d.Id, cancellationToken).ConfigureAwait(false);
                if (d.RecordedHash != d.Hash) reasons.Add($"its content hash is {d.Hash} but its rows were written for {d.RecordedHash}");
                if (actual.Provisions != d.Provisions) reasons.Add($"{actual.Provisions} provisions stored of {d.Provisions} written");
                if (actual.Chunks != d.Chunks) reasons.Add($"{actual.Chunks} chunks stored of {d.Chunks} written");
                if (reasons.Count == 0 && actual.Digest != d.Digest) reasons.Add("its provisions or chunks differ from what was written (digest mismatch)");
            }
            if (reasons.Count > 0) damaged.Add((d.Id, new RemovedDocument(d.Corpus, d.Path, string.Join("; ", reasons))));
        }
        if (unrecorded > 0)
            notes.Add($"{unrecorded} documents were stored before this version recorded their manifests: checked for orphans and index rows only " +
                      "(ingesting them again, e.g. after 'legalrag corpus remove', records them)");
        return damaged;
    }

    private static async Task<List<VerificationCounts>> CountsAsync(SqliteConnection connection, SqliteTransaction tx, string? corpus, CancellationToken cancellationToken)
    {
        var counts = new List<VerificationCounts>();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT c.name,
                   (SELECT COUNT(*) FROM documents d WHERE d.corpus_id = c.id),
                   (SELECT COUNT(*) FROM provisions p JOIN documents d ON d.id = p.document_id WHERE d.corpus_id = c.id),
                   (SELECT COUNT(*) FROM chunks k WHERE k.corpus_id = c.id),
                   (SELECT COUNT(*) FROM chunks k JOIN chunks_fts f ON f.rowid = k.id WHERE k.corpus_id = c.id),
                   (SELECT COUNT(*) FROM chunks k JOIN chunk_vectors v ON v.chunk_id = k.id WHERE k.corpus_id = c.id)
            FROM corpora c WHERE $c IS NULL OR c.name = $c ORDER BY c.name
            """;
        cmd.Parameters.AddWithValue("$c", (object?)corpus ?? DBNull.Value);
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                counts.Add(new VerificationCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        if (corpus is null)
        {
            // The whole file, orphans included: here the totals may exceed the sum of the corpora.
            var total = await ScalarRowAsync(connection, tx,
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM provisions), (SELECT COUNT(*) FROM chunks), (SELECT COUNT(*) FROM chunks_fts), (SELECT COUNT(*) FROM chunk_vectors)",
                cancellationToken).ConfigureAwait(false);
            counts.Add(new VerificationCounts(null, total[0], total[1], total[2], total[3], total[4]));
        }
        return counts;
    }

    private static async Task<long[]> ScalarRowAsync(SqliteConnection connection, SqliteTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var row = new long[reader.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = reader.GetInt64(i);
        return row;
    }
}

/// <summary>
/// What a document's rows were when they were written: counts and a SHA-256 over its provisions (key, paragraphs)
/// and chunks (heading, text, content hash), in row order. Written in the document's own transaction and recomputed
/// by verification; computed from the stored rows both times, so both sides read alike.
/// </summary>
internal static class DocumentManifest
{
    public sealed record Values(long Provisions, long Chunks, string Digest);

    public static async Task<Values> ComputeAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long provisions = 0, chunks = 0;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT key, paragraphs FROM provisions WHERE document_id = $d ORDER BY id";
            cmd.Parameters.AddWithValue("$d", documentId);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                provisions++;
                Append(hash, reader.GetString(0), reader.GetString(1));
            }
        }
        hash.AppendData([0x1D]);
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT k.heading, k.text, k.content_hash FROM chunks k JOIN provisions p ON p.id = k.provision_id WHERE p.document_id = $d ORDER BY k.id";
            cmd.Parameters.AddWithValue("$d", documentId);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                chunks++;
                Append(hash, reader.GetString(0), reader.GetString(1), reader.GetString(2));
            }
        }
        return new Values(provisions, chunks, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public static async Task WriteAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, string contentHash, CancellationToken cancellationToken)
    {
        var values = await ComputeAsync(connection, tx, documentId, cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO document_manifests(document_id, content_hash, provisions, chunks, digest) VALUES ($d, $h, $p, $c, $g)
            ON CONFLICT(document_id) DO UPDATE SET content_hash = excluded.content_hash, provisions = excluded.provisions, chunks = excluded.chunks, digest = excluded.digest
            """;
        cmd.Parameters.AddWithValue("$d", documentId);
        cmd.Parameters.AddWithValue("$h", contentHash);
        cmd.Parameters.AddWithValue("$p", values.Provisions);
        cmd.Parameters.AddWithValue("$c", values.Chunks);
        cmd.Parameters.AddWithValue("$g", values.Digest);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Append(IncrementalHash hash, params string[] fields)
    {
        // Unit and record separators keep ("ab","c") and ("a","bc") apart.
        foreach (var field in fields)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(field));
            hash.AppendData([0x1F]);
        }
        hash.AppendData([0x1E]);
    }
}

/// <summary>Which SQLite failures mean "the store cannot be written or opened" rather than a bug, and their one-line reason.</summary>
internal static class StoreFaults
{
    public static bool IsStorageFault(SqliteException ex) => ex.SqliteErrorCode is
        SQLitePrimaryCode.ReadOnly or SQLitePrimaryCode.Full or SQLitePrimaryCode.CantOpen or SQLitePrimaryCode.IoErr or SQLitePrimaryCode.Perm
        or SQLitePrimaryCode.Busy or SQLitePrimaryCode.Locked;

    public static StoreUnavailableException Unavailable(string dataDirectory, SqliteException ex) => new(dataDirectory, ex.SqliteErrorCode switch
    {
        SQLitePrimaryCode.Full => "the disk is full (or the store reached its size limit); nothing was half-written — free space and run the command again",
        SQLitePrimaryCode.ReadOnly => "the folder or the database file is read-only; nothing was written — make it writable or use another --data folder",
        SQLitePrimaryCode.Perm or SQLitePrimaryCode.CantOpen => "the database cannot be opened there (missing folder, no permission, or read-only); nothing was written",
        // The busy timeout (60 s) ran out: another process kept the write lock that long.
        SQLitePrimaryCode.Busy or SQLitePrimaryCode.Locked => "the store is busy: another process (an ingest or a repair) held its write lock for over a minute; nothing was written — run the command again when it has finished",
        _ => $"an I/O error from the disk ({ex.Message}); nothing was half-written — check the disk and run 'legalrag verify'",
    }, ex);

    public static StoreUnavailableException Unavailable(string dataDirectory, Exception ex) => ex is SqliteException sqlite
        ? Unavailable(dataDirectory, sqlite)
        : new StoreUnavailableException(dataDirectory, $"cannot be created or written ({ex.Message})", ex);
}

/// <summary>SQLite's primary result codes that verification and fault handling tell apart.</summary>
internal static class SQLitePrimaryCode
{
    public const int Perm = 3;
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoErr = 10;
    public const int Full = 13;
    public const int CantOpen = 14;
}
