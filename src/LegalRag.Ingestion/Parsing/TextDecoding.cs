using System.Text;

namespace LegalRag.Ingestion.Parsing;

/// <summary>
/// Decodes text files: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (a superset of
/// Latin-1 for printable text). Rejects binary content that merely carries a text extension.
/// </summary>
public static class TextDecoding
{
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(SourceFile file)
    {
        var bytes = file.Bytes;
        if (bytes.Length == 0) throw new DocumentRejectedException("the file is empty");
        if (bytes.AsSpan().StartsWith("\uFEFF"u8.ToArray()) || bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        if (LooksBinary(bytes)) throw new DocumentRejectedException("binary content in a text file (NUL or control bytes)");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not valid UTF-8: legacy European text is Latin-1 or its superset Windows-1252.
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    /// <summary>True when the first 8 KiB hold NUL bytes or many control characters.</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 8192)];
        var control = 0;
        foreach (var b in sample)
        {
            if (b == 0) return true;
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C) control++;
        }
        return sample.Length > 0 && control > sample.Length / 50;
    }
}
