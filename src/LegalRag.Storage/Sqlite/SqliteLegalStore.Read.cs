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
    /// The FTS5 query for a text: analyzed terms OR-ed. Long lay questions are cut down to their most
    /// telling terms: terms in more than <see cref="SqliteStoreOptions.MaxTermDocFraction"/> of all chunks
    /// add little but cost much (their posting lists are long), and at most
    /// <see cref="SqliteStoreOptions.MaxQueryTerms"/> terms of highest IDF are kept. Short queries also
    /// match long terms as prefixes, which finds compounds by their head. Null when nothing is searchable.
    /// </summary>
    public async Task<string?> BuildFtsQueryAsync(SqliteConnection connection, string query, IReadOnlyCollection<string> languages, CancellationToken cancellationToken)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            foreach (var term in AnalyzerFor(language).Analyze(query))
            {
                if (terms.Count >= 256) break; // hostile input: never look at more than this
                if (seen.Add(term)) terms.Add(term);
            }
        }
        if (terms.Count == 0) return null;

        var usePrefix = _options.PrefixMinLength > 0 && terms.Count <= _options.PrefixMaxQueryTerms;
        bool IsPrefix(string t) => usePrefix && t.Length >= _options.PrefixMinLength && !char.IsDigit(t[0]);
        if (terms.Count > ShortQueryTerms)
        {
            // A prefix term costs (and weighs) as much as all the terms it expands to.
            var stats = await TermStatisticsAsync(connection, terms.Select(t => IsPrefix(t) ? t + "*" : t).ToList(), cancellationToken).ConfigureAwait(false);
            stats = stats with { DocFrequency = terms.ToDictionary(t => t, t => stats.DocFrequency[IsPrefix(t) ? t + "*" : t]) };
            // The fraction only bites on corpora large enough for "common" to mean something:
            // in a store of a few dozen chunks every term is in more than 10% of them.
            var limit = Math.Max(stats.TotalChunks * _options.MaxTermDocFraction, MinCommonTermDocFrequency);
            // Rarest first, within a budget of postings: the cost of an OR query grows with the summed
            // posting-list lengths, so on a large corpus the common tail is dropped first.
            var kept = new List<string>();
            long postings = 0;
            foreach (var t in terms.Where(t => stats.DocFrequency.GetValueOrDefault(t) is var df && df > 0 && df <= limit).OrderBy(t => stats.DocFrequency[t]))
            {
                if (kept.Count >= _options.MaxQueryTerms) break;
                if (kept.Count >= 3 && postings + stats.DocFrequency[t] > _options.MaxQueryPostings) break;
                kept.Add(t);
                postings += stats.DocFrequency[t];
            }
            // If every term is common, fall back to the rarest few rather than to nothing.
            terms = kept.Count > 0 ? kept : terms.OrderBy(t => stats.DocFrequency.GetValueOrDefault(t, long.MaxValue)).Take(3).ToList();
        }

        var sb = new StringBuilder();
        foreach (var t in terms)
        {
            if (sb.Length > 0) sb.Append(" OR ");
            // Terms are letters and digits only (the analyzer guarantees it); quoting keeps FTS5 operators out.
            sb.Append('"').Append(t).Append('"');
            if (IsPrefix(t)) sb.Append('*');
        }
        return sb.ToString();
    }

    private sealed record TermStats(long TotalChunks, Dictionary<string, long> DocFrequency);

    /// <summary>Queries of up to this many terms are keyword queries: every term is kept.</summary>
    public const int ShortQueryTerms = 4;

    /// <summary>A term is never dropped as common while it occurs in fewer chunks than this.</summary>
    public const long MinCommonTermDocFrequency = 50;

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

    public async Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(string query, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var languages = await LanguagesAsync(connection, filter.Corpus, cancellationToken).ConfigureAwait(false);
        var fts = await BuildFtsQueryAsync(connection, query, languages, cancellationToken).ConfigureAwait(false);
        if (fts is null) return [];
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
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT c.id, p.key, f.rank
            FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY rank LIMIT $k) f
            JOIN chunks c ON c.id = f.rowid
            JOIN provisions p ON p.id = c.provision_id
            ORDER BY f.rank
            """;
        cmd.Parameters.AddWithValue("$q", match.ToString());
        cmd.Parameters.AddWithValue("$k", limit);
        var hits = new List<ChunkHit>(limit);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            hits.Add(new ChunkHit(reader.GetInt64(0), reader.GetString(1), -reader.GetDouble(2)));
        return hits;
    }

    private static async Task<IReadOnlyCollection<string>> LanguagesAsync(SqliteConnection connection, string? corpus, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = corpus is null ? "SELECT DISTINCT language FROM corpora" : "SELECT language FROM corpora WHERE name = $c";
        if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(reader.GetString(0));
        return list;
    }

    // ---------------------------------------------------------------- provisions and chunks

    private const string ProvisionSelect = """
        SELECT p.key, c.name, d.language, d.act_name, d.title, d.source_path,
               p.kind, p.number, p.heading, p.citation, p.path, p.paragraphs, p.repealed, p.ordinal
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
        };
        return new StoredProvision(provision.Key, r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), provision);
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
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadProvision(reader) : null;
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
        return CitationMatches.Select(candidates, citation.Kind)
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
