namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>Which library reads the text layer of a PDF. Scanned pages go to OCR (pdftoppm + tesseract) either way.</summary>
public enum PdfTextEngine
{
    /// <summary>PdfPig, in process: lines are built from letters with their font, so bold and larger headings are known.</summary>
    PdfPig,
    /// <summary>poppler's pdfinfo and pdftotext -tsv, run as processes: words and blocks, no fonts.</summary>
    Poppler,
}

/// <summary>What a text-layer reader found: the page count of the file, encryption, the metadata title and the pages read.</summary>
/// <param name="Pages">One entry per page read (the first <c>MaxPdfPages</c>), empty where the page has no text layer.</param>
internal sealed record PdfTextLayer(int PageCount, bool Encrypted, string? Title, List<PdfPage> Pages);

/// <summary>Reads the text layer of the PDF at <c>pdfPath</c> (whose bytes are <c>bytes</c>), at most <c>maxPages</c> pages.</summary>
internal interface IPdfTextLayerReader
{
    /// <summary>Whether the reader needs the PDF written to a file (the poppler tools read files).</summary>
    bool NeedsFile { get; }

    Task<PdfTextLayer> ReadAsync(string pdfPath, byte[] bytes, int maxPages, TimeSpan toolTimeout, List<string> warnings,
        CancellationToken cancellationToken);
}

/// <summary>Checks both readers make before reading.</summary>
internal static class PdfChecks
{
    /// <summary>
    /// Readers repair a PDF cut short (they rebuild the cross-reference table) and read what is left; the missing
    /// end would lose text silently, so a file without its end marker is refused.
    /// </summary>
    public static void RequireEndMarker(byte[] bytes, string? detail = null)
    {
        if (bytes.AsSpan(Math.Max(0, bytes.Length - 1024)).IndexOf("%%EOF"u8) < 0)
            throw new Parsing.DocumentRejectedException($"the PDF is truncated or damaged: {(string.IsNullOrEmpty(detail) ? "no %%EOF marker at the end of the file" : detail)}");
    }

    public const string NeedsPassword = "the PDF is encrypted (it needs a password to open)";
    public const string CopyForbidden = "the PDF is encrypted and its permissions forbid copying text";
    public const string EncryptedWarning = "the PDF is encrypted without a password to open it; its text was extracted";
}
