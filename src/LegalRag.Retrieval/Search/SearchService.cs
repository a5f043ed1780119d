using System.Diagnostics;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Text;
using LegalRag.Embeddings;
using LegalRag.Retrieval.Fusion;
using LegalRag.Retrieval.Snippets;
using Microsoft.Extensions.AI;

namespace LegalRag.Retrieval.Search;

/// <summary>
/// The one search entry point used by the CLI, the chat service and evaluation. Citations typed
/// as queries ("§ 573 BGB") short-circuit to the exact provision; otherwise lexical and dense
/// retrieval run in parallel, are fused, deduplicated to provisions, optionally reranked, and
/// returned with pinpoint citations and snippets.
/// </summary>
public sealed class SearchService(
    ILexicalIndex lexical,
    IProvisionStore provisions,
    SearchOptions? options = null,
    IVectorIndex? vectors = null,
    IEmbeddingGenerator<string, Embedding<float>>? queryEmbedder = null,
    IReranker? reranker = null)
{
    private readonly SearchOptions _options = options ?? new SearchOptions();

    public bool DenseAvailable => vectors is not null && queryEmbedder is not null;

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Query);
        if (request.K <= 0) throw new ArgumentOutOfRangeException(nameof(request), "k must be positive");
        if (request.Mode != RetrievalMode.Lexical && !DenseAvailable)
            throw new InvalidOperationException($"Mode '{request.Mode}' needs an embedding model; none is configured. Use --mode lexical or configure LegalRag:Embedding (or pass --model).");
        if (request.Mode == RetrievalMode.HybridRerank && reranker is null)
            throw new InvalidOperationException("Mode 'hybrid+rerank' needs a reranker model; none is configured.");

        var clock = Stopwatch.StartNew();
        var filter = new SearchFilter(request.Corpus, request.Act);
        var results = new List<SearchResult>();

        // 1. A citation as the query: the exact provision first.
        if (CitationParser.TryParse(request.Query, out var citation))
        {
            var found = await provisions.FindByCitationAsync(citation, request.Corpus, cancellationToken).ConfigureAwait(false);
            foreach (var p in found.Take(request.K)) results.Add(FromCitation(p, citation));
            if (results.Count > 0 && citation.Act is not null)
                return new SearchResponse(results, clock.Elapsed.TotalMilliseconds);
        }

        // 2. Retrieval proper.
        var candidates = Math.Max(request.K * _options.CandidateMultiplier, _options.MinCandidates);
        var ranked = await RetrieveAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false);
        var exact = results.Select(r => r.ProvisionId).ToHashSet(StringComparer.Ordinal);
        var remaining = ranked.Where(r => !exact.Contains(r.ProvisionKey)).Take(request.K - results.Count).ToList();

        // 3. Resolve to provisions with snippets from their best chunk.
        var chunks = (await provisions.GetChunksAsync(remaining.Select(r => r.ChunkId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id);
        foreach (var hit in remaining)
        {
            var provision = await provisions.GetProvisionAsync(hit.ProvisionKey, cancellationToken).ConfigureAwait(false);
            if (provision is null) continue;
            chunks.TryGetValue(hit.ChunkId, out var chunk);
            var analyzer = new TextAnalyzer(provision.Language);
            results.Add(new SearchResult
            {
                Citation = provision.Provision.Citation,
                ProvisionId = provision.Key,
                Path = provision.Provision.PathDisplay,
                Heading = provision.Provision.Heading,
                Snippet = SnippetBuilder.Build(chunk?.Text ?? provision.Provision.Text, request.Query, analyzer, _options.SnippetChars),
                Score = Math.Round(hit.Score, 6),
                Pinpoint = chunk?.Citation ?? provision.Provision.Citation,
                Act = provision.ActName,
                Corpus = provision.Corpus,
                SourcePath = provision.SourcePath,
                Page = chunk?.Page,
                Repealed = provision.Provision.IsRepealed,
            });
        }
        return new SearchResponse(results, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Ranked provisions (best chunk of each), without display data. Evaluation calls this directly.</summary>
    public async Task<IReadOnlyList<ChunkHit>> RetrieveAsync(SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken)
    {
        switch (request.Mode)
        {
            case RetrievalMode.Lexical:
                return DedupeByProvision(await lexical.SearchLexicalAsync(request.Query, candidates, filter, cancellationToken).ConfigureAwait(false));
            case RetrievalMode.Dense:
                return DedupeByProvision(await DenseAsync(request.Query, candidates, filter, cancellationToken).ConfigureAwait(false));
        }

        var lexicalTask = lexical.SearchLexicalAsync(request.Query, candidates, filter, cancellationToken);
        var denseTask = DenseAsync(request.Query, candidates, filter, cancellationToken);
        await Task.WhenAll(lexicalTask, denseTask).ConfigureAwait(false);
        var lex = DedupeByProvision(lexicalTask.Result);
        var den = DedupeByProvision(denseTask.Result);
        var bestChunk = new Dictionary<string, ChunkHit>(StringComparer.Ordinal);
        foreach (var h in den.Concat(lex)) bestChunk[h.ProvisionKey] = h; // lexical chunk wins for snippets

        var fused = _options.Fusion == FusionMethod.Rrf
            ? RankFusion.Rrf([lex.Select(h => h.ProvisionKey).ToList(), den.Select(h => h.ProvisionKey).ToList()], _options.RrfK)
            : RankFusion.Normalized([lex.Select(h => (h.ProvisionKey, h.Score)).ToList(), den.Select(h => (h.ProvisionKey, h.Score)).ToList()]);
        var hits = fused.Select(f => bestChunk[f.Key] with { Score = f.Score }).ToList();

        if (request.Mode == RetrievalMode.HybridRerank && reranker is not null && hits.Count > 0)
            hits = await RerankAsync(request.Query, hits, cancellationToken).ConfigureAwait(false);
        return hits;
    }

    private async Task<List<ChunkHit>> RerankAsync(string query, List<ChunkHit> hits, CancellationToken cancellationToken)
    {
        var top = hits.Take(_options.RerankTopN).ToList();
        var chunks = (await provisions.GetChunksAsync(top.Select(h => h.ChunkId).ToList(), cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id);
        var passages = top.Select(h => chunks.TryGetValue(h.ChunkId, out var c) ? $"{c.Heading}\n{c.Text}" : "").ToList();
        var scores = await reranker!.ScoreAsync(query, passages, cancellationToken).ConfigureAwait(false);
        var reranked = top.Select((h, i) => h with { Score = scores[i] }).OrderByDescending(h => h.Score).ToList();
        reranked.AddRange(hits.Skip(_options.RerankTopN));
        return reranked;
    }

    private async Task<IReadOnlyList<ChunkHit>> DenseAsync(string query, int candidates, SearchFilter filter, CancellationToken cancellationToken)
    {
        var embedding = await queryEmbedder!.GenerateAsync([query], EmbeddingInputKind.QueryOptions(), cancellationToken).ConfigureAwait(false);
        return await vectors!.SearchDenseAsync(embedding[0].Vector, candidates, filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps each provision's best chunk, preserving rank order.</summary>
    public static List<ChunkHit> DedupeByProvision(IReadOnlyList<ChunkHit> hits)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<ChunkHit>(hits.Count);
        foreach (var h in hits) if (seen.Add(h.ProvisionKey)) list.Add(h);
        return list;
    }

    private static SearchResult FromCitation(StoredProvision p, CitationReference citation)
    {
        var paragraph = citation.Paragraph is null ? null : p.Provision.Paragraphs.FirstOrDefault(x => x.Label == citation.Paragraph);
        var text = paragraph?.Text ?? p.Provision.Text;
        return new SearchResult
        {
            Citation = p.Provision.Citation,
            ProvisionId = p.Key,
            Path = p.Provision.PathDisplay,
            Heading = p.Provision.Heading,
            Snippet = text.Length > 240 ? text[..240].TrimEnd() + " …" : text.Replace('\n', ' '),
            Score = 1.0,
            Pinpoint = paragraph is null ? p.Provision.Citation : CitationFormatter.Format(p.Language, p.ActName, p.Provision.Kind, p.Provision.Number, paragraph.Label),
            Act = p.ActName,
            Corpus = p.Corpus,
            SourcePath = p.SourcePath,
            Page = paragraph?.Page ?? p.Provision.FirstPage,
            CitationMatch = true,
            Repealed = p.Provision.IsRepealed,
        };
    }
}
