using LegalRag.Core.Abstractions;
using LegalRag.Storage.Qdrant;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>The Qdrant verification's comparison of points with document markers, without a server.</summary>
public sealed class QdrantCatalogueCheckTests
{
    private static readonly CatalogueEntry MietG = new("m/mietg/index.md", "h1", 2, 3);
    private static readonly CatalogueEntry KaufG = new("k/kaufg/index.md", "h2", 1, 1);

    [Fact]
    public void Points_matching_their_markers_are_consistent()
    {
        var findings = QdrantCatalogueCheck.Compare("c", [MietG, KaufG],
            [new("m/mietg/index.md", "h1", 2, 0), new("m/mietg/index.md", "h1", 0, 3), new("k/kaufg/index.md", "h2", 1, 1)]);
        Assert.Empty(findings.Problems);
        Assert.Empty(findings.Damaged);
        Assert.Empty(findings.Orphans);
    }

    [Fact]
    public void A_document_missing_chunk_points_is_damaged()
    {
        var findings = QdrantCatalogueCheck.Compare("c", [MietG, KaufG], [new("m/mietg/index.md", "h1", 2, 1), new("k/kaufg/index.md", "h2", 1, 1)]);
        var damaged = Assert.Single(findings.Damaged);
        Assert.Equal(("c", "m/mietg/index.md"), (damaged.Corpus, damaged.SourcePath));
        Assert.Equal("1 chunk points of 3 catalogued", damaged.Reason);
        Assert.Equal(StoreProblemKind.DamagedDocument, Assert.Single(findings.Problems).Kind);
    }

    [Fact]
    public void Points_of_an_uncatalogued_version_are_orphans_and_the_marked_version_without_points_is_damaged()
    {
        // An ingest of version h9 killed after its points but before its marker; the old version's points were already gone.
        var findings = QdrantCatalogueCheck.Compare("c", [MietG], [new("m/mietg/index.md", "h9", 2, 3)]);
        Assert.Equal(new PointTally("m/mietg/index.md", "h9", 2, 3), Assert.Single(findings.Orphans));
        Assert.Equal("0 provision points of 2 catalogued; 0 chunk points of 3 catalogued", Assert.Single(findings.Damaged).Reason);
        Assert.Equal([StoreProblemKind.DamagedDocument, StoreProblemKind.Orphans], findings.Problems.Select(p => p.Kind));
    }
}
