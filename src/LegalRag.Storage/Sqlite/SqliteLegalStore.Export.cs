using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LegalRag.Core.Domain;

namespace LegalRag.Storage.Sqlite;

/// <summary>A stored document read back whole, with its chunks and (when every chunk has one) their vectors.</summary>
public sealed record ExportedDocument(LegalDocument Document, IReadOnlyList<Chunk> Chunks, IReadOnlyList<ReadOnlyMemory<float>>? Vectors);

public sealed partial class SqliteLegalStore
{
    /// <summary>
    /// Reads a corpus back document by document, for moving it to another backend (Qdrant) without
    /// re-parsing or re-embedding. Vectors are those of <see cref="SqliteStoreOptions.VectorModel"/>.
    /// </summary>
    public async IAsyncEnumerable<ExportedDocument> ExportCorpusAsync(string corpus, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var documents = new List<(long Id, string Path, string Hash, string Title, string? Abbreviation, string Language, string Format, Core.Abstractions.StoredActInfo Act)>();
        await using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT d.id, d.source_path, d.content_hash, d.title, d.abbreviation, d.language, d.format, {ActInfoColumns} FROM documents d JOIN corpora c ON c.id = d.corpus_id WHERE c.name = $c ORDER BY d.source_path";
            cmd.Parameters.AddWithValue("$c", corpus);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                documents.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), ReadActInfo(reader, 7)));
        }

        foreach (var d in documents)
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var provisions = new List<Provision>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = ProvisionSelect + " WHERE p.document_id = $d ORDER BY p.ordinal";
                cmd.Parameters.AddWithValue("$d", d.Id);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) provisions.Add(ReadProvision(reader).Provision);
            }
            var chunks = new List<Chunk>();
            var vectors = new List<ReadOnlyMemory<float>>();
            var allVectors = true;
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = """
                    SELECT p.key, c.ordinal, c.citation, c.heading, c.text, c.page, c.content_hash, v.vector
                    FROM chunks c JOIN provisions p ON p.id = c.provision_id
                    LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = $m
                    WHERE p.document_id = $d ORDER BY p.ordinal, c.ordinal
                    """;
                cmd.Parameters.AddWithValue("$d", d.Id);
                cmd.Parameters.AddWithValue("$m", _options.VectorModel);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    chunks.Add(new Chunk
                    {
                        ProvisionKey = reader.GetString(0),
                        Ordinal = (int)reader.GetInt64(1),
                        Citation = reader.GetString(2),
                        Heading = reader.GetString(3),
                        Text = reader.GetString(4),
                        Page = reader.IsDBNull(5) ? null : (int)reader.GetInt64(5),
                        ContentHash = reader.GetString(6),
                    });
                    if (reader.IsDBNull(7)) allVectors = false;
                    else vectors.Add(MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(7)).ToArray());
                }
            }
            var document = new LegalDocument
            {
                SourcePath = d.Path, ContentHash = d.Hash, Title = d.Title, Abbreviation = d.Abbreviation,
                Language = d.Language, Format = d.Format, Provisions = provisions,
                Identifier = d.Act.Identifier, Aliases = d.Act.Aliases, ValidFrom = d.Act.ValidFrom, ValidTo = d.Act.ValidTo, Provenance = d.Act.Provenance,
            };
            yield return new ExportedDocument(document, chunks, allVectors && chunks.Count > 0 ? vectors : null);
        }
    }
}
