using System.Globalization;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>Act aliases and the cross-reference graph.</summary>
public sealed partial class SqliteLegalStore : IReferenceResolution
{
    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => SqliteSchema.Version;

    /// <summary>The schema version this store had before opening migrated it, or null when none was needed.</summary>
    public int? MigratedFromSchemaVersion { get; private set; }

    /// <summary>
    /// Brings an older store up to <see cref="SqliteSchema.Version"/> in one transaction, keeping every stored row.
    /// From schema 1: marks every document as changed, so that the next ingest re-parses it and stores its references.
    /// From schema 1 or 2: adds the schema-3 columns, fills the stored documents' provenance with what the store knows
    /// (source path, ingest time, content hash), and derives the alias table anew (it did not exist in 1, and its tier
    /// numbers changed in 3), so "§ 147 AO" resolves at once.
    /// </summary>
    private async Task MigrateAsync(SqliteConnection connection, int fromVersion, CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (table, column, type) in SqliteSchema.AddedInVersion3.Concat(SqliteSchema.AddedInVersion4))
        {
            // CREATE TABLE IF NOT EXISTS left an old table as it was; a column may exist if an earlier open was cut short.
            var present = await ScalarAsync<long>(connection, tx, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $c", cancellationToken, ("$c", column)).ConfigureAwait(false);
            if (present > 0) continue;
            await using var alter = connection.CreateCommand();
            alter.Transaction = tx;
            alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {type}";
            await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var documents = new List<(long Id, string Language, string Title, string? Abbreviation, string? Aliases)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT id, language, title, abbreviation, aliases FROM documents";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                documents.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = tx;
            clear.CommandText = "DELETE FROM act_aliases";
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var d in documents)
            await WriteAliasesAsync(connection, tx, d.Id, ActAliases.Derive(d.Language, d.Title, d.Abbreviation, ReadStringList(d.Aliases)), cancellationToken).ConfigureAwait(false);
        await using (var provenance = connection.CreateCommand())
        {
            // What the store already knows of where and when it read each document: its path, its ingest time, its hash.
            provenance.Transaction = tx;
            provenance.CommandText = "UPDATE documents SET provenance_source = source_path, provenance_retrieved_at = ingested_at, provenance_hash = content_hash WHERE provenance_source IS NULL";
            await provenance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (fromVersion < 4)
        {
            // Every stored row is one version; the ones LEGI keyed by their start share the plain key's base.
            var keys = new List<(long Id, string Key)>();
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = "SELECT id, key FROM provisions WHERE version_of IS NULL";
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) keys.Add((reader.GetInt64(0), reader.GetString(1)));
            }
            await using var update = connection.CreateCommand();
            update.Transaction = tx;
            update.CommandText = "UPDATE provisions SET version_of = $b WHERE id = $id";
            var b = update.Parameters.Add("$b", SqliteType.Text);
            var id = update.Parameters.Add("$id", SqliteType.Integer);
            foreach (var (rowId, key) in keys)
            {
                b.Value = Core.Versions.ProvisionVersions.BaseKey(key);
                id.Value = rowId;
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        if (fromVersion < 2)
        {
            await using var stale = connection.CreateCommand();
            stale.Transaction = tx;
            stale.CommandText = "UPDATE documents SET content_hash = 'schema1:' || content_hash WHERE content_hash NOT LIKE 'schema1:%'";
            await stale.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task InsertAliasesAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, LegalDocument d, CancellationToken cancellationToken) =>
        WriteAliasesAsync(connection, tx, documentId, ActAliases.Derive(d), cancellationToken);

    private static async Task WriteAliasesAsync(SqliteConnection connection, SqliteTransaction tx, long documentId, IReadOnlyList<ActAlias> aliases, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT OR IGNORE INTO act_aliases(alias, document_id, tier) VALUES ($a, $d, $t)";
        var a = cmd.Parameters.Add("$a", SqliteType.Text);
        cmd.Parameters.AddWithValue("$d", documentId);
        var t = cmd.Parameters.Add("$t", SqliteType.Integer);
        foreach (var alias in aliases)
        {
            a.Value = alias.Key;
            t.Value = (int)alias.Tier;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the document's references in its own transaction. References into the document itself are
    /// resolved here; the rest keep the act's lookup keys and are resolved by <see cref="ResolveReferencesAsync"/>.
    /// </summary>
    private static async Task InsertReferencesAsync(SqliteConnection connection, SqliteTransaction tx, long corpusId, LegalDocument d,
        Dictionary<string, long> provisionIds, CancellationToken cancellationToken)
    {
        if (d.References.Count == 0) return;
        var ownKeys = ActAliases.Derive(d).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var ownAct = CitationReference.NormalizeAct(d.ActName);
        var local = new Dictionary<(ProvisionKind, string), long>();
        var localAnyKind = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in d.Provisions)
        {
            if (!provisionIds.TryGetValue(p.Key, out var id)) continue;
            var n = CitationReference.NormalizeNumber(p.Number);
            local.TryAdd((p.Kind, n), id);
            localAnyKind.TryAdd(n, id);
        }
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO provision_references(from_id, corpus_id, act_key, act_fold, kind, number_norm, to_id) VALUES ($f, $c, $a, $af, $k, $n, $t)";
        var from = cmd.Parameters.Add("$f", SqliteType.Integer);
        cmd.Parameters.AddWithValue("$c", corpusId);
        var act = cmd.Parameters.Add("$a", SqliteType.Text);
        var fold = cmd.Parameters.Add("$af", SqliteType.Text);
        var kind = cmd.Parameters.Add("$k", SqliteType.Text);
        var number = cmd.Parameters.Add("$n", SqliteType.Text);
        var to = cmd.Parameters.Add("$t", SqliteType.Integer);
        await cmd.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in d.References)
        {
            if (!provisionIds.TryGetValue(r.FromKey, out var fromId)) continue;
            var keys = r.Act is null ? [ownAct] : ActAliases.LookupKeys(d.Language, r.Act);
            if (keys.Count == 0) continue;
            var n = CitationReference.NormalizeNumber(r.Number);
            long? target = null;
            if (r.Act is null || keys.Any(ownKeys.Contains))
                target = local.TryGetValue((r.Kind, n), out var same) ? same : localAnyKind.TryGetValue(n, out var any) ? any : null;
            if (target == fromId) continue; // a provision pointing into itself is no edge
            from.Value = fromId;
            act.Value = keys[0];
            fold.Value = keys.Count > 1 ? keys[1] : DBNull.Value;
            kind.Value = r.Kind.ToString();
            number.Value = n;
            to.Value = (object?)target ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Resolves every reference whose target is not known yet, against all stored documents: the act by its
    /// aliases (best tier first, the citing corpus first), then the number and kind. Run at the end of an
    /// ingest, so the order in which files arrive does not matter, and a replaced target is found again.
    /// CROSS JOIN fixes the join order: from the few documents an alias names to their provision by number
    /// (index provisions_document_number), never from every provision numbered "1" in the store.
    /// </summary>
    public async Task<IReadOnlyList<ReferenceStatistics>> ResolveReferencesAsync(string? corpus, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = """
                    UPDATE provision_references AS r SET to_id = (
                        SELECT p.id FROM act_aliases a
                        CROSS JOIN provisions p ON p.document_id = a.document_id AND p.number_norm = r.number_norm
                        JOIN documents d ON d.id = a.document_id
                        WHERE a.alias IN (r.act_key, r.act_fold) AND p.id <> r.from_id
                        -- The source path and key last: two acts sharing an alias (ZuG 2007 and ZuG 2012) must resolve
                        -- the same way whatever order the files were written in (the crash test found this tie).
                        ORDER BY d.corpus_id = r.corpus_id DESC, a.tier, p.kind = r.kind DESC, p.ordinal, d.source_path, p.key
                        LIMIT 1)
                    WHERE r.to_id IS NULL
                    """ + (corpus is null ? "" : " AND r.corpus_id = (SELECT id FROM corpora WHERE name = $c)");
                if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
                cmd.CommandTimeout = 0;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return await ReferenceStatisticsAsync(connection, corpus, cancellationToken).ConfigureAwait(false);
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

    /// <summary>References found and resolved, per corpus (all corpora when <paramref name="corpus"/> is null).</summary>
    public async Task<IReadOnlyList<ReferenceStatistics>> GetReferenceStatisticsAsync(string? corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReferenceStatisticsAsync(connection, corpus, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ReferenceStatistics>> ReferenceStatisticsAsync(SqliteConnection connection, string? corpus, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT c.name, COUNT(r.id), COUNT(r.to_id)
            FROM corpora c LEFT JOIN provision_references r ON r.corpus_id = c.id
            """ + (corpus is null ? "" : " WHERE c.name = $c") + " GROUP BY c.id ORDER BY c.name";
        if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
        var list = new List<ReferenceStatistics>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new ReferenceStatistics(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return list;
    }

    public async Task<IReadOnlyDictionary<string, int>> GetInDegreesAsync(IReadOnlyCollection<string> provisionKeys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (provisionKeys.Count == 0) return result;
        foreach (var key in provisionKeys) result[key] = 0;
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var names = new List<string>();
        var i = 0;
        foreach (var key in result.Keys)
        {
            var name = "$k" + i++.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            cmd.Parameters.AddWithValue(name, key);
        }
        cmd.CommandText = $"""
            SELECT t.key, COUNT(DISTINCT r.from_id)
            FROM provisions t JOIN provision_references r ON r.to_id = t.id AND r.from_id <> t.id
            WHERE t.key IN ({string.Join(',', names)})
            GROUP BY t.id
            """;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result[reader.GetString(0)] = (int)reader.GetInt64(1);
        return result;
    }

    /// <summary>At most this many provisions are listed per direction (a definition section can be cited thousands of times).</summary>
    public const int MaxListedReferences = 200;

    public async Task<ProvisionReferences> GetReferencesAsync(string provisionKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var refersTo = await ListAsync("""
            SELECT p.key, p.citation FROM provisions f
            JOIN provision_references r ON r.from_id = f.id
            JOIN provisions p ON p.id = r.to_id
            WHERE f.key = $k AND p.id <> f.id
            GROUP BY p.id ORDER BY MIN(r.id) LIMIT $n
            """).ConfigureAwait(false);
        var referredToBy = await ListAsync("""
            SELECT p.key, p.citation FROM provisions t
            JOIN provision_references r ON r.to_id = t.id
            JOIN provisions p ON p.id = r.from_id
            WHERE t.key = $k AND p.id <> t.id
            GROUP BY p.id ORDER BY p.document_id, p.ordinal LIMIT $n
            """).ConfigureAwait(false);
        return new ProvisionReferences(provisionKey, refersTo, referredToBy);

        async Task<IReadOnlyList<ReferencedProvision>> ListAsync(string sql)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$k", provisionKey);
            cmd.Parameters.AddWithValue("$n", MaxListedReferences);
            var list = new List<ReferencedProvision>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(new ReferencedProvision(reader.GetString(0), reader.GetString(1)));
            return list;
        }
    }
}
