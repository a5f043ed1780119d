
namespace LegalRag.Storage.Sqlite;

/// <summary>One provision's text as training data: its act, heading and the text of its chunks in order.</summary>
public sealed record ProvisionText(string Key, string Act, string Heading, string Text);

public sealed partial class SqliteLegalStore
{
    /// <summary>
    /// Every provision of a corpus as plain text, for training an embedding model on the corpus itself. Streams in
    /// provision order; a provision split into several chunks comes back as one text.
    /// </summary>
    public async Task<IReadOnlyList<ProvisionText>> ReadProvisionTextsAsync(string corpus, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT p.key, d.act_name, c.heading, c.text
            FROM chunks c
            JOIN provisions p ON p.id = c.provision_id
            JOIN documents d ON d.id = p.document_id
            WHERE c.corpus_id = (SELECT id FROM corpora WHERE name = $c)
            ORDER BY p.id, c.ordinal
            """;
        cmd.Parameters.AddWithValue("$c", corpus);
        var list = new List<ProvisionText>();
        string? key = null, act = null, heading = null;
        var text = new System.Text.StringBuilder();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var k = reader.GetString(0);
            if (k != key)
            {
                if (key is not null) list.Add(new ProvisionText(key, act!, heading!, text.ToString()));
                key = k;
                act = reader.GetString(1);
                heading = reader.GetString(2);
                text.Clear();
            }
            else
            {
                text.Append("\n\n");
            }
            text.Append(reader.GetString(3));
        }
        if (key is not null) list.Add(new ProvisionText(key, act!, heading!, text.ToString()));
        return list;
    }
}
