using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LegalRag.Storage.Qdrant;

// Typed shapes of the Qdrant REST API (v1.19 OpenAPI spec) that this project uses. Only the members we
// send or read are modelled; responses ignore unknown members so newer servers keep working. Unions of the
// spec (a vector is an array or a sparse object, a condition is a field match or a nested filter ...) are
// abstract records written by small converters, so a request can only take shapes the spec allows.

#region Collections

public sealed record CreateCollectionRequest
{
    /// <summary>Named dense vectors.</summary>
    public required IReadOnlyDictionary<string, VectorParams> Vectors { get; init; }
    public IReadOnlyDictionary<string, SparseVectorParams>? SparseVectors { get; init; }
    public int? ShardNumber { get; init; }
    public int? ReplicationFactor { get; init; }
    public int? WriteConsistencyFactor { get; init; }
}

public sealed record VectorParams(int Size, QdrantDistance Distance);

public enum SparseModifier
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("idf")] Idf,
}

public sealed record SparseVectorParams
{
    public SparseModifier? Modifier { get; init; }
}

public enum PayloadSchemaType
{
    [JsonStringEnumMemberName("keyword")] Keyword,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("float")] Float,
    [JsonStringEnumMemberName("bool")] Bool,
    [JsonStringEnumMemberName("datetime")] Datetime,
    [JsonStringEnumMemberName("uuid")] Uuid,
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("geo")] Geo,
}

/// <summary>Parameters of a payload index; members that do not apply to <see cref="Type"/> stay null.</summary>
public sealed record PayloadIndexParams(PayloadSchemaType Type)
{
    /// <summary>Keyword only: marks the tenant field of a shared collection so Qdrant co-locates each tenant's data.</summary>
    public bool? IsTenant { get; init; }
    /// <summary>Integer only: exact-match lookups.</summary>
    public bool? Lookup { get; init; }
    /// <summary>Integer only: range queries.</summary>
    public bool? Range { get; init; }
}

public sealed record CreateFieldIndexRequest(string FieldName, PayloadIndexParams FieldSchema);

public sealed record CollectionDescription(string Name);
public sealed record CollectionsResponse(IReadOnlyList<CollectionDescription> Collections);
public sealed record CollectionExistence(bool Exists);

public sealed record CollectionInfo
{
    /// <summary>green, yellow, grey or red.</summary>
    public string Status { get; init; } = "";
    public long? PointsCount { get; init; }
    public long? IndexedVectorsCount { get; init; }
    public long SegmentsCount { get; init; }
    public required CollectionConfig Config { get; init; }
    public IReadOnlyDictionary<string, PayloadIndexInfo> PayloadSchema { get; init; } = new Dictionary<string, PayloadIndexInfo>();
}

public sealed record CollectionConfig(CollectionParams Params);

public sealed record CollectionParams
{
    /// <summary>Either one unnamed <c>{size, distance}</c> or a map of named vectors; see <see cref="NamedVectors"/>.</summary>
    public JsonObject? Vectors { get; init; }
    public int ShardNumber { get; init; } = 1;
    public int ReplicationFactor { get; init; } = 1;
    public int WriteConsistencyFactor { get; init; } = 1;
    public IReadOnlyDictionary<string, SparseVectorParams>? SparseVectors { get; init; }

    /// <summary>The dense vectors by name; an unnamed (single) vector is returned under the empty name.</summary>
    public IReadOnlyDictionary<string, VectorParams> NamedVectors()
    {
        var result = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        if (Vectors is null) return result;
        if (Vectors.ContainsKey("size") && Vectors.ContainsKey("distance"))
        {
            var single = Vectors.Deserialize<VectorParams>(QdrantJson.Options);
            if (single is not null) result[""] = single;
            return result;
        }
        foreach (var (name, node) in Vectors)
        {
            var p = node?.Deserialize<VectorParams>(QdrantJson.Options);
            if (p is not null) result[name] = p;
        }
        return result;
    }
}

public sealed record PayloadIndexInfo(string DataType, long Points);

public sealed record ChangeAliasesRequest(IReadOnlyList<AliasAction> Actions);

/// <summary>One alias change; aliases let a rebuilt collection replace the live one in a single step.</summary>
[JsonConverter(typeof(AliasActionConverter))]
public abstract record AliasAction
{
    public sealed record Create(string CollectionName, string AliasName) : AliasAction;
    public sealed record Delete(string AliasName) : AliasAction;
    public sealed record Rename(string OldAliasName, string NewAliasName) : AliasAction;
}

public sealed record AliasDescription(string AliasName, string CollectionName);
public sealed record CollectionsAliasesResponse(IReadOnlyList<AliasDescription> Aliases);

#endregion

#region Points

/// <summary>A point id: Qdrant accepts an unsigned integer or a UUID; this project writes UUIDs.</summary>
[JsonConverter(typeof(PointIdConverter))]
public readonly record struct PointId(string Value)
{
    public static PointId FromGuid(Guid id) => new(id.ToString("D"));
    public override string ToString() => Value;
}

/// <summary>A vector value of a named vector: dense floats or a sparse (indices, values) pair.</summary>
[JsonConverter(typeof(VectorValueConverter))]
public abstract record VectorValue;

public sealed record DenseVector(float[] Values) : VectorValue;

/// <summary>A sparse vector; <see cref="Indices"/> are unique and ascending, one value per index.</summary>
public sealed record SparseVector(uint[] Indices, float[] Values) : VectorValue
{
    public int Count => Indices.Length;
}

public sealed record PointStruct(PointId Id, IReadOnlyDictionary<string, VectorValue> Vector, JsonObject? Payload);

public sealed record UpsertPointsRequest(IReadOnlyList<PointStruct> Points);

public sealed record DeletePointsByFilterRequest(Filter Filter);

public sealed record DeletePointsByIdRequest(IReadOnlyList<PointId> Points);

public enum UpdateStatus
{
    [JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("wait_timeout")] WaitTimeout,
}

public sealed record UpdateResult(long? OperationId, UpdateStatus Status);

#endregion

#region Filters

/// <summary>A boolean filter: every <see cref="Must"/>, at least one <see cref="Should"/>, no <see cref="MustNot"/>.</summary>
public sealed record Filter
{
    public IReadOnlyList<Condition>? Must { get; init; }
    public IReadOnlyList<Condition>? Should { get; init; }
    public IReadOnlyList<Condition>? MustNot { get; init; }

    public static Filter All(params Condition[] conditions) => new() { Must = conditions };
}

/// <summary>One filter condition. Build with the factory methods; the converter writes the spec's shape.</summary>
[JsonConverter(typeof(ConditionConverter))]
public abstract record Condition
{
    public sealed record MatchValue(string Key, JsonValue Value) : Condition;
    public sealed record MatchAny(string Key, JsonArray Values) : Condition;
    public sealed record HasVector(string VectorName) : Condition;
    public sealed record Nested(Filter Filter) : Condition;

    public static Condition Equal(string key, string value) => new MatchValue(key, JsonValue.Create(value));
    public static Condition Equal(string key, long value) => new MatchValue(key, JsonValue.Create(value));
    public static Condition Equal(string key, bool value) => new MatchValue(key, JsonValue.Create(value));

    public static Condition AnyOf(string key, IEnumerable<string> values) =>
        new MatchAny(key, new JsonArray(values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    public static Condition AnyOf(string key, IEnumerable<long> values) =>
        new MatchAny(key, new JsonArray(values.Distinct().Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    public static Condition HasVectorNamed(string name) => new HasVector(name);
    public static Condition Where(Filter filter) => new Nested(filter);
}

#endregion

#region Query, scroll, count

/// <summary>What a query ranks by: a dense or sparse vector, or a fusion of the prefetches' results.</summary>
[JsonConverter(typeof(QueryInputConverter))]
public abstract record QueryInput
{
    public sealed record Dense(float[] Vector) : QueryInput;
    public sealed record Sparse(SparseVector Vector) : QueryInput;
    /// <summary>Reciprocal-rank fusion with Qdrant's default constant.</summary>
    public sealed record ReciprocalRankFusion : QueryInput;
    /// <summary>Distribution-based score fusion.</summary>
    public sealed record DistributionBasedFusion : QueryInput;
}

/// <summary>Which payload a query returns: all, none, or the listed fields.</summary>
[JsonConverter(typeof(PayloadSelectorConverter))]
public sealed record PayloadSelector(bool All, IReadOnlyList<string>? Include)
{
    public static PayloadSelector Everything { get; } = new(true, null);
    public static PayloadSelector Nothing { get; } = new(false, null);
    public static PayloadSelector Fields(params string[] fields) => new(false, fields);
}

public sealed record Prefetch
{
    public QueryInput? Query { get; init; }
    public string? Using { get; init; }
    public Filter? Filter { get; init; }
    public int? Limit { get; init; }
    public float? ScoreThreshold { get; init; }
}

public sealed record QueryRequest
{
    public IReadOnlyList<Prefetch>? Prefetch { get; init; }
    public QueryInput? Query { get; init; }
    public string? Using { get; init; }
    public Filter? Filter { get; init; }
    public float? ScoreThreshold { get; init; }
    public int? Limit { get; init; }
    public int? Offset { get; init; }
    public PayloadSelector? WithPayload { get; init; }
    public bool? WithVector { get; init; }
}

public sealed record ScoredPoint
{
    public required JsonNode Id { get; init; }
    public long Version { get; init; }
    public double Score { get; init; }
    public JsonObject? Payload { get; init; }
}

public sealed record QueryResponse(IReadOnlyList<ScoredPoint> Points);

public sealed record ScrollRequest
{
    public Filter? Filter { get; init; }
    public int? Limit { get; init; }
    /// <summary>The <c>next_page_offset</c> of the previous page.</summary>
    public JsonNode? Offset { get; init; }
    public PayloadSelector? WithPayload { get; init; }
    public bool? WithVector { get; init; }
}

public sealed record PointRecord
{
    public required JsonNode Id { get; init; }
    public JsonObject? Payload { get; init; }
}

public sealed record ScrollResult(IReadOnlyList<PointRecord> Points, JsonNode? NextPageOffset);

public sealed record CountRequest
{
    public Filter? Filter { get; init; }
    public bool Exact { get; init; } = true;
}

public sealed record CountResult(long Count);

#endregion

#region Cluster and snapshots

public sealed record PeerInfo(string Uri);

public sealed record RaftInfo(long Term, long Commit, long PendingOperations, long? Leader, string? Role, bool IsVoter);

/// <summary>Cluster state; <see cref="Status"/> is "disabled" on a single node without cluster mode.</summary>
public sealed record ClusterStatus
{
    public string Status { get; init; } = "";
    public long? PeerId { get; init; }
    public IReadOnlyDictionary<string, PeerInfo>? Peers { get; init; }
    public RaftInfo? RaftInfo { get; init; }
}

public sealed record LocalShardInfo(int ShardId, long PointsCount, string State);
public sealed record RemoteShardInfo(int ShardId, long PeerId, string State);

public sealed record CollectionClusterInfo
{
    public long PeerId { get; init; }
    public int ShardCount { get; init; }
    public IReadOnlyList<LocalShardInfo> LocalShards { get; init; } = [];
    public IReadOnlyList<RemoteShardInfo> RemoteShards { get; init; } = [];
    public IReadOnlyList<JsonObject> ShardTransfers { get; init; } = [];
}

public sealed record SnapshotDescription(string Name, string? CreationTime, long Size, string? Checksum);

public enum SnapshotPriority
{
    [JsonStringEnumMemberName("no_sync")] NoSync,
    [JsonStringEnumMemberName("snapshot")] Snapshot,
    [JsonStringEnumMemberName("replica")] Replica,
}

public sealed record SnapshotRecoverRequest(string Location)
{
    public SnapshotPriority? Priority { get; init; }
    public string? Checksum { get; init; }
}

#endregion

/// <summary>The serializer settings every Qdrant request and response goes through.</summary>
public static class QdrantJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Qdrant's JSON is UTF-8; keep umlauts and § readable in request bodies and logs.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 64,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

#region Converters

internal sealed class PointIdConverter : JsonConverter<PointId>
{
    public override PointId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new PointId(reader.GetString()!),
            JsonTokenType.Number => new PointId(reader.GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new JsonException("A point id must be a UUID string or an unsigned integer."),
        };

    public override void Write(Utf8JsonWriter writer, PointId value, JsonSerializerOptions options)
    {
        if (ulong.TryParse(value.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            writer.WriteNumberValue(n);
        else
            writer.WriteStringValue(value.Value);
    }
}

internal sealed class VectorValueConverter : JsonConverter<VectorValue>
{
    public override VectorValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
            return new DenseVector(JsonSerializer.Deserialize<float[]>(ref reader, options) ?? []);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var node = JsonSerializer.Deserialize<JsonObject>(ref reader, options)!;
            var indices = node["indices"]?.Deserialize<uint[]>(options) ?? throw new JsonException("A sparse vector needs 'indices'.");
            var values = node["values"]?.Deserialize<float[]>(options) ?? throw new JsonException("A sparse vector needs 'values'.");
            return new SparseVector(indices, values);
        }
        throw new JsonException("A vector must be an array (dense) or an object (sparse).");
    }

    public override void Write(Utf8JsonWriter writer, VectorValue value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case DenseVector dense:
                WriteFloats(writer, dense.Values);
                break;
            case SparseVector sparse:
                WriteSparse(writer, sparse);
                break;
            default:
                throw new JsonException($"Unsupported vector value {value.GetType().Name}.");
        }
    }

    internal static void WriteFloats(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray();
        foreach (var v in values)
        {
            // JSON has no NaN or infinity; Qdrant would reject the whole batch with a parse error.
            if (!float.IsFinite(v)) throw new ArgumentException("Vector values must be finite numbers (found NaN or infinity).");
            writer.WriteNumberValue(v);
        }
        writer.WriteEndArray();
    }

    internal static void WriteSparse(Utf8JsonWriter writer, SparseVector sparse)
    {
        if (sparse.Indices.Length != sparse.Values.Length)
            throw new ArgumentException($"Sparse vector has {sparse.Indices.Length} indices but {sparse.Values.Length} values.");
        writer.WriteStartObject();
        writer.WritePropertyName("indices");
        writer.WriteStartArray();
        foreach (var i in sparse.Indices) writer.WriteNumberValue(i);
        writer.WriteEndArray();
        writer.WritePropertyName("values");
        WriteFloats(writer, sparse.Values);
        writer.WriteEndObject();
    }
}

internal sealed class ConditionConverter : JsonConverter<Condition>
{
    public override Condition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Filter conditions are only ever sent, never read.");

    public override void Write(Utf8JsonWriter writer, Condition value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case Condition.MatchValue m:
                writer.WriteStartObject();
                writer.WriteString("key", m.Key);
                writer.WritePropertyName("match");
                writer.WriteStartObject();
                writer.WritePropertyName("value");
                m.Value.WriteTo(writer, options);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case Condition.MatchAny a:
                writer.WriteStartObject();
                writer.WriteString("key", a.Key);
                writer.WritePropertyName("match");
                writer.WriteStartObject();
                writer.WritePropertyName("any");
                a.Values.WriteTo(writer, options);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case Condition.HasVector h:
                writer.WriteStartObject();
                writer.WriteString("has_vector", h.VectorName);
                writer.WriteEndObject();
                break;
            case Condition.Nested n:
                JsonSerializer.Serialize(writer, n.Filter, options);
                break;
            default:
                throw new JsonException($"Unsupported condition {value.GetType().Name}.");
        }
    }
}

internal sealed class QueryInputConverter : JsonConverter<QueryInput>
{
    public override QueryInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Query inputs are only ever sent, never read.");

    public override void Write(Utf8JsonWriter writer, QueryInput value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case QueryInput.Dense d:
                VectorValueConverter.WriteFloats(writer, d.Vector);
                break;
            case QueryInput.Sparse s:
                VectorValueConverter.WriteSparse(writer, s.Vector);
                break;
            case QueryInput.ReciprocalRankFusion:
                writer.WriteStartObject();
                writer.WriteString("fusion", "rrf");
                writer.WriteEndObject();
                break;
            case QueryInput.DistributionBasedFusion:
                writer.WriteStartObject();
                writer.WriteString("fusion", "dbsf");
                writer.WriteEndObject();
                break;
            default:
                throw new JsonException($"Unsupported query input {value.GetType().Name}.");
        }
    }
}

internal sealed class PayloadSelectorConverter : JsonConverter<PayloadSelector>
{
    public override PayloadSelector Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Payload selectors are only ever sent, never read.");

    public override void Write(Utf8JsonWriter writer, PayloadSelector value, JsonSerializerOptions options)
    {
        if (value.Include is null)
        {
            writer.WriteBooleanValue(value.All);
            return;
        }
        writer.WriteStartObject();
        writer.WritePropertyName("include");
        writer.WriteStartArray();
        foreach (var field in value.Include) writer.WriteStringValue(field);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

internal sealed class AliasActionConverter : JsonConverter<AliasAction>
{
    public override AliasAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Alias actions are only ever sent, never read.");

    public override void Write(Utf8JsonWriter writer, AliasAction value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case AliasAction.Create c:
                writer.WritePropertyName("create_alias");
                writer.WriteStartObject();
                writer.WriteString("collection_name", c.CollectionName);
                writer.WriteString("alias_name", c.AliasName);
                writer.WriteEndObject();
                break;
            case AliasAction.Delete d:
                writer.WritePropertyName("delete_alias");
                writer.WriteStartObject();
                writer.WriteString("alias_name", d.AliasName);
                writer.WriteEndObject();
                break;
            case AliasAction.Rename r:
                writer.WritePropertyName("rename_alias");
                writer.WriteStartObject();
                writer.WriteString("old_alias_name", r.OldAliasName);
                writer.WriteString("new_alias_name", r.NewAliasName);
                writer.WriteEndObject();
                break;
            default:
                throw new JsonException($"Unsupported alias action {value.GetType().Name}.");
        }
        writer.WriteEndObject();
    }
}

#endregion
