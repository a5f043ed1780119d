using System.Xml;
using System.Xml.Linq;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Parsers.Bwb;

/// <summary>One version (expression) of an act as the BWB manifest lists it.</summary>
/// <param name="Label">"2000-11-01_0": the in-force date and a sequence number.</param>
/// <param name="ValidFrom">datum_inwerkingtreding.</param>
/// <param name="ValidTo">einddatum; null when open-ended (the manifest writes 9999-12-31 or nothing).</param>
/// <param name="Items">The files of the version's XML manifestation ("BWBR0002458_2000-11-01_0.xml").</param>
/// <param name="Sha512">The manifestation's hashcode (SHA-512, hex), for checking a download.</param>
public sealed record BwbVersion(string Label, DateOnly? ValidFrom, DateOnly? ValidTo, IReadOnlyList<string> Items, string? Sha512);

/// <summary>
/// The manifest of one act in the BWB repository (<c>BWBR…/manifest.xml</c>, root <c>work</c>): the list of the
/// act's consolidated versions with their in-force periods. A toestand file only says when its version starts;
/// the manifest says when it ended, so the parser reads it when it lies beside the version file.
/// </summary>
public sealed class BwbManifest
{
    public required string BwbId { get; init; }
    public required IReadOnlyList<BwbVersion> Versions { get; init; }

    public static BwbManifest Parse(XElement root)
    {
        if (!BwbReader.IsManifest(root)) throw new DocumentRejectedException("not a BWB manifest (root 'work' with 'expression' versions)");
        var versions = root.Elements("expression").Select(e =>
        {
            var metadata = e.Element("metadata");
            var xml = e.Elements("manifestation").FirstOrDefault(m => (string?)m.Attribute("label") == "xml");
            return new BwbVersion(
                (string?)e.Attribute("label") ?? "",
                BwbReader.Date(metadata?.Element("datum_inwerkingtreding")?.Value),
                BwbReader.Date(metadata?.Element("einddatum")?.Value),
                xml?.Elements("item").Where(i => (string?)i.Attribute("_deleted") != "true").Select(i => (string?)i.Attribute("label") ?? "").Where(l => l.Length > 0).ToList() ?? [],
                xml?.Element("metadata")?.Element("hashcode")?.Value.Trim() is { Length: > 0 } hash ? hash : null);
        }).ToList();
        return new BwbManifest { BwbId = (string?)root.Attribute("label") ?? "", Versions = versions };
    }

    /// <summary>What the manifest beside a version file says about that version, and a warning when it cannot be read.</summary>
    internal sealed record VersionInfo(DateOnly? ValidFrom, DateOnly? ValidTo, string? Warning);

    /// <summary>
    /// The manifest's entry for the version in <paramref name="file"/>: looked up as "BWBR…_manifest.xml" in the
    /// file's folder, or "manifest.xml" there or two folders up (the repository's BWBR…/&lt;version&gt;/xml/ layout).
    /// Null when there is no manifest or it does not list the file.
    /// </summary>
    internal static VersionInfo? FindVersion(SourceFile file, string bwbId, DateOnly? validFrom, IngestionLimits limits)
    {
        var folder = Path.GetDirectoryName(file.FullPath);
        if (folder is null) return null;
        var up2 = Path.GetDirectoryName(Path.GetDirectoryName(folder));
        var candidates = new[] { Path.Combine(folder, $"{bwbId}_manifest.xml"), Path.Combine(folder, "manifest.xml"), up2 is null ? null : Path.Combine(up2, "manifest.xml") };
        var path = candidates.FirstOrDefault(p => p is not null && File.Exists(p));
        if (path is null) return null;
        BwbManifest manifest;
        try
        {
            if (new FileInfo(path).Length > limits.MaxFileBytes) return new VersionInfo(null, null, $"the BWB manifest {Path.GetFileName(path)} is larger than the file size limit; not read");
            using var reader = XmlReader.Create(path, XmlParser.SafeSettings(limits));
            manifest = Parse(XDocument.Load(reader).Root ?? throw new DocumentRejectedException("empty"));
        }
        catch (Exception ex) when (ex is XmlException or IOException or DocumentRejectedException or UnauthorizedAccessException)
        {
            return new VersionInfo(null, null, $"the BWB manifest {Path.GetFileName(path)} beside the file could not be read: {ex.Message}");
        }
        if (manifest.BwbId.Length > 0 && manifest.BwbId != bwbId) return null;
        var name = Path.GetFileName(file.FullPath);
        var version = manifest.Versions.FirstOrDefault(v => v.Items.Contains(name, StringComparer.OrdinalIgnoreCase))
                      ?? (validFrom is null ? null : manifest.Versions.FirstOrDefault(v => v.ValidFrom == validFrom));
        return version is null ? null : new VersionInfo(version.ValidFrom, version.ValidTo, null);
    }
}
