using System.Text.Json;
using System.Text.Json.Serialization;
using LegalRag.Hosting.Configuration;

namespace LegalRag.Cli.Configuration;

/// <summary>
/// A committed description of a known corpus (corpora/&lt;name&gt;.json): where its files are under
/// the shared folder, which files to take, its language and, for one-file-per-article corpora, the act.
/// </summary>
public sealed record CorpusManifest
{
    public required string Name { get; init; }
    public required string Language { get; init; }
    /// <summary>Folder relative to the shared folder holding a local copy; null for a corpus that is only fetched.</summary>
    public string? Source { get; init; }
    public string[] Include { get; init; } = [];
    public string? ActTitle { get; init; }
    public string? ActAbbreviation { get; init; }
    public string? Description { get; init; }
    /// <summary>Who publishes the texts ("Bundesministerium der Justiz"); recorded in every document's provenance.</summary>
    public string? Publisher { get; init; }
    /// <summary>Where the corpus's files come from (the publisher's download or a dataset page); recorded as each
    /// document's source, where no more exact address is known.</summary>
    public string? SourceUrl { get; init; }
    /// <summary>How <c>legalrag corpus fetch</c> gets the corpus from its publisher; null when it cannot be fetched.</summary>
    public FetchSection? Fetch { get; init; }

    /// <summary>A manifest's "fetch": the connector, the publisher's address and the selection (see docs/sources.md).</summary>
    public sealed record FetchSection
    {
        public required string Connector { get; init; }
        public required string BaseUrl { get; init; }
        public string[] Items { get; init; } = [];
        public Dictionary<string, string> Options { get; init; } = [];
        /// <summary>Globs over the connector's files that are ingested; empty = all. For connectors that write
        /// companions the parsers read beside an act but that are no act themselves (nl-bwb's per-act manifest.xml).</summary>
        public string[] Include { get; init; } = [];
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    public static CorpusManifest? Find(string name)
    {
        var root = ProjectPaths.RepositoryRoot();
        if (root is null) return null;
        var path = Path.Combine(root, "corpora", name + ".json");
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path), Json)
                   ?? throw new SettingsException($"{path}: empty manifest");
        }
        catch (JsonException ex)
        {
            throw new SettingsException($"{path}: invalid corpus manifest: {ex.Message}");
        }
    }

    /// <summary>The manifest whose local source (under <paramref name="sharedDirectory"/>) is <paramref name="path"/>, or null.</summary>
    public static CorpusManifest? FindBySource(string path, string sharedDirectory)
    {
        var root = ProjectPaths.RepositoryRoot();
        if (root is null || !Directory.Exists(Path.Combine(root, "corpora"))) return null;
        var wanted = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var file in Directory.GetFiles(Path.Combine(root, "corpora"), "*.json").Order(StringComparer.Ordinal))
        {
            var manifest = Find(Path.GetFileNameWithoutExtension(file));
            if (manifest?.Source is { } source
                && string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(sharedDirectory, source))), wanted, StringComparison.Ordinal))
                return manifest;
        }
        return null;
    }
}
