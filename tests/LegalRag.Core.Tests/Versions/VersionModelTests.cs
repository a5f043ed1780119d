using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Core.Versions;
using Xunit;

namespace LegalRag.Core.Tests.Versions;

public sealed class VersionModelTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void A_version_is_in_force_from_its_start_up_to_the_day_before_its_end()
    {
        Assert.True(Validity.InForce(D(2000, 1, 1), D(2010, 1, 1), D(2000, 1, 1)));
        Assert.True(Validity.InForce(D(2000, 1, 1), D(2010, 1, 1), D(2009, 12, 31)));
        Assert.False(Validity.InForce(D(2000, 1, 1), D(2010, 1, 1), D(2010, 1, 1)));
        Assert.False(Validity.InForce(D(2000, 1, 1), D(2010, 1, 1), D(1999, 12, 31)));
    }

    [Fact]
    public void Open_and_unknown_ends_do_not_exclude()
    {
        Assert.True(Validity.InForce(null, null, D(1700, 1, 1)));
        Assert.True(Validity.InForce(D(2000, 1, 1), null, D(2999, 1, 1)));
        Assert.True(Validity.InForce(null, D(2010, 1, 1), D(1700, 1, 1)));
        // The act's interval counts as well: a provision of an act closed in 2020 is not in force after.
        Assert.False(Validity.InForce(D(2000, 1, 1), null, null, D(2020, 1, 1), D(2021, 1, 1)));
        // A version that starts and ends the same day (replaced that day) is never in force.
        Assert.False(Validity.InForce(D(2000, 1, 1), D(2000, 1, 1), D(2000, 1, 1)));
    }

    private static Provision P(string key, DateOnly? from, DateOnly? to, string text = "t", bool repealed = false) => new()
    {
        Key = key, Kind = ProvisionKind.Article, Number = "1", Citation = "Code civil, art. 1",
        Paragraphs = [new ProvisionParagraph(null, text)], ValidFrom = from, ValidTo = to, IsRepealed = repealed,
    };

    [Fact]
    public void Versions_of_one_provision_are_keyed_by_their_start_and_same_day_ones_numbered()
    {
        var keyed = ProvisionVersions.AssignKeys([P("c/a1", D(1804, 3, 21), D(1975, 7, 11)), P("c/a1", D(1975, 7, 11), null), P("c/a2", null, null), P("c/a3", D(2000, 1, 1), null), P("c/a3", D(2000, 1, 1), null), P("c/a3", null, null)]);
        Assert.Equal(["c/a1@1804-03-21", "c/a1@1975-07-11", "c/a2", "c/a3@2000-01-01", "c/a3@2000-01-01~2", "c/a3@undated"], keyed.Select(p => p.Key));
        Assert.Equal(["c/a1", "c/a1", "c/a2", "c/a3", "c/a3", "c/a3"], keyed.Select(p => ProvisionVersions.BaseKey(p.Key)));
        // The store's own suffix for a second act with one abbreviation is part of the identity.
        Assert.Equal("c/a1@0a1b2c3d", ProvisionVersions.BaseKey("c/a1@0a1b2c3d"));
    }

    private static StoredProvision S(Provision p) => new(p.Key, "c", "fr", "Code civil", "Code civil", "x", p);

    [Fact]
    public void Without_a_date_the_version_in_force_today_is_shown_else_the_latest_as_after_a_repeal()
    {
        var today = D(2026, 12, 1);
        var versions = new[] { S(P("c/a1@1804-03-21", D(1804, 3, 21), D(1975, 7, 11))), S(P("c/a1@1975-07-11", D(1975, 7, 11), null)), S(P("c/a1@2030-01-01", D(2030, 1, 1), null)) };
        Assert.Equal("c/a1@1975-07-11", ProvisionVersions.Current(versions, today).Key);
        var repealed = new[] { S(P("c/a2@1804-03-21", D(1804, 3, 21), D(1900, 1, 1))), S(P("c/a2@1900-01-01", D(1900, 1, 1), D(1950, 1, 1), "(abrogé)", repealed: true)) };
        Assert.Equal("c/a2@1900-01-01", ProvisionVersions.Current(repealed, today).Key);
        var collapsed = ProvisionVersions.CollapseToCurrent([.. versions, .. repealed], today);
        Assert.Equal(["c/a1@1975-07-11", "c/a2@1900-01-01"], collapsed.Select(p => p.Key));
    }

    [Fact]
    public void A_word_diff_marks_removed_and_added_words_and_keeps_the_rest()
    {
        var segments = WordDiff.Compute("soit de rupture de la vie commune, soit de faute.", "soit d'acceptation du principe de la rupture du mariage, soit de faute.");
        Assert.Equal("soit [-de rupture-] {+d'acceptation du principe+} de la [-vie commune,-] {+rupture du mariage,+} soit de faute.", WordDiff.Render(segments));
        Assert.Equal([new DiffSegment(DiffOp.Equal, "a b")], WordDiff.Compute("a  b", "a\nb"));
        Assert.Equal("{+new+}", WordDiff.Render(WordDiff.Compute("", "new")));
        Assert.Equal("[-old-]", WordDiff.Render(WordDiff.Compute("old", "")));
    }
}
