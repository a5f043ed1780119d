using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using LegalRag.Ingestion.Parsers.Bwb;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Sources.NlBwb;

/// <summary>
/// The Dutch basiswettenbestand (KOOP, wetten.overheid.nl) from its repository
/// (<c>https://repository.officiele-overheidspublicaties.nl/bwb/</c>). Each act has a manifest,
/// <c>bwb/&lt;BWB id&gt;/manifest.xml</c>, listing its consolidated versions (toestanden) with their in-force
/// periods; a toestand's XML lies at <c>bwb/&lt;id&gt;/&lt;label&gt;/xml/&lt;id&gt;_&lt;label&gt;.xml</c>.
/// One item per BWB id of the manifest's selection: the toestand in force on the reference date (today, or the
/// option <c>asOf</c>), else the latest one. The repository has no list of all acts (that is the SRU search service
/// at zoekservice.overheid.nl, which this connector does not use), so the selection must name its acts.
/// </summary>
public sealed partial class NlBwbSource(TimeProvider? clock = null) : ICorpusSource
{
    public const string SourceName = "nl-bwb";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Name => SourceName;

    public async Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
    {
        if (context.Settings.Items.Count == 0)
            throw new ArgumentException($"{SourceName}: the manifest's fetch.items names no BWB ids; the BWB repository has no list of all acts, so name the acts to take (e.g. \"BWBR0001840\" for the Grondwet)");
        var asOf = ReferenceDate(context.Settings);
        var items = new List<SourceItem>(context.Settings.Items.Count);
        foreach (var raw in context.Settings.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bwbId = CheckedId(raw);
            var manifest = await DownloadManifestAsync(bwbId, context, cancellationToken).ConfigureAwait(false);
            var version = Choose(manifest.Manifest, asOf)
                          ?? throw new SourceContentException($"{SourceName} {bwbId}: the manifest {manifest.Url} lists no version with an XML manifestation");
            items.Add(new SourceItem(bwbId, context.Settings.Resolve(ToestandPath(bwbId, version.Label)),
                Title: $"{bwbId} (toestand {version.Label})", IsAct: true));
        }
        return items;
    }

    public async Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
    {
        var bwbId = CheckedId(item.Key);
        var fileName = item.Url.Segments.Length > 0 ? Uri.UnescapeDataString(item.Url.Segments[^1]) : "";
        var match = ToestandFileName().Match(fileName);
        if (!match.Success || match.Groups["id"].Value != bwbId)
            throw new SourceContentException($"{SourceName} {bwbId} ({item.Url}): the address does not end in a toestand file '{bwbId}_<label>.xml'");
        var label = match.Groups["label"].Value;
        var what = $"{SourceName} {bwbId} ({item.Url})";

        var bytes = ReadDownload(downloadPath, what, context.Limits);
        var root = LoadXml(bytes, what, context.Limits);
        if (!BwbReader.IsBwb(root) || root.Name.LocalName != "toestand")
            throw new SourceContentException($"{what}: the download is not a BWB toestand (root element '{root.Name.LocalName}')");
        if ((string?)root.Attribute("bwb-id") is { } statedId && statedId != bwbId)
            throw new SourceContentException($"{what}: the toestand is of {statedId}, not of {bwbId}");

        // The manifest was fetched by ListAsync; a later run (or a folder transport) may not have it any more.
        var manifestPath = Path.Combine(context.WorkDirectory, ManifestFile(bwbId));
        var manifest = File.Exists(manifestPath)
            ? ParseManifest(ReadDownload(manifestPath, what, context.Limits), bwbId, ManifestUrl(context, bwbId), context.Limits)
            : await DownloadManifestAsync(bwbId, context, cancellationToken).ConfigureAwait(false);
        var version = manifest.Manifest.Versions.FirstOrDefault(v => v.Label == label);
        // The repository states a SHA-512 per toestand; the transport checks only SHA-256, so it is checked here.
        if (version?.Sha512 is { } expected)
        {
            var actual = Convert.ToHexStringLower(SHA512.HashData(bytes));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new SourceContentException($"{what}: SHA-512 {actual[..16]}… is not the {expected[..Math.Min(16, expected.Length)]}… the manifest states for {label}");
        }

        // The repository's own layout, so that the BWB reader finds the manifest two folders above the toestand and
        // reads from it when the version ended. The manifest itself is no act: corpora/nl-bwb.json's include patterns
        // leave it out of the ingest.
        return UnpackedItem.Of(
        [
            new UnpackedFile($"{bwbId}/{label}/xml/{fileName}", bytes),
            new UnpackedFile($"{bwbId}/manifest.xml", manifest.Bytes),
        ]);
    }

    /// <summary>The toestand in force on <paramref name="asOf"/> (the latest correction of it when several share the
    /// date), else the latest version: an act repealed or not yet in force still has its last text.</summary>
    internal static BwbVersion? Choose(BwbManifest manifest, DateOnly asOf)
    {
        var withXml = manifest.Versions.Where(v => v.Items.Count > 0 && v.Label.Length > 0).ToList();
        var inForce = withXml
            .Where(v => v.ValidFrom is { } from && from <= asOf && (v.ValidTo is not { } to || asOf <= to))
            .OrderBy(v => v.ValidFrom).ThenBy(v => v.Label, StringComparer.Ordinal)
            .LastOrDefault();
        return inForce ?? withXml.OrderBy(v => v.ValidFrom ?? DateOnly.MinValue).ThenBy(v => v.Label, StringComparer.Ordinal).LastOrDefault();
    }

    internal static string ManifestRelativePath(string bwbId) => $"bwb/{bwbId}/manifest.xml";

    internal static string ToestandPath(string bwbId, string label) => $"bwb/{bwbId}/{label}/xml/{bwbId}_{label}.xml";

    private DateOnly ReferenceDate(SourceSettings settings)
    {
        if (settings.Option("asOf") is not { Length: > 0 } text)
            return DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ArgumentException($"{SourceName}: option asOf = '{text}' is not a date (yyyy-MM-dd)");
    }

    private static string CheckedId(string raw)
    {
        var id = raw.Trim().ToUpperInvariant();
        // BWBR: regelingen; BWBV: treaties (verdragen). The id becomes a folder name, so nothing else passes.
        return BwbId().IsMatch(id)
            ? id
            : throw new ArgumentException($"{SourceName}: '{raw}' is not a BWB id (BWBR or BWBV and seven digits, e.g. BWBR0001840)");
    }

    private static Uri ManifestUrl(SourceContext context, string bwbId) => context.Settings.Resolve(ManifestRelativePath(bwbId));

    /// <summary>Where ListAsync keeps an act's manifest, relative to the work folder (UnpackAsync reads it back).</summary>
    private static string ManifestFile(string bwbId) => Path.Combine("bwb", bwbId, "manifest.xml");

    private sealed record FetchedManifest(BwbManifest Manifest, byte[] Bytes, Uri Url);

    private static async Task<FetchedManifest> DownloadManifestAsync(string bwbId, SourceContext context, CancellationToken cancellationToken)
    {
        var url = ManifestUrl(context, bwbId);
        string path;
        try
        {
            path = await context.DownloadToWorkAsync(url, ManifestFile(bwbId), cancellationToken).ConfigureAwait(false);
        }
        catch (SourceUnavailableException ex)
        {
            throw new SourceUnavailableException($"{SourceName} {bwbId}: the act's manifest {url} cannot be had ({ex.Message}); is the BWB id right?", ex);
        }
        return ParseManifest(ReadDownload(path, $"{SourceName} {bwbId} manifest ({url})", context.Limits), bwbId, url, context.Limits);
    }

    private static FetchedManifest ParseManifest(byte[] bytes, string bwbId, Uri url, IngestionLimits limits)
    {
        var label = $"{SourceName} {bwbId} manifest ({url})";
        var root = LoadXml(bytes, label, limits);
        BwbManifest manifest;
        try
        {
            manifest = BwbManifest.Parse(root);
        }
        catch (DocumentRejectedException ex)
        {
            throw new SourceContentException($"{label}: {ex.Message}", ex);
        }
        if (manifest.BwbId.Length > 0 && !string.Equals(manifest.BwbId, bwbId, StringComparison.OrdinalIgnoreCase))
            throw new SourceContentException($"{label}: the manifest is of {manifest.BwbId}, not of {bwbId}");
        return new FetchedManifest(manifest, bytes, url);
    }

    private static byte[] ReadDownload(string path, string label, IngestionLimits limits)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > limits.MaxFileBytes)
                throw new SourceContentException($"{label}: {length:N0} bytes, over the limit of {limits.MaxFileBytes:N0}");
            return File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new SourceContentException($"{label}: the download cannot be read: {ex.Message}", ex);
        }
    }

    private static XElement LoadXml(byte[] bytes, string label, IngestionLimits limits)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), XmlParser.SafeSettings(limits));
            return XDocument.Load(reader).Root ?? throw new SourceContentException($"{label}: the XML has no root element");
        }
        catch (XmlException ex)
        {
            throw new SourceContentException($"{label}: not well-formed XML (an error page, or a truncated download?): {ex.Message}", ex);
        }
    }

    [GeneratedRegex("^BWB[RV][0-9]{7}$")]
    private static partial Regex BwbId();

    [GeneratedRegex("^(?<id>BWB[RV][0-9]{7})_(?<label>[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]+)\\.xml$")]
    private static partial Regex ToestandFileName();
}
