using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>A line of text placed on a page: x and y in points from the bottom-left corner, font size in points, Helvetica or Helvetica-Bold.</summary>
internal sealed record PdfText(double X, double Y, double Size, string Text, bool Bold = false);

/// <summary>A page: text lines, or a full-page greyscale image (a "scan"), or both.</summary>
internal sealed record PdfPageSpec(IReadOnlyList<PdfText> Lines, GrayImage? Image = null);

/// <summary>Raw 8-bit greyscale pixels, row by row from the top.</summary>
internal sealed record GrayImage(int Width, int Height, byte[] Pixels);

/// <summary>
/// Writes minimal, valid PDF 1.4 files by hand for tests: A4 pages, Helvetica and Helvetica-Bold with WinAnsiEncoding
/// (so §, ä, ß and the no-break space work), Flate-compressed greyscale images, an exact cross-reference table. Optionally a Standard security
/// handler dictionary whose user password is not empty, so readers need a password to open the file.
/// </summary>
internal static class PdfWriter
{
    public const double PageWidth = 595;
    public const double PageHeight = 842;

    static PdfWriter() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static byte[] Write(IReadOnlyList<PdfPageSpec> pages, bool passwordProtected = false)
    {
        var objects = new List<byte[]>(); // object i+1
        int Add(byte[] body)
        {
            objects.Add(body);
            return objects.Count;
        }
        int Reserve() => Add([]);

        var catalog = Reserve();
        var pagesNode = Reserve();
        var font = Add(Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
        var boldFont = Add(Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"));
        var kids = new List<int>();
        foreach (var page in pages)
        {
            var content = new StringBuilder();
            string? imageResource = null;
            if (page.Image is { } image)
            {
                var imageObject = Add(Stream(
                    $"/Type /XObject /Subtype /Image /Width {image.Width} /Height {image.Height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                    Deflate(image.Pixels)));
                imageResource = $"/XObject << /Im1 {imageObject} 0 R >>";
                content.Append(Inv($"q {PageWidth} 0 0 {PageHeight} 0 0 cm /Im1 Do Q\n"));
            }
            foreach (var line in page.Lines)
                content.Append(Inv($"BT /{(line.Bold ? "F2" : "F1")} {line.Size} Tf {line.X} {line.Y} Td ({Escape(line.Text)}) Tj ET\n"));
            var contentObject = Add(Stream("", Encoding.GetEncoding(1252).GetBytes(content.ToString())));
            kids.Add(Add(Ascii(
                $"<< /Type /Page /Parent {pagesNode} 0 R /MediaBox [0 0 {PageWidth} {PageHeight}] " +
                $"/Resources << /Font << /F1 {font} 0 R /F2 {boldFont} 0 R >> {imageResource} >> /Contents {contentObject} 0 R >>")));
        }
        objects[catalog - 1] = Ascii($"<< /Type /Catalog /Pages {pagesNode} 0 R >>");
        objects[pagesNode - 1] = Ascii($"<< /Type /Pages /Kids [{string.Join(' ', kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>");

        var trailerExtra = "";
        if (passwordProtected)
        {
            // RC4 40-bit Standard handler; /U does not match the empty password, so a password is required.
            var o = new string('A', 64);
            var u = new string('B', 64);
            var encrypt = Add(Ascii($"<< /Filter /Standard /V 1 /R 2 /O <{o}> /U <{u}> /P -44 >>"));
            trailerExtra = $" /Encrypt {encrypt} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]";
        }

        using var output = new MemoryStream();
        output.Write("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"u8);
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            output.Write(Ascii($"{i + 1} 0 obj\n"));
            output.Write(objects[i]);
            output.Write("\nendobj\n"u8);
        }
        var xref = output.Position;
        var table = new StringBuilder();
        table.Append(Inv($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets) table.Append(Inv($"{offset:D10} 00000 n \n"));
        table.Append(Inv($"trailer\n<< /Size {objects.Count + 1} /Root {catalog} 0 R{trailerExtra} >>\nstartxref\n{xref}\n%%EOF\n"));
        output.Write(Ascii(table.ToString()));
        return output.ToArray();
    }

    /// <summary>Pages of running text: each string is one line, set from the top of the page down.</summary>
    public static PdfPageSpec TextPage(params string[] lines) =>
        new(lines.Select((text, i) => new PdfText(56, 770 - i * 18, 11, text)).ToList());

    private static byte[] Stream(string dictionaryEntries, byte[] data)
    {
        var head = Ascii($"<< {dictionaryEntries} /Length {data.Length} >>\nstream\n");
        var tail = "\nendstream"u8.ToArray();
        return [.. head, .. data, .. tail];
    }

    private static byte[] Deflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        return buffer.ToArray();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
