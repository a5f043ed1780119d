using System.Globalization;
using System.Text;

namespace LegalRag.Ingestion.Sources.FrLegi;

/// <summary>
/// Légifrance's LEGI base as DILA publishes it (https://echanges.dila.gouv.fr/OPENDATA/LEGI/): one full dump
/// (<c>Freemium_legi_global_YYYYMMDD-HHMMSS.tar.gz</c>, renewed once or twice a year) and a daily increment
/// (<c>LEGI_YYYYMMDD-HHMMSS.tar.gz</c>) per working day. The items are the archives, not acts: the newest full dump,
/// then every increment published after it, in that order. Unpacking keeps the article files of the manifest's texts
/// as "LEGITEXT…/article/LEGIARTI….xml" (each article version is its own file and keeps its path across archives)
/// and turns the increments' deletion list into removed paths.
/// Options: <c>path</c> (the folder's path under the base URL, default "OPENDATA/LEGI/"), <c>maxUnpackedMiB</c>
/// (kept bytes per archive, default the ingestion limit), <c>maxEntries</c> (archive entries, default 20 million).
/// </summary>
public sealed class FrLegiSource : ICorpusSource
{
    public const string SourceName = "fr-legi";
    public const string DefaultPath = "OPENDATA/LEGI/";

    public string Name => SourceName;

    public async Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
    {
        // Checked before anything is fetched: a bad manifest is reported without touching the network.
        LegiSelection.From(context.Settings, context.Limits.MaxUncompressedBytes);
        var folder = FolderPath(context.Settings);
        var listingUrl = context.Settings.Resolve(folder);
        var listingPath = await context.DownloadToWorkAsync(listingUrl, "fr-legi-listing.html", cancellationToken).ConfigureAwait(false);

        var size = new FileInfo(listingPath).Length;
        if (size > LegiListing.MaxListingBytes)
            throw new SourceContentException($"fr-legi listing ({listingUrl}): {size:N0} bytes, over the limit of {LegiListing.MaxListingBytes:N0}; not DILA's LEGI folder page");
        var html = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(listingPath, cancellationToken).ConfigureAwait(false));
        var archives = LegiListing.Archives(html);
        var selection = LegiListing.Selection(archives);
        if (selection.Count == 0)
            throw new SourceContentException($"fr-legi listing ({listingUrl}): no full dump (Freemium_legi_global_YYYYMMDD-HHMMSS.tar.gz) is linked"
                                             + (archives.Count > 0 ? $", only {archives.Count} increment(s); an increment alone cannot build a corpus" : "; not DILA's LEGI folder page?"));
        return selection.Select(a => new SourceItem(
            Key: a.FileName,
            Url: context.Settings.Resolve(folder + Uri.EscapeDataString(a.FileName)),
            Title: (a.IsFullDump ? "LEGI full dump of " : "LEGI increment of ") + a.PublishedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            IsAct: false,
            Immutable: true)).ToList();
    }

    public Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
    {
        var selection = LegiSelection.From(context.Settings, context.Limits.MaxUncompressedBytes);
        return LegiDumpReader.ReadAsync(downloadPath, $"fr-legi {item.Key} ({item.Url})", selection, context.Limits, cancellationToken);
    }

    private static string FolderPath(SourceSettings settings)
    {
        var path = (settings.Option("path") ?? DefaultPath).Trim().TrimStart('/');
        return path.Length == 0 || path.EndsWith('/') ? path : path + "/";
    }
}
