using LegalRag.Core.Domain;
using LegalRag.Ingestion.Versions;
using Xunit;

namespace LegalRag.Ingestion.Tests.Versions;

public sealed class SnapshotMergeTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static Provision P(string number, string text, DateOnly? from = null, DateOnly? to = null, string? key = null) => new()
    {
        Key = key ?? $"c/code-civil/a{number}", Kind = ProvisionKind.Article, Number = number, Citation = $"Code civil, art. {number}",
        Paragraphs = [new ProvisionParagraph(null, text)], ValidFrom = from, ValidTo = to,
    };

    private static string Dump(SnapshotMerge.Result r) =>
        string.Join(" | ", r.Provisions.Select(p => $"{p.Key} {p.ValidFrom:yyyy-MM-dd}..{p.ValidTo:yyyy-MM-dd} {p.Text}"));

    [Fact]
    public void A_first_snapshot_starts_every_provision_on_its_day()
    {
        var r = SnapshotMerge.Merge([], [P("1", "un"), P("2", "deux")], D(2000, 1, 1));
        Assert.Equal("c/code-civil/a1 2000-01-01.. un | c/code-civil/a2 2000-01-01.. deux", Dump(r));
        Assert.Equal((2, 0, 0), (r.NewVersions, r.Unchanged, r.Closed));
    }

    [Fact]
    public void Only_changed_texts_get_a_new_version_and_vanished_provisions_are_closed_not_deleted()
    {
        var first = SnapshotMerge.Merge([], [P("1", "un"), P("2", "deux"), P("3", "trois")], D(2000, 1, 1));
        var second = SnapshotMerge.Merge(first.Provisions, [P("1", "un"), P("2", "deux modifié")], D(2010, 6, 1));
        Assert.Equal(
            "c/code-civil/a1 2000-01-01.. un | c/code-civil/a2@2000-01-01 2000-01-01..2010-06-01 deux | c/code-civil/a2@2010-06-01 2010-06-01.. deux modifié | c/code-civil/a3 2000-01-01..2010-06-01 trois",
            Dump(second));
        Assert.Equal((1, 1, 1), (second.NewVersions, second.Unchanged, second.Closed));
        // The same snapshot again changes nothing.
        var again = SnapshotMerge.Merge(second.Provisions, [P("1", "un"), P("2", "deux modifié")], D(2010, 6, 1));
        Assert.Equal(Dump(second), Dump(again));
        Assert.Equal((0, 2, 0), (again.NewVersions, again.Unchanged, again.Closed));
    }

    [Fact]
    public void A_repealed_provision_re_enacted_later_gets_a_new_version_after_the_gap()
    {
        var v1 = SnapshotMerge.Merge([], [P("1", "un"), P("2", "deux")], D(2000, 1, 1));
        var repealed = SnapshotMerge.Merge(v1.Provisions, [P("1", "un")], D(2005, 1, 1));
        var reenacted = SnapshotMerge.Merge(repealed.Provisions, [P("1", "un"), P("2", "deux rétabli")], D(2015, 1, 1));
        Assert.Equal(
            "c/code-civil/a1 2000-01-01.. un | c/code-civil/a2@2000-01-01 2000-01-01..2005-01-01 deux | c/code-civil/a2@2015-01-01 2015-01-01.. deux rétabli",
            Dump(reenacted));
    }

    [Fact]
    public void A_second_snapshot_of_the_same_day_replaces_that_days_version()
    {
        var v1 = SnapshotMerge.Merge([], [P("1", "un")], D(2000, 1, 1));
        var v2 = SnapshotMerge.Merge(v1.Provisions, [P("1", "un bis")], D(2010, 1, 1));
        var v2Again = SnapshotMerge.Merge(v2.Provisions, [P("1", "un ter")], D(2010, 1, 1));
        Assert.Equal("c/code-civil/a1@2000-01-01 2000-01-01..2010-01-01 un | c/code-civil/a1@2010-01-01 2010-01-01.. un ter", Dump(v2Again));
    }

    [Fact]
    public void An_older_snapshot_ingested_late_ends_where_the_next_known_version_begins()
    {
        var stored = SnapshotMerge.Merge([], [P("1", "2010 text")], D(2010, 1, 1));
        // Nothing was known before 2010, so the 2000 text is new and bounded by the 2010 version.
        var r = SnapshotMerge.Merge(stored.Provisions, [P("1", "2000 text")], D(2000, 1, 1));
        Assert.Equal("c/code-civil/a1@2000-01-01 2000-01-01..2010-01-01 2000 text | c/code-civil/a1@2010-01-01 2010-01-01.. 2010 text", Dump(r));
    }

    [Fact]
    public void Dates_the_source_gives_win_over_the_snapshot_day()
    {
        var r = SnapshotMerge.Merge([], [P("1", "un", from: D(1999, 3, 1))], D(2000, 1, 1));
        Assert.Equal(D(1999, 3, 1), r.Provisions[0].ValidFrom);
    }
}
