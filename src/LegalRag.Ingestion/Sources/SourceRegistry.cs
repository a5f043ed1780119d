namespace LegalRag.Ingestion.Sources;

/// <summary>The connectors this build has, by name (as a manifest's <c>fetch.connector</c> names them).</summary>
public sealed class SourceRegistry
{
    private readonly Dictionary<string, ICorpusSource> _sources;

    public SourceRegistry(IEnumerable<ICorpusSource> sources)
    {
        _sources = new Dictionary<string, ICorpusSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in sources)
            if (!_sources.TryAdd(source.Name, source)) throw new ArgumentException($"two connectors are named '{source.Name}'", nameof(sources));
    }

    /// <summary>Every connector the project ships.</summary>
    public static SourceRegistry Default { get; } = new(
    [
        new DeGii.DeGiiSource(),
        new EeRt.EeRtSource(),
        new NlBwb.NlBwbSource(),
        new EuEurLex.EuEurLexSource(),
        new FrLegi.FrLegiSource(),
    ]);

    public IReadOnlyCollection<string> Names => _sources.Keys.Order(StringComparer.Ordinal).ToList();

    public ICorpusSource Get(string name) => _sources.TryGetValue(name, out var source)
        ? source
        : throw new ArgumentException($"no connector named '{name}'; this build has: {(_sources.Count == 0 ? "none" : string.Join(", ", Names))}");
}
