using System.Globalization;
using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Sources.FrLegi;

/// <summary>One archive DILA's LEGI folder lists: the full dump or a daily increment, with its publication stamp.</summary>
/// <param name="FileName">"Freemium_legi_global_20250713-140000.tar.gz" or "LEGI_20250714-210018.tar.gz".</param>
/// <param name="Stamp">The stamp from the name ("20250713-140000"); stamps sort as the archives were published.</param>
internal sealed record LegiArchive(string FileName, string Stamp, bool IsFullDump)
{
    public DateTime PublishedAt => DateTime.ParseExact(Stamp, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads the HTML directory listing at https://echanges.dila.gouv.fr/OPENDATA/LEGI/: every href whose last segment is a
/// LEGI archive name. Only the names matter, so no HTML parser is needed; the pattern is bounded (a href of at most
/// 300 characters) so a hostile page cannot make it backtrack for long.
/// </summary>
internal static partial class LegiListing
{
    /// <summary>A listing larger than this is not DILA's folder page (it is a few hundred lines).</summary>
    public const long MaxListingBytes = 8L * 1024 * 1024;

    [GeneratedRegex("""href\s*=\s*["']([^"'<>\s]{1,300})["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Href();

    [GeneratedRegex(@"^(?<kind>Freemium_legi_global|LEGI)_(?<stamp>\d{8}-\d{6})\.tar\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex ArchiveName();

    /// <summary>Every LEGI archive the page links to, once each, in publication order.</summary>
    public static IReadOnlyList<LegiArchive> Archives(string html)
    {
        var byName = new Dictionary<string, LegiArchive>(StringComparer.Ordinal);
        foreach (Match href in Href().Matches(html))
        {
            // Listings link by bare name; a mirror may link by absolute path or URL: only the last segment names the file.
            var target = href.Groups[1].Value;
            var cut = target.IndexOfAny(['?', '#']);
            if (cut >= 0) target = target[..cut];
            var name = Uri.UnescapeDataString(target[(target.LastIndexOf('/') + 1)..]);
            if (ArchiveName().Match(name) is not { Success: true } m) continue;
            if (!IsRealStamp(m.Groups["stamp"].Value)) continue;
            byName[name] = new LegiArchive(name, m.Groups["stamp"].Value, m.Groups["kind"].Value.StartsWith("Freemium", StringComparison.Ordinal));
        }
        return byName.Values.OrderBy(a => a.Stamp, StringComparer.Ordinal).ThenBy(a => a.IsFullDump ? 0 : 1).ToList();
    }

    /// <summary>
    /// What a corpus needs from the listing: the newest full dump, then every increment published after it, oldest
    /// first, so that applying them in this order gives today's base. Increments older than the dump are already in it.
    /// </summary>
    public static IReadOnlyList<LegiArchive> Selection(IReadOnlyList<LegiArchive> archives)
    {
        var dump = archives.Where(a => a.IsFullDump).MaxBy(a => a.Stamp, StringComparer.Ordinal);
        if (dump is null) return [];
        return [dump, .. archives.Where(a => !a.IsFullDump && string.CompareOrdinal(a.Stamp, dump.Stamp) > 0)];
    }

    private static bool IsRealStamp(string stamp) =>
        DateTime.TryParseExact(stamp, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
