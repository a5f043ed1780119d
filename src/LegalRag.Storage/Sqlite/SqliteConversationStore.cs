using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LegalRag.Core.Abstractions;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>
/// Users' conversations in their own SQLite file beside the corpus store (<c>history.db</c> in the data folder).
/// A file of its own because it holds personal data with its own life: it is purged by retention and erased per user,
/// while the corpus file is rebuilt, verified and repaired by ingest without ever touching people's questions; and the
/// corpus may live in Qdrant, where there is no SQLite file to share. Citations are kept as JSON, exactly as shown.
/// </summary>
public sealed partial class SqliteConversationStore : IConversationStore
{
    public const string DefaultFileName = "history.db";
    private const int SchemaVersion = 1;
    private const int MaxSearchTerms = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS conversations (
            id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            title TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS conversations_by_user ON conversations(user_name, updated_ms DESC);
        CREATE INDEX IF NOT EXISTS conversations_by_age ON conversations(updated_ms);
        CREATE TABLE IF NOT EXISTS exchanges (
            id INTEGER PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            asked_ms INTEGER NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            language TEXT NOT NULL,
            mode TEXT NOT NULL,
            refused INTEGER NOT NULL,
            notice TEXT,
            corpus TEXT,
            as_of TEXT,
            standalone_query TEXT NOT NULL,
            citations TEXT NOT NULL,
            UNIQUE (conversation_id, number)
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS exchanges_fts USING fts5(question, answer, tokenize = 'unicode61 remove_diacritics 2');
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private SqliteConversationStore(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, ForeignKeys = true, DefaultTimeout = 30 }.ToString();
    }

    public string FilePath { get; }

    /// <summary>Opens (creating if needed) the history file; a file that is not a history store stops here with its path named.</summary>
    public static async Task<SqliteConversationStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var store = new SqliteConversationStore(full);
        try
        {
            await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = Convert.ToInt32(await ScalarAsync(connection, null, "PRAGMA user_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
                throw new InvalidDataException($"{full}: history schema version {version} is newer than this build's ({SchemaVersion}); use the newer build or another data folder");
            await ExecuteAsync(connection, null, Schema + $"PRAGMA user_version = {SchemaVersion};", cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 26)
        {
            throw new InvalidDataException($"{full}: not a history database (SQLite says: {ex.Message}); move it away or use another data folder", ex);
        }
        catch (SqliteException ex) when (StoreFaults.IsStorageFault(ex))
        {
            throw StoreFaults.Unavailable(Path.GetDirectoryName(full)!, ex);
        }
        return store;
    }

    public async Task<RecordedExchange> AppendAsync(string user, string conversationId, RecordedExchange exchange, CancellationToken cancellationToken) =>
        (await AppendAsync(user, conversationId, exchange, create: true, cancellationToken).ConfigureAwait(false))!;

    public Task<RecordedExchange?> AppendToExistingAsync(string user, string conversationId, RecordedExchange exchange, CancellationToken cancellationToken) =>
        AppendAsync(user, conversationId, exchange, create: false, cancellationToken);

    private async Task<RecordedExchange?> AppendAsync(string user, string conversationId, RecordedExchange exchange, bool create, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        ArgumentNullException.ThrowIfNull(exchange);
        var asked = exchange.AskedAt.ToUnixTimeMilliseconds();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var owner = await ScalarAsync(connection, tx, "SELECT user_name FROM conversations WHERE id = $id", cancellationToken, ("$id", conversationId)).ConfigureAwait(false) as string;
            if (owner is null && !create) return null;
            if (owner is null)
            {
                await ExecuteAsync(connection, tx, "INSERT INTO conversations(id, user_name, title, created_ms, updated_ms) VALUES ($id, $u, $t, $at, $at)", cancellationToken,
                    ("$id", conversationId), ("$u", user), ("$t", Title(exchange.Question)), ("$at", asked)).ConfigureAwait(false);
            }
            else if (!string.Equals(owner, user, StringComparison.Ordinal))
            {
                // Continuing: another user's conversation answers as one that does not exist.
                if (!create) return null;
                // Ids are generated by the server, so this is a bug or a forged id: never write into another user's conversation.
                throw new InvalidOperationException($"conversation {conversationId} belongs to another user");
            }
            else
            {
                await ExecuteAsync(connection, tx, "UPDATE conversations SET updated_ms = MAX(updated_ms, $at) WHERE id = $id", cancellationToken, ("$id", conversationId), ("$at", asked)).ConfigureAwait(false);
            }
            var number = Convert.ToInt32(await ScalarAsync(connection, tx, "SELECT COALESCE(MAX(number), 0) + 1 FROM exchanges WHERE conversation_id = $id", cancellationToken, ("$id", conversationId)).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var id = await ScalarAsync(connection, tx, """
                INSERT INTO exchanges(conversation_id, number, asked_ms, question, answer, language, mode, refused, notice, corpus, as_of, standalone_query, citations)
                VALUES ($c, $n, $at, $q, $a, $l, $m, $r, $notice, $corpus, $asof, $sq, $cit) RETURNING id
                """, cancellationToken,
                ("$c", conversationId), ("$n", number), ("$at", asked), ("$q", exchange.Question), ("$a", exchange.Answer), ("$l", exchange.Language),
                ("$m", exchange.Mode), ("$r", exchange.Refused ? 1 : 0), ("$notice", exchange.Notice), ("$corpus", exchange.Corpus),
                ("$asof", exchange.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("$sq", exchange.StandaloneQuery),
                ("$cit", JsonSerializer.Serialize(exchange.Citations, Json))).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, "INSERT INTO exchanges_fts(rowid, question, answer) VALUES ($id, $q, $a)", cancellationToken,
                ("$id", id), ("$q", exchange.Question), ("$a", exchange.Answer)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return exchange with { Number = number };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<ConversationPage> ListAsync(string user, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var total = Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM conversations WHERE user_name = $u", cancellationToken, ("$u", user)).ConfigureAwait(false), CultureInfo.InvariantCulture);
        await using var cmd = Command(connection, null, """
            SELECT c.id, c.title, c.created_ms, c.updated_ms, (SELECT COUNT(*) FROM exchanges e WHERE e.conversation_id = c.id)
            FROM conversations c WHERE c.user_name = $u ORDER BY c.updated_ms DESC, c.id LIMIT $limit OFFSET $offset
            """, ("$u", user), ("$limit", pageSize), ("$offset", (long)(page - 1) * pageSize));
        var items = new List<ConversationSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            items.Add(new ConversationSummary(reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2)), Time(reader.GetInt64(3)), reader.GetInt32(4)));
        return new ConversationPage(items, page, pageSize, total);
    }

    public async Task<bool> ExistsAsync(string user, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync(connection, null, "SELECT 1 FROM conversations WHERE id = $id AND user_name = $u", cancellationToken,
            ("$id", conversationId), ("$u", user)).ConfigureAwait(false) is not null;
    }

    public async Task<Conversation?> GetAsync(string user, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Deferred: a read transaction that takes no write lock, only a consistent snapshot.
        await using var tx = connection.BeginTransaction(deferred: true);
        return await ReadConversationAsync(connection, tx, user, conversationId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HistoryHit>> SearchAsync(string user, string query, int limit, CancellationToken cancellationToken)
    {
        var match = MatchExpression(query);
        if (match is null) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, null, """
            SELECT c.id, c.title, e.number, e.asked_ms, e.question, snippet(exchanges_fts, -1, '**', '**', '…', 16)
            FROM exchanges_fts JOIN exchanges e ON e.id = exchanges_fts.rowid JOIN conversations c ON c.id = e.conversation_id
            WHERE exchanges_fts MATCH $match AND c.user_name = $u
            ORDER BY bm25(exchanges_fts), e.asked_ms DESC LIMIT $limit
            """, ("$match", match), ("$u", user), ("$limit", limit));
        var hits = new List<HistoryHit>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            hits.Add(new HistoryHit(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Time(reader.GetInt64(3)), reader.GetString(4), reader.GetString(5)));
        return hits;
    }

    public async Task<bool> DeleteAsync(string user, string conversationId, CancellationToken cancellationToken)
    {
        var removed = await RemoveAsync("c.id = $id AND c.user_name = $u", cancellationToken, ("$id", conversationId), ("$u", user)).ConfigureAwait(false);
        return removed.Conversations > 0;
    }

    public async Task<IReadOnlyList<Conversation>> ExportUserAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the export is one consistent picture even while the user keeps chatting.
        // Deferred: a read transaction that takes no write lock, only a consistent snapshot.
        await using var tx = connection.BeginTransaction(deferred: true);
        var ids = new List<string>();
        await using (var cmd = Command(connection, tx, "SELECT id FROM conversations WHERE user_name = $u ORDER BY created_ms, id", ("$u", user)))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetString(0));
        var conversations = new List<Conversation>();
        foreach (var id in ids)
            if (await ReadConversationAsync(connection, tx, user, id, cancellationToken).ConfigureAwait(false) is { } conversation) conversations.Add(conversation);
        return conversations;
    }

    public Task<HistoryRemoval> EraseUserAsync(string user, CancellationToken cancellationToken) =>
        RemoveAsync("c.user_name = $u", cancellationToken, ("$u", user));

    public Task<HistoryRemoval> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        RemoveAsync("c.updated_ms < $cutoff", cancellationToken, ("$cutoff", cutoff.ToUnixTimeMilliseconds()));

    /// <summary>Deletes the conversations matching <paramref name="where"/> (over alias c) with their exchanges and their full-text rows, in one transaction.</summary>
    private async Task<HistoryRemoval> RemoveAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var selected = $"SELECT c.id FROM conversations c WHERE {where}";
            await ExecuteAsync(connection, tx, $"DELETE FROM exchanges_fts WHERE rowid IN (SELECT e.id FROM exchanges e WHERE e.conversation_id IN ({selected}))", cancellationToken, parameters).ConfigureAwait(false);
            var exchanges = await ExecuteAsync(connection, tx, $"DELETE FROM exchanges WHERE conversation_id IN ({selected})", cancellationToken, parameters).ConfigureAwait(false);
            var conversations = await ExecuteAsync(connection, tx, $"DELETE FROM conversations AS c WHERE {where}", cancellationToken, parameters).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new HistoryRemoval(conversations, exchanges);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task<Conversation?> ReadConversationAsync(SqliteConnection connection, SqliteTransaction tx, string user, string conversationId, CancellationToken cancellationToken)
    {
        string title;
        DateTimeOffset created, updated;
        await using (var head = Command(connection, tx, "SELECT title, created_ms, updated_ms FROM conversations WHERE id = $id AND user_name = $u", ("$id", conversationId), ("$u", user)))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            title = reader.GetString(0);
            created = Time(reader.GetInt64(1));
            updated = Time(reader.GetInt64(2));
        }
        var exchanges = new List<RecordedExchange>();
        await using (var cmd = Command(connection, tx, """
            SELECT number, asked_ms, question, answer, language, mode, refused, notice, corpus, as_of, standalone_query, citations
            FROM exchanges WHERE conversation_id = $id ORDER BY number
            """, ("$id", conversationId)))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                exchanges.Add(new RecordedExchange
                {
                    Number = reader.GetInt32(0), AskedAt = Time(reader.GetInt64(1)), Question = reader.GetString(2), Answer = reader.GetString(3),
                    Language = reader.GetString(4), Mode = reader.GetString(5), Refused = reader.GetInt64(6) != 0,
                    Notice = reader.IsDBNull(7) ? null : reader.GetString(7), Corpus = reader.IsDBNull(8) ? null : reader.GetString(8),
                    AsOf = reader.IsDBNull(9) ? null : DateOnly.ParseExact(reader.GetString(9), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    StandaloneQuery = reader.GetString(10),
                    Citations = JsonSerializer.Deserialize<List<RecordedCitation>>(reader.GetString(11), Json) ?? [],
                });
            }
        }
        return new Conversation(conversationId, user, title, created, updated, exchanges);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <summary>
    /// The FTS5 expression for what a user typed: its words, each as a quoted prefix, all required. Quoting keeps FTS5's
    /// own syntax (AND, NEAR, column filters, stray quotes) out of user input. Null when nothing searchable remains.
    /// </summary>
    public static string? MatchExpression(string query)
    {
        var words = Word().Matches(query ?? "").Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxSearchTerms).ToList();
        return words.Count == 0 ? null : string.Join(' ', words.Select(w => $"\"{w}\"*"));
    }

    private static string Title(string question)
    {
        var oneLine = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 120 ? oneLine : oneLine[..119] + "…";
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(connection, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(connection, tx, sql, parameters);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
