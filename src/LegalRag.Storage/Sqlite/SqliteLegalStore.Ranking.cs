using System.Globalization;
using LegalRag.Core.Abstractions;

namespace LegalRag.Storage.Sqlite;

public sealed partial class SqliteLegalStore : IRankingSignals
{
    public async Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // Citing acts: resolved references from a provision of another document into this one, counted by document.
        cmd.CommandText = """
            WITH citing AS (
                SELECT pt.document_id AS document_id, COUNT(DISTINCT pf.document_id) AS acts
                FROM provision_references r
                JOIN provisions pf ON pf.id = r.from_id
                JOIN provisions pt ON pt.id = r.to_id
                WHERE pf.document_id <> pt.document_id
                GROUP BY pt.document_id)
            SELECT c.name, d.act_name, d.title, d.language,
                   (SELECT COUNT(*) FROM provisions p WHERE p.document_id = d.id AND p.repealed = 0),
                   COALESCE(ci.acts, 0)
            FROM documents d JOIN corpora c ON c.id = d.corpus_id
            LEFT JOIN citing ci ON ci.document_id = d.id
            """;
        var acts = new List<ActSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            acts.Add(new ActSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (int)reader.GetInt64(4), (int)reader.GetInt64(5)));
        return acts;
    }

    public async Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stats = await TermStatisticsAsync(connection, terms.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        return new TermStatistics(stats.TotalChunks, stats.DocFrequency);
    }

    public async Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return [];
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var names = new List<string>(keys.Count);
        var i = 0;
        foreach (var key in keys)
        {
            var name = "$k" + i.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, key);
            names.Add(name);
            i++;
        }
        cmd.CommandText = ProvisionSelect + $" WHERE p.key IN ({string.Join(',', names)})";
        var byKey = new Dictionary<string, StoredProvision>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var p = ReadProvision(reader);
            byKey[p.Key] = p;
        }
        return keys.Where(byKey.ContainsKey).Select(k => byKey[k]).ToList();
    }
}
