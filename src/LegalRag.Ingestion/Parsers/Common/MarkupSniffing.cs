using System.Text;

namespace LegalRag.Ingestion.Parsers.Common;

/// <summary>Recognises HTML and XML by their first bytes, so a parser is chosen by content before extension.</summary>
internal static class MarkupSniffing
{
    /// <summary>The first kilobyte, BOM and leading whitespace removed, lowercased (ASCII is enough for tags).</summary>
    private static string Head(ReadOnlySpan<byte> bytes)
    {
        var span = bytes[..Math.Min(bytes.Length, 1024)];
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        return Encoding.Latin1.GetString(span).TrimStart().ToLowerInvariant();
    }

    public static bool LooksLikeHtml(ReadOnlySpan<byte> bytes)
    {
        var head = Head(bytes);
        if (head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal)) return true;
        // XHTML or a commented page: a prolog or comment first, then the html element.
        return (head.StartsWith("<?xml", StringComparison.Ordinal) || head.StartsWith("<!--", StringComparison.Ordinal))
               && head.Contains("<html", StringComparison.Ordinal);
    }

    public static bool LooksLikeXml(ReadOnlySpan<byte> bytes) =>
        Head(bytes).StartsWith("<?xml", StringComparison.Ordinal) && !LooksLikeHtml(bytes);
}
