using LegalRag.Core.Abstractions;

namespace LegalRag.Storage.Qdrant;

/// <summary>One document marker (the catalogue): the version of a source that was stored completely, with its counts.</summary>
public sealed record CatalogueEntry(string SourcePath, string DocHash, long Provisions, long Chunks);

/// <summary>The provision and chunk points found for one version (source path and content hash) of a source.</summary>
public sealed record PointTally(string SourcePath, string DocHash, long Provisions, long Chunks);

/// <summary>What comparing a corpus's points with its catalogue found.</summary>
/// <param name="Damaged">Catalogued documents whose points are not all there: repair deletes them for a new ingest.</param>
/// <param name="Orphans">Versions with points but no marker (a crash before the marker, or an old version left over): repair deletes them.</param>
public sealed record CatalogueFindings(IReadOnlyList<StoreProblem> Problems, IReadOnlyList<RemovedDocument> Damaged, IReadOnlyList<PointTally> Orphans);

/// <summary>
/// Qdrant has no transactions across points, so its consistency is the agreement of point counts with the document
/// markers, which an ingest writes last: every marked document must have exactly the provision and chunk points its
/// marker counts, and no points may belong to an unmarked version. Pure, so it is tested without a server.
/// </summary>
public static class QdrantCatalogueCheck
{
    public static CatalogueFindings Compare(string corpus, IReadOnlyList<CatalogueEntry> catalogue, IReadOnlyList<PointTally> points)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(points);
        var byVersion = points.GroupBy(p => (p.SourcePath, p.DocHash))
            .ToDictionary(g => g.Key, g => new PointTally(g.Key.SourcePath, g.Key.DocHash, g.Sum(p => p.Provisions), g.Sum(p => p.Chunks)));
        var problems = new List<StoreProblem>();
        var damaged = new List<RemovedDocument>();
        foreach (var entry in catalogue.OrderBy(e => e.SourcePath, StringComparer.Ordinal))
        {
            var found = byVersion.GetValueOrDefault((entry.SourcePath, entry.DocHash)) ?? new PointTally(entry.SourcePath, entry.DocHash, 0, 0);
            var reasons = new List<string>();
            if (found.Provisions != entry.Provisions) reasons.Add($"{found.Provisions} provision points of {entry.Provisions} catalogued");
            if (found.Chunks != entry.Chunks) reasons.Add($"{found.Chunks} chunk points of {entry.Chunks} catalogued");
            if (reasons.Count == 0) continue;
            var reason = string.Join("; ", reasons);
            damaged.Add(new RemovedDocument(corpus, entry.SourcePath, reason));
            problems.Add(new StoreProblem(StoreProblemKind.DamagedDocument, corpus, entry.SourcePath, $"document {entry.SourcePath} in corpus {corpus} is not whole on Qdrant: {reason}",
                $"legalrag verify --repair deletes its points; then 'legalrag ingest <its folder> --corpus {corpus}' stores it again"));
        }
        var catalogued = catalogue.Select(e => (e.SourcePath, e.DocHash)).ToHashSet();
        var orphans = byVersion.Values.Where(t => !catalogued.Contains((t.SourcePath, t.DocHash)))
            .OrderBy(t => t.SourcePath, StringComparer.Ordinal).ThenBy(t => t.DocHash, StringComparer.Ordinal).ToList();
        if (orphans.Count > 0)
            problems.Add(new StoreProblem(StoreProblemKind.Orphans, corpus, null,
                $"{orphans.Sum(o => o.Provisions)} provision and {orphans.Sum(o => o.Chunks)} chunk points of {orphans.Count} uncatalogued document versions in corpus {corpus} " +
                $"(e.g. {orphans[0].SourcePath}): an ingest cut short before its marker, or an old version left behind",
                "legalrag verify --repair deletes them; an ingest of the corpus stores the current versions"));
        return new CatalogueFindings(problems, damaged, orphans);
    }
}
