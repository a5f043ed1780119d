using System.Xml;
using System.Xml.Linq;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Akn;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsers.Gii;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Xml;

/// <summary>
/// Reads XML safely — no DTD, no external entities, no resolver, bounded depth — and recognises EU Formex
/// (the Official Journal's format: ARTICLE/TI.ART/STI.ART/PARAG/ALINEA under DIVISION/TITLE) through
/// <see cref="FormexReader"/>, Akoma Ntoso / LegalDocML (root akomaNtoso, any namespace; format "akn") through
/// <see cref="AknReader"/>, the Dutch basiswettenbestand (toestand and 2012 wetgeving; format "bwb-xml") through
/// <see cref="Bwb.BwbReader"/>, Gesetze im Internet acts (dokumente/norm; "gii-xml") through <see cref="Gii.GiiReader"/>,
/// Légifrance LEGI ("legi-xml") and Riigi Teataja ("rt-xml"); any other vocabulary goes through
/// <see cref="GenericXmlReader"/>, which takes
/// title/heading elements as headings and elements holding text as text blocks.
/// </summary>
public sealed class XmlParser : IDocumentParser
{
    public const string DoctypeRejection =
        "XML with a DOCTYPE is not accepted (DTD processing and external entities are disabled for safety)";

    public string Format => "xml";

    public bool CanParse(SourceFile file) =>
        MarkupSniffing.LooksLikeXml(file.Bytes) || (file.Extension == ".xml" && !MarkupSniffing.LooksLikeHtml(file.Bytes));

    public Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken) =>
        ParseGuard.Run("XML", () => Parse(file, context, cancellationToken), cancellationToken);

    /// <summary>Reader settings that make hostile XML harmless: a DOCTYPE is an error, nothing is fetched,
    /// and no entity can expand (none can be declared without a DTD; the cap is a second line of defence —
    /// note that 0 would mean "unlimited" to .NET).</summary>
    internal static XmlReaderSettings SafeSettings(IngestionLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = limits.MaxFileBytes * 2,
        IgnoreComments = true,
        IgnoreProcessingInstructions = false, // Formex marks Official Journal pages with <?PAGE NO="44"?>
        CloseInput = true,
    };

    private LegalDocument Parse(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        var text = CharsetDecoding.Decode(file);
        var settings = SafeSettings(context.Limits);
        // Two publishers name their DTD in a DOCTYPE: the BWB's 2012 files by URL, Gesetze im Internet in every act.
        // That DOCTYPE (and only that one, and only before that publisher's root) is skipped unread.
        if (GiiDoctype.IsToc(text)) throw new DocumentRejectedException(GiiDoctype.TocRejection);
        var bwbDoctype = Bwb.BwbDoctype.IsDeclared(text);
        var giiDoctype = GiiDoctype.IsDeclared(text);
        if (bwbDoctype || giiDoctype) settings.DtdProcessing = DtdProcessing.Ignore;
        XDocument document;
        try
        {
            // First pass: depth, so that nothing deeper than the limit is ever built into a tree.
            using (var reader = XmlReader.Create(new StringReader(text), settings))
            {
                while (reader.Read())
                {
                    if (reader.Depth >= context.Limits.MaxXmlDepth)
                        throw new DocumentRejectedException($"the XML nests elements deeper than {context.Limits.MaxXmlDepth} levels (limit MaxXmlDepth)");
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            using (var reader = XmlReader.Create(new StringReader(text), settings))
                document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            if (HasDoctype(text) && !bwbDoctype && !giiDoctype) throw new DocumentRejectedException(DoctypeRejection, ex);
            throw new DocumentRejectedException($"the XML is not well-formed: {ex.Message}", ex);
        }

        var root = document.Root ?? throw new DocumentRejectedException("the XML has no root element");
        if ((bwbDoctype && !Bwb.BwbReader.IsBwb(root)) || (giiDoctype && !GiiReader.IsGii(root)))
            throw new DocumentRejectedException(DoctypeRejection);
        if (Bwb.BwbReader.IsBwb(root)) return new Bwb.BwbReader(context).Read(root, file, cancellationToken);
        if (Bwb.BwbReader.IsManifest(root))
            throw new DocumentRejectedException("this is a BWB manifest (the list of an act's versions), not an act; it is read beside the version files");
        if (GiiReader.IsGii(root)) return new GiiReader(context).Read(root, file, cancellationToken);
        if (AknReader.IsAkn(root)) return new AknReader(context).Read(root, file, cancellationToken);
        // Publisher dialects that carry identifiers and dates read straight into a document.
        if (Legi.LegiReader.IsLegi(root)) return Legi.LegiReader.Read(root, file, context, cancellationToken);
        if (RiigiTeataja.RiigiTeatajaReader.IsRiigiTeataja(root)) return RiigiTeataja.RiigiTeatajaReader.Read(root, file, context, cancellationToken);
        var result = FormexReader.IsFormex(root)
            ? new FormexReader(context).Read(root, cancellationToken)
            : new GenericXmlReader(context).Read(root, Path.GetFileNameWithoutExtension(file.RelativePath), cancellationToken);
        if (result.Provisions.Count == 0) throw new DocumentRejectedException("the XML has no text");

        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = context.Language,
            Title = result.Title,
            Abbreviation = result.Abbreviation,
            Format = Format,
            Provisions = result.Provisions,
            Warnings = result.Warnings,
        };
    }

    /// <summary>A DOCTYPE before the root element (which is where XML allows it).</summary>
    private static bool HasDoctype(string text)
    {
        var doctype = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (doctype < 0) return false;
        // The root starts at the first '<' followed by a name character.
        for (var i = text.IndexOf('<'); i >= 0 && i < doctype; i = text.IndexOf('<', i + 1))
            if (i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] == '_')) return false;
        return true;
    }
}

/// <summary>What an XML vocabulary reader produced.</summary>
internal sealed record XmlReadResult(string Title, string? Abbreviation, IReadOnlyList<Provision> Provisions, IReadOnlyList<string> Warnings);

/// <summary>Text helpers shared by the XML readers.</summary>
internal static class XmlText
{
    /// <summary>All text of an element, whitespace collapsed.</summary>
    public static string Of(XElement element) => Whitespace.Collapse(string.Concat(element.DescendantNodes().OfType<XText>().Select(t => t.Value)));
}
