using System.Text.Json;
using System.Text.Json.Nodes;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// Names of the payload fields the store writes. Four kinds of point share a collection: one "corpus"
/// marker per corpus, one "document" marker per source file (written last, so its hash marks a complete
/// ingest), one "provision" point per provision (no vectors: it serves lookups), and one "chunk" point per
/// chunk (sparse vector always, dense vector when an embedding was given).
/// </summary>
public static class QdrantPayloadFields
{
    public const string Kind = "kind";
    public const string Corpus = "corpus";
    public const string Language = "language";
    public const string SourcePath = "source_path";
    public const string DocHash = "doc_hash";
    /// <summary>Normalised act names (abbreviation and title, <c>CitationReference.NormalizeAct</c>): what act filters match.</summary>
    public const string ActKeys = "act_keys";
    public const string ProvisionKey = "provision_key";
    public const string ProvisionKind = "provision_kind";
    /// <summary><c>CitationReference.NormalizeNumber</c> of the provision number: what citation lookups match.</summary>
    public const string NumberNorm = "number_norm";
    public const string ChunkId = "chunk_id";

    public const string KindCorpus = "corpus";
    public const string KindDocument = "document";
    public const string KindProvision = "provision";
    public const string KindChunk = "chunk";
}

internal sealed record CorpusRecord(string Kind, string Corpus, string Language, DateTimeOffset CreatedAt);

internal sealed record DocumentRecord
{
    public string Kind { get; init; } = QdrantPayloadFields.KindDocument;
    public required string Corpus { get; init; }
    public required string Language { get; init; }
    public required string SourcePath { get; init; }
    public required string DocHash { get; init; }
    public required string Title { get; init; }
    public string? Abbreviation { get; init; }
    public required string Format { get; init; }
    public int Provisions { get; init; }
    public int Chunks { get; init; }
    /// <summary>Whether the chunks were stored with dense vectors; a later ingest with vectors is then not "unchanged".</summary>
    public bool HasDense { get; init; }
    public DateTimeOffset IngestedAt { get; init; }
}

internal sealed record ParagraphRecord(string? Label, string Text, int? Page);

internal sealed record ProvisionRecord
{
    public string Kind { get; init; } = QdrantPayloadFields.KindProvision;
    public required string Corpus { get; init; }
    public required string Language { get; init; }
    public required string SourcePath { get; init; }
    public required string DocHash { get; init; }
    public required string Act { get; init; }
    public required string ActTitle { get; init; }
    public required IReadOnlyList<string> ActKeys { get; init; }
    public required string ProvisionKey { get; init; }
    public required string ProvisionKind { get; init; }
    public required string Number { get; init; }
    public required string NumberNorm { get; init; }
    public string Heading { get; init; } = "";
    public required string Citation { get; init; }
    public IReadOnlyList<string> Path { get; init; } = [];
    public string HierarchyPath { get; init; } = "";
    public IReadOnlyList<ParagraphRecord> Paragraphs { get; init; } = [];
    public bool IsRepealed { get; init; }
    public int ProvisionOrdinal { get; init; }
}

internal sealed record ChunkRecord
{
    public string Kind { get; init; } = QdrantPayloadFields.KindChunk;
    public required string Corpus { get; init; }
    public required string Language { get; init; }
    public required string SourcePath { get; init; }
    public required string DocHash { get; init; }
    public required string Act { get; init; }
    public required IReadOnlyList<string> ActKeys { get; init; }
    public required string ProvisionKey { get; init; }
    public required string Citation { get; init; }
    public string Heading { get; init; } = "";
    public required string Text { get; init; }
    public int ChunkOrdinal { get; init; }
    public long ChunkId { get; init; }
    public int? Page { get; init; }
    public required string ChunkHash { get; init; }
    public string HierarchyPath { get; init; } = "";
}

internal static class PayloadJson
{
    public static JsonObject ToPayload<T>(T record) =>
        JsonSerializer.SerializeToNode(record, QdrantJson.Options)!.AsObject();

    public static T? FromPayload<T>(JsonObject? payload) where T : class =>
        payload?.Deserialize<T>(QdrantJson.Options);
}
