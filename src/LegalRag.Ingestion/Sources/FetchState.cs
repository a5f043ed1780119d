using System.Text.Json;
using System.Text.Json.Serialization;

namespace LegalRag.Ingestion.Sources;

/// <summary>
/// What a corpus's fetches have done so far, kept beside its files (<c>fetch-state.json</c>): for each item its
/// validators (ETag, Last-Modified), checksum, retrieval time and the files it produced; for each file where it came
/// from. It is written after every item, atomically, so an interrupted fetch resumes where it stopped.
/// </summary>
public sealed class FetchState
{
    public const string FileName = "fetch-state.json";

    /// <summary>The manifest (corpora/&lt;name&gt;.json) the corpus is fetched by; <c>corpus update</c> reads it back.</summary>
    public required string Manifest { get; init; }
    /// <summary>The connector's name.</summary>
    public required string Connector { get; init; }
    public Dictionary<string, ItemState> Items { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Every file the fetches wrote, by relative path.</summary>
    public Dictionary<string, FileState> Files { get; init; } = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The state in <paramref name="folder"/>, or null when the corpus was never fetched there.</summary>
    public static FetchState? Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<FetchState>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty fetch state");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: the fetch state is not readable ({ex.Message}); move it away to fetch the corpus afresh", ex);
        }
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>One item as last fetched.</summary>
public sealed record ItemState
{
    public required string Url { get; init; }
    public string? Title { get; init; }
    public bool IsAct { get; init; } = true;
    public string? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public string? Sha256 { get; init; }
    public DateTimeOffset RetrievedAt { get; init; }
    /// <summary>The files its last download produced.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>Set when the publisher stopped listing the act: its documents are closed on this day.</summary>
    public DateOnly? ClosedOn { get; init; }
}

/// <summary>Where one file came from, and whether its document was closed.</summary>
public sealed record FileState
{
    public required string Url { get; init; }
    public DateTimeOffset RetrievedAt { get; init; }
    public DateOnly? ClosedOn { get; init; }
}
