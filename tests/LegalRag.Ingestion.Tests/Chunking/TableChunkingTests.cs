using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;
using Xunit;

namespace LegalRag.Ingestion.Tests.Chunking;

/// <summary>
/// Tables stay tables: a Markdown pipe table in a paragraph (as the official-format parsers render source tables) is
/// split only between rows, and every chunk that carries rows of it starts with its header and separator.
/// Each case: the paragraph as a parser delivers it, and the chunks expected, side by side.
/// </summary>
public sealed class TableChunkingTests
{
    private static IReadOnlyList<string> Chunk(int maxChars, params string[] paragraphs)
    {
        var provision = new Provision
        {
            Key = "c/gebo/s3", Kind = ProvisionKind.Section, Number = "3", Citation = "GebO § 3", Heading = "Gebühren",
            Paragraphs = paragraphs.Select((t, i) => new ProvisionParagraph((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToList(),
        };
        var document = new LegalDocument
        {
            SourcePath = "gebo.xml", ContentHash = "h", Language = "de", Title = "Gebührenordnung", Abbreviation = "GebO", Format = "gii-xml", Provisions = [provision],
        };
        return new StructureChunker(new ChunkingOptions { MaxChars = maxChars }).Chunk(document).Select(c => c.Text).ToList();
    }

    private const string Header = """
        | Stufe | Betrag | Frist |
        | --- | --- | --- |
        """;

    [Fact]
    public void A_table_longer_than_a_chunk_splits_between_rows_with_the_header_on_every_chunk()
    {
        const string paragraph = """
            (1) Die Gebühren betragen:
            | Stufe | Betrag | Frist |
            | --- | --- | --- |
            | 1 | zehn Euro | innerhalb eines Monats nach Zugang |
            | 2 | elf Euro | innerhalb zweier Monate nach Zugang |
            | 3 | zwölf Euro | innerhalb dreier Monate nach Zugang |
            | 4 | dreizehn Euro | innerhalb von vier Monaten |
            | 5 | vierzehn Euro | innerhalb von fünf Monaten |
            | 6 | fünfzehn Euro | innerhalb von sechs Monaten |
            Die Frist beginnt mit dem Zugang.
            """;

        Assert.Equal(
        [
            """
            (1) Die Gebühren betragen:
            | Stufe | Betrag | Frist |
            | --- | --- | --- |
            | 1 | zehn Euro | innerhalb eines Monats nach Zugang |
            | 2 | elf Euro | innerhalb zweier Monate nach Zugang |
            """,
            """
            | Stufe | Betrag | Frist |
            | --- | --- | --- |
            | 3 | zwölf Euro | innerhalb dreier Monate nach Zugang |
            | 4 | dreizehn Euro | innerhalb von vier Monaten |
            """,
            """
            | Stufe | Betrag | Frist |
            | --- | --- | --- |
            | 5 | vierzehn Euro | innerhalb von fünf Monaten |
            | 6 | fünfzehn Euro | innerhalb von sechs Monaten |
            Die Frist beginnt mit dem Zugang.
            """,
        ], Chunk(200, paragraph));
    }

    [Fact]
    public void A_table_that_fits_stays_one_chunk_as_written()
    {
        const string paragraph = """
            (1) Die Gebühren betragen:
            | Stufe | Betrag | Frist |
            | --- | --- | --- |
            | 1 | zehn Euro | ein Monat |
            """;
        Assert.Equal([paragraph], Chunk(200, paragraph));
    }

    [Fact]
    public void A_row_longer_than_a_chunk_stays_whole_under_its_header()
    {
        var longCell = string.Join(' ', Enumerable.Repeat("Gebühr.", 40));
        var paragraph = $"""
            {Header}
            | 1 | zehn Euro | ein Monat |
            | 2 | {longCell} | zwei Monate |
            | 3 | zwölf Euro | drei Monate |
            """;

        Assert.Equal(
        [
            $"""
            {Header}
            | 1 | zehn Euro | ein Monat |
            """,
            $"""
            {Header}
            | 2 | {longCell} | zwei Monate |
            """,
            $"""
            {Header}
            | 3 | zwölf Euro | drei Monate |
            """,
        ], Chunk(200, paragraph));
    }

    [Fact]
    public void Rows_without_a_separator_row_are_kept_whole_and_no_header_is_invented()
    {
        var rows = Enumerable.Range(1, 8).Select(i => $"| {i} | Gebühr der Stufe {i} in Euro | fällig nach {i} Monaten |").ToList();
        var chunks = Chunk(200, string.Join('\n', rows));

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.All(c.Split('\n'), line => Assert.Contains(line, rows)));
        Assert.Equal(rows, chunks.SelectMany(c => c.Split('\n')));
    }

    [Fact]
    public void Nothing_is_lost_the_chunks_without_their_repeated_headers_are_the_paragraph()
    {
        var rows = Enumerable.Range(1, 30).Select(i => $"| {i} | {i * 10} Euro | {i} Monate |");
        var paragraph = "(2) Staffel:\n" + Header + "\n" + string.Join('\n', rows) + "\nDanach gilt Absatz 1.";
        var chunks = Chunk(250, paragraph);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks.Skip(1), c => Assert.StartsWith(Header + "\n|", c));
        Assert.All(chunks, c => Assert.True(c.Length <= 250, $"{c.Length} chars"));
        var rejoined = chunks[0] + string.Concat(chunks.Skip(1).Select(c => "\n" + c[(Header.Length + 1)..]));
        Assert.Equal(paragraph, rejoined);
    }
}
