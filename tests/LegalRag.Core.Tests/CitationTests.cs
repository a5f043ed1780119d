using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using Xunit;

namespace LegalRag.Core.Tests;

public sealed class CitationTests
{
    [Theory]
    [InlineData("BGB § 573", "BGB", ProvisionKind.Section, "573", null)]
    [InlineData("BGB § 573 Abs. 2", "BGB", ProvisionKind.Section, "573", "2")]
    [InlineData("§ 573 Abs. 2 S. 1 BGB", "BGB", ProvisionKind.Section, "573", "2")]
    [InlineData("§573a BGB", "BGB", ProvisionKind.Section, "573a", null)]
    [InlineData("§ 573", null, ProvisionKind.Section, "573", null)]
    [InlineData("Art. 544 Code civil", "Code civil", ProvisionKind.Article, "544", null)]
    [InlineData("Article 544 du Code civil", "Code civil", ProvisionKind.Article, "544", null)]
    [InlineData("art. 544 C. civ.", "Code civil", ProvisionKind.Article, "544", null)]
    [InlineData("Code civil, art. 544", "Code civil", ProvisionKind.Article, "544", null)]
    [InlineData("Artikel 7:201 BW", "BW", ProvisionKind.Article, "7:201", null)]
    [InlineData("art. 7:201 lid 2 BW", "BW", ProvisionKind.Article, "7:201", "2")]
    [InlineData("GG Art. 1 Abs. 1", "GG", ProvisionKind.Article, "1", "1")]
    [InlineData("Article 1", null, ProvisionKind.Article, "1", null)]
    [InlineData("Code civil, art. 1792-4-1", "Code civil", ProvisionKind.Article, "1792-4-1", null)]
    [InlineData("art. 6:7 Awb", "Awb", ProvisionKind.Article, "6:7", null)]
    [InlineData("§ 147 AO", "AO", ProvisionKind.Section, "147", null)]
    [InlineData("MuSchG § 3", "MuSchG", ProvisionKind.Section, "3", null)]
    [InlineData("AFG§116G Art. 1", "AFG§116G", ProvisionKind.Article, "1", null)]
    [InlineData("AEAusglV Anlage EV", "AEAusglV", ProvisionKind.Annex, "EV", null)]
    [InlineData("PõRS § 25¹ lg 2 p 3", "PõRS", ProvisionKind.Section, "25¹", "2")]
    [InlineData("PõRS § 25^1", "PõRS", ProvisionKind.Section, "25¹", null)]
    [InlineData("§ 2 lg 1 VÕS", "VÕS", ProvisionKind.Section, "2", "1")]
    [InlineData("bijlage 1 Algemene wet bestuursrecht", "Algemene wet bestuursrecht", ProvisionKind.Annex, "1", null)]
    public void Parses_pinpoint_citations_in_several_styles(string text, string? act, ProvisionKind kind, string number, string? paragraph)
    {
        Assert.True(CitationParser.TryParse(text, out var c), text);
        Assert.Equal(new CitationReference(act, kind, number, paragraph), c);
    }

    [Theory]
    [InlineData("Darf mein Vermieter mir nach § 573 kündigen, wenn er die Wohnung braucht?")]
    [InlineData("Kündigung wegen Eigenbedarf")]
    [InlineData("")]
    public void Questions_are_not_citations(string text) => Assert.False(CitationParser.TryParse(text, out _));

    [Theory]
    [InlineData("de", "BGB", ProvisionKind.Section, "573", "2", "BGB § 573 Abs. 2")]
    [InlineData("de", "GG", ProvisionKind.Article, "1", null, "GG Art. 1")]
    [InlineData("de", "EStG", ProvisionKind.Annex, "2", null, "EStG Anlage 2")]
    [InlineData("fr", "Code civil", ProvisionKind.Article, "544", null, "Code civil, art. 544")]
    [InlineData("nl", "BW", ProvisionKind.Article, "7:201", "2", "art. 7:201 lid 2 BW")]
    [InlineData("en", "Civil Code", ProvisionKind.Article, "1", null, "Civil Code Article 1")]
    public void Formats_canonical_citations_per_language(string lang, string act, ProvisionKind kind, string number, string? paragraph, string expected) =>
        Assert.Equal(expected, CitationFormatter.Format(lang, act, kind, number, paragraph));

    [Theory]
    [InlineData("de", "2", 1, "2", "BGB § 622 Abs. 2 Satz 1 Nr. 2")]
    [InlineData("de", null, 2, null, "BGB § 622 Satz 2")]
    [InlineData("de", "1", null, "a", "BGB § 622 Abs. 1 Buchst. a")]
    [InlineData("de", "6", null, "16a", "BGB § 622 Abs. 6 Nr. 16a")]
    [InlineData("fr", "2", 1, "3", "Code civil, art. 622, al. 2, 3°")]
    [InlineData("nl", "1", 1, "a", "art. 622 lid 1 onder a BW")]
    [InlineData("en", "1", 1, "a", "Civil Code Article 622(1)(a)")]
    public void Formats_sentence_and_item_depth_in_each_style_and_parses_back_to_the_provision(string lang, string? paragraph, int? sentence, string? item, string expected)
    {
        var act = lang switch { "de" => "BGB", "fr" => "Code civil", "nl" => "BW", _ => "Civil Code" };
        var kind = lang == "de" ? ProvisionKind.Section : ProvisionKind.Article;
        var text = CitationFormatter.Format(lang, act, kind, "622", paragraph, sentence, item);
        Assert.Equal(expected, text);
        // A deeper pinpoint still names the same provision (evaluation and lookup match at provision level).
        Assert.True(CitationParser.TryParse(text, out var parsed), text);
        Assert.Equal((act, kind, "622", paragraph), (parsed.Act, parsed.Kind, parsed.Number, parsed.Paragraph));
    }

    [Fact]
    public void Normalizes_numbers_and_act_names_for_matching()
    {
        Assert.Equal("1", CitationReference.NormalizeNumber("1er"));
        Assert.Equal("573a", CitationReference.NormalizeNumber("573A"));
        Assert.Equal(CitationReference.NormalizeAct("Code Civil"), CitationReference.NormalizeAct("code civil"));
        Assert.Equal("auslfvtryug", CitationReference.NormalizeAct("AuslfVtr YUG"));
    }
}
