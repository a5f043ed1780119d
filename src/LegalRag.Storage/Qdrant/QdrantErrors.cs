using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// A request Qdrant refused or could not serve. <see cref="IsTransient"/> tells whether retrying could help;
/// by the time this surfaces the client has already retried transient failures <see cref="Attempts"/> times.
/// </summary>
public sealed class QdrantException : Exception
{
    public QdrantException(string message, string operation, string? collection, HttpStatusCode? statusCode,
        string? serverError, string? field, bool isTransient, int attempts, Exception? inner = null)
        : base(message, inner)
    {
        Operation = operation;
        Collection = collection;
        StatusCode = statusCode;
        ServerError = serverError;
        Field = field;
        IsTransient = isTransient;
        Attempts = attempts;
    }

    /// <summary>Method and path template, e.g. "PUT /collections/{collection_name}/points".</summary>
    public string Operation { get; }
    public string? Collection { get; }
    /// <summary>Null when no response came back (connection refused, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }
    /// <summary>Qdrant's own <c>status.error</c> text.</summary>
    public string? ServerError { get; }
    /// <summary>The request field the error points at, when it could be told ("limit", "$.points[3].vector").</summary>
    public string? Field { get; }
    public bool IsTransient { get; }
    public int Attempts { get; }
}

/// <summary>The configuration disagrees with itself or with what the Qdrant server holds.</summary>
public sealed class QdrantConfigurationException(string message) : Exception(message);

/// <summary>Reads Qdrant error bodies and decides which request field they are about.</summary>
public static partial class QdrantErrorParser
{
    // Validation errors list fields: "Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]".
    [GeneratedRegex(@"\[(?<field>[A-Za-z0-9_.\[\]]+):\s")]
    private static partial Regex ValidationFieldRegex();

    // serde: "missing field `vector`", "unknown field `scoreThreshold`, expected one of ...".
    [GeneratedRegex(@"(?:missing|unknown|duplicate) field `(?<field>[^`]+)`")]
    private static partial Regex SerdeFieldRegex();

    // serde positions: "... at line 1 column 53".
    [GeneratedRegex(@"at line (?<line>\d+) column (?<column>\d+)")]
    private static partial Regex PositionRegex();

    /// <summary>The <c>status.error</c> of a Qdrant error body, or a trimmed raw body when it is not Qdrant's JSON.</summary>
    public static string? ReadServerError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("status", out var status))
            {
                if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                    return error.GetString();
                if (status.ValueKind == JsonValueKind.String) return status.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): fall through to the raw text.
        }
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>The field an error names, or the JSON path of the request at the position serde reported.</summary>
    public static string? FindField(string? serverError, ReadOnlySpan<byte> requestBody)
    {
        if (string.IsNullOrEmpty(serverError)) return null;
        var validation = ValidationFieldRegex().Match(serverError);
        if (validation.Success) return validation.Groups["field"].Value;
        var serde = SerdeFieldRegex().Match(serverError);
        string? named = serde.Success ? serde.Groups["field"].Value : null;
        var position = PositionRegex().Match(serverError);
        if (position.Success && !requestBody.IsEmpty
            && int.TryParse(position.Groups["line"].Value, out var line) && line == 1
            && int.TryParse(position.Groups["column"].Value, out var column) && column > 0)
        {
            var path = JsonPathAt(requestBody, column - 1);
            if (path is not null) return named is null ? path : $"{path} ({named})";
        }
        if (named is not null) return named;
        if (serverError.Contains("Vector dimension error", StringComparison.OrdinalIgnoreCase)) return "vector";
        if (serverError.Contains("Not existing vector name", StringComparison.OrdinalIgnoreCase)) return "vector name";
        return null;
    }

    /// <summary>
    /// The JSON path ("$.points[2].vector.dense") of the innermost value that starts at or before
    /// <paramref name="offset"/> in a compact (single-line) JSON document, as our requests are written.
    /// </summary>
    public static string? JsonPathAt(ReadOnlySpan<byte> json, int offset)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        // Each frame: a property name (objects) or a running index (arrays).
        var frames = new List<(bool IsArray, string? Name, int Index)>();
        string? pendingName = null;
        string? best = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenStartIndex > offset) break;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        best = Render(frames, pendingName);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        AdvanceArrayIndex(frames);
                        frames.Add((reader.TokenType == JsonTokenType.StartArray, pendingName, -1));
                        pendingName = null;
                        best = Render(frames, null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (frames.Count > 0) frames.RemoveAt(frames.Count - 1);
                        best = Render(frames, null);
                        break;
                    default:
                        AdvanceArrayIndex(frames);
                        best = Render(frames, pendingName);
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A truncated body: the path so far is still the best answer.
        }
        return best;
    }

    private static void AdvanceArrayIndex(List<(bool IsArray, string? Name, int Index)> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
    }

    private static string Render(List<(bool IsArray, string? Name, int Index)> frames, string? leaf)
    {
        var sb = new StringBuilder("$");
        for (var i = 0; i < frames.Count; i++)
        {
            var (_, name, _) = frames[i];
            if (name is not null) sb.Append('.').Append(name);
            // The index of an array belongs after the array's own name, so it comes from this frame.
            if (frames[i].IsArray && frames[i].Index >= 0) sb.Append('[').Append(frames[i].Index).Append(']');
        }
        if (leaf is not null) sb.Append('.').Append(leaf);
        return sb.ToString();
    }
}
