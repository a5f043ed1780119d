using LegalRag.Core.Domain;
using LegalRag.Core.Languages;
using LegalRag.Core.References;
using Xunit;

namespace LegalRag.Core.Tests.References;

/// <summary>
/// How references are extracted from a document. What each language's rules read out of a sentence is
/// in that language's spec (Languages/Specs/&lt;code&gt;.md, "references").
/// </summary>
public sealed class ReferenceRulesTests
{
    [Fact]
    public void In_a_book_of_a_code_a_bare_article_number_is_in_the_same_book()
    {
        var document = new LegalDocument
        {
            SourcePath = "bw1.md", ContentHash = "h", Language = "nl", Title = "Burgerlijk Wetboek Boek 1, Personen- en familierecht", Abbreviation = "BW", Format = "markdown",
            Provisions =
            [
                new Provision { Key = "c/bw/a1:4", Kind = ProvisionKind.Article, Number = "1:4", Citation = "art. 1:4 BW", Paragraphs = [new ProvisionParagraph("1", "bedoeld in artikel 20a, eerste lid, en artikel 7:182")] },
                new Provision { Key = "c/bw/a1:20a", Kind = ProvisionKind.Article, Number = "1:20a", Citation = "art. 1:20a BW" },
            ],
        };
        Assert.Equal(["1:20a", "7:182"], ReferenceExtractor.Extract(document).Select(r => r.Number));
    }

    [Fact]
    public void Extraction_drops_pointers_into_the_citing_provision_and_duplicates()
    {
        var document = new LegalDocument
        {
            SourcePath = "bgb.md", ContentHash = "h", Language = "de", Title = "Bürgerliches Gesetzbuch", Abbreviation = "BGB", Format = "markdown",
            Provisions =
            [
                new Provision
                {
                    Key = "c/bgb/s573", Kind = ProvisionKind.Section, Number = "573", Citation = "BGB § 573",
                    Paragraphs = [new ProvisionParagraph("1", "Nach § 573 Abs. 2 und § 574 kann …"), new ProvisionParagraph("2", "§ 574 gilt; § 1 AO auch.")],
                },
            ],
        };
        var references = ReferenceExtractor.Extract(document);
        Assert.Equal(
            [new ProvisionReference("c/bgb/s573", null, ProvisionKind.Section, "574"), new ProvisionReference("c/bgb/s573", "AO", ProvisionKind.Section, "1")],
            references);
    }
}
