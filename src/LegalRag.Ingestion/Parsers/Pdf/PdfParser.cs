using System.Globalization;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// Reads PDFs. The text layer comes from PdfPig (the default: lines built from letters, with font size and weight)
/// or from poppler's pdftotext (<see cref="PdfTextEngine"/>). Pages without a usable text layer (scans, text drawn
/// as outlines, fonts whose encoding maps to garbage) are rendered with <c>pdftoppm</c> and read by
/// <c>tesseract</c>. Running headers and footers are removed, headings are recognised from the text and, where
/// known, the font (<see cref="PdfTextAssembler"/>), and every paragraph keeps the 1-based page of the PDF file it
/// starts on (the physical page a viewer opens, not a printed page label).
/// </summary>
public sealed partial class PdfParser(PdfTools? tools = null, int ocrDpi = 300, PdfTextEngine textEngine = PdfTextEngine.PdfPig) : IDocumentParser
{
    /// <summary>Pages with fewer words than this in their text layer are treated as scanned and OCR'd.</summary>
    public const int MinWordsForTextLayer = 5;

    private readonly PdfTools _tools = tools ?? PdfTools.Default;

    public PdfTextEngine TextEngine => textEngine;

    public string Format => "pdf";

    public bool CanParse(SourceFile file) => HasPdfHeader(file.Bytes) || file.Extension == ".pdf";

    /// <summary>"%PDF-" within the first 1024 bytes, where readers accept it.</summary>
    public static bool HasPdfHeader(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, 1024)].IndexOf("%PDF-"u8) >= 0;

    public async Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await ParseCoreAsync(file, context, cancellationToken).ConfigureAwait(false);
        }
        catch (DocumentRejectedException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ExternalToolException ex)
        {
            throw new DocumentRejectedException(ex.Message, ex);
        }
        catch (Exception ex)
        {
            throw new DocumentRejectedException($"the PDF could not be read: {ex.Message}", ex);
        }
    }

    private async Task<LegalDocument> ParseCoreAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        if (file.Bytes.Length == 0) throw new DocumentRejectedException("the file is empty");
        if (!HasPdfHeader(file.Bytes)) throw new DocumentRejectedException("not a PDF (no %PDF- header)");

        var limits = context.Limits;
        var warnings = new List<string>();
        IPdfTextLayerReader reader = textEngine == PdfTextEngine.Poppler ? new PopplerTextLayer(_tools) : new PdfPigTextLayer();
        DirectoryInfo? workDirectory = null;
        try
        {
            // The tools read files; the bytes in memory are what was hashed, so write exactly those.
            async Task<string> WriteFileAsync()
            {
                workDirectory ??= Directory.CreateTempSubdirectory("legalrag-pdf-");
                var path = Path.Combine(workDirectory.FullName, "input.pdf");
                if (!File.Exists(path)) await File.WriteAllBytesAsync(path, file.Bytes, cancellationToken).ConfigureAwait(false);
                return path;
            }

            var pdfPath = reader.NeedsFile ? await WriteFileAsync().ConfigureAwait(false) : "";
            var layer = await reader.ReadAsync(pdfPath, file.Bytes, limits.MaxPdfPages, limits.ToolTimeout, warnings, cancellationToken).ConfigureAwait(false);
            if (layer.Encrypted) warnings.Add(PdfChecks.EncryptedWarning);
            if (layer.PageCount > limits.MaxPdfPages)
                warnings.Add($"the PDF has {layer.PageCount} pages; only the first {limits.MaxPdfPages} were read (limit MaxPdfPages)");
            var pages = layer.Pages;
            if (pages.Count == 0) throw new DocumentRejectedException("the PDF has no pages");

            var needOcr = pages.Where(p => NeedsOcr(p) is not null).ToList();
            if (needOcr.Count > 0)
            {
                var ocrPath = await WriteFileAsync().ConfigureAwait(false);
                await RecognizeAsync(ocrPath, workDirectory!.FullName, pages, needOcr, context, warnings, cancellationToken).ConfigureAwait(false);
            }

            if (pages.All(p => p.Lines.Count == 0))
                throw new DocumentRejectedException(needOcr.Count > 0
                    ? $"no text could be extracted: the PDF has no text layer and OCR recognised no text{(warnings.Count > 0 ? $" ({string.Join("; ", warnings)})" : "")}"
                    : "no text could be extracted: the PDF's pages are empty");

            RunningLines.Remove(pages);
            var (title, abbreviation) = ChooseNames(file, context, pages, layer.Title);
            var builder = new StructureBuilder(context.Corpus, context.Language, abbreviation ?? title);
            PdfTextAssembler.Feed(PdfTextAssembler.Assemble(pages), builder);
            return new LegalDocument
            {
                SourcePath = file.RelativePath,
                ContentHash = file.ContentHash,
                Language = context.Language,
                Title = title,
                Abbreviation = abbreviation,
                Format = Format,
                Provisions = builder.Build(),
                Warnings = warnings,
            };
        }
        finally
        {
            if (workDirectory is not null) TryDelete(workDirectory);
        }
    }

    private async Task RecognizeAsync(string pdfPath, string workDirectory, List<PdfPage> pages, List<PdfPage> needOcr,
        ParseContext context, List<string> warnings, CancellationToken cancellationToken)
    {
        var ocr = new PdfOcr(_tools, ocrDpi);
        var result = await ocr.RecognizeAsync(pdfPath, workDirectory, needOcr.Select(p => p.Number).ToList(), context.Language,
            context.Limits.ToolTimeout, cancellationToken).ConfigureAwait(false);
        warnings.AddRange(result.Warnings);
        var used = new List<int>();
        foreach (var recognised in result.Pages)
        {
            var index = recognised.Number - 1;
            // Keep the text layer when OCR found less in it (a page that is blank, or nearly so, on paper too).
            if (recognised.WordCount <= pages[index].WordCount && NeedsOcr(pages[index]) != GarbledReason) continue;
            pages[index] = recognised;
            used.Add(recognised.Number);
        }
        if (used.Count > 0)
        {
            var reasons = needOcr.Where(p => used.Contains(p.Number)).Select(NeedsOcr).Distinct().ToList();
            warnings.Add($"text of page(s) {PageList.Format(used)} recognised by OCR (tesseract, {result.Language}: {string.Join("; ", reasons)}); it may contain recognition errors");
        }
    }

    private const string NoTextReason = "no text layer";
    private const string GarbledReason = "text layer unreadable (broken font encoding)";

    /// <summary>Why a page's text layer cannot be used, or null when it can.</summary>
    private static string? NeedsOcr(PdfPage page)
    {
        if (page.FromOcr) return null;
        if (page.WordCount < MinWordsForTextLayer) return NoTextReason;
        return LooksGarbled(page) ? GarbledReason : null;
    }

    /// <summary>
    /// Fonts without a usable Unicode map yield shifted or scrambled letters ("1DPHGHV98" for "Name des VU") or, as
    /// PdfPig reads some of them, punctuation ("! "#$%&' ( )*'+"). Vowels make up 33–40 % of the letters of German,
    /// French, Dutch or English text, capitals or not; such garbage has far fewer (about 15–20 % in the gazette's
    /// broken forms), so a page below 25 % is unreadable. So is a page where letters and digits are under half of
    /// what is printed (real text, even a table of figures, is mostly letters and digits), and one where letters and
    /// digits alternate within words ("0L90", "KZ0L8": a font whose codes were read as digits), which real words,
    /// numbers and designations like "5a" or "C1" hardly ever do.
    /// </summary>
    internal static bool LooksGarbled(PdfPage page)
    {
        var letters = 0;
        var vowels = 0;
        var printed = 0;
        var alphanumeric = 0;
        var words = 0;
        var jumbled = 0;
        foreach (var line in page.Lines)
        {
            foreach (var word in line.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!word.Any(char.IsLetter)) continue;
                words++;
                if (AlternatesLettersAndDigits(word)) jumbled++;
            }
            foreach (var c in line.Text)
            {
                if (char.IsWhiteSpace(c)) continue;
                printed++;
                if (char.IsDigit(c)) alphanumeric++;
                if (!char.IsLetter(c)) continue;
                alphanumeric++;
                letters++;
                if ("aeiouyäöüéèêëàâîïôûAEIOUYÄÖÜÉÈÊËÀÂÎÏÔÛ".Contains(c)) vowels++;
            }
        }
        return (letters >= 100 && vowels < letters * 0.25) || (printed >= 50 && alphanumeric < printed * 0.5)
               || (jumbled >= 10 && jumbled >= words * 0.2);
    }

    /// <summary>A letter followed by a digit and a digit followed by a letter within one word: "0L90", not "5a" or "A4".</summary>
    private static bool AlternatesLettersAndDigits(string word)
    {
        bool letterThenDigit = false, digitThenLetter = false;
        for (var i = 1; i < word.Length; i++)
        {
            if (char.IsLetter(word[i - 1]) && char.IsDigit(word[i])) letterThenDigit = true;
            if (char.IsDigit(word[i - 1]) && char.IsLetter(word[i])) digitThenLetter = true;
        }
        return letterThenDigit && digitThenLetter;
    }

    private static (string Title, string? Abbreviation) ChooseNames(SourceFile file, ParseContext context, IReadOnlyList<PdfPage> pages, string? metadataTitle)
    {
        var stem = Path.GetFileNameWithoutExtension(file.RelativePath);
        var firstLines = pages.FirstOrDefault(p => p.Lines.Count > 0)?.Lines.Take(8).Select(l => l.Text).ToList() ?? [];
        var found = ActNames.FindTitleWithAbbreviation(firstLines);
        var title = context.ActTitle ?? found?.Title ?? MeaningfulMetadataTitle(metadataTitle) ?? stem;
        var abbreviation = context.ActAbbreviation ?? found?.Abbreviation ?? ActNames.AcronymInFileName(stem);
        return (title, abbreviation);
    }

    [GeneratedRegex(@"tmp|indd|\.pdf|_pdf|eps|qxp|^Layout \d|^Microsoft Word|^untitled|_|:|/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ToolGeneratedTitle();

    /// <summary>PDF metadata titles are mostly leftovers of the producing tool ("783583_v2_indd", "tmp-9888"); keep real ones.</summary>
    private static string? MeaningfulMetadataTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return null;
        var t = Whitespace.Collapse(title);
        return t.Split(' ').Count(w => w.Count(char.IsLetter) >= 3) >= 2 && !ToolGeneratedTitle().IsMatch(t) ? t : null;
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the document for it would not be.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
