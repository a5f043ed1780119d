using System.Globalization;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// Reads PDFs with Debian's poppler tools: <c>pdfinfo</c> for page count and encryption, <c>pdftotext -tsv</c>
/// for the text layer with page numbers and layout blocks. Pages without a usable text layer (scans, text
/// drawn as outlines, fonts whose encoding maps to garbage) are rendered with <c>pdftoppm</c> and read by
/// <c>tesseract</c>. Running headers and footers are removed, headings are recognised from the text
/// (<see cref="PdfTextAssembler"/>) and every paragraph keeps the 1-based page of the PDF file it starts on
/// (the physical page a viewer opens, not a printed page label).
/// </summary>
public sealed partial class PdfParser(PdfTools? tools = null, int ocrDpi = 300) : IDocumentParser
{
    /// <summary>Pages with fewer words than this in their text layer are treated as scanned and OCR'd.</summary>
    public const int MinWordsForTextLayer = 5;

    private readonly PdfTools _tools = tools ?? PdfTools.Default;

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
        var workDirectory = Directory.CreateTempSubdirectory("legalrag-pdf-");
        try
        {
            // The tools read files; the bytes in memory are what was hashed, so write exactly those.
            var pdfPath = Path.Combine(workDirectory.FullName, "input.pdf");
            await File.WriteAllBytesAsync(pdfPath, file.Bytes, cancellationToken).ConfigureAwait(false);

            var info = await ReadInfoAsync(pdfPath, file.Bytes, limits.ToolTimeout, cancellationToken).ConfigureAwait(false);
            if (info.Encrypted) warnings.Add("the PDF is encrypted without a password to open it; its text was extracted");
            var pageCount = Math.Min(info.Pages, limits.MaxPdfPages);
            if (info.Pages > limits.MaxPdfPages)
                warnings.Add($"the PDF has {info.Pages} pages; only the first {limits.MaxPdfPages} were read (limit MaxPdfPages)");
            if (pageCount == 0) throw new DocumentRejectedException("the PDF has no pages");

            var pages = await ReadTextLayerAsync(pdfPath, pageCount, limits.ToolTimeout, warnings, cancellationToken).ConfigureAwait(false);

            var needOcr = pages.Where(p => NeedsOcr(p) is not null).ToList();
            if (needOcr.Count > 0)
                await RecognizeAsync(pdfPath, workDirectory.FullName, pages, needOcr, context, warnings, cancellationToken).ConfigureAwait(false);

            if (pages.All(p => p.Lines.Count == 0))
                throw new DocumentRejectedException(needOcr.Count > 0
                    ? $"no text could be extracted: the PDF has no text layer and OCR recognised no text{(warnings.Count > 0 ? $" ({string.Join("; ", warnings)})" : "")}"
                    : "no text could be extracted: the PDF's pages are empty");

            RunningLines.Remove(pages);
            var (title, abbreviation) = ChooseNames(file, context, pages, info.Title);
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
            TryDelete(workDirectory);
        }
    }

    private sealed record PdfInfo(int Pages, bool Encrypted, string? Title);

    [GeneratedRegex(@"^(?<key>[A-Za-z ]+):\s*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex InfoLine();

    private async Task<PdfInfo> ReadInfoAsync(string pdfPath, byte[] bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var run = await _tools.PdfInfo.RunAsync(["-enc", "UTF-8", pdfPath], timeout, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0) throw Rejection(run);

        // poppler repairs a PDF cut short (it rebuilds the cross-reference table) and reads what is left;
        // the missing end would lose text silently, so a file without its end marker is refused.
        if (bytes.AsSpan(Math.Max(0, bytes.Length - 1024)).IndexOf("%%EOF"u8) < 0)
        {
            var detail = run.FirstErrorLine.Length > 0 ? run.FirstErrorLine : "no %%EOF marker at the end of the file";
            throw new DocumentRejectedException($"the PDF is truncated or damaged: {detail}");
        }

        var fields = InfoLine().Matches(run.StandardOutput)
            .GroupBy(m => m.Groups["key"].Value.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value.Trim(), StringComparer.Ordinal);
        var pages = int.TryParse(fields.GetValueOrDefault("Pages"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var encrypted = fields.GetValueOrDefault("Encrypted", "no").StartsWith("yes", StringComparison.Ordinal);
        if (encrypted && fields.GetValueOrDefault("Encrypted", "").Contains("copy:no", StringComparison.Ordinal))
            throw new DocumentRejectedException("the PDF is encrypted and its permissions forbid copying text");
        return new PdfInfo(pages, encrypted, fields.GetValueOrDefault("Title"));
    }

    /// <summary>The reason a poppler tool refused the file, in words a person can act on.</summary>
    private static DocumentRejectedException Rejection(ToolRun run)
    {
        var message = run.FirstErrorLine;
        if (message.Contains("password", StringComparison.OrdinalIgnoreCase))
            return new DocumentRejectedException("the PDF is encrypted (it needs a password to open)");
        if (run.ExitCode == 3 || message.Contains("not allowed", StringComparison.OrdinalIgnoreCase))
            return new DocumentRejectedException("the PDF is encrypted and its permissions forbid copying text");
        return new DocumentRejectedException($"the PDF is truncated or damaged: {(message.Length > 0 ? message : $"exit code {run.ExitCode}")}");
    }

    private async Task<List<PdfPage>> ReadTextLayerAsync(string pdfPath, int pageCount, TimeSpan timeout, List<string> warnings,
        CancellationToken cancellationToken)
    {
        var run = await _tools.PdfToText.RunAsync(
            ["-tsv", "-enc", "UTF-8", "-f", "1", "-l", pageCount.ToString(CultureInfo.InvariantCulture), pdfPath, "-"],
            timeout, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0) throw Rejection(run);
        var problems = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (problems.Length > 0)
            warnings.Add($"pdftotext reported {problems.Length} problem(s), first: {problems[0]}");

        var parsed = LayoutTsv.ParsePdfToText(run.StandardOutput).ToDictionary(p => p.Number);
        // Every page gets an entry, even one pdftotext reported nothing for, so it can be OCR'd.
        return Enumerable.Range(1, pageCount).Select(n => parsed.GetValueOrDefault(n) ?? new PdfPage(n, 0)).ToList();
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
    /// Fonts without a usable Unicode map yield shifted or scrambled letters ("1DPHGHV98" for "Name des VU").
    /// Vowels make up 33–40 % of the letters of German, French, Dutch or English text, capitals or not; such
    /// garbage has far fewer (about 15–20 % in the gazette's broken forms), so a page below 25 % is unreadable.
    /// </summary>
    internal static bool LooksGarbled(PdfPage page)
    {
        var letters = 0;
        var vowels = 0;
        foreach (var line in page.Lines)
        {
            foreach (var c in line.Text)
            {
                if (!char.IsLetter(c)) continue;
                letters++;
                if ("aeiouyäöüéèêëàâîïôûAEIOUYÄÖÜÉÈÊËÀÂÎÏÔÛ".Contains(c)) vowels++;
            }
        }
        return letters >= 100 && vowels < letters * 0.25;
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
