using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>The command-line tools the PDF parser runs. Tests substitute missing tools to check the messages.</summary>
public sealed record PdfTools(ExternalTool PdfInfo, ExternalTool PdfToText, ExternalTool PdfToPpm, ExternalTool Tesseract)
{
    public static PdfTools Default { get; } = new(
        new ExternalTool("pdfinfo", "poppler-utils"),
        new ExternalTool("pdftotext", "poppler-utils"),
        new ExternalTool("pdftoppm", "poppler-utils"),
        new ExternalTool("tesseract", "tesseract-ocr"));
}

/// <summary>
/// Recognises the text of scanned pages: each page is rendered to a greyscale PNG with pdftoppm and read
/// by tesseract, whose word TSV goes through the same line and block grouping as the text layer. Pages
/// run in parallel, one tesseract thread each (OMP_THREAD_LIMIT=1): on few cores that beats letting every
/// tesseract spawn its own OpenMP threads. Failures become warnings, never a rejected document.
/// </summary>
internal sealed class PdfOcr(PdfTools tools, int dpi)
{
    /// <summary>Words tesseract is less sure of than this (0–100) are dropped: rules and boxes of forms come out as such noise.</summary>
    public const double MinWordConfidence = 30;

    private static readonly ConcurrentDictionary<string, Task<IReadOnlySet<string>>> InstalledLanguagesByTool = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> TesseractLanguages = new(StringComparer.Ordinal)
    {
        ["de"] = "deu", ["fr"] = "fra", ["nl"] = "nld", ["en"] = "eng", ["it"] = "ita", ["es"] = "spa",
        ["pt"] = "por", ["pl"] = "pol", ["da"] = "dan", ["sv"] = "swe", ["fi"] = "fin", ["cs"] = "ces", ["lb"] = "ltz",
    };

    public sealed record Result(IReadOnlyList<PdfPage> Pages, IReadOnlyList<string> Warnings, string? Language);

    public async Task<Result> RecognizeAsync(string pdfPath, string workDirectory, IReadOnlyList<int> pageNumbers, string language,
        TimeSpan toolTimeout, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        IReadOnlySet<string> installed;
        try
        {
            installed = await InstalledLanguagesAsync(toolTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException ex)
        {
            warnings.Add($"{Pages(pageNumbers)} no text layer and could not be recognised: {ex.Message}");
            return new Result([], warnings, null);
        }

        var ocrLanguage = ChooseLanguage(language, installed, warnings);
        if (ocrLanguage is null)
        {
            warnings.Add($"{Pages(pageNumbers)} no text layer and could not be recognised: tesseract has no language data installed (Debian package tesseract-ocr-{Wanted(language)})");
            return new Result([], warnings, null);
        }

        var pages = new ConcurrentBag<PdfPage>();
        var failures = new ConcurrentBag<(int Page, string Reason)>();
        var missingTool = (string?)null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(pageNumbers, options, async (pageNumber, ct) =>
        {
            if (Volatile.Read(ref missingTool) is not null) return;
            try
            {
                pages.Add(await RecognizePageAsync(pdfPath, workDirectory, pageNumber, ocrLanguage, toolTimeout, ct).ConfigureAwait(false));
            }
            catch (ExternalToolNotFoundException ex)
            {
                Interlocked.CompareExchange(ref missingTool, ex.Message, null);
            }
            catch (ExternalToolException ex)
            {
                failures.Add((pageNumber, ex.Message));
            }
        }).ConfigureAwait(false);

        if (missingTool is not null)
            warnings.Add($"{Pages(pageNumbers)} no text layer and could not be recognised: {missingTool}");
        foreach (var (page, reason) in failures.OrderBy(f => f.Page))
            warnings.Add($"OCR failed on page {page}: {reason}");
        return new Result(pages.OrderBy(p => p.Number).ToList(), warnings, ocrLanguage);
    }

    private async Task<PdfPage> RecognizePageAsync(string pdfPath, string workDirectory, int pageNumber, string ocrLanguage,
        TimeSpan toolTimeout, CancellationToken cancellationToken)
    {
        var imagePrefix = Path.Combine(workDirectory, $"page-{pageNumber}");
        var page = pageNumber.ToString(CultureInfo.InvariantCulture);
        var render = await tools.PdfToPpm.RunAsync(
            ["-f", page, "-l", page, "-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-png", "-singlefile", pdfPath, imagePrefix],
            toolTimeout, cancellationToken).ConfigureAwait(false);
        var image = imagePrefix + ".png";
        try
        {
            if (render.ExitCode != 0 || !File.Exists(image))
                throw new ExternalToolException($"pdftoppm could not render the page (exit {render.ExitCode}: {render.FirstErrorLine})");
            var ocr = await tools.Tesseract.RunAsync(
                [image, "stdout", "-l", ocrLanguage, "--psm", "3", "tsv"],
                toolTimeout, cancellationToken, new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" }).ConfigureAwait(false);
            if (ocr.ExitCode != 0)
                throw new ExternalToolException($"tesseract failed (exit {ocr.ExitCode}: {ocr.FirstErrorLine})");
            var recognised = LayoutTsv.ParseTesseract(ocr.StandardOutput, pageNumber, MinWordConfidence);
            recognised.Lines = recognised.Lines.Select(l => l with { Text = OcrCorrections.SectionSign(l.Text) }).ToList();
            return recognised;
        }
        finally
        {
            File.Delete(image);
        }
    }

    private async Task<IReadOnlySet<string>> InstalledLanguagesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = tools.Tesseract.Executable;
        var task = InstalledLanguagesByTool.GetOrAdd(key, _ => ListLanguagesAsync(timeout));
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException)
        {
            // Not cached: tesseract may be installed before the next document.
            InstalledLanguagesByTool.TryRemove(KeyValuePair.Create(key, task));
            throw;
        }
    }

    private async Task<IReadOnlySet<string>> ListLanguagesAsync(TimeSpan timeout)
    {
        var run = await tools.Tesseract.RunAsync(["--list-langs"], timeout, CancellationToken.None).ConfigureAwait(false);
        // tesseract 4 writes the list to stderr, 5 to stdout; the first line is a caption.
        return (run.StandardOutput + "\n" + run.StandardError)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Contains(' ') && !l.Contains(':'))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string Wanted(string language)
    {
        var code = Core.Citations.CitationFormatter.NormalizeLanguage(language);
        return TesseractLanguages.GetValueOrDefault(code, code.Length == 3 ? code : "eng");
    }

    /// <summary>The document's language if its pack is installed, else English, else any installed pack.</summary>
    private static string? ChooseLanguage(string language, IReadOnlySet<string> installed, List<string> warnings)
    {
        var wanted = Wanted(language);
        if (installed.Contains(wanted)) return wanted;
        var fallback = installed.Contains("eng") ? "eng" : installed.Where(l => l != "osd").Order(StringComparer.Ordinal).FirstOrDefault();
        if (fallback is not null)
            warnings.Add($"OCR language pack '{wanted}' is not installed (Debian package tesseract-ocr-{wanted}); scanned pages were recognised with '{fallback}'");
        return fallback;
    }

    private static string Pages(IReadOnlyList<int> pages) =>
        pages.Count == 1 ? $"page {pages[0]} has" : $"pages {PageList.Format(pages)} have";
}

/// <summary>Repairs of systematic OCR misreadings that matter for structure.</summary>
internal static partial class OcrCorrections
{
    [GeneratedRegex(@"^(?<sign>88|SS|\$\$|8|S|\$)\s+(?<rest>\d{1,4}[a-z]?\s+(?:\p{Lu}|\()\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex MisreadSectionSign();

    /// <summary>
    /// tesseract reads the section sign of common fonts as "8" (or "S", "$"): "8 3 Mietminderung". A line that
    /// becomes a provision heading when the sign is restored gets it back; anything else is left alone.
    /// </summary>
    public static string SectionSign(string line)
    {
        var m = MisreadSectionSign().Match(line);
        if (!m.Success) return line;
        var repaired = (m.Groups["sign"].Value.Length == 2 ? "§§ " : "§ ") + m.Groups["rest"].Value;
        return Common.HeadingLines.IsProvisionHeading(repaired) ? repaired : line;
    }
}

/// <summary>Page lists for messages: "1, 3–5, 9".</summary>
internal static class PageList
{
    public static string Format(IEnumerable<int> pages)
    {
        var sorted = pages.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : $"{sorted[i]}–{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}
