namespace LegalRag.Ingestion.Parsers.Html;

/// <summary>
/// Estimates how deep an HTML text nests its elements, in one pass over the markup and before any tree is built.
/// AngleSharp builds trees of any depth, and its tree construction checks element scopes by walking the stack of
/// open elements, so a document of 200,000 nested &lt;div&gt;s takes minutes to parse before the walker can reject
/// it for depth. This scan keeps a stack of open element names the way the tree builder does in the main: void
/// elements and elements whose end tag may be left out (p, li, td, …) never stay open, an end tag closes up to
/// its matching start tag (or nothing when none is open), an &lt;a&gt; closes an open &lt;a&gt;, and raw-text elements,
/// comments and declarations are skipped. It can overestimate depth for broken markup, so callers allow a margin.
/// </summary>
internal static class HtmlNesting
{
    private static readonly HashSet<string> NeverOpen = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame",
        // Elements the parser closes implicitly when a sibling starts; statutes leave their end tags out by the thousand.
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp", "rtc",
        "html", "head", "body",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
    };

    /// <summary>True when the estimated depth passes <paramref name="maxDepth"/>; stops reading there.</summary>
    public static bool Exceeds(string html, int maxDepth)
    {
        var open = new List<string>();
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (html.AsSpan(i).StartsWith("<!--"))
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0) return false;
                i = end + 3;
                continue;
            }
            if (i + 1 < html.Length && html[i + 1] is '!' or '?')
            {
                i = SkipTag(html, i + 1);
                continue;
            }
            var closing = i + 1 < html.Length && html[i + 1] == '/';
            var nameStart = closing ? i + 2 : i + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':' or '_')) nameEnd++;
            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                i++;
                continue;
            }
            var name = html[nameStart..nameEnd].ToLowerInvariant();
            i = SkipTag(html, nameEnd);
            if (closing)
            {
                var at = open.LastIndexOf(name);
                if (at >= 0) open.RemoveRange(at, open.Count - at);
                continue;
            }
            if (NeverOpen.Contains(name)) continue;
            if (RawText.Contains(name))
            {
                var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                if (end < 0) return false;
                i = end;
                continue;
            }
            // In SVG and MathML "<path/>" closes itself (in HTML proper a "/>" is ignored).
            if (html[i - 2] == '/' && (open.Contains("svg") || open.Contains("math"))) continue;
            if (name == "a" && open.LastIndexOf("a") is var a and >= 0) open.RemoveRange(a, open.Count - a);
            open.Add(name);
            if (open.Count > maxDepth) return true;
        }
        return false;
    }

    /// <summary>The index after the tag's closing '&gt;', skipping quoted attribute values (a quote opens one only
    /// right after '=', as in the tokenizer; elsewhere it is part of a name or an unquoted value).</summary>
    private static int SkipTag(string html, int i)
    {
        char quote = '\0';
        var afterEquals = false;
        for (; i < html.Length; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                continue;
            }
            if (c == '>') return i + 1;
            if (c is '"' or '\'' && afterEquals) quote = c;
            if (!char.IsWhiteSpace(c)) afterEquals = c == '=';
        }
        return html.Length;
    }
}
