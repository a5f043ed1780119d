using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Core.Versions;
using Xunit;

namespace LegalRag.Core.Tests.Versions;

/// <summary>Choosing one version of a provision by its id or by a day, as <c>show --diff</c> and the REST diff do.</summary>
public sealed class VersionPickTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static StoredProvision S(string key, DateOnly? from, DateOnly? to) => new(key, "c", "fr", "Code civil", "Code civil", "x", new Provision
    {
        Key = key, Kind = ProvisionKind.Article, Number = "229", Citation = "Code civil, art. 229",
        Paragraphs = [new ProvisionParagraph(null, key)], ValidFrom = from, ValidTo = to,
    });

    // 1975 to 2005, then (a same-day correction) two versions starting 2005-01-01, the second in force from then on.
    private static readonly StoredProvision[] Versions =
    [
        S("c/a229@1975-07-11", D(1975, 7, 11), D(2005, 1, 1)),
        S("c/a229@2005-01-01", D(2005, 1, 1), D(2005, 1, 1)),
        S("c/a229@2005-01-01~2", D(2005, 1, 1), null),
    ];

    [Fact]
    public void A_version_id_picks_that_version_even_one_never_in_force()
    {
        Assert.Equal("c/a229@2005-01-01", ProvisionVersions.Pick(Versions, "c/a229@2005-01-01", out var error)?.Key);
        Assert.Null(error);
    }

    [Fact]
    public void A_day_picks_the_version_in_force_that_day_the_end_day_belonging_to_the_next()
    {
        Assert.Equal("c/a229@1975-07-11", ProvisionVersions.Pick(Versions, "1975-07-11", out _)?.Key);
        Assert.Equal("c/a229@1975-07-11", ProvisionVersions.Pick(Versions, "2004-12-31", out _)?.Key);
        Assert.Equal("c/a229@2005-01-01~2", ProvisionVersions.Pick(Versions, "2005-01-01", out var error)?.Key);
        Assert.Null(error);
        Assert.Equal("c/a229@2005-01-01~2", ProvisionVersions.InForceOn(Versions, D(2999, 1, 1))?.Key);
    }

    [Fact]
    public void A_day_before_every_version_names_none_and_says_which_provision_and_day()
    {
        Assert.Null(ProvisionVersions.Pick(Versions, "1900-01-01", out var error));
        Assert.Equal(new VersionPickError(VersionPickFailure.NoneInForce, "no version of Code civil, art. 229 is in force on 1900-01-01"), error);
    }

    [Theory]
    [InlineData("c/a230@1975-07-11")] // another provision's version
    [InlineData("2005-02-30")] // not a calendar day
    [InlineData("01.01.2005")] // not written YYYY-MM-DD
    [InlineData("")]
    public void What_is_neither_a_day_nor_a_version_id_is_refused_by_name(string argument)
    {
        Assert.Null(ProvisionVersions.Pick(Versions, argument, out var error));
        Assert.Equal(VersionPickFailure.NotADayOrVersion, error?.Failure);
        Assert.Equal($"'{argument}' is neither a day (YYYY-MM-DD) nor a version id of this provision", error?.Message);
    }

    [Fact]
    public void No_versions_means_none_in_force_and_undated_versions_count_as_open()
    {
        Assert.Equal("no version of this provision is in force on 2000-01-01", ProvisionVersions.Pick([], "2000-01-01", out var error) is null ? error?.Message : "picked");
        Assert.Equal("c/a1@undated", ProvisionVersions.Pick([S("c/a1@undated", null, null)], "1700-01-01", out _)?.Key);
    }
}
