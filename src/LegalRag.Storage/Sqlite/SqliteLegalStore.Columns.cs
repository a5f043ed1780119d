using System.Globalization;
using System.Text.Json;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using Microsoft.Data.Sqlite;

namespace LegalRag.Storage.Sqlite;

/// <summary>How the schema-3 values (dates, string lists, provenance) are written to and read from their columns.</summary>
public sealed partial class SqliteLegalStore
{
    /// <summary>The document columns that <see cref="ReadActInfo"/> reads, in its order.</summary>
    private const string ActInfoColumns = "d.identifier, d.aliases, d.valid_from, d.valid_to, d.provenance_source, d.provenance_publisher, d.provenance_retrieved_at, d.provenance_hash";

    private static object DateValue(DateOnly? date) =>
        date is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value;

    private static DateOnly? ReadDate(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A list as a JSON array, NULL when empty (most documents and provisions have none).</summary>
    private static object StringListValue(IReadOnlyList<string> values) =>
        values.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(values);

    private static IReadOnlyList<string> ReadStringList(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static object TextValue(string? value) => (object?)value ?? DBNull.Value;

    private static string? ReadText(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>The act facts of a row whose <see cref="ActInfoColumns"/> start at <paramref name="start"/>.</summary>
    private static StoredActInfo ReadActInfo(SqliteDataReader reader, int start)
    {
        Provenance? provenance = null;
        if (ReadText(reader, start + 4) is { } source)
            provenance = new Provenance(
                source,
                ReadText(reader, start + 5),
                DateTimeOffset.Parse(reader.GetString(start + 6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(start + 7));
        return new StoredActInfo(ReadText(reader, start), ReadStringList(ReadText(reader, start + 1)), ReadDate(reader, start + 2), ReadDate(reader, start + 3), provenance);
    }

    private static void AddActInfoParameters(SqliteCommand cmd, LegalDocument d)
    {
        cmd.Parameters.AddWithValue("$ident", TextValue(d.Identifier));
        cmd.Parameters.AddWithValue("$aliases", StringListValue(d.Aliases));
        cmd.Parameters.AddWithValue("$vf", DateValue(d.ValidFrom));
        cmd.Parameters.AddWithValue("$vt", DateValue(d.ValidTo));
        cmd.Parameters.AddWithValue("$ps", TextValue(d.Provenance?.Source));
        cmd.Parameters.AddWithValue("$pp", TextValue(d.Provenance?.Publisher));
        cmd.Parameters.AddWithValue("$pr", d.Provenance is { } p ? p.RetrievedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : DBNull.Value);
        cmd.Parameters.AddWithValue("$ph", TextValue(d.Provenance?.ContentHash));
    }
}

public sealed partial class SqliteLegalStore
{
    /// <summary>Where each corpus's documents came from (all corpora when <paramref name="corpus"/> is null), by corpus name.</summary>
    public async Task<IReadOnlyList<CorpusProvenance>> GetCorpusProvenanceAsync(string? corpus, CancellationToken cancellationToken)
    {
        var byCorpus = new SortedDictionary<string, List<Provenance?>>(StringComparer.Ordinal);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT c.name, d.provenance_source, d.provenance_publisher, d.provenance_retrieved_at, d.provenance_hash FROM documents d JOIN corpora c ON c.id = d.corpus_id"
                          + (corpus is null ? "" : " WHERE c.name = $c");
        if (corpus is not null) cmd.Parameters.AddWithValue("$c", corpus);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!byCorpus.TryGetValue(reader.GetString(0), out var list)) byCorpus[reader.GetString(0)] = list = [];
            list.Add(reader.IsDBNull(1) ? null : new Provenance(reader.GetString(1), ReadText(reader, 2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), reader.GetString(4)));
        }
        return byCorpus.Select(kv => CorpusProvenance.Summarize(kv.Key, kv.Value)).ToList();
    }
}
