using System.Text;
using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Text;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>
/// The embedded default store: SQLite with FTS5 (BM25) for lexical search and a vector table for
/// dense search, in one file, with no server. Writes go through one connection, one transaction
/// per document; reads use pooled connections and never see a half-written document.
/// </summary>
public sealed partial class SqliteLegalStore : ILegalStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, TextAnalyzer> _analyzers = new();
    private readonly Lock _analyzerLock = new();

    private SqliteLegalStore(SqliteStoreOptions options)
    {
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public SqliteStoreOptions Options => _options;

    /// <summary>True when opening found terms analyzed by an older analyzer and re-analyzed them.</summary>
    public bool LexicalIndexRebuilt { get; private set; }

    /// <summary>Re-analyzes every chunk into the FTS table, in one transaction (chunk texts are kept in the store).</summary>
    public async Task RebuildLexicalIndexAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var clear = connection.CreateCommand())
            {
                clear.Transaction = tx;
                // Recreated, not just emptied: the table's columns may differ between versions.
                clear.CommandText = "DROP TABLE IF EXISTS chunks_fts; " + SqliteSchema.CreateFts + "; DELETE FROM meta WHERE key = 'fts_rank';";
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var read = connection.CreateCommand();
            read.Transaction = tx;
            read.CommandText = "SELECT c.id, c.heading, c.text, d.language, c.corpus_id, d.act_norm, d.title, d.act_name, p.path FROM chunks c JOIN provisions p ON p.id = c.provision_id JOIN documents d ON d.id = p.document_id";
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO chunks_fts(rowid, heading, context, body, scope) VALUES ($id, $h, $x, $b, $s)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var context = insert.Parameters.Add("$x", SqliteType.Text);
            var scope = insert.Parameters.Add("$s", SqliteType.Text);
            var heading = insert.Parameters.Add("$h", SqliteType.Text);
            var body = insert.Parameters.Add("$b", SqliteType.Text);
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var analyzer = AnalyzerFor(reader.GetString(3));
                    id.Value = reader.GetInt64(0);
                    heading.Value = string.Join(' ', analyzer.Analyze(reader.GetString(1)));
                    context.Value = string.Join(' ', analyzer.Analyze(SqliteSchema.Context(reader.GetString(6), reader.GetString(7), reader.GetString(8))));
                    body.Value = string.Join(' ', analyzer.Analyze(reader.GetString(2)));
                    scope.Value = SqliteSchema.Scope(reader.GetInt64(4), reader.GetString(5));
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Opens (creating if needed) the store in <see cref="SqliteStoreOptions.DataDirectory"/>.</summary>
    public static async Task<SqliteLegalStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenOrCreateAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (StoreFaults.IsStorageFault(ex))
        {
            throw StoreFaults.Unavailable(options.DataDirectory, ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException && ex is not StoreUnavailableException)
        {
            throw StoreFaults.Unavailable(options.DataDirectory, ex);
        }
    }

    private static async Task<SqliteLegalStore> OpenOrCreateAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var store = new SqliteLegalStore(options);
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Opening a current store writes nothing: a command that only reads (verify, stats, search, serve) must not
        // wait for the write lock of an ingest running in another process, nor fail on a read-only folder for it.
        var current = await IsCurrentAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current) return store;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = SqliteSchema.Create;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var storedVersion = await ScalarAsync<string?>(connection, null, "SELECT value FROM meta WHERE key = 'schema_version'", cancellationToken);
        if (storedVersion is not null && int.TryParse(storedVersion, System.Globalization.CultureInfo.InvariantCulture, out var version) && version < SqliteSchema.Version)
        {
            await store.MigrateAsync(connection, version, cancellationToken).ConfigureAwait(false);
            store.MigratedFromSchemaVersion = version;
        }
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = SqliteSchema.CreateLateIndexes;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO meta(key, value) VALUES ('schema_version', $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("$v", SqliteSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var analyzer = await ScalarAsync<string?>(connection, null, "SELECT value FROM meta WHERE key = 'analyzer_version'", cancellationToken);
        if (analyzer != SqliteSchema.AnalyzerVersion)
        {
            var chunks = await ScalarAsync<long>(connection, null, "SELECT COUNT(*) FROM chunks", cancellationToken);
            if (chunks > 0)
            {
                await store.RebuildLexicalIndexAsync(cancellationToken).ConfigureAwait(false);
                store.LexicalIndexRebuilt = true;
            }
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO meta(key, value) VALUES ('analyzer_version', $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("$v", SqliteSchema.AnalyzerVersion);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return store;
    }

    /// <summary>True when the file has every table of this schema version and its analyzer version: nothing to create, migrate or re-index.</summary>
    private static async Task<bool> IsCurrentAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // document_manifests is the newest table; meta must exist before it can be read.
        var tables = await ScalarAsync<long>(connection, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'document_manifests')", cancellationToken).ConfigureAwait(false);
        if (tables < 2) return false;
        var version = await ScalarAsync<string?>(connection, null, "SELECT value FROM meta WHERE key = 'schema_version'", cancellationToken).ConfigureAwait(false);
        var analyzer = await ScalarAsync<string?>(connection, null, "SELECT value FROM meta WHERE key = 'analyzer_version'", cancellationToken).ConfigureAwait(false);
        return version == SqliteSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) && analyzer == SqliteSchema.AnalyzerVersion;
    }

    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // NORMAL is durable in WAL mode except for the last commits on power loss; never corrupting.
        // busy_timeout: a connection that meets a lock (another process's writer, a checkpoint) waits in
        // SQLite's own handler, which retries after 1, 2, 5, 10… ms, before Microsoft.Data.Sqlite's managed
        // retry (150 ms sleeps, up to DefaultTimeout) sees SQLITE_BUSY at all: short waits stay short.
        cmd.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = 5000;";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (_options.MaxDatabaseBytes is { } maxBytes)
        {
            // A per-connection limit: SQLite answers SQLITE_FULL past it, exactly as on a full disk.
            var pageSize = await ScalarAsync<long>(connection, null, "PRAGMA page_size", cancellationToken).ConfigureAwait(false);
            await using var limit = connection.CreateCommand();
            limit.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {Math.Max(1, maxBytes / Math.Max(1, pageSize))}");
            await limit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return connection;
    }

    internal TextAnalyzer AnalyzerFor(string language)
    {
        lock (_analyzerLock)
        {
            if (!_analyzers.TryGetValue(language, out var analyzer))
                _analyzers[language] = analyzer = new TextAnalyzer(language, _options.Analyzer);
            return analyzer;
        }
    }

    // ---------------------------------------------------------------- writing

    public async Task EnsureCorpusAsync(CorpusInfo corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO corpora(name, language, created_at) VALUES ($n, $l, $t) ON CONFLICT(name) DO NOTHING; SELECT language FROM corpora WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", corpus.Name);
        cmd.Parameters.AddWithValue("$l", corpus.Language);
        cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
        string? language;
        try
        {
            language = (string?)await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (StoreFaults.IsStorageFault(ex))
        {
            throw StoreFaults.Unavailable(_options.DataDirectory, ex);
        }
        if (language is not null && !string.Equals(language, corpus.Language, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Corpus '{corpus.Name}' exists with language '{language}', not '{corpus.Language}'. Use another corpus name or remove it first.");
    }

    public async Task<string?> GetDocumentHashAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT d.content_hash FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE c.name = $c AND d.source_path = $p";
        cmd.Parameters.AddWithValue("$c", corpus);
        cmd.Parameters.AddWithValue("$p", sourcePath);
        return (string?)await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>All stored source paths of a corpus with their content hashes, for a fast incremental check.</summary>
    public async Task<Dictionary<string, string>> GetDocumentHashesAsync(string corpus, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT d.source_path, d.content_hash FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE c.name = $c";
        cmd.Parameters.AddWithValue("$c", corpus);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    public async Task<IReadOnlyList<string>> ListDocumentPathsAsync(string corpus, CancellationToken cancellationToken) =>
        (await GetDocumentHashesAsync(corpus, cancellationToken).ConfigureAwait(false)).Keys.Order(StringComparer.Ordinal).ToList();

    public Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken) =>
        UpsertDocumentAsync(corpus, document, chunks, null, cancellationToken);

    /// <summary>Stores a document and, when given, one embedding per chunk (for <see cref="SqliteStoreOptions.VectorModel"/>) in the same transaction.</summary>
    public async Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, IReadOnlyList<ReadOnlyMemory<float>>? vectors, CancellationToken cancellationToken)
    {
        if (vectors is not null && vectors.Count != chunks.Count)
            throw new ArgumentException($"{vectors.Count} vectors for {chunks.Count} chunks of {document.SourcePath}", nameof(vectors));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // BEGIN IMMEDIATE: take the write lock up front so a concurrent writer in another process waits instead of failing mid-way.
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            var corpusId = await ScalarAsync<long?>(connection, tx, "SELECT id FROM corpora WHERE name = $c", cancellationToken, ("$c", corpus))
                ?? throw new InvalidOperationException($"Corpus '{corpus}' does not exist.");
            var existing = await ReadExistingAsync(connection, tx, corpusId, document.SourcePath, cancellationToken).ConfigureAwait(false);
            if (existing is { } e && e.Hash == document.ContentHash)
            {
                if (vectors is not null)
                {
                    await PutDocumentVectorsAsync(connection, tx, e.Id, chunks, vectors, cancellationToken).ConfigureAwait(false);
                    await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                    InvalidateVectorCache();
                }
                return UpsertOutcome.Unchanged;
            }
            if (existing is { } old) await DeleteDocumentRowsAsync(connection, tx, old.Id, cancellationToken).ConfigureAwait(false);

            var documentId = await InsertDocumentAsync(connection, tx, corpusId, document, cancellationToken).ConfigureAwait(false);
            var provisionIds = await InsertProvisionsAsync(connection, tx, documentId, document, cancellationToken).ConfigureAwait(false);
            await InsertAliasesAsync(connection, tx, documentId, document, cancellationToken).ConfigureAwait(false);
            await InsertReferencesAsync(connection, tx, corpusId, document, provisionIds, cancellationToken).ConfigureAwait(false);
            await InsertChunksAsync(connection, tx, corpusId, document, provisionIds, chunks, cancellationToken).ConfigureAwait(false);
            if (vectors is not null) await PutDocumentVectorsAsync(connection, tx, documentId, chunks, vectors, cancellationToken).ConfigureAwait(false);
            await DocumentManifest.WriteAsync(connection, tx, documentId, document.ContentHash, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
            return existing is null ? UpsertOutcome.Added : UpsertOutcome.Replaced;
        }
        catch (SqliteException ex) when (StoreFaults.IsStorageFault(ex))
        {
            throw StoreFaults.Unavailable(_options.DataDirectory, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task<(long Id, string Hash)?> ReadExistingAsync(SqliteConnection connection, SqliteTransaction tx, long corpusId, string sourcePath, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT id, content_hash FROM documents WHERE corpus_id = $c AND source_path = $p";
        cmd.Parameters.AddWithValue("$c", corpusId);
        cmd.Parameters.AddWithValue("$p", sourcePath);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task DeleteDocumentRowsAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        // FTS rows are not covered by the foreign-key cascade: remove them explicitly first.
        cmd.CommandText = """
            DELETE FROM chunks_fts WHERE rowid IN (SELECT c.id FROM chunks c JOIN provisions p ON p.id = c.provision_id WHERE p.document_id = $d);
            DELETE FROM documents WHERE id = $d;
            """;
        cmd.Parameters.AddWithValue("$d", documentId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> InsertDocumentAsync(SqliteConnection connection, SqliteTransaction tx, long corpusId, LegalDocument d, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO documents(corpus_id, source_path, content_hash, title, abbreviation, act_name, act_norm, title_norm, language, format, ingested_at,
                                  identifier, aliases, valid_from, valid_to, provenance_source, provenance_publisher, provenance_retrieved_at, provenance_hash)
            VALUES ($c, $p, $h, $t, $a, $n, $an, $tn, $l, $f, $at, $ident, $aliases, $vf, $vt, $ps, $pp, $pr, $ph) RETURNING id
            """;
        cmd.Parameters.AddWithValue("$c", corpusId);
        cmd.Parameters.AddWithValue("$p", d.SourcePath);
        cmd.Parameters.AddWithValue("$h", d.ContentHash);
        cmd.Parameters.AddWithValue("$t", d.Title);
        cmd.Parameters.AddWithValue("$a", (object?)d.Abbreviation ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", d.ActName);
        cmd.Parameters.AddWithValue("$an", CitationReference.NormalizeAct(d.ActName));
        cmd.Parameters.AddWithValue("$tn", CitationReference.NormalizeAct(d.Title));
        cmd.Parameters.AddWithValue("$l", d.Language);
        cmd.Parameters.AddWithValue("$f", d.Format);
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        AddActInfoParameters(cmd, d);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private sealed record ParagraphRow(string? L, string T, int? P);

    private static async Task<Dictionary<string, long>> InsertProvisionsAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, LegalDocument d, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO provisions(key, document_id, ordinal, kind, number, number_norm, heading, citation, path, paragraphs, repealed, identifier, valid_from, valid_to, notes, version_of, changed_by)
            VALUES ($k, $d, $o, $kind, $n, $nn, $h, $c, $path, $para, $r, $ident, $vf, $vt, $notes, $vo, $cb)
            ON CONFLICT(key) DO NOTHING RETURNING id
            """;
        var pKey = cmd.Parameters.Add("$k", SqliteType.Text);
        cmd.Parameters.AddWithValue("$d", documentId);
        var pOrd = cmd.Parameters.Add("$o", SqliteType.Integer);
        var pKind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var pNum = cmd.Parameters.Add("$n", SqliteType.Text);
        var pNorm = cmd.Parameters.Add("$nn", SqliteType.Text);
        var pHead = cmd.Parameters.Add("$h", SqliteType.Text);
        var pCit = cmd.Parameters.Add("$c", SqliteType.Text);
        var pPath = cmd.Parameters.Add("$path", SqliteType.Text);
        var pPara = cmd.Parameters.Add("$para", SqliteType.Text);
        var pRep = cmd.Parameters.Add("$r", SqliteType.Integer);
        var pIdent = cmd.Parameters.Add("$ident", SqliteType.Text);
        var pFrom = cmd.Parameters.Add("$vf", SqliteType.Text);
        var pTo = cmd.Parameters.Add("$vt", SqliteType.Text);
        var pNotes = cmd.Parameters.Add("$notes", SqliteType.Text);
        var pVersionOf = cmd.Parameters.Add("$vo", SqliteType.Text);
        var pChangedBy = cmd.Parameters.Add("$cb", SqliteType.Text);
        await cmd.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var p in d.Provisions)
        {
            pOrd.Value = p.Ordinal;
            pKind.Value = p.Kind.ToString();
            pNum.Value = p.Number;
            pNorm.Value = CitationReference.NormalizeNumber(p.Number);
            pHead.Value = p.Heading;
            pCit.Value = p.Citation;
            pPath.Value = p.PathDisplay;
            pPara.Value = JsonSerializer.Serialize(p.Paragraphs.Select(x => new ParagraphRow(x.Label, x.Text, x.Page)).ToList());
            pRep.Value = p.IsRepealed ? 1 : 0;
            pIdent.Value = TextValue(p.Identifier);
            pFrom.Value = DateValue(p.ValidFrom);
            pTo.Value = DateValue(p.ValidTo);
            pNotes.Value = StringListValue(p.Notes);
            pChangedBy.Value = TextValue(p.ChangedBy);
            // Two acts in one corpus can share an abbreviation; the later one's keys get the source as suffix.
            foreach (var key in new[] { p.Key, $"{p.Key}@{Hashing.Sha256Hex(d.SourcePath)[..8]}" })
            {
                pKey.Value = key;
                pVersionOf.Value = Core.Versions.ProvisionVersions.BaseKey(key);
                var id = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (id is long rowId) { ids[p.Key] = rowId; break; }
            }
        }
        return ids;
    }

    private async Task InsertChunksAsync(SqliteConnection connection, SqliteTransaction tx, long corpusId, LegalDocument document, Dictionary<string, long> provisionIds, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0) return;
        var analyzer = AnalyzerFor(document.Language);
        var actNorm = CitationReference.NormalizeAct(document.ActName);
        // Analyzed once per provision, not per chunk: every chunk of a provision shares its context.
        var contexts = document.Provisions.ToDictionary(p => p.Key, p => string.Join(' ', analyzer.Analyze(SqliteSchema.Context(document.Title, document.ActName, p.PathDisplay))), StringComparer.Ordinal);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO chunks(provision_id, corpus_id, ordinal, citation, heading, text, page, content_hash)
            VALUES ($p, $c, $o, $cit, $h, $t, $pg, $hash) RETURNING id
            """;
        var pProv = cmd.Parameters.Add("$p", SqliteType.Integer);
        cmd.Parameters.AddWithValue("$c", corpusId);
        var pOrd = cmd.Parameters.Add("$o", SqliteType.Integer);
        var pCit = cmd.Parameters.Add("$cit", SqliteType.Text);
        var pHead = cmd.Parameters.Add("$h", SqliteType.Text);
        var pText = cmd.Parameters.Add("$t", SqliteType.Text);
        var pPage = cmd.Parameters.Add("$pg", SqliteType.Integer);
        var pHash = cmd.Parameters.Add("$hash", SqliteType.Text);
        await using var fts = connection.CreateCommand();
        fts.Transaction = tx;
        fts.CommandText = "INSERT INTO chunks_fts(rowid, heading, context, body, scope) VALUES ($id, $h, $x, $b, $s)";
        fts.Parameters.AddWithValue("$s", SqliteSchema.Scope(corpusId, actNorm));
        var fId = fts.Parameters.Add("$id", SqliteType.Integer);
        var fContext = fts.Parameters.Add("$x", SqliteType.Text);
        var fHead = fts.Parameters.Add("$h", SqliteType.Text);
        var fBody = fts.Parameters.Add("$b", SqliteType.Text);
        await cmd.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await fts.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in chunks)
        {
            if (!provisionIds.TryGetValue(chunk.ProvisionKey, out var provisionId))
                throw new InvalidOperationException($"Chunk {chunk.Citation} refers to provision '{chunk.ProvisionKey}', which the document does not contain.");
            pProv.Value = provisionId;
            pOrd.Value = chunk.Ordinal;
            pCit.Value = chunk.Citation;
            pHead.Value = chunk.Heading;
            pText.Value = chunk.Text;
            pPage.Value = (object?)chunk.Page ?? DBNull.Value;
            pHash.Value = chunk.ContentHash;
            var id = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            fId.Value = id;
            fHead.Value = string.Join(' ', analyzer.Analyze(chunk.Heading));
            fContext.Value = contexts.GetValueOrDefault(chunk.ProvisionKey, "");
            fBody.Value = string.Join(' ', analyzer.Analyze(chunk.Text));
            await fts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> DeleteDocumentAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var id = await FindDocumentIdAsync(connection, tx, corpus, sourcePath, cancellationToken).ConfigureAwait(false);
            if (id is null) return false;
            await DeleteDocumentRowsAsync(connection, tx, id.Value, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> CloseDocumentAsync(string corpus, string sourcePath, DateOnly closedOn, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var id = await FindDocumentIdAsync(connection, tx, corpus, sourcePath, cancellationToken).ConfigureAwait(false);
            if (id is null) return false;
            var date = DateValue(closedOn);
            // An end that is already earlier (a provision repealed before the act) is the truer one and stays.
            await ExecuteAsync(connection, tx, "UPDATE documents SET valid_to = $d WHERE id = $id AND (valid_to IS NULL OR valid_to > $d)", cancellationToken,
                ("$d", date), ("$id", id.Value)).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, "UPDATE provisions SET valid_to = $d WHERE document_id = $id AND (valid_to IS NULL OR valid_to > $d)", cancellationToken,
                ("$d", date), ("$id", id.Value)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            // The dense index keeps each chunk's validity beside its vector.
            InvalidateVectorCache();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<CorpusSummary>> ListCorporaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT c.name, c.language, c.created_at,
                   (SELECT COUNT(*) FROM documents d WHERE d.corpus_id = c.id),
                   (SELECT COUNT(*) FROM provisions p JOIN documents d ON d.id = p.document_id WHERE d.corpus_id = c.id),
                   (SELECT COUNT(*) FROM chunks k WHERE k.corpus_id = c.id)
            FROM corpora c ORDER BY c.name
            """;
        var list = new List<CorpusSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new CorpusSummary(reader.GetString(0), reader.GetString(1), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture)));
        return list;
    }

    public async Task<bool> RemoveCorpusAsync(string corpus, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var id = await ScalarAsync<long?>(connection, tx, "SELECT id FROM corpora WHERE name = $c", cancellationToken, ("$c", corpus));
            if (id is null) return false;
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE corpus_id = $c);
                DELETE FROM chunks WHERE corpus_id = $c;
                DELETE FROM corpora WHERE id = $c;
                """;
            cmd.Parameters.AddWithValue("$c", id.Value);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            InvalidateVectorCache();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM corpora), (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM provisions), (SELECT COUNT(*) FROM chunks), (SELECT COUNT(*) FROM chunk_vectors)";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    /// <summary>The problems <see cref="VerifyAsync"/> finds, as lines; empty when the store is consistent.</summary>
    public async Task<IReadOnlyList<string>> CheckConsistencyAsync(CancellationToken cancellationToken) =>
        (await VerifyAsync(null, cancellationToken).ConfigureAwait(false)).Problems.Select(p => p.Message).ToList();

    internal static async Task<T> ScalarAsync<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (result is null or DBNull) return default!;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(result, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<long?> FindDocumentIdAsync(SqliteConnection connection, SqliteTransaction tx, string corpus, string sourcePath, CancellationToken cancellationToken) =>
        ScalarAsync<long?>(connection, tx,
            "SELECT d.id FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE c.name = $c AND d.source_path = $p", cancellationToken,
            ("$c", corpus), ("$p", sourcePath));

    internal static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        DisposeVersionConnection();
        _writeLock.Dispose();
    }
}
