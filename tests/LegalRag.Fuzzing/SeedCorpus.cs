using System.IO.Compression;
using System.Text;
using LegalRag.Ingestion.Tests.Pdf;

namespace LegalRag.Fuzzing;

/// <summary>One well-formed input the mutations start from. <see cref="Format"/> is the format the ingestion
/// parsers read it as ("gii-xml", "docx", …), filled in by <see cref="FuzzSession"/> after a clean parse.</summary>
public sealed record Seed(string Name, byte[] Bytes)
{
    public string Extension => Path.GetExtension(Name).ToLowerInvariant();
    public string Format { get; init; } = "";
}

/// <summary>
/// The seeds: the parser tests' fixture documents (copied into Seeds/ as files, one per format dialect), a DOCX and
/// a PDF written here the way the DOCX and PDF tests write theirs, and, when the shared folder is present, the
/// official samples of every publisher format (each up to a size bound, so one iteration stays quick).
/// </summary>
public static class SeedCorpus
{
    /// <summary>Shared samples larger than this are left out: mutating a 5 MB act costs seconds per iteration
    /// and finds nothing a smaller act of the same format does not.</summary>
    public const int DefaultMaxSharedSeedBytes = 160 * 1024;

    public static IReadOnlyList<Seed> Load(string? sharedSamples, int maxSharedSeedBytes = DefaultMaxSharedSeedBytes)
    {
        var seeds = new List<Seed>();
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Seeds");
        if (!Directory.Exists(fixtures))
            throw new DirectoryNotFoundException($"the fuzzer's seed folder {fixtures} is missing (it is copied next to the binary at build)");
        foreach (var path in Directory.GetFiles(fixtures).Order(StringComparer.Ordinal))
            seeds.Add(new Seed(Path.GetFileName(path), File.ReadAllBytes(path)));
        seeds.Add(new Seed("statute.docx", Docx()));
        seeds.Add(new Seed("statute.pdf", Pdf()));
        if (sharedSamples is not null && Directory.Exists(sharedSamples))
        {
            foreach (var path in Directory.GetFiles(sharedSamples, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var extension = Path.GetExtension(path).ToLowerInvariant();
                if (extension is not (".xml" or ".md" or ".html" or ".htm" or ".pdf" or ".docx" or ".txt")) continue;
                if (new FileInfo(path).Length > maxSharedSeedBytes) continue;
                seeds.Add(new Seed("shared/" + Path.GetRelativePath(sharedSamples, path).Replace('\\', '/'), File.ReadAllBytes(path)));
            }
        }
        return seeds;
    }

    /// <summary>A small statute as Word writes it: heading styles, numbered paragraphs, a table.</summary>
    public static byte[] Docx()
    {
        const string w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        static string Paragraph(string text, string? style = null) =>
            $"<w:p>{(style is null ? "" : $"<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>";
        var body = string.Concat(
            Paragraph("Gesetz über die Fuzzing-Probe (FuzzG)", "Title"),
            Paragraph("Abschnitt 1 Allgemeines", "Heading1"),
            Paragraph("§ 1 Geltungsbereich", "Heading2"),
            Paragraph("(1) Dieses Gesetz gilt für alle Eingaben."),
            Paragraph("(2) Was nicht gelesen werden kann, wird mit Grund abgewiesen."),
            Paragraph("§ 2 Fristen", "Heading2"),
            "<w:tbl><w:tr><w:tc>", Paragraph("Frist"), "</w:tc><w:tc>", Paragraph("zwei Wochen"), "</w:tc></w:tr></w:tbl>",
            Paragraph("Die Frist beträgt zwei Wochen; § 1 Abs. 2 gilt entsprechend."));
        var parts = new Dictionary<string, string>
        {
            ["[Content_Types].xml"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>""",
            ["_rels/.rels"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""",
            ["word/_rels/document.xml.rels"] = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""",
            ["word/document.xml"] = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>""",
            ["word/styles.xml"] = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{w}"><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>""",
        };
        return Zip(parts.Select(p => (p.Key, Encoding.UTF8.GetBytes(p.Value))));
    }

    /// <summary>A two-page statute PDF with a bold heading per provision, as the PDF parser tests write them.</summary>
    public static byte[] Pdf() => PdfWriter.Write([
        new PdfPageSpec([
            new PdfText(56, 790, 14, "Gesetz über die Fuzzing-Probe (FuzzG)", Bold: true),
            new PdfText(56, 760, 10, "§ 1 Geltungsbereich", Bold: true),
            new PdfText(56, 745, 10, "(1) Dieses Gesetz gilt für alle Eingaben, auch für beschädigte Dateien."),
            new PdfText(56, 730, 10, "(2) Was nicht gelesen werden kann, wird mit einem Grund abgewiesen."),
        ]),
        new PdfPageSpec([
            new PdfText(56, 790, 10, "§ 2 Fristen", Bold: true),
            new PdfText(56, 775, 10, "Die Frist beträgt zwei Wochen; § 1 Abs. 2 gilt entsprechend für alle Fälle."),
        ]),
    ]);

    /// <summary>Writes entries into a zip archive in the given order (names as given: the mutations need odd ones).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, level).Open();
                entry.Write(content);
            }
        }
        return stream.ToArray();
    }

    /// <summary>The entries of a zip archive, in order; null when the bytes are no readable zip.</summary>
    public static List<(string Name, byte[] Content)>? Unzip(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            var entries = new List<(string, byte[])>();
            foreach (var entry in zip.Entries)
            {
                using var content = new MemoryStream();
                using (var source = entry.Open()) source.CopyTo(content);
                entries.Add((entry.FullName, content.ToArray()));
            }
            return entries;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
