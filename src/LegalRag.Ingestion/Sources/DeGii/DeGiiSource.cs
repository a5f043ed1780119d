using System.Xml;
using LegalRag.Ingestion.Sources.Common;

namespace LegalRag.Ingestion.Sources.DeGii;

/// <summary>
/// Gesetze im Internet (the federal ministry of justice's publication of all German federal acts and ordinances):
/// the index <c>gii-toc.xml</c> lists every act's <c>&lt;slug&gt;/xml.zip</c>; each zip holds the act as one
/// <c>BJNR….xml</c> (gii-norm.dtd), which the GII parser reads. Items are keyed by the slug ("bgb"); the manifest's
/// items select slugs, none selects every act in the index.
/// </summary>
public sealed class DeGiiSource : ICorpusSource
{
    public const string SourceName = "de-gii";

    /// <summary>The index's path on the publisher's server.</summary>
    public const string IndexPath = "gii-toc.xml";

    public string Name => SourceName;

    public async Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
    {
        var indexUrl = context.Settings.Resolve(IndexPath);
        var indexFile = await context.DownloadToWorkAsync(indexUrl, IndexPath, cancellationToken).ConfigureAwait(false);
        var label = $"{SourceName} index {indexUrl}";
        var entries = GiiToc.Read(indexFile, label, context.Limits, cancellationToken);
        var selected = Select(entries, context.Settings.Items, label);
        // The index's links name the official host; only their path is kept, on the configured base.
        return selected.Select(e => new SourceItem(e.Slug, ZipUrl(context.Settings, e.Slug), e.Title, IsAct: true)).ToList();
    }

    public Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var label = $"{SourceName} {item.Key} ({item.Url})";
        // The key becomes a folder name; an item restored from stored state is checked like one read from the index.
        if (!GiiToc.IsSafeSlug(item.Key))
            throw new SourceContentException($"{label}: '{item.Key}' is not a safe folder name for an act");
        // An act's zip holds its XML and, for some acts, the images its tables and formulas show: only the XML is law text.
        var entries = SafeZip.Extract(downloadPath, label, name => name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase), context.Limits);
        if (entries.Count == 0)
            throw new SourceContentException($"{label}: the archive holds no XML file (expected the act as BJNR….xml)");
        foreach (var (name, content) in entries) CheckIsAct(content, $"{label}: entry '{name}'");
        var files = entries.Select(e => new UnpackedFile($"{item.Key}/{e.Name}", e.Content)).ToList();
        return Task.FromResult(UnpackedItem.Of(files));
    }

    /// <summary>Refuses an entry that is not a whole GII act (root &lt;dokumente&gt;), so a damaged or foreign file
    /// fails here, before it replaces the act's last good version.</summary>
    internal static void CheckIsAct(byte[] content, string label)
    {
        var settings = new XmlReaderSettings
        {
            // Every act names gii-norm.dtd by URL in a DOCTYPE; Ignore skips it unread and nothing is fetched.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content, writable: false), settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "dokumente")
                throw new SourceContentException($"{label} is not a Gesetze im Internet act (the root element is <{reader.LocalName}>, not <dokumente>)");
            while (reader.Read()) { }
        }
        catch (XmlException ex)
        {
            throw new SourceContentException($"{label} is not well-formed XML (line {ex.LineNumber}): {ex.Message}", ex);
        }
    }

    /// <summary>"https://www.gesetze-im-internet.de/bgb/xml.zip" on the configured base.</summary>
    public static Uri ZipUrl(SourceSettings settings, string slug) => settings.Resolve(Uri.EscapeDataString(slug) + "/xml.zip");

    /// <summary>The index's entries the manifest asks for, in index order; every slug asked for must be listed.</summary>
    internal static IReadOnlyList<GiiTocEntry> Select(IReadOnlyList<GiiTocEntry> entries, IReadOnlyList<string> items, string label)
    {
        if (items.Count == 0) return entries;
        // Slugs are lower case on the server; "BGB" in a manifest means "bgb".
        var wanted = items.Select(i => i.Trim().ToLowerInvariant()).Where(i => i.Length > 0).ToHashSet(StringComparer.Ordinal);
        var bySlug = entries.ToDictionary(e => e.Slug.ToLowerInvariant(), StringComparer.Ordinal);
        var unknown = wanted.Where(w => !bySlug.ContainsKey(w)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var slugs = entries.Select(e => e.Slug).ToList();
            var lines = unknown.Select(u => NearMatches.Of(u, slugs) is { Count: > 0 } near
                ? $"'{u}' (did you mean {string.Join(", ", near)}?)"
                : $"'{u}' (nothing similar)");
            throw new SourceContentException(
                $"{label}: the index lists {entries.Count:N0} acts but not {string.Join("; ", lines)}. Items are the act's folder names on the server, as in https://www.gesetze-im-internet.de/bgb/xml.zip");
        }
        return entries.Where(e => wanted.Contains(e.Slug.ToLowerInvariant())).ToList();
    }
}
