using System.Globalization;
using System.Text.RegularExpressions;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// The text layer by poppler: <c>pdfinfo</c> for page count and encryption, <c>pdftotext -tsv</c> for words with
/// their page, block and box. It knows no fonts, so headings are recognised from the text and line heights alone.
/// </summary>
internal sealed partial class PopplerTextLayer(PdfTools tools) : IPdfTextLayerReader
{
    public bool NeedsFile => true;

    private sealed record PdfInfo(int Pages, bool Encrypted, string? Title);

    [GeneratedRegex(@"^(?<key>[A-Za-z ]+):\s*(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex InfoLine();

    public async Task<PdfTextLayer> ReadAsync(string pdfPath, byte[] bytes, int maxPages, TimeSpan toolTimeout, List<string> warnings,
        CancellationToken cancellationToken)
    {
        var info = await ReadInfoAsync(pdfPath, bytes, toolTimeout, cancellationToken).ConfigureAwait(false);
        var pageCount = Math.Min(info.Pages, maxPages);
        var pages = pageCount == 0 ? [] : await ReadPagesAsync(pdfPath, pageCount, toolTimeout, warnings, cancellationToken).ConfigureAwait(false);
        return new PdfTextLayer(info.Pages, info.Encrypted, info.Title, pages);
    }

    private async Task<PdfInfo> ReadInfoAsync(string pdfPath, byte[] bytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var run = await tools.PdfInfo.RunAsync(["-enc", "UTF-8", pdfPath], timeout, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0) throw Rejection(run);
        PdfChecks.RequireEndMarker(bytes, run.FirstErrorLine);

        var fields = InfoLine().Matches(run.StandardOutput)
            .GroupBy(m => m.Groups["key"].Value.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value.Trim(), StringComparer.Ordinal);
        var pages = int.TryParse(fields.GetValueOrDefault("Pages"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var encrypted = fields.GetValueOrDefault("Encrypted", "no").StartsWith("yes", StringComparison.Ordinal);
        if (encrypted && fields.GetValueOrDefault("Encrypted", "").Contains("copy:no", StringComparison.Ordinal))
            throw new DocumentRejectedException(PdfChecks.CopyForbidden);
        return new PdfInfo(pages, encrypted, fields.GetValueOrDefault("Title"));
    }

    /// <summary>The reason a poppler tool refused the file, in words a person can act on.</summary>
    private static DocumentRejectedException Rejection(ToolRun run)
    {
        var message = run.FirstErrorLine;
        if (message.Contains("password", StringComparison.OrdinalIgnoreCase))
            return new DocumentRejectedException(PdfChecks.NeedsPassword);
        if (run.ExitCode == 3 || message.Contains("not allowed", StringComparison.OrdinalIgnoreCase))
            return new DocumentRejectedException(PdfChecks.CopyForbidden);
        return new DocumentRejectedException($"the PDF is truncated or damaged: {(message.Length > 0 ? message : $"exit code {run.ExitCode}")}");
    }

    private async Task<List<PdfPage>> ReadPagesAsync(string pdfPath, int pageCount, TimeSpan timeout, List<string> warnings,
        CancellationToken cancellationToken)
    {
        var run = await tools.PdfToText.RunAsync(
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
}
