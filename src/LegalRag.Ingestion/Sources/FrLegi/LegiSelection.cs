using System.Globalization;

namespace LegalRag.Ingestion.Sources.FrLegi;

/// <summary>What to take from a LEGI dump, from the manifest's <c>fetch</c> section.</summary>
/// <param name="TextIds">The texts (LEGITEXT ids; JORFTEXT for a non-codified text); empty = every code.</param>
/// <param name="MaxEntries">Archive entries read before the dump is refused (folders count).</param>
/// <param name="MaxUnpackedBytes">Bytes of kept files in one unpacked archive; the kept files are held in memory.</param>
internal sealed record LegiSelection(IReadOnlySet<string> TextIds, long MaxEntries, long MaxUnpackedBytes)
{
    /// <summary>A full dump holds about 1.6 million files and as many folders; ten times that is no LEGI dump.</summary>
    public const long DefaultMaxEntries = 20_000_000;

    public static LegiSelection From(SourceSettings settings, long defaultMaxUnpackedBytes)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in settings.Items)
        {
            var id = item.Trim();
            if (!LegiArchivePath.IsTextId(id))
                throw new ArgumentException($"fr-legi: the manifest item '{item}' is not a LEGI text id (LEGITEXT or JORFTEXT and 12 digits, e.g. LEGITEXT000006070721 for the Code civil)");
            ids.Add(id);
        }
        var maxEntries = Positive(settings, "maxEntries") ?? DefaultMaxEntries;
        var maxBytes = Positive(settings, "maxUnpackedMiB") is { } mib ? mib * 1024 * 1024 : defaultMaxUnpackedBytes;
        return new LegiSelection(ids, maxEntries, maxBytes);
    }

    /// <summary>True for a file of a chosen text: a listed one, or with no list, any code (not the non-codified texts).</summary>
    public bool Takes(LegiArchivePath file) => TextIds.Count == 0 ? file.InCodeDossier : TextIds.Contains(file.TextId);

    private static long? Positive(SourceSettings settings, string name)
    {
        if (settings.Option(name) is not { } raw) return null;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"fr-legi: the option '{name}' must be a positive whole number, not '{raw}'");
        return value;
    }
}
