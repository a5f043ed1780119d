using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Retrieval.Tests.Ranking;

/// <summary>A hand-written store: a fixed lexical list, provisions in memory, act sizes and in-degrees as given.</summary>
internal sealed class FakeRankingStore : ILexicalIndex, IProvisionStore, IRankingSignals, IReferenceGraph
{
    public List<StoredProvision> Provisions { get; } = [];
    public List<string> LexicalOrder { get; } = [];
    public Dictionary<string, int> InDegrees { get; } = new(StringComparer.Ordinal);
    public int ProvisionBatches { get; private set; }

    public StoredProvision Add(string act, string number, string text, string heading = "", bool repealed = false, ProvisionKind kind = ProvisionKind.Section, string? title = null, string path = "")
    {
        var key = $"c/{act.ToLowerInvariant()}/s{number}";
        var p = new StoredProvision(key, "c", "de", act, title ?? act + " Gesetz", "x.md", new Provision
        {
            Key = key, Kind = kind, Number = number, Heading = heading, Citation = $"{act} § {number}",
            Paragraphs = [new ProvisionParagraph(null, text)], IsRepealed = repealed, Ordinal = Provisions.Count,
            Path = path.Length == 0 ? [] : HierarchyPath.Parse(path),
        });
        Provisions.Add(p);
        return p;
    }

    public Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(LexicalQuery query, int limit, SearchFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChunkHit>>(LexicalOrder.Take(limit).Select((k, i) => new ChunkHit(i + 1, k, 10.0 - i)).ToList());

    public Task<StoredProvision?> GetProvisionAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Provisions.FirstOrDefault(p => p.Key == key));

    public Task<IReadOnlyList<StoredChunk>> GetChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredChunk>>(chunkIds.Select(id =>
        {
            var p = Provisions.First(x => x.Key == LexicalOrder[(int)id - 1]);
            return new StoredChunk(id, p.Key, 0, p.Provision.Citation, p.Provision.Heading, p.Provision.Text, null);
        }).ToList());

    public Task<IReadOnlyList<StoredProvision>> FindByCitationAsync(CitationReference citation, string? corpus, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredProvision>>([]);

    public Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActSummary>>(Provisions.GroupBy(p => p.ActName)
            .Select(g => new ActSummary("c", g.Key, g.First().ActTitle, "de", g.Count(p => !p.Provision.IsRepealed))).ToList());

    public Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken) =>
        Task.FromResult(new TermStatistics(100, terms.ToDictionary(t => t, _ => 5L)));

    public Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ProvisionBatches++;
        return Task.FromResult<IReadOnlyList<StoredProvision>>(keys.Select(k => Provisions.FirstOrDefault(p => p.Key == k)).OfType<StoredProvision>().ToList());
    }

    public Task<IReadOnlyDictionary<string, int>> GetInDegreesAsync(IReadOnlyCollection<string> provisionKeys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(provisionKeys.Where(InDegrees.ContainsKey).ToDictionary(k => k, k => InDegrees[k]));

    public Task<ProvisionReferences> GetReferencesAsync(string provisionKey, CancellationToken cancellationToken) =>
        Task.FromResult(ProvisionReferences.Empty(provisionKey));
}
