using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using Xunit;

namespace LegalRag.Core.Tests;

public sealed class AliasTests
{
    private static ActAliasTier? TierOf(IReadOnlyList<ActAlias> aliases, string language, string named)
    {
        var keys = ActAliases.LookupKeys(language, named);
        var tiers = aliases.Where(a => keys.Contains(a.Key)).Select(a => a.Tier).ToList();
        return tiers.Count == 0 ? null : tiers.Min();
    }

    [Theory]
    [InlineData("de", "Abgabenordnung", "AO 1977", "AO", ActAliasTier.Abbreviation)]
    [InlineData("de", "Abgabenordnung", "AO 1977", "AO 1977", ActAliasTier.Canonical)]
    [InlineData("de", "Abgabenordnung", "AO 1977", "Abgabenordnung", ActAliasTier.Title)]
    [InlineData("de", "Abgabenordnung", "AO 1977", "der Abgabenordnung", null)]
    [InlineData("de", "Gesetz zum Schutz von Müttern bei der Arbeit", "MuSchG 2018", "MuSchG", ActAliasTier.Abbreviation)]
    [InlineData("de", "Bürgerliches Gesetzbuch", "BGB", "Bürgerlichen Gesetzbuchs", ActAliasTier.Title)]
    [InlineData("de", "Handelsgesetzbuch", "HGB", "Handelsgesetzbuches", ActAliasTier.Title)]
    [InlineData("de", "Verordnung über die Abgabenordnung (Abgabenordnung - AO)", null, "AO", ActAliasTier.Abbreviation)]
    [InlineData("de", "Grundgesetz für die Bundesrepublik Deutschland", "GG", "GG", ActAliasTier.Canonical)]
    [InlineData("nl", "Wet van 4 juni 1992, houdende algemene regels van bestuursrecht (Algemene wet bestuursrecht)", "Algemene wet bestuursrecht", "Awb", ActAliasTier.Title)]
    [InlineData("nl", "Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten", "BW", "Burgerlijk Wetboek", ActAliasTier.Title)]
    [InlineData("nl", "Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten", "BW", "BW", ActAliasTier.Canonical)]
    public void Aliases_are_derived_from_the_source(string language, string title, string? abbreviation, string named, ActAliasTier? expected) =>
        Assert.Equal(expected, TierOf(ActAliases.Derive(language, title, abbreviation), language, named));

    [Fact]
    public void Official_aliases_from_the_source_rank_below_the_key_and_above_derived_names()
    {
        // GII: jurabk "StVO 2013" is the key, amtabk "StVO" the official abbreviation; a made-up second amtabk shows
        // that an official alias need not be derivable from anything else.
        var document = new LegalDocument
        {
            SourcePath = "BJNR036710013.xml", ContentHash = "h", Language = "de", Format = "gii-xml",
            Title = "Straßenverkehrs-Ordnung", Abbreviation = "StVO 2013", Aliases = ["StVO", "StrVO"],
        };
        var aliases = ActAliases.Derive(document);
        Assert.Equal(ActAliasTier.Canonical, TierOf(aliases, "de", "StVO 2013"));
        Assert.Equal(ActAliasTier.Official, TierOf(aliases, "de", "StVO"));
        Assert.Equal(ActAliasTier.Official, TierOf(aliases, "de", "StrVO"));
        Assert.Equal(ActAliasTier.Title, TierOf(aliases, "de", "Straßenverkehrs-Ordnung"));
        Assert.Null(TierOf(ActAliases.Derive("de", document.Title, document.Abbreviation), "de", "StrVO"));
        Assert.True(ActAliasTier.Canonical < ActAliasTier.Official && ActAliasTier.Official < ActAliasTier.Abbreviation);
    }

    [Fact]
    public void An_exact_canonical_name_beats_a_derived_abbreviation_and_ties_are_reported()
    {
        var candidates = new[]
        {
            new CitationCandidate<string>("ao-1977/s147", ActAliasTier.Abbreviation, ProvisionKind.Section),
            new CitationCandidate<string>("ao/s147", ActAliasTier.Canonical, ProvisionKind.Section),
        };
        Assert.Equal(["ao/s147"], CitationMatches.Select(candidates, ProvisionKind.Section));
        var tie = new[]
        {
            new CitationCandidate<string>("x/s1", ActAliasTier.Title, ProvisionKind.Section),
            new CitationCandidate<string>("y/s1", ActAliasTier.Title, ProvisionKind.Section),
            new CitationCandidate<string>("y/a1", ActAliasTier.Title, ProvisionKind.Article),
        };
        Assert.Equal(["x/s1", "y/s1"], CitationMatches.Select(tie, ProvisionKind.Section));
    }
}
