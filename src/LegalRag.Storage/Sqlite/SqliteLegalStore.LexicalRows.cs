using System.Runtime.CompilerServices;
using LegalRag.Core.Abstractions;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>The FTS rows whole, for a lexical index kept in memory (LegalRag.Retrieval.Lexical), and the token that says when to read them again.</summary>
public sealed partial class SqliteLegalStore : ILexicalRowSource
{
    // One connection kept open only to ask PRAGMA data_version: its value changes whenever another connection (a pooled
    // one of this store, or another process's ingest) commits, and never for this connection's own reads.
    private readonly Lock _versionLock = new();
    private SqliteConnection? _versionConnection;
    private SqliteCommand? _versionCommand;

    public ValueTask<long> GetLexicalVersionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_versionLock)
        {
            if (_versionCommand is null)
            {
                _versionConnection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                _versionConnection.Open();
                _versionCommand = _versionConnection.CreateCommand();
                _versionCommand.CommandText = "PRAGMA data_version";
            }
            // A microsecond on an open connection: asked before every query, synchronously.
            return ValueTask.FromResult((long)_versionCommand.ExecuteScalar()!);
        }
    }

    public async IAsyncEnumerable<LexicalRow> ReadLexicalRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // One statement: one read snapshot in WAL mode, whatever an ingest commits meanwhile. Every FTS row, also one
        // whose chunk is gone: FTS5 counts it in its BM25 statistics.
        cmd.CommandText = """
            SELECT f.rowid, p.key, co.name, d.act_norm, f.heading, f.context, f.body, f.scope,
                   p.valid_from, p.valid_to, d.valid_from, d.valid_to
            FROM chunks_fts f
            LEFT JOIN chunks c ON c.id = f.rowid
            LEFT JOIN provisions p ON p.id = c.provision_id
            LEFT JOIN documents d ON d.id = p.document_id
            LEFT JOIN corpora co ON co.id = c.corpus_id
            ORDER BY f.rowid
            """;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.IsDBNull(1) ? null : reader.GetString(1);
            yield return new LexicalRow(
                reader.GetInt64(0), key, key is null || reader.IsDBNull(2) ? null : reader.GetString(2), key is null || reader.IsDBNull(3) ? null : reader.GetString(3),
                TextOrEmpty(reader, 4), TextOrEmpty(reader, 5), TextOrEmpty(reader, 6), TextOrEmpty(reader, 7),
                ReadDate(reader, 8), ReadDate(reader, 9), ReadDate(reader, 10), ReadDate(reader, 11));
        }
    }

    private static string TextOrEmpty(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? "" : reader.GetString(ordinal);

    private void DisposeVersionConnection()
    {
        lock (_versionLock)
        {
            _versionCommand?.Dispose();
            _versionConnection?.Dispose();
            _versionCommand = null;
            _versionConnection = null;
        }
    }
}
