namespace LegalRag.Ingestion.Parsing;

/// <summary>
/// Chooses the parser for a file. Parsers are asked in order, so content-sniffing parsers
/// (PDF by "%PDF", DOCX by its zip signature) come before extension-based text parsers.
/// </summary>
public sealed class ParserRegistry(IEnumerable<IDocumentParser> parsers)
{
    private readonly IReadOnlyList<IDocumentParser> _parsers = parsers.ToList();

    public IReadOnlyList<IDocumentParser> Parsers => _parsers;

    /// <summary>Extensions that ingestion picks up when walking a folder.</summary>
    public static readonly IReadOnlySet<string> KnownExtensions =
        new HashSet<string>([".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm", ".xhtml", ".xml", ".jsonl"], StringComparer.OrdinalIgnoreCase);

    public IDocumentParser? Find(SourceFile file) => _parsers.FirstOrDefault(p => p.CanParse(file));
}
