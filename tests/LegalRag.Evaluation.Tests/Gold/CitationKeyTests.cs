using LegalRag.Core.Domain;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Gold;

public sealed class CitationKeyTests
{
    [Theory]
    [InlineData("BGB § 573", "BGB § 573 Abs. 2")]
    [InlineData("BGB § 573", "§ 573 BGB")]
    [InlineData("BGB § 573", "§ 573 Absatz 1 BGB")]
    [InlineData("Code civil, art. 1er", "Code civil, art. 1")]
    [InlineData("Code civil, art. 544", "C. civ., art. 544")]
    [InlineData("Civil Code Article 398-2", "Civil Code Article 398-2(1)")]
    [InlineData("Code civil, art. 1589-1", "Code civil, art. 1589-1, al. 2")]
    public void Same_provision_has_the_same_key_whatever_the_pinpoint(string canonical, string variant)
    {
        Assert.NotNull(CitationKey.Of(canonical));
        Assert.Equal(CitationKey.Of(canonical), CitationKey.Of(variant));
    }

    [Theory]
    [InlineData("BGB § 573", "BGB § 573a")]
    [InlineData("BGB § 573", "EGBGB § 573")]
    [InlineData("Civil Code Article 398", "Civil Code Article 398-2")]
    [InlineData("BGB § 5", "BGB Art. 5")]
    public void Different_provisions_have_different_keys(string a, string b) =>
        Assert.NotEqual(CitationKey.Of(a), CitationKey.Of(b));

    [Fact]
    public void Text_that_is_no_citation_has_no_key() => Assert.Null(CitationKey.Of("Kündigung wegen Eigenbedarf"));

    [Fact]
    public async Task Catalog_resolves_canonical_and_variant_citations_and_rejects_unknown_ones()
    {
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("fixtures-de/bgb/s573", await catalog.ResolveAsync("BGB § 573 Abs. 2", null, ct));
        Assert.Equal("fixtures-de/bgb/s573c", await catalog.ResolveAsync("§ 573c BGB", null, ct));
        Assert.Equal("fixtures-fr/code-civil/art1589-1", await catalog.ResolveAsync("Code civil, art. 1589-1", null, ct));
        Assert.Null(await catalog.ResolveAsync("BGB § 9999", null, ct));
        // No act named: resolves because only one act of the catalog has a § 903.
        Assert.Equal("fixtures-de/bgb/s903", await catalog.ResolveAsync("§ 903", null, ct));
        Assert.Null(await catalog.ResolveAsync("not a citation", null, ct));
    }

    [Fact]
    public async Task Catalog_resolves_gold_that_names_the_act_by_a_derived_alias()
    {
        var ao = new LegalDocument
        {
            SourcePath = "a/ao_1977/index.md", ContentHash = "h", Language = "de", Title = "Abgabenordnung", Abbreviation = "AO 1977", Format = "markdown",
            Provisions = [new Provision { Key = "q/ao-1977/s147", Kind = ProvisionKind.Section, Number = "147", Citation = "AO 1977 § 147" }],
        };
        var catalog = new ProvisionCatalog([ao]);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("q/ao-1977/s147", await catalog.ResolveAsync("§ 147 AO", null, ct));
        Assert.Equal("q/ao-1977/s147", await catalog.ResolveAsync("§ 147 Abs. 1 Abgabenordnung", null, ct));
        Assert.Null(await catalog.ResolveAsync("§ 147 AOX", null, ct));
    }

    [Fact]
    public async Task Catalog_returns_heading_and_text_for_groundedness_checks()
    {
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var text = await catalog.GetTextAsync("fixtures-de/bgb/s551", TestContext.Current.CancellationToken);
        Assert.NotNull(text);
        Assert.StartsWith("Begrenzung und Anlage von Mietsicherheiten", text);
        Assert.Contains("Dreifache der monatlichen Kaltmiete", text);
        Assert.Equal(ProvisionKind.Section, catalog.Get("fixtures-de/bgb/s551")!.Kind);
    }
}
