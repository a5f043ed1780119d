using System.Xml.Linq;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Xml;

/// <summary>
/// Any XML vocabulary without a dedicated reader. Elements named like a heading ("title", "heading",
/// "head", "ti", "ti.*", "h1"–"h6", German/French/Dutch "titel", "ueberschrift", "titre", "kop", or a name
/// containing "title"/"heading") are headings, nested by the depth of their section; "num" + "heading"
/// siblings (Akoma Ntoso, many national schemas) form one heading, and a "num" without a heading opens the
/// next text block ("(1) …"); an element with text of its own is a text block. The act title is the first
/// heading, else the file name.
/// </summary>
internal sealed class GenericXmlReader(ParseContext context)
{
    private readonly List<(bool IsHeading, int Level, string Text)> _events = [];
    private string _pendingNumber = "";

    private void AddText(int depth, string text)
    {
        if (text.Length == 0) return;
        _events.Add((false, depth, _pendingNumber.Length > 0 ? $"{_pendingNumber} {text}" : text));
        _pendingNumber = "";
    }

    public XmlReadResult Read(XElement root, string fileStem, CancellationToken cancellationToken)
    {
        Walk(root, depth: 1, cancellationToken);
        var firstHeading = _events.FirstOrDefault(e => e.IsHeading).Text;
        var rawTitle = context.ActTitle ?? firstHeading ?? fileStem;
        var abbreviation = context.ActAbbreviation ?? ActNames.AbbreviationInTitle(rawTitle);
        var title = context.ActTitle ?? ActNames.WithoutTrailingAbbreviation(rawTitle);

        var builder = new StructureBuilder(context.Corpus, context.Language, abbreviation ?? title);
        var skippedTitle = false;
        foreach (var (isHeading, level, text) in _events)
        {
            // The heading that named the act is not a section of it.
            if (isHeading && !skippedTitle && context.ActTitle is null && text == firstHeading && !HeadingClassifier.Classify(text).IsProvision)
            {
                skippedTitle = true;
                continue;
            }
            if (isHeading) builder.Heading(level, text);
            else if (HeadingLines.IsProvisionHeading(text)) builder.Heading(level + 1, text);
            else builder.Text(text);
        }
        return new XmlReadResult(title, abbreviation, builder.Build(), []);
    }

    private static bool IsHeadingName(string localName)
    {
        var name = localName.ToLowerInvariant();
        return name is "title" or "heading" or "head" or "ti" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "subtitle" or "subheading"
                   or "titel" or "ueberschrift" or "überschrift" or "titre" or "kop" or "opschrift"
               || name.StartsWith("ti.", StringComparison.Ordinal)
               || name.Contains("title", StringComparison.Ordinal)
               || name.Contains("heading", StringComparison.Ordinal);
    }

    private void Walk(XElement element, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var children = element.Elements().ToList();
        // <article><num>Art. 5</num><heading>Scope</heading>…: one heading "Art. 5 Scope".
        var num = children.FirstOrDefault(c => c.Name.LocalName.Equals("num", StringComparison.OrdinalIgnoreCase));
        var heading = children.FirstOrDefault(c => IsHeadingName(c.Name.LocalName));
        if (num is not null && heading is not null)
        {
            var text = Whitespace.Collapse($"{XmlText.Of(num)} {XmlText.Of(heading)}");
            if (text.Length > 0) _events.Add((true, depth, text));
        }
        else if (num is not null)
        {
            _pendingNumber = XmlText.Of(num); // <paragraph><num>(1)</num><content>…: "(1) …"
        }

        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text when !string.IsNullOrWhiteSpace(text.Value):
                    // Mixed content: the element's own text is one block with its inline children.
                    AddText(depth, XmlText.Of(element));
                    return;
            }
        }

        foreach (var child in children)
        {
            if (ReferenceEquals(child, num) || (num is not null && ReferenceEquals(child, heading))) continue;
            if (IsHeadingName(child.Name.LocalName))
            {
                var text = XmlText.Of(child);
                if (text.Length > 0) _events.Add((true, depth, text));
                continue;
            }
            Walk(child, depth + 1, cancellationToken);
        }
    }
}
