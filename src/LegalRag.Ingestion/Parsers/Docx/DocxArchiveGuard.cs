using System.IO.Compression;
using System.Xml;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Parsers.Docx;

/// <summary>
/// Checks a DOCX as a zip archive before OpenXml reads it: that it is a zip at all, that it is an Office
/// package, and that it is no zip bomb. Sizes are measured by inflating every entry (declared sizes in a
/// zip header are whatever its author wrote), stopping as soon as a limit is passed.
/// </summary>
internal static class DocxArchiveGuard
{
    /// <summary>Entries smaller than this are exempt from the ratio check: a few kilobytes of repetitive XML
    /// compress very well and can do no harm; the total size limit still covers many of them.</summary>
    public const long RatioCheckFloorBytes = 1024 * 1024;

    /// <summary>More entries than this is no word-processing document (a DOCX has a few dozen).</summary>
    public const int MaxEntries = 10_000;

    public static readonly byte[] ZipMagic = [(byte)'P', (byte)'K', 3, 4];

    public static void Check(byte[] bytes, IngestionLimits limits, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0) throw new DocumentRejectedException("the file is empty");
        if (!bytes.AsSpan().StartsWith(ZipMagic)) throw new DocumentRejectedException("not a DOCX (not a zip archive)");

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentRejectedException($"not a DOCX (damaged zip archive: {ex.Message})", ex);
        }

        using (zip)
        {
            if (zip.Entries.Count > MaxEntries)
                throw new DocumentRejectedException($"not a DOCX: the zip archive has {zip.Entries.Count:N0} entries (limit {MaxEntries:N0})");
            if (zip.GetEntry("[Content_Types].xml") is null)
                throw new DocumentRejectedException("not a DOCX (a zip archive without [Content_Types].xml is no Office document)");
            if (zip.GetEntry("word/document.xml") is null)
                throw new DocumentRejectedException("not a DOCX: the archive has no word/document.xml (the main document part)");

            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long size = 0;
                try
                {
                    using var stream = entry.Open();
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        size += read;
                        if (total + size > limits.MaxUncompressedBytes)
                            throw new DocumentRejectedException(
                                $"zip bomb guard: the DOCX unpacks to more than {limits.MaxUncompressedBytes:N0} bytes (limit MaxUncompressedBytes)");
                        if (size > RatioCheckFloorBytes && size > Math.Max(1, entry.CompressedLength) * limits.MaxCompressionRatio)
                            throw new DocumentRejectedException(
                                $"zip bomb guard: entry '{entry.FullName}' expands more than {limits.MaxCompressionRatio:0.#} times (limit MaxCompressionRatio)");
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new DocumentRejectedException($"not a DOCX (damaged zip entry '{entry.FullName}': {ex.Message})", ex);
                }
                total += size;
            }

            foreach (var entry in zip.Entries)
                if (entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                    CheckDepth(entry, limits.MaxXmlDepth, cancellationToken);
        }
    }

    /// <summary>Rejects a part that nests elements deeper than the limit. OpenXml builds its tree before the body
    /// reader can count levels, and 200,000 nested elements kept it busy for minutes; this reads the part as a
    /// stream first. Anything else wrong with the XML is left for OpenXml to report.</summary>
    private static void CheckDepth(ZipArchiveEntry entry, int maxDepth, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(entry.Open(), settings);
            while (reader.Read())
            {
                if (reader.Depth >= maxDepth)
                    throw new DocumentRejectedException($"the DOCX part '{entry.FullName}' nests elements deeper than {maxDepth} levels (limit MaxXmlDepth)");
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (XmlException)
        {
            // Not well-formed: OpenXml will say so if it reads this part at all.
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentRejectedException($"not a DOCX (damaged zip entry '{entry.FullName}': {ex.Message})", ex);
        }
    }
}
