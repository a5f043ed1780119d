using System.Diagnostics;
using System.Globalization;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Pdf;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

// Compares the PDF text-layer engines (PdfPig, poppler) on a statute PDF against its GII XML, and on a folder of PDFs.
//   dotnet run -c Release --project tools/pdf-compare -- statute <pdf> <gii.xml> [runs]
//   dotnet run -c Release --project tools/pdf-compare -- folder <dir>
// Timings are wall-clock medians over the runs, after one warm-up parse per engine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
var engines = new[] { PdfTextEngine.PdfPig, PdfTextEngine.Poppler };

if (args.Length >= 3 && args[0] == "statute")
{
    var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
    var pdf = await Load(args[1]);
    var reference = GiiNorms(args[2]);
    var pages = PageCount(args[1]);
    Console.WriteLine($"{Path.GetFileName(args[1])}: {pages} pages; XML {Path.GetFileName(args[2])}: {reference.Count} § norms");
    Console.WriteLine("| engine | provisions | in XML | § heading = XML | not in XML | XML § in PDF range missing | median s | pages/s |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    // Runs alternate between the engines, so a change in the machine's load hits both alike.
    var context = ParseContext.For("compare", "de");
    var parsers = engines.ToDictionary(e => e, e => new PdfParser(textEngine: e));
    var times = engines.ToDictionary(e => e, _ => new List<double>());
    var documents = new Dictionary<PdfTextEngine, LegalDocument>();
    foreach (var engine in engines) await parsers[engine].ParseAsync(pdf, context, ct);
    for (var r = 0; r < runs; r++)
    {
        foreach (var engine in engines)
        {
            var sw = Stopwatch.StartNew();
            documents[engine] = await parsers[engine].ParseAsync(pdf, context, ct);
            times[engine].Add(sw.Elapsed.TotalSeconds);
        }
    }
    foreach (var engine in engines)
    {
        var document = documents[engine];
        var median = Median(times[engine]);
        var found = document.Provisions.Where(p => p.Kind == ProvisionKind.Section).ToList();
        var inXml = found.Where(p => reference.ContainsKey(p.Number)).ToList();
        var headingRight = inXml.Count(p => Same(p.Heading, reference[p.Number].Heading));
        // The excerpt covers a range of the act: XML norms between the first and the last one found count as expected.
        var ordinals = inXml.Select(p => reference[p.Number].Ordinal).ToList();
        var expected = ordinals.Count == 0 ? [] : reference.Values.Where(n => n.Ordinal >= ordinals.Min() && n.Ordinal <= ordinals.Max()).ToList();
        var foundNumbers = found.Select(p => p.Number).ToHashSet();
        var missing = expected.Count(n => !foundNumbers.Contains(n.Number));
        // Ranges of repealed norms ("§§ 3 bis 6 (weggefallen)") are one heading in the PDF and one norm each in the XML.
        Console.WriteLine($"| {engine} | {found.Count} | {inXml.Count} | {headingRight} ({100.0 * headingRight / Math.Max(1, inXml.Count):F1} %) | {found.Count - inXml.Count} | {missing} of {expected.Count} | {median:F2} | {pages / median:F0} |");
        if (Environment.GetEnvironmentVariable("PDF_COMPARE_SHOW") is { } show)
        {
            foreach (var p in inXml.Where(p => !Same(p.Heading, reference[p.Number].Heading)).Take(int.Parse(show, CultureInfo.InvariantCulture)))
                Console.WriteLine($"    {p.Citation}: PDF \"{p.Heading}\" / XML \"{reference[p.Number].Heading}\"");
            foreach (var n in expected.Where(n => !foundNumbers.Contains(n.Number)).Take(int.Parse(show, CultureInfo.InvariantCulture)))
                Console.WriteLine($"    missing § {n.Number} {n.Heading}");
            foreach (var p in found.Where(p => !reference.ContainsKey(p.Number)).Take(int.Parse(show, CultureInfo.InvariantCulture)))
                Console.WriteLine($"    extra {p.Citation} {p.Heading}");
        }
    }
    return 0;
}

if (args.Length >= 2 && args[0] == "folder")
{
    // --text-only: no OCR (tesseract replaced by a missing program), so scanned files are rejected; OCR is the same for both engines.
    var textOnly = args.Contains("--text-only");
    var tools = textOnly ? PdfTools.Default with { Tesseract = new ExternalTool("/nonexistent/tesseract", "tesseract-ocr") } : null;
    var files = Directory.GetFiles(args[1], "*.pdf").Order(StringComparer.Ordinal).ToList();
    Console.WriteLine($"{args[1]}: {files.Count} PDFs, {files.Sum(PageCount)} pages");
    Console.WriteLine("| engine | parsed | rejected | provisions | characters | files with OCR'd pages | s (all) | pages/s (all) | s (text-layer files) | pages/s (text-layer files) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    var dumpFolder = Environment.GetEnvironmentVariable("PDF_COMPARE_DUMP");
    var context = ParseContext.For("compare", "de");
    var parsers = engines.ToDictionary(e => e, e => new PdfParser(tools, textEngine: e));
    var stats = engines.ToDictionary(e => e, _ => new FolderStats());
    // Warm-up: the first parse pays for JIT compilation of the whole parsing path.
    foreach (var engine in engines)
        try { await parsers[engine].ParseAsync(await Load(files[0]), context, ct); } catch (DocumentRejectedException) { }
    foreach (var path in files)
    {
        var file = await Load(path);
        var pages = PageCount(path);
        // Each file is read by both engines in turn, so a change in the machine's load hits both alike.
        foreach (var engine in engines)
        {
            var stat = stats[engine];
            stat.AllPages += pages;
            var sw = Stopwatch.StartNew();
            try
            {
                var document = await parsers[engine].ParseAsync(file, context, ct);
                var elapsed = sw.Elapsed.TotalSeconds;
                stat.Parsed++;
                stat.Provisions += document.Provisions.Count;
                stat.Characters += document.Provisions.Sum(p => p.Paragraphs.Sum(x => (long)x.Text.Length));
                if (dumpFolder is not null)
                    await File.WriteAllTextAsync(Path.Combine(dumpFolder, $"{Path.GetFileNameWithoutExtension(path)}.{engine}.txt"),
                        string.Join("\n", document.Provisions.Select(p => $"## {p.Citation} | {p.Heading}\n{p.Text}")), ct);
                if (document.Warnings.Any(w => w.Contains("recognised by OCR", StringComparison.Ordinal))) stat.OcrFiles++;
                else
                {
                    stat.TextSeconds += elapsed;
                    stat.TextPages += pages;
                }
                stat.Seconds += elapsed;
            }
            catch (DocumentRejectedException ex)
            {
                stat.Seconds += sw.Elapsed.TotalSeconds;
                stat.Rejected++;
                Console.Error.WriteLine($"  {engine} rejected {Path.GetFileName(path)}: {ex.Message}");
            }
        }
    }
    foreach (var (engine, s) in stats)
        Console.WriteLine($"| {engine} | {s.Parsed} | {s.Rejected} | {s.Provisions} | {s.Characters} | {s.OcrFiles} | {s.Seconds:F1} | {s.AllPages / s.Seconds:F1} | {s.TextSeconds:F1} | {s.TextPages / Math.Max(1e-9, s.TextSeconds):F1} |");
    return 0;
}

Console.Error.WriteLine("usage: pdf-compare statute <pdf> <gii.xml> [runs] | pdf-compare folder <dir>");
return 2;

async Task<SourceFile> Load(string path) => new(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, ct));

static int PageCount(string path)
{
    using var document = UglyToad.PdfPig.PdfDocument.Open(path);
    return document.NumberOfPages;
}

// The § norms of a gesetze-im-internet XML file: number ("573a") → heading, in document order. The file declares a
// DTD, which the project's parser refuses for safety; here it is trusted reference data, read without the DTD.
static Dictionary<string, (string Number, string Heading, int Ordinal)> GiiNorms(string path)
{
    var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Ignore, XmlResolver = null };
    using var reader = System.Xml.XmlReader.Create(path, settings);
    var norms = new Dictionary<string, (string, string, int)>(StringComparer.Ordinal);
    foreach (var norm in System.Xml.Linq.XDocument.Load(reader).Descendants("norm"))
    {
        var designation = Whitespace.Collapse(norm.Element("metadaten")?.Element("enbez")?.Value ?? "");
        if (!designation.StartsWith("§ ", StringComparison.Ordinal)) continue;
        var number = designation[2..].Replace(" ", "", StringComparison.Ordinal);
        norms.TryAdd(number, (number, Whitespace.Collapse(norm.Element("metadaten")?.Element("titel")?.Value ?? ""), norms.Count));
    }
    return norms;
}

// A repealed § has no heading of its own: the PDF's "(weggefallen)" becomes the repealed flag, the XML keeps it as the title.
static bool Same(string a, string b) => Plain(a) == Plain(b);

static string Plain(string heading) => Whitespace.Collapse(heading) is "(weggefallen)" or "weggefallen" ? "" : Whitespace.Collapse(heading);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

sealed class FolderStats
{
    public int Parsed, Rejected, Provisions, OcrFiles, TextPages, AllPages;
    public long Characters;
    public double Seconds, TextSeconds;
}
