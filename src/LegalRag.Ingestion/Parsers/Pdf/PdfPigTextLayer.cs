using LegalRag.Ingestion.Parsing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Tokens;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// The text layer by PdfPig, in process: each page's letters, with position, size and font, become lines and
/// blocks (<see cref="LetterLines"/>). A page PdfPig cannot interpret is left empty with a warning, so it goes to
/// OCR like a scan; a document it cannot open at all is rejected with the reason.
/// </summary>
internal sealed class PdfPigTextLayer : IPdfTextLayerReader
{
    /// <summary>Standard security handler permission bit 5: copy or otherwise extract text and graphics.</summary>
    private const int CopyPermission = 1 << 4;

    /// <summary>A dense A4 page of 6-point text has about 20,000 characters.</summary>
    public const int MaxLettersPerPage = 100_000;

    public bool NeedsFile => false;

    public Task<PdfTextLayer> ReadAsync(string pdfPath, byte[] bytes, int maxPages, TimeSpan toolTimeout, List<string> warnings,
        CancellationToken cancellationToken)
    {
        PdfChecks.RequireEndMarker(bytes);
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(bytes);
        }
        catch (PdfDocumentEncryptedException)
        {
            throw new DocumentRejectedException(PdfChecks.NeedsPassword);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DocumentRejectedException($"the PDF is truncated or damaged: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.IsEncrypted && !AllowsCopying(document)) throw new DocumentRejectedException(PdfChecks.CopyForbidden);
            var pageCount = document.NumberOfPages;
            var pages = new List<PdfPage>(Math.Min(pageCount, maxPages));
            var failed = new List<(int Page, string Reason)>();
            var contentSizes = PdfPageContentBudget.PageContentSizes(document);
            var oversized = new List<int>();
            for (var number = 1; number <= Math.Min(pageCount, maxPages); number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (contentSizes is not null && number <= contentSizes.Count && contentSizes[number - 1] > PdfPageContentBudget.MaxPageContentBytes)
                {
                    // Too big to interpret safely in process; the page goes to OCR like a scan, where poppler
                    // renders it in its own process under a time limit.
                    oversized.Add(number);
                    pages.Add(new PdfPage(number, 0));
                    continue;
                }
                try
                {
                    var page = document.GetPage(number);
                    // Line building compares letters and segments that overlap; a page drawing the same lines over
                    // and over (a hostile or broken content stream: the fuzzer's had two million letters) would take
                    // minutes and gigabytes. No printed page holds anywhere near this many.
                    if (page.Letters.Count > MaxLettersPerPage)
                        throw new DocumentRejectedException(
                            $"page {number} of the PDF draws {page.Letters.Count:N0} characters, more than any printed page holds ({MaxLettersPerPage:N0}); the PDF is damaged or hostile");
                    pages.Add(new PdfPage(number, page.Height) { Lines = LetterLines.Build(Glyphs(page), page.Height) });
                }
                catch (DocumentRejectedException)
                {
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One page PdfPig cannot interpret (a broken content stream or font) should not cost the others.
                    failed.Add((number, ex.Message));
                    pages.Add(new PdfPage(number, 0));
                }
            }
            if (oversized.Count > 0)
                warnings.Add($"page(s) {PageList.Format(oversized)} of the PDF hold more than {PdfPageContentBudget.MaxPageContentBytes / (1024 * 1024)} MB of drawing instructions, more than any printed page of text needs; their text layer was not read and they were treated as scans");
            if (failed.Count > 0)
                warnings.Add($"PdfPig could not read the text of page(s) {PageList.Format(failed.Select(f => f.Page))} (first: {failed[0].Reason}); they were treated as scans");
            var title = document.Information.Title;
            return Task.FromResult(new PdfTextLayer(pageCount, document.IsEncrypted, title, pages));
        }
    }

    /// <summary>Whether the encryption dictionary's permissions (/P) allow copying text; unreadable permissions allow it, as poppler does.</summary>
    private static bool AllowsCopying(PdfDocument document)
    {
        var token = document.Structure.Trailer.EncryptionToken;
        if (token is IndirectReferenceToken reference) token = document.Structure.GetObject(reference.Data).Data;
        if (token is not DictionaryToken dictionary || !dictionary.TryGet(NameToken.P, out var p) || p is not NumericToken permissions)
            return true;
        return (permissions.Int & CopyPermission) != 0;
    }

    private static IEnumerable<Glyph> Glyphs(Page page)
    {
        foreach (var letter in page.Letters)
        {
            var box = letter.BoundingBox;
            yield return new Glyph(
                letter.Value,
                letter.StartBaseLine.X, letter.StartBaseLine.Y, letter.EndBaseLine.X, letter.EndBaseLine.Y,
                Math.Min(Math.Min(box.BottomLeft.Y, box.BottomRight.Y), Math.Min(box.TopLeft.Y, box.TopRight.Y)),
                Math.Max(Math.Max(box.BottomLeft.Y, box.BottomRight.Y), Math.Max(box.TopLeft.Y, box.TopRight.Y)),
                letter.PointSize,
                IsBold(letter));
        }
    }

    private static readonly string[] BoldNameParts = ["Bold", "Black", "Heavy", "Semibold", "SemiBold", "Demi", "Fett"];

    /// <summary>The font descriptor's flag or weight, or a weight in the font's name ("DejaVuSansCondensed-Bold").</summary>
    private static bool IsBold(Letter letter)
    {
        if (letter.FontDetails is { IsBold: true }) return true;
        var name = letter.FontName ?? "";
        return BoldNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
    }
}
