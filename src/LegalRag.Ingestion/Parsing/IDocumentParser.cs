using LegalRag.Core.Domain;

namespace LegalRag.Ingestion.Parsing;

/// <summary>
/// Reads one source format into the legal structure. Parsers are chosen by
/// <see cref="ParserRegistry"/> from the file's content first and its extension second.
/// </summary>
public interface IDocumentParser
{
    /// <summary>Short format name recorded with the document: "markdown", "pdf", "docx", "html", "xml".</summary>
    string Format { get; }

    /// <summary>True when this parser reads the file. Must be cheap: look at the extension and the first bytes.</summary>
    bool CanParse(SourceFile file);

    /// <summary>Parses the file. Throws <see cref="DocumentRejectedException"/> with a reason a person can act on.</summary>
    Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken);
}

/// <summary>Thrown for input that cannot be ingested; the message is the reason shown next to the file name.</summary>
public sealed class DocumentRejectedException(string reason, Exception? inner = null) : Exception(reason, inner);
