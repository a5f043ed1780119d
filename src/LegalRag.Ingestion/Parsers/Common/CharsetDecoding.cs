using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Parsers.Common;

/// <summary>
/// Text decoding for markup formats that may declare their charset (HTML meta charset, XML encoding).
/// <see cref="TextDecoding.Decode"/> decides first (BOM, valid UTF-8, else Windows-1252); only when the bytes
/// are not UTF-8 and the document names another charset .NET knows (ISO-8859-15, ISO-8859-2, …) does the
/// declaration win, because a page that says what it is knows better than a guess.
/// </summary>
internal static partial class CharsetDecoding
{
    static CharsetDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?(?<cs>[A-Za-z0-9_\-:.]+)|<\?xml[^>]+encoding\s*=\s*[""'](?<cs>[A-Za-z0-9_\-:.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredCharset();

    public static string Decode(SourceFile file)
    {
        var text = TextDecoding.Decode(file);
        var bytes = file.Bytes;
        var hasBom = bytes.Length >= 2 && ((bytes[0] == 0xEF && bytes[1] == 0xBB) || bytes[0] == 0xFF || bytes[0] == 0xFE);
        if (hasBom || Utf8.IsValid(bytes)) return text;

        // The declaration is ASCII in every charset we accept, so the guessed decoding reads it fine.
        var head = text.Length > 2048 ? text[..2048] : text;
        var m = DeclaredCharset().Match(head);
        if (!m.Success) return text;
        try
        {
            var declared = Encoding.GetEncoding(m.Groups["cs"].Value);
            // Browsers read "iso-8859-1" and "us-ascii" as Windows-1252 (WHATWG Encoding); so does the guess.
            return declared.CodePage is 65001 or 1200 or 1201 or 1252 or 28591 or 20127 ? text : declared.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return text; // an unknown charset name: keep the guess
        }
    }
}
