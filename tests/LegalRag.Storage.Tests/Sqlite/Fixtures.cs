using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>Small, readable acts built in code for store tests.</summary>
internal static class Fixtures
{
    public static Provision Section(string corpus, string act, string number, string heading, params string[] paragraphs) => new()
    {
        Key = $"{corpus}/{act.ToLowerInvariant()}/s{number}",
        Kind = ProvisionKind.Section,
        Number = number,
        Heading = heading,
        Citation = CitationFormatter.Format("de", act, ProvisionKind.Section, number),
        Path = ["Abschnitt 1 - Allgemeines"],
        Paragraphs = paragraphs.Select((t, i) => new ProvisionParagraph((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"({i + 1}) {t}")).ToList(),
    };

    public static LegalDocument Act(string corpus, string act, string path, string version, params Provision[] provisions) => new()
    {
        SourcePath = path,
        ContentHash = Hashing.Sha256Hex(path + version),
        Language = "de",
        Title = act + " Gesetz",
        Abbreviation = act,
        Format = "markdown",
        Provisions = provisions,
    };

    public static LegalDocument MietG(string corpus = "c", string version = "v1") => Act(corpus, "MietG", "m/mietg/index.md", version,
        Section(corpus, "MietG", "1", "Ordentliche Kündigung des Vermieters", "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat.", "Eigenbedarf ist ein berechtigtes Interesse."),
        Section(corpus, "MietG", "2", "Schriftform", "Die Kündigung bedarf der schriftlichen Form."));

    public static LegalDocument KaufG(string corpus = "c", string version = "v1") => Act(corpus, "KaufG", "k/kaufg/index.md", version,
        Section(corpus, "KaufG", "1", "Pflichten des Verkäufers", "Der Verkäufer hat die Sache frei von Mängeln zu übergeben."));

    public static IReadOnlyList<Chunk> Chunks(LegalDocument document) => new StructureChunker().Chunk(document);
}
