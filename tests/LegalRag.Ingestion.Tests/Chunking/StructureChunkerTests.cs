using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;
using Xunit;

namespace LegalRag.Ingestion.Tests.Chunking;

public sealed class StructureChunkerTests
{
    private static Provision Section(string number, params string[] paragraphs) => new()
    {
        Key = $"c/act/s{number}",
        Kind = ProvisionKind.Section,
        Number = number,
        Heading = "Überschrift " + number,
        Citation = $"ACT § {number}",
        Paragraphs = paragraphs.Select((t, i) => new ProvisionParagraph((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"({i + 1}) {t}")).ToList(),
    };

    private static LegalDocument Document(params Provision[] provisions) => new()
    {
        SourcePath = "act.md", ContentHash = "h", Language = "de", Title = "Act", Abbreviation = "ACT", Format = "markdown", Provisions = provisions,
    };

    [Fact]
    public void A_short_provision_is_one_chunk_cited_as_the_provision()
    {
        var chunks = new StructureChunker().Chunk(Document(Section("1", "Kurz.", "Auch kurz.")));
        var chunk = Assert.Single(chunks);
        Assert.Equal("ACT § 1", chunk.Citation);
        Assert.Equal("(1) Kurz.\n\n(2) Auch kurz.", chunk.Text);
    }

    [Fact]
    public void A_long_provision_splits_between_paragraphs_with_pinpoint_ranges()
    {
        var para = new string('x', 150) + ".";
        var chunks = new StructureChunker(new ChunkingOptions { MaxChars = 400 }).Chunk(Document(Section("7", para, para, para, para)));
        Assert.Equal(["ACT § 7 Abs. 1–2", "ACT § 7 Abs. 3–4"], chunks.Select(c => c.Citation));
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 400));
        Assert.Equal([0, 1], chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void Chunks_never_cross_provisions_and_repealed_provisions_get_none()
    {
        var repealed = new Provision { Key = "c/act/s2", Kind = ProvisionKind.Section, Number = "2", Citation = "ACT § 2", IsRepealed = true, Paragraphs = [new(null, "(weggefallen)")] };
        var chunks = new StructureChunker().Chunk(Document(Section("1", "Eins."), repealed, Section("3", "Drei.")));
        Assert.Equal(["c/act/s1", "c/act/s3"], chunks.Select(c => c.ProvisionKey));
        Assert.DoesNotContain(chunks, c => c.Text.Contains("Drei") && c.ProvisionKey != "c/act/s3");
    }

    [Fact]
    public void One_overlong_paragraph_splits_at_sentence_ends_under_the_limit()
    {
        var sentence = "Dies ist ein Satz mit einigen Wörtern darin. ";
        var longParagraph = string.Concat(Enumerable.Repeat(sentence, 40));
        var chunks = new StructureChunker(new ChunkingOptions { MaxChars = 300 }).Chunk(Document(Section("9", longParagraph, "Kurz.")));
        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 300, $"{c.Text.Length} chars"));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal("ACT § 9 Abs. 1", c.Citation));
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith(".", c.Text));
        // Nothing lost: the pieces put together are the paragraph.
        var joined = string.Join(" ", chunks.SkipLast(1).Select(c => c.Text));
        Assert.Equal(("(1) " + longParagraph).Replace(" ", ""), joined.Replace(" ", ""));
    }
}
