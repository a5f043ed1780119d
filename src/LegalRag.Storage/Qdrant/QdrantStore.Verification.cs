using LegalRag.Core.Abstractions;
using Qdrant.Client.Grpc;
using F = LegalRag.Storage.Qdrant.QdrantPayloadFields;

namespace LegalRag.Storage.Qdrant;

/// <summary>Verification on Qdrant: each corpus's provision and chunk points against its document markers
/// (<see cref="QdrantCatalogueCheck"/>); repair deletes what does not match so that an ingest redoes it.</summary>
public sealed partial class QdrantStore : IStoreVerification
{
    private sealed record CorpusFindings(string Corpus, string Collection, CatalogueFindings Findings, VerificationCounts Counts);

    public async Task<VerificationReport> VerifyAsync(string? corpus, CancellationToken cancellationToken)
    {
        var findings = await InspectAsync(corpus, cancellationToken).ConfigureAwait(false);
        return new VerificationReport(findings.Select(f => f.Counts).ToList(), findings.SelectMany(f => f.Findings.Problems).ToList(), []);
    }

    public async Task<RepairReport> RepairAsync(string? corpus, CancellationToken cancellationToken)
    {
        var actions = new List<string>();
        var removed = new List<RemovedDocument>();
        foreach (var f in await InspectAsync(corpus, cancellationToken).ConfigureAwait(false))
        {
            foreach (var d in f.Findings.Damaged)
            {
                // Marker, provisions and chunks of the source together: the next ingest finds it absent and stores it.
                await DeleteAsync(f.Collection, Match.All(Match.Keyword(F.Corpus, f.Corpus), Match.Keyword(F.SourcePath, d.SourcePath)), cancellationToken).ConfigureAwait(false);
                actions.Add($"removed damaged document {d.Corpus}:{d.SourcePath} ({d.Reason})");
                removed.Add(d);
            }
            foreach (var o in f.Findings.Orphans)
                await DeleteAsync(f.Collection, Match.All(Match.Keyword(F.Corpus, f.Corpus), Match.Keyword(F.SourcePath, o.SourcePath), Match.Keyword(F.DocHash, o.DocHash)), cancellationToken).ConfigureAwait(false);
            if (f.Findings.Orphans.Count > 0)
                actions.Add($"deleted the points of {f.Findings.Orphans.Count} uncatalogued document versions in corpus {f.Corpus}");
        }
        return new RepairReport(actions, removed, await VerifyAsync(corpus, cancellationToken).ConfigureAwait(false));
    }

    private async Task<List<CorpusFindings>> InspectAsync(string? corpus, CancellationToken cancellationToken)
    {
        IReadOnlyList<CorpusRecord> corpora;
        if (corpus is null) corpora = await CorpusRecordsAsync(fresh: true, cancellationToken).ConfigureAwait(false);
        else corpora = [await FindCorpusAsync(corpus, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"corpus '{corpus}' is not in Qdrant at {_options.Url}; 'legalrag corpus list' shows the stored corpora")];
        var result = new List<CorpusFindings>();
        foreach (var record in corpora.OrderBy(c => c.Corpus, StringComparer.Ordinal))
        {
            var collection = CollectionFor(record.Corpus);
            var catalogue = new List<CatalogueEntry>();
            await foreach (var point in ScrollAllAsync(collection, Match.All(Match.Keyword(F.Kind, F.KindDocument), Match.Keyword(F.Corpus, record.Corpus)),
                               ScrollPageSize, true, cancellationToken).ConfigureAwait(false))
            {
                if (QdrantPayload.Read<DocumentRecord>(point.Payload) is { } marker)
                    catalogue.Add(new CatalogueEntry(marker.SourcePath, marker.DocHash, marker.Provisions, marker.Chunks));
            }
            var tallies = new Dictionary<(string, string), (long Provisions, long Chunks)>();
            var parts = Match.All(Match.Keyword(F.Corpus, record.Corpus), Match.AnyKeyword(F.Kind, [F.KindProvision, F.KindChunk]));
            await foreach (var point in ScrollAllAsync(collection, parts, ScrollPageSize, new[] { F.Kind, F.SourcePath, F.DocHash }, cancellationToken).ConfigureAwait(false))
            {
                var key = (QdrantPayload.String(point.Payload, F.SourcePath) ?? "", QdrantPayload.String(point.Payload, F.DocHash) ?? "");
                var (p, c) = tallies.GetValueOrDefault(key);
                tallies[key] = QdrantPayload.String(point.Payload, F.Kind) == F.KindChunk ? (p, c + 1) : (p + 1, c);
            }
            var points = tallies.Select(t => new PointTally(t.Key.Item1, t.Key.Item2, t.Value.Provisions, t.Value.Chunks)).ToList();
            var dense = await CountAsync(collection, Match.All(Match.Keyword(F.Kind, F.KindChunk), Match.Keyword(F.Corpus, record.Corpus), Conditions.HasVector(_options.DenseVectorName)), cancellationToken).ConfigureAwait(false);
            long chunks = points.Sum(t => t.Chunks);
            // Every chunk point carries its sparse vector: the lexical index rows are the chunk points.
            var counts = new VerificationCounts(record.Corpus, catalogue.Count, points.Sum(t => t.Provisions), chunks, chunks, dense);
            result.Add(new CorpusFindings(record.Corpus, collection, QdrantCatalogueCheck.Compare(record.Corpus, catalogue, points), counts));
        }
        return result;
    }
}
