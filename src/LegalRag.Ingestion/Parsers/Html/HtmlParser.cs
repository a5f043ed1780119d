using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;
using AngleSharpHtmlParser = AngleSharp.Html.Parser.HtmlParser;

namespace LegalRag.Ingestion.Parsers.Html;

/// <summary>
/// Reads HTML with AngleSharp (the WHATWG parsing algorithm, so broken markup reads as a browser reads it).
/// h1–h6 are headings; paragraphs, list items, table rows (cells joined by " | "), preformatted text and
/// loose text inside containers are text blocks; script, style, nav and similar chrome are skipped. A
/// block that reads as a provision heading ("§ 5 Kündigung" in a &lt;p&gt;) counts as one, as in DOCX.
/// </summary>
public sealed class HtmlParser : IDocumentParser
{
    private const int UnmarkedProvisionLevel = 100;

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "nav", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "head", "button", "select", "input", "textarea",
    };

    private static readonly HashSet<string> BlockElements = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "header", "footer", "aside", "blockquote",
        "figure", "figcaption", "caption", "address", "form", "fieldset", "details", "summary", "center", "hr", "body", "html",
        "table", "thead", "tbody", "tfoot", "legend",
    };

    public string Format => "html";

    public bool CanParse(SourceFile file) =>
        MarkupSniffing.LooksLikeHtml(file.Bytes) || file.Extension is ".html" or ".htm" or ".xhtml";

    public Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken) =>
        ParseGuard.Run("HTML", () => Parse(file, context, cancellationToken), cancellationToken);

    private LegalDocument Parse(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        var html = CharsetDecoding.Decode(file);
        // The walker rejects deep trees too, but only after AngleSharp has spent minutes building one; the margin
        // covers broken markup the scan reads as deeper than the parser will build it.
        if (HtmlNesting.Exceeds(html, context.Limits.MaxXmlDepth * 4))
            throw new DocumentRejectedException($"the HTML nests elements deeper than {context.Limits.MaxXmlDepth} levels (limit MaxXmlDepth)");
        var document = new AngleSharpHtmlParser(new HtmlParserOptions { IsScripting = false }).ParseDocument(html);
        var walker = new BlockWalker(context.Limits.MaxXmlDepth, cancellationToken);
        walker.Walk(document.DocumentElement, depth: 1);
        walker.Flush();
        var blocks = walker.Blocks;
        if (blocks.Count == 0) throw new DocumentRejectedException("the HTML has no text");

        var documentTitle = Whitespace.Collapse(document.Title ?? "");
        var rawTitle = context.ActTitle
                       ?? (documentTitle.Length > 0 ? documentTitle : null)
                       ?? blocks.FirstOrDefault(b => b.HeadingLevel == 1)?.Text
                       ?? Path.GetFileNameWithoutExtension(file.RelativePath);
        var abbreviation = context.ActAbbreviation ?? ActNames.AbbreviationInTitle(rawTitle);
        var title = context.ActTitle ?? ActNames.WithoutTrailingAbbreviation(rawTitle);

        var builder = new StructureBuilder(context.Corpus, context.Language, abbreviation ?? title);
        var titleHeadingSkipped = false;
        foreach (var block in blocks)
        {
            // The h1 that repeats the act's title names the document; it is no level of its hierarchy.
            if (!titleHeadingSkipped && block.HeadingLevel == 1 && (block.Text == rawTitle || block.Text == title))
            {
                titleHeadingSkipped = true;
                continue;
            }
            if (block.HeadingLevel is { } level) builder.Heading(level, block.Text);
            else if (!block.IsTableRow && HeadingLines.IsProvisionHeading(block.Text)) builder.Heading(UnmarkedProvisionLevel, block.Text);
            else builder.Text(block.Text);
        }

        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = context.Language,
            Title = title,
            Abbreviation = abbreviation,
            Format = Format,
            Provisions = builder.Build(),
        };
    }

    private sealed record HtmlBlock(string Text, int? HeadingLevel, bool IsTableRow);

    /// <summary>Collects inline text into blocks, closing a block at every block-level element.</summary>
    private sealed class BlockWalker(int maxDepth, CancellationToken cancellationToken)
    {
        private readonly StringBuilder _inline = new();

        public List<HtmlBlock> Blocks { get; } = [];

        public void Flush()
        {
            var text = Whitespace.Collapse(_inline.ToString());
            _inline.Clear();
            if (text.Length > 0) Blocks.Add(new HtmlBlock(text, null, false));
        }

        public void Walk(INode? node, int depth)
        {
            if (node is null) return;
            if (depth > maxDepth)
                throw new DocumentRejectedException($"the HTML nests elements deeper than {maxDepth} levels (limit MaxXmlDepth)");
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var child in node.ChildNodes)
            {
                if (child.NodeType == NodeType.Text)
                {
                    _inline.Append(child.TextContent);
                    continue;
                }
                if (child is not IElement element) continue;
                var name = element.LocalName;
                if (Skipped.Contains(name)) continue;
                switch (name)
                {
                    case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                        Flush();
                        var heading = Whitespace.Collapse(InlineText(element, depth + 1));
                        if (heading.Length > 0) Blocks.Add(new HtmlBlock(heading, name[1] - '0', false));
                        break;
                    case "br":
                        _inline.Append(' ');
                        break;
                    case "pre":
                        Flush();
                        // Preformatted text keeps its lines; only trailing blanks go.
                        var pre = string.Join("\n", InlineText(element, depth + 1).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0));
                        if (pre.Length > 0) Blocks.Add(new HtmlBlock(pre, null, false));
                        break;
                    case "tr":
                        Flush();
                        var cells = element.Children.Where(c => c.LocalName is "td" or "th")
                            .Select(c => Whitespace.Collapse(InlineText(c, depth + 2)))
                            .Where(c => c.Length > 0)
                            .ToList();
                        if (cells.Count > 0) Blocks.Add(new HtmlBlock(string.Join(" | ", cells), null, true));
                        break;
                    default:
                        if (BlockElements.Contains(name))
                        {
                            Flush();
                            Walk(element, depth + 1);
                            Flush();
                        }
                        else
                        {
                            Walk(element, depth + 1); // inline: span, a, b, em, sup, …
                        }
                        break;
                }
            }
        }

        /// <summary>All text under an element (for headings, cells, pre), skipping chrome, depth-limited.</summary>
        private string InlineText(INode node, int depth)
        {
            if (depth > maxDepth)
                throw new DocumentRejectedException($"the HTML nests elements deeper than {maxDepth} levels (limit MaxXmlDepth)");
            var sb = new StringBuilder();
            foreach (var child in node.ChildNodes)
            {
                if (child.NodeType == NodeType.Text) sb.Append(child.TextContent);
                else if (child is IElement e && !Skipped.Contains(e.LocalName))
                {
                    if (e.LocalName == "br") sb.Append(node is IElement { LocalName: "pre" } ? "\n" : " ");
                    else
                    {
                        var inner = InlineText(e, depth + 1);
                        // Block children of a cell or heading ("<td><p>a</p><p>b</p></td>") must not run together.
                        sb.Append(BlockElements.Contains(e.LocalName) ? $" {inner} " : inner);
                    }
                }
            }
            return sb.ToString();
        }
    }
}
