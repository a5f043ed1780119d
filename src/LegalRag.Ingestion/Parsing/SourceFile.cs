using LegalRag.Core.Domain;

namespace LegalRag.Ingestion.Parsing;

/// <summary>One input file, read once into memory (size-limited before reading).</summary>
public sealed class SourceFile
{
    public SourceFile(string fullPath, string relativePath, byte[] bytes)
    {
        FullPath = fullPath;
        RelativePath = relativePath.Replace('\\', '/');
        Bytes = bytes;
        ContentHash = Hashing.Sha256Hex(bytes);
        Extension = Path.GetExtension(fullPath).ToLowerInvariant();
    }

    public string FullPath { get; }
    /// <summary>Path relative to the ingested root, '/'-separated: the document's identity in its corpus.</summary>
    public string RelativePath { get; }
    public byte[] Bytes { get; }
    public string ContentHash { get; }
    /// <summary>Lowercase extension with the dot: ".md".</summary>
    public string Extension { get; }

    public bool StartsWith(ReadOnlySpan<byte> magic) => Bytes.AsSpan().StartsWith(magic);
}

/// <summary>Explicit limits against hostile or accidental input.</summary>
public sealed record IngestionLimits
{
    /// <summary>Files above this size are rejected before they are read.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Total uncompressed size allowed inside a DOCX (zip bomb guard).</summary>
    public long MaxUncompressedBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>Largest compression ratio accepted for one zip entry (zip bomb guard).</summary>
    public double MaxCompressionRatio { get; init; } = 200;
    /// <summary>Pages of a PDF beyond this are not read.</summary>
    public int MaxPdfPages { get; init; } = 2000;
    /// <summary>Wall-clock limit for one external tool run (pdftotext, tesseract).</summary>
    public TimeSpan ToolTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Deepest element nesting accepted in XML and HTML.</summary>
    public int MaxXmlDepth { get; init; } = 256;
}

/// <summary>What a parser knows beyond the file itself.</summary>
/// <param name="Corpus">The corpus being ingested.</param>
/// <param name="Language">Default language ("de", "fr", "nl"); a document may state its own.</param>
/// <param name="ActTitle">Act title for formats that do not state it (one file per article).</param>
/// <param name="ActAbbreviation">Official abbreviation for the same case.</param>
public sealed record ParseContext(string Corpus, string Language, string? ActTitle, string? ActAbbreviation, IngestionLimits Limits)
{
    public static ParseContext For(string corpus, string language) => new(corpus, language, null, null, new IngestionLimits());
}
