using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

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
    /// <summary>A provision's own end of validity, and its act's (the names the snake-case payload gives the record properties).</summary>
    public const string ValidTo = "valid_to";
    public const string ActValidTo = "act_valid_to";
    /// <summary>The key every version of a provision shares (ProvisionVersions.BaseKey): what history lookups match.</summary>
    public const string VersionOf = "version_of";
    /// <summary>A chunk's validity as day numbers (DateOnly.DayNumber): its provision's start and end, its act's
    /// start and end. Integer ranges are what an as-of filter compares; a missing field is an unknown date.</summary>
    public const string ValidFromDay = "valid_from_day";
    public const string ValidToDay = "valid_to_day";
    public const string ActValidFromDay = "act_valid_from_day";
    public const string ActValidToDay = "act_valid_to_day";

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
    /// <summary>The publisher's identifier of the provision (ELI, BWB, LEGI, GII doknr).</summary>
    public string? Identifier { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    public string? VersionOf { get; init; }
    public string? ChangedBy { get; init; }
    // The act's facts ride on every provision point, so a lookup reads one point, as the act's names do.
    public string? ActIdentifier { get; init; }
    public IReadOnlyList<string> ActAliases { get; init; } = [];
    public DateOnly? ActValidFrom { get; init; }
    public DateOnly? ActValidTo { get; init; }
    public ProvenanceRecord? Provenance { get; init; }
}

internal sealed record ProvenanceRecord(string Source, string? Publisher, DateTimeOffset RetrievedAt, string ContentHash);

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
    public int? ValidFromDay { get; init; }
    public int? ValidToDay { get; init; }
    public int? ActValidFromDay { get; init; }
    public int? ActValidToDay { get; init; }
}

/// <summary>
/// Our payload records to Qdrant's payload values and back. Records go through System.Text.Json (snake_case
/// names, nulls left out) so the field names above stay the single spelling; whole numbers become integer
/// values, which keyword and integer indexes and <c>match</c> conditions need.
/// </summary>
internal static class QdrantPayload
{
    private static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static MapField<string, Value> From<T>(T record)
    {
        var payload = new MapField<string, Value>();
        foreach (var (name, node) in JsonSerializer.SerializeToNode(record, JsonOptions)!.AsObject())
            payload[name] = ToValue(node);
        return payload;
    }

    /// <summary>The record a payload holds, or null when the payload is not of that shape (not one of our points).</summary>
    public static T? Read<T>(MapField<string, Value>? payload) where T : class
    {
        if (payload is null || payload.Count == 0) return null;
        var json = new JsonObject();
        foreach (var (name, value) in payload) json[name] = ToNode(value);
        try
        {
            return json.Deserialize<T>(JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(MapField<string, Value>? payload, string field) =>
        payload is not null && payload.TryGetValue(field, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    public static long? Integer(MapField<string, Value>? payload, string field) =>
        payload is not null && payload.TryGetValue(field, out var value) && value.KindCase == Value.KindOneofCase.IntegerValue ? value.IntegerValue : null;

    private static Value ToValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new Value { NullValue = NullValue.NullValue };
            case JsonObject obj:
                var fields = new Struct();
                foreach (var (name, child) in obj) fields.Fields[name] = ToValue(child);
                return new Value { StructValue = fields };
            case JsonArray array:
                var list = new ListValue();
                foreach (var child in array) list.Values.Add(ToValue(child));
                return new Value { ListValue = list };
            default:
                var value = node.AsValue();
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => new Value { StringValue = value.GetValue<string>() },
                    JsonValueKind.True => new Value { BoolValue = true },
                    JsonValueKind.False => new Value { BoolValue = false },
                    JsonValueKind.Number when value.TryGetValue<long>(out var whole) => new Value { IntegerValue = whole },
                    JsonValueKind.Number => new Value { DoubleValue = value.GetValue<double>() },
                    var kind => throw new ArgumentException($"A payload value of kind {kind} cannot be stored in Qdrant."),
                };
        }
    }

    private static JsonNode? ToNode(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Value.KindOneofCase.IntegerValue => JsonValue.Create(value.IntegerValue),
        Value.KindOneofCase.DoubleValue => JsonValue.Create(value.DoubleValue),
        Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Value.KindOneofCase.StructValue => new JsonObject(value.StructValue.Fields.Select(f => KeyValuePair.Create(f.Key, ToNode(f.Value)))),
        Value.KindOneofCase.ListValue => new JsonArray(value.ListValue.Values.Select(ToNode).ToArray()),
        _ => null,
    };
}
