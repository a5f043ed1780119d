using System.Globalization;
using System.Text;
using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

public sealed partial class SqliteLegalStore
{
    // ---------------------------------------------------------------- lexical search

    /// <summary>
    /// The FTS5 expression for a planned query: its terms OR-ed, each quoted so that FTS5 operators in a term are
    /// plain text (a quote inside is doubled), prefix terms with "*". Null when empty.
    /// </summary>
    private static string? FtsExpression(LexicalQuery query)
    {
        if (query.IsEmpty) return null;
        var sb = new StringBuilder();
        foreach (var t in query.Terms.Take(MaxMatchTerms))
        {
            if (t.Text.Length == 0) continue;
            if (sb.Length > 0) sb.Append(" OR ");
            sb.Append('"').Append(t.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (t.Prefix) sb.Append('*');
        }
        // The query's terms search the text columns only: "scope" holds the corpus and act filter terms ("c1",
        // "amietg"), and a query naming one would otherwise match every chunk of that corpus or act.
        return sb.Length == 0 ? null : "{heading context body} : (" + sb + ")";
    }

    /// <summary>Hostile input: a query never asks FTS5 for more terms than this.</summary>
    public const int MaxMatchTerms = 256;

    /// <summary>The FTS5 rank function with the query's field weights (columns: heading, context, body, scope).</summary>
    private static string RankFunction(LexicalFieldWeights weights) =>
        string.Create(CultureInfo.InvariantCulture, $"bm25({weights.Heading:0.0###}, {weights.Context:0.0###}, 1.0, 0.0)");

    private sealed record TermStats(long TotalChunks, Dictionary<string, long> DocFrequency);

    // Document frequencies by term, cached until the next write (evaluation and chat reuse them).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _docFrequency = new(StringComparer.Ordinal);
    private long _totalChunks = -1;

    private void InvalidateTermStatistics()
    {
        _docFrequency.Clear();
        Interlocked.Exchange(ref _totalChunks, -1);
    }

    private async Task<TermStats> TermStatisticsAsync(SqliteConnection connection, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _totalChunks) < 0)
            Interlocked.Exchange(ref _totalChunks, await ScalarAsync<long>(connection, null, "SELECT COUNT(*) FROM chunks", cancellationToken).ConfigureAwait(false));
        var missing = terms.Where(t => !_docFrequency.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, chunks_fts, 'row')";
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            cmd.CommandText = "SELECT doc FROM temp.chunks_vocab WHERE term = $t";
            var p = cmd.Parameters.Add("$t", SqliteType.Text);
            await using var range = connection.CreateCommand();
            // "kundig*": the postings of every indexed term in [kundig, kundih).
            range.CommandText = "SELECT COALESCE(SUM(doc), 0) FROM temp.chunks_vocab WHERE term >= $lo AND term < $hi";
            var lo = range.Parameters.Add("$lo", SqliteType.Text);
            var hi = range.Parameters.Add("$hi", SqliteType.Text);
            foreach (var term in missing)
            {
                object? df;
                if (term.EndsWith('*'))
                {
                    var stem = term[..^1];
                    lo.Value = stem;
                    hi.Value = stem[..^1] + (char)(stem[^1] + 1);
                    df = await range.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    p.Value = term;
                    df = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                _docFrequency[term] = df is long n ? n : 0;
            }
        }
        return new TermStats(Interlocked.Read(ref _totalChunks), terms.ToDictionary(t => t, t => _docFrequency.GetValueOrDefault(t)));
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(LexicalQuery query, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var fts = FtsExpression(query);
        if (fts is null || limit <= 0) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Filters are FTS5 terms of the "scope" column, so FTS5 intersects posting lists and ranks
        // only the matches inside the corpus or act, then cuts to the top n itself (ORDER BY rank LIMIT).
        var match = new StringBuilder("(").Append(fts).Append(')');
        if (filter.Corpus is not null)
        {
            var corpusId = await ScalarAsync<long?>(connection, null, "SELECT id FROM corpora WHERE name = $c", cancellationToken, ("$c", filter.Corpus)).ConfigureAwait(false);
            if (corpusId is null) return [];
            match.Append(" AND scope:\"c").Append(corpusId.Value.ToString(CultureInfo.InvariantCulture)).Append('"');
        }
        if (filter.Act is not null)
        {
            var act = CitationReference.NormalizeAct(filter.Act);
            if (act.Length == 0) return [];
            match.Append(" AND scope:\"a").Append(act).Append('"');
        }
        // As of a day: FTS5 ranks first, then the joined rows whose provision or act is not in force that day are
        // dropped, fetching more until the top n in force are there. Out-of-force chunks are few among a query's best
        // (superseded versions, acts not yet or no longer in force), so one round nearly always does; excluding them
        // inside the FTS query instead (rowid NOT IN a subquery) took FTS5 off its fast path: 400+ ms a query on all
        // federal law against under 100 ms. The first round asks for four times the limit: FTS5 ranks every match
        // whatever the LIMIT, so a larger one costs only the extra joined rows, while a second round costs a whole
        // ranking again (a store where every provision has two versions: 285 ms a lay question with 1.5 times the
        // limit first, against 137 ms without a day).
        var fetch = filter.AsOf is null ? limit : Math.Max(limit * 4, 64);
        while (true)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT c.id, p.key, f.rank,
                       CASE WHEN $day IS NULL THEN 1
                            WHEN p.valid_from > $day OR p.valid_to <= $day OR d.valid_from > $day OR d.valid_to <= $day THEN 0
                            ELSE 1 END
                FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH $q AND rank MATCH $r ORDER BY rank LIMIT $k) f
                JOIN chunks c ON c.id = f.rowid
                JOIN provisions p ON p.id = c.provision_id
                JOIN documents d ON d.id = p.document_id
                ORDER BY f.rank
                """;
            cmd.Parameters.AddWithValue("$q", match.ToString());
            // The query's field weights as this query's rank function, so "ORDER BY rank LIMIT n" stays FTS5's fast path.
            cmd.Parameters.AddWithValue("$r", RankFunction(query.FieldWeights));
            cmd.Parameters.AddWithValue("$k", fetch);
            cmd.Parameters.AddWithValue("$day", filter.AsOf is { } d ? DateValue(d) : DBNull.Value);
            var hits = new List<ChunkHit>(limit);
            var rows = 0;
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    if (reader.GetInt64(3) == 0 || hits.Count >= limit) continue;
                    hits.Add(new ChunkHit(reader.GetInt64(0), reader.GetString(1), -reader.GetDouble(2)));
                }
            }
            // Enough in force, or FTS5 had no more matches to give.
            if (hits.Count >= limit || rows < fetch || fetch >= MaxAsOfFetch) return hits;
            fetch = Math.Min(fetch * 4, MaxAsOfFetch);
        }
    }

    /// <summary>The most FTS5 matches one as-of search reads while looking for enough in force.</summary>
    private const int MaxAsOfFetch = 100_000;

    // ---------------------------------------------------------------- provisions and chunks

    private const string ProvisionSelect = $"""
        SELECT p.key, c.name, d.language, d.act_name, d.title, d.source_path,
               p.kind, p.number, p.heading, p.citation, p.path, p.paragraphs, p.repealed, p.ordinal,
               p.identifier, p.valid_from, p.valid_to, p.notes, p.changed_by,
               {ActInfoColumns}
        FROM provisions p
        JOIN documents d ON d.id = p.document_id
        JOIN corpora c ON c.id = d.corpus_id
        """;

    private static StoredProvision ReadProvision(SqliteDataReader reader, int offset = 0)
    {
        var r = new OffsetReader(reader, offset);
        var paragraphs = JsonSerializer.Deserialize<List<ParagraphRow>>(r.GetString(11)) ?? [];
        var provision = new Provision
        {
            Key = r.GetString(0),
            Kind = Enum.Parse<ProvisionKind>(r.GetString(6)),
            Number = r.GetString(7),
            Heading = r.GetString(8),
            Citation = r.GetString(9),
            Path = HierarchyPath.Parse(r.GetString(10)),
            Paragraphs = paragraphs.Select(p => new ProvisionParagraph(p.L, p.T, p.P)).ToList(),
            IsRepealed = r.GetInt64(12) != 0,
            Ordinal = (int)r.GetInt64(13),
            Identifier = ReadText(reader, offset + 14),
            ValidFrom = ReadDate(reader, offset + 15),
            ValidTo = ReadDate(reader, offset + 16),
            Notes = ReadStringList(ReadText(reader, offset + 17)),
            ChangedBy = ReadText(reader, offset + 18),
        };
        return new StoredProvision(provision.Key, r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), provision,
            ReadActInfo(reader, offset + 19));
    }

    /// <summary>Reads a row whose provision columns start at <paramref name="Offset"/> (a query may put others before them).</summary>
    private readonly record struct OffsetReader(SqliteDataReader Reader, int Offset)
    {
        public string GetString(int i) => Reader.GetString(i + Offset);
        public long GetInt64(int i) => Reader.GetInt64(i + Offset);
    }

    public async Task<StoredProvision?> GetProvisionAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ProvisionSelect + " WHERE p.key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return ReadProvision(reader);
        // A provision's base key names it whatever its versions are keyed by: the version in force today, else the latest.
        var versions = await ReadVersionsAsync(connection, key, cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : Core.Versions.ProvisionVersions.Current(versions, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    public async Task<IReadOnlyList<StoredProvision>> GetVersionsAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return Core.Versions.ProvisionVersions.Chronological(await ReadVersionsAsync(connection, Core.Versions.ProvisionVersions.BaseKey(key), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<List<StoredProvision>> ReadVersionsAsync(SqliteConnection connection, string baseKey, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ProvisionSelect + " WHERE p.version_of = $b";
        cmd.Parameters.AddWithValue("$b", baseKey);
        var list = new List<StoredProvision>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadProvision(reader));
        return list;
    }

    public async Task<IReadOnlyList<Provision>> GetDocumentProvisionsAsync(string corpus, string sourcePath, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = ProvisionSelect + " WHERE c.name = $c AND d.source_path = $p ORDER BY p.ordinal, p.id";
        cmd.Parameters.AddWithValue("$c", corpus);
        cmd.Parameters.AddWithValue("$p", sourcePath);
        var list = new List<Provision>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadProvision(reader).Provision);
        return list;
    }

    public async Task<IReadOnlyList<StoredChunk>> GetChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken cancellationToken)
    {
        if (chunkIds.Count == 0) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // Ids are longs we produced; inlining them avoids SQLite's parameter limit for large candidate sets.
        cmd.CommandText = $"""
            SELECT c.id, p.key, c.ordinal, c.citation, c.heading, c.text, c.page
            FROM chunks c JOIN provisions p ON p.id = c.provision_id
            WHERE c.id IN ({string.Join(',', chunkIds.Select(i => i.ToString(CultureInfo.InvariantCulture)))})
            """;
        var byId = new Dictionary<long, StoredChunk>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var chunk = new StoredChunk(reader.GetInt64(0), reader.GetString(1), (int)reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : (int)reader.GetInt64(6));
            byId[chunk.Id] = chunk;
        }
        return chunkIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    /// <summary>
    /// Provisions a citation names: by number, and when an act is named, by the act's aliases ("§ 147 AO" finds
    /// "AO 1977"). Ties are settled by the shared policy in <see cref="CitationMatches"/>; what remains is
    /// returned as several matches.
    /// </summary>
    public async Task<IReadOnlyList<StoredProvision>> FindByCitationAsync(CitationReference citation, string? corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var keys = citation.Act is null ? [] : ActAliases.QueryKeys(citation.Act);
        if (citation.Act is not null && keys.Count == 0) return [];
        var tier = keys.Count == 0 ? "0" : $"(SELECT MIN(a.tier) FROM act_aliases a WHERE a.document_id = d.id AND a.alias IN ({string.Join(',', keys.Select((_, i) => "$a" + i.ToString(CultureInfo.InvariantCulture)))}))";
        var sql = new StringBuilder("SELECT * FROM (").Append(ProvisionSelect.Replace("SELECT p.key,", $"SELECT {tier} AS match_tier, p.key,", StringComparison.Ordinal))
            .Append(" WHERE p.number_norm = $n");
        cmd.Parameters.AddWithValue("$n", CitationReference.NormalizeNumber(citation.Number));
        for (var i = 0; i < keys.Count; i++) cmd.Parameters.AddWithValue("$a" + i.ToString(CultureInfo.InvariantCulture), keys[i]);
        if (corpus is not null)
        {
            sql.Append(" AND c.name = $corpus");
            cmd.Parameters.AddWithValue("$corpus", corpus);
        }
        sql.Append(") WHERE match_tier IS NOT NULL ORDER BY match_tier LIMIT 200");
        cmd.CommandText = sql.ToString();
        var candidates = new List<CitationCandidate<StoredProvision>>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var provision = ReadProvision(reader, offset: 1);
                candidates.Add(new CitationCandidate<StoredProvision>(provision, (ActAliasTier)reader.GetInt64(0), provision.Provision.Kind));
            }
        }
        // Without a date a citation names the provision as in force today: its other versions are folded into that one.
        return Core.Versions.ProvisionVersions.CollapseToCurrent(CitationMatches.Select(candidates, citation.Kind), DateOnly.FromDateTime(DateTime.UtcNow))
            .OrderBy(p => p.Corpus, StringComparer.Ordinal).ThenBy(p => p.ActName, StringComparer.Ordinal).ThenBy(p => p.Provision.Ordinal)
            .Take(50).ToList();
    }

}

public sealed partial class SqliteLegalStore
{
    /// <summary>Canonical citations of many provisions in one query (evaluation ranks up to k=100 per question).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetCitationsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.Count == 0) return result;
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var names = new List<string>();
        var i = 0;
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var name = "$k" + i++.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            cmd.Parameters.AddWithValue(name, key);
        }
        cmd.CommandText = $"SELECT key, citation FROM provisions WHERE key IN ({string.Join(',', names)})";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    /// <summary>A hash over the corpus's stored (path, content hash) pairs: equal snapshots, equal corpus contents.</summary>
    public async Task<string> GetCorpusSnapshotAsync(string? corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT c.name, d.source_path, d.content_hash FROM documents d JOIN corpora c ON c.id = d.corpus_id "
                          + (corpus is null ? "" : "WHERE c.name = $c ") + "ORDER BY c.name, d.source_path";
        if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
        var sb = new StringBuilder();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            sb.Append(reader.GetString(0)).Append('\t').Append(reader.GetString(1)).Append('\t').Append(reader.GetString(2)).Append('\n');
        return Hashing.Sha256Hex(sb.ToString());
    }
}
