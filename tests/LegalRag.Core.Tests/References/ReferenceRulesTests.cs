using LegalRag.Core.Domain;
using LegalRag.Core.References;
using Xunit;

namespace LegalRag.Core.Tests.References;

/// <summary>
/// What each language's rules read out of a sentence. Expected references are written
/// "act|number" ("|573" for the citing act itself), § as "§573", articles as plain numbers.
/// </summary>
public sealed class ReferenceRulesTests
{
    private static string Read(IReferenceRules rules, string sentence) =>
        string.Join(" ", rules.Find(sentence).Select(m => $"{m.Act}|{(m.Kind == ProvisionKind.Section ? "§" : "")}{m.Number}"));

    [Theory]
    [InlineData("Der Vermieter kann nach § 573 Abs. 2 kündigen.", "|§573")]
    [InlineData("Die §§ 535 bis 548 gelten entsprechend.", "|§535 |§536 |§537 |§538 |§539 |§540 |§541 |§542 |§543 |§544 |§545 |§546 |§547 |§548")]
    [InlineData("Die §§ 1 und 2 bleiben unberührt.", "|§1 |§2")]
    [InlineData("Die Frist nach Satz 1 beginnt mit Absatz 2.", "")]
    [InlineData("§ 573 Abs. 1 und 2 gilt.", "|§573")]
    [InlineData("nach § 433 des Bürgerlichen Gesetzbuchs", "Bürgerlichen Gesetzbuchs|§433")]
    [InlineData("im Sinne des § 1 des Handelsgesetzbuches", "Handelsgesetzbuches|§1")]
    [InlineData("nach § 147 der Abgabenordnung aufzubewahren", "Abgabenordnung|§147")]
    [InlineData("gemäß § 3 AO sind Steuern", "AO|§3")]
    [InlineData("nach § 35 SGB X", "SGB X|§35")]
    [InlineData("nach Artikel 13 GG", "GG|13")]
    [InlineData("die in § 5 dieses Gesetzes genannten", "|§5")]
    [InlineData("vom 1. Juli 2005 (BGBl. I S. 1970), § 3 BGBl", "|§3")]
    public void German(string sentence, string expected) => Assert.Equal(expected, Read(new GermanReferenceRules(), sentence));

    [Theory]
    [InlineData("Tout fait quelconque de l'homme, au sens de l'article 1382, oblige", "|1382")]
    [InlineData("Les dispositions des articles 515-1 à 515-7 sont applicables.", "|515-1 |515-2 |515-3 |515-4 |515-5 |515-6 |515-7")]
    [InlineData("dans les conditions prévues à l'article 220 du présent code", "|220")]
    [InlineData("par application de l'article 9 du code civil", "code civil|9")]
    [InlineData("sous réserve de l'article 1792-4-1, alinéa 2", "|1792-4-1")]
    [InlineData("de l'article 1er", "|1")]
    public void French(string sentence, string expected) => Assert.Equal(expected, Read(new FrenchReferenceRules(), sentence));

    [Theory]
    [InlineData("Op de huur is artikel 7:201 van toepassing.", "|7:201")]
    [InlineData("Het bepaalde in artikel 3 geldt.", "|3")]
    [InlineData("In het geval, bedoeld in het eerste lid, vervalt de vordering.", "")]
    [InlineData("aansprakelijk op grond van artikel 6:162 van het Burgerlijk Wetboek", "Burgerlijk Wetboek|6:162")]
    [InlineData("de artikelen 3 tot en met 5 en 7", "|3 |4 |5 |7")]
    [InlineData("bedoeld in artikel 20a, eerste lid, onder b", "|20a")]
    [InlineData("met toepassing van artikel 8:1 Awb", "Awb|8:1")]
    [InlineData("als bedoeld in artikel 214 van Boek 6", "|6:214")]
    [InlineData("artikel 2 van de Algemene wet bestuursrecht", "Algemene wet bestuursrecht|2")]
    public void Dutch(string sentence, string expected) => Assert.Equal(expected, Read(new DutchReferenceRules(), sentence));

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
