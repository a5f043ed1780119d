using System.Diagnostics;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Text;
using LegalRag.Retrieval.Fusion;
using LegalRag.Retrieval.Query;
using LegalRag.Retrieval.Ranking;
using LegalRag.Retrieval.Snippets;
using Microsoft.Extensions.AI;

namespace LegalRag.Retrieval.Search;

/// <summary>
/// The one search entry point used by the CLI, the chat service and evaluation. Citations typed
/// as queries ("§ 573 BGB") short-circuit to the exact provision; otherwise lexical and dense
/// retrieval run in parallel, are fused and deduplicated to provisions; the top of the fused list is
/// cleaned (repealed provisions, near-duplicate texts) and ordered by the learned ranker
/// (<see cref="IRanker"/>) when one is configured for the mode; optionally reranked by a cross-encoder; and
/// returned with pinpoint citations and snippets.
/// </summary>
public sealed class SearchService(
    ILexicalIndex lexical,
    IProvisionStore provisions,
    SearchOptions? options = null,
    IVectorIndex? vectors = null,
    IEmbeddingGenerator<string, Embedding<float>>? queryEmbedder = null,
    IReranker? reranker = null,
    IReadOnlyCollection<IRanker>? rankers = null,
    IRankingSignals? signalsSource = null,
    IReferenceGraph? references = null,
    TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SearchOptions _options = options ?? new SearchOptions();
    private readonly LexicalQueryPlanner _planner = new((options ?? new SearchOptions()).LexicalPlan, signalsSource);

    /// <summary>The day searched when none is asked for (hosts report it as the as-of day of a plain search).</summary>
    public DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    public bool DenseAvailable => vectors is not null && queryEmbedder is not null;

    /// <summary>How many chunks each first-stage list fetches for k results. Every caller (search, answers,
    /// evaluation, ranker training) asks through this, so a learned ranker sees candidates as it was trained on.</summary>
    public int CandidatesFor(int k) => Math.Max(k * _options.CandidateMultiplier, _options.MinCandidates);

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Query);
        // Queries come from outside: broken UTF-16 is repaired once here rather than failing in whichever stage
        // (normalization, a tokenizer) meets it first.
        if (Utf16.HasLoneSurrogate(request.Query) || (request.Act is not null && Utf16.HasLoneSurrogate(request.Act)))
            request = request with { Query = Utf16.Repair(request.Query), Act = request.Act is null ? null : Utf16.Repair(request.Act) };
        if (request.Query.Length > _options.MaxQueryChars) request = request with { Query = Head(request.Query, _options.MaxQueryChars) };
        if (request.K <= 0) throw new ArgumentOutOfRangeException(nameof(request), "k must be positive");
        if (request.Mode != RetrievalMode.Lexical && !DenseAvailable)
            throw new InvalidOperationException($"Mode '{request.Mode}' needs an embedding model; none is configured. Use --mode lexical or configure LegalRag:Embedding (or pass --model).");
        if (request.Mode == RetrievalMode.HybridRerank && reranker is null)
            throw new InvalidOperationException("Mode 'hybrid+rerank' needs a reranker model; none is configured.");

        var clock = Stopwatch.StartNew();
        (request, var filter) = OnOneDay(request, new SearchFilter(request.Corpus, request.Act));
        var results = new List<SearchResult>();

        // 1. A citation as the query: the exact provision first.
        if (CitationParser.TryParse(request.Query, out var citation))
        {
            var found = VersionsOn(await provisions.FindByCitationAsync(citation, request.Corpus, cancellationToken).ConfigureAwait(false), request.AsOf!.Value);
            foreach (var p in found.Take(request.K)) results.Add(FromCitation(p, citation));
            if (results.Count > 0 && citation.Act is not null)
                return new SearchResponse(results, clock.Elapsed.TotalMilliseconds);
        }

        // 2. Retrieval proper.
        var candidates = CandidatesFor(request.K);
        var (ranked, read) = await RetrieveWithProvisionsAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false);
        var exact = results.Select(r => r.ProvisionId).ToHashSet(StringComparer.Ordinal);
        var remaining = ranked.Where(r => !exact.Contains(r.ProvisionKey)).Take(request.K - results.Count).ToList();

        // 3. Resolve to provisions with snippets from their best chunk.
        var chunks = (await provisions.GetChunksAsync(remaining.Select(r => r.ChunkId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id);
        // Results below the ranked window (k above it) were not read yet: one batch for all of them.
        var unread = remaining.Select(r => r.ProvisionKey).Where(key => !read.ContainsKey(key)).Distinct(StringComparer.Ordinal).ToList();
        if (unread.Count > 0)
            foreach (var (key, p) in await ProvisionsAsync(unread, cancellationToken).ConfigureAwait(false)) read[key] = p;
        var analyzers = new Dictionary<string, TextAnalyzer>(StringComparer.Ordinal);
        foreach (var hit in remaining)
        {
            if (!read.TryGetValue(hit.ProvisionKey, out var provision)) continue;
            chunks.TryGetValue(hit.ChunkId, out var chunk);
            if (!analyzers.TryGetValue(provision.Language, out var analyzer)) analyzers[provision.Language] = analyzer = new TextAnalyzer(provision.Language);
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
                ValidFrom = provision.Provision.ValidFrom,
                ValidTo = provision.Provision.ValidTo,
            });
        }
        return new SearchResponse(results, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>The first <paramref name="max"/> characters of a query, ending at a word boundary where there is one,
    /// and never between the two halves of a surrogate pair.</summary>
    private static string Head(string query, int max)
    {
        var cut = query.LastIndexOf(' ', max);
        if (cut < max / 2) cut = char.IsHighSurrogate(query[max - 1]) ? max - 1 : max;
        return query[..cut];
    }

    /// <summary>Ranked provisions (best chunk of each), without display data. Evaluation calls this directly.</summary>
    public async Task<IReadOnlyList<ChunkHit>> RetrieveAsync(SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken) =>
        (await RetrieveWithProvisionsAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false)).Hits;

    /// <summary>
    /// Ranked provisions as <see cref="RetrieveAsync"/> returns them, with the stored provisions the ranking stage read
    /// for them (the ranked window; none for hits below it), so that a caller that shows or quotes them (answers)
    /// does not read them again one by one.
    /// </summary>
    public async Task<(IReadOnlyList<ChunkHit> Hits, IReadOnlyDictionary<string, StoredProvision> Provisions)> RetrieveProvisionsAsync(
        SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken) =>
        await RetrieveWithProvisionsAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false);

    /// <summary>The ranked hits, and the provisions the ranking stage already read (so results are not read twice).</summary>
    private async Task<(List<ChunkHit> Hits, Dictionary<string, StoredProvision> Provisions)> RetrieveWithProvisionsAsync(
        SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken)
    {
        (request, filter) = OnOneDay(request, filter);
        request = request with { Mode = await EffectiveModeAsync(request, cancellationToken).ConfigureAwait(false) };
        var stage = await FirstStageAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false);
        var ranker = RankerFor(request.Mode);
        var ranked = await RankAsync(request, filter, stage, ranker, withFeatures: ranker is not null, cancellationToken).ConfigureAwait(false);
        var hits = ranked.Select(c => c.Hit).ToList();
        if (request.Mode == RetrievalMode.HybridRerank && reranker is not null && hits.Count > 0)
            hits = await RerankAsync(request.Query, hits, cancellationToken).ConfigureAwait(false);
        var read = new Dictionary<string, StoredProvision>(StringComparer.Ordinal);
        foreach (var c in ranked) if (c.Provision is { } p) read[p.Key] = p;
        return (hits, read);
    }

    /// <summary>
    /// The mode a request really runs in. An embedding model trained on one language's corpus says nothing
    /// useful about another's texts, so a corpus outside <see cref="SearchOptions.DenseLanguages"/> is searched
    /// lexically (and ordered by the lexical ranker) whatever mode was asked for.
    /// </summary>
    public async Task<RetrievalMode> EffectiveModeAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode == RetrievalMode.Lexical || _options.DenseLanguages is not { } languages || request.Corpus is null) return request.Mode;
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        return !catalog.CorpusLanguages.TryGetValue(request.Corpus, out var language) || languages.Contains(language) ? request.Mode : RetrievalMode.Lexical;
    }

    /// <summary>The lexical list: the question planned into terms (<see cref="LexicalQueryPlanner"/>) in the languages of
    /// the corpora searched, then asked of the index.</summary>
    private async Task<IReadOnlyList<ChunkHit>> LexicalAsync(string query, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        var plan = await PlanLexicalAsync(query, filter.Corpus, cancellationToken).ConfigureAwait(false);
        return plan.IsEmpty ? [] : await lexical.SearchLexicalAsync(plan, limit, filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lexical query a question becomes in <paramref name="corpus"/> (every corpus when null).</summary>
    public async Task<LexicalQuery> PlanLexicalAsync(string query, string? corpus, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyCollection<string> languages = corpus is null ? catalog.Languages
            : catalog.CorpusLanguages.TryGetValue(corpus, out var language) ? [language] : [];
        // No act list (a store without ranking signals), or a corpus newer than the cached list: every language
        // the store or the settings know. The index's own filter still keeps the search inside the corpus.
        if (languages.Count == 0) languages = _options.FallbackLanguages.Concat(catalog.Languages).Distinct(StringComparer.Ordinal).ToList();
        return await _planner.PlanAsync(query, languages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The learned ranker that applies to a mode, or null (then the fused order stands).</summary>
    public IRanker? RankerFor(RetrievalMode mode) =>
        rankers?.FirstOrDefault(r => string.Equals(r.Mode, RetrievalModes.FirstStageName(mode), StringComparison.Ordinal));

    /// <summary>The learned rankers this service applies, one per mode at most.</summary>
    public IReadOnlyCollection<IRanker> Rankers => rankers ?? [];

    /// <summary>
    /// The candidates of the first stage with their features, before the learned ranker: repealed provisions
    /// dropped, near-duplicates collapsed, in fused order. Ranker training calls this to label candidates.
    /// </summary>
    public async Task<IReadOnlyList<RankedCandidate>> CandidatesAsync(SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken)
    {
        (request, filter) = OnOneDay(request, filter);
        request = request with { Mode = await EffectiveModeAsync(request, cancellationToken).ConfigureAwait(false) };
        var stage = await FirstStageAsync(request, filter, candidates, cancellationToken).ConfigureAwait(false);
        return await RankAsync(request, filter, stage, ranker: null, withFeatures: true, cancellationToken).ConfigureAwait(false);
    }

    private sealed record FirstStage(List<ChunkHit> Fused, Dictionary<string, FirstStageSignals> Signals, double TopLexical, double TopDense, bool DenseAvailable);

    private async Task<FirstStage> FirstStageAsync(SearchRequest request, SearchFilter filter, int candidates, CancellationToken cancellationToken)
    {
        IReadOnlyList<ChunkHit> lex = [], den = [];
        switch (request.Mode)
        {
            case RetrievalMode.Lexical:
                lex = DedupeByProvision(await LexicalAsync(request.Query, candidates, filter, cancellationToken).ConfigureAwait(false));
                break;
            case RetrievalMode.Dense:
                den = DedupeByProvision(await DenseAsync(request.Query, candidates, filter, cancellationToken).ConfigureAwait(false));
                break;
            default:
                var lexicalTask = LexicalAsync(request.Query, candidates, filter, cancellationToken);
                var denseTask = DenseAsync(request.Query, candidates, filter, cancellationToken);
                await Task.WhenAll(lexicalTask, denseTask).ConfigureAwait(false);
                lex = DedupeByProvision(lexicalTask.Result);
                den = DedupeByProvision(denseTask.Result);
                break;
        }

        List<ChunkHit> fusedHits;
        if (request.Mode == RetrievalMode.Lexical) fusedHits = lex.ToList();
        else if (request.Mode == RetrievalMode.Dense) fusedHits = den.ToList();
        else
        {
            var bestChunk = new Dictionary<string, ChunkHit>(StringComparer.Ordinal);
            foreach (var h in den.Concat(lex)) bestChunk[h.ProvisionKey] = h; // lexical chunk wins for snippets
            var fused = _options.Fusion == FusionMethod.Rrf
                ? RankFusion.Rrf([lex.Select(h => h.ProvisionKey).ToList(), den.Select(h => h.ProvisionKey).ToList()], _options.RrfK)
                : RankFusion.Normalized([lex.Select(h => (h.ProvisionKey, h.Score)).ToList(), den.Select(h => (h.ProvisionKey, h.Score)).ToList()]);
            fusedHits = fused.Select(f => bestChunk[f.Key] with { Score = f.Score }).ToList();
        }

        var signals = new Dictionary<string, FirstStageSignals>(StringComparer.Ordinal);
        var lexRank = lex.Select((h, i) => (h, i)).ToDictionary(x => x.h.ProvisionKey, x => (Rank: x.i + 1, x.h.Score), StringComparer.Ordinal);
        var denRank = den.Select((h, i) => (h, i)).ToDictionary(x => x.h.ProvisionKey, x => (Rank: x.i + 1, x.h.Score), StringComparer.Ordinal);
        for (var i = 0; i < fusedHits.Count; i++)
        {
            var key = fusedHits[i].ProvisionKey;
            var l = lexRank.GetValueOrDefault(key);
            var d = denRank.GetValueOrDefault(key);
            signals[key] = new FirstStageSignals(l.Rank, l.Score, d.Rank, d.Score, i + 1, fusedHits[i].Score);
        }
        return new FirstStage(fusedHits, signals, lex.Count > 0 ? lex[0].Score : 0, den.Count > 0 ? den[0].Score : 0, request.Mode != RetrievalMode.Lexical);
    }

    /// <summary>
    /// The ranking stage over the top of the fused list: repealed provisions never ranked, near-duplicate
    /// texts collapsed into their best-placed copy, then ordered by the learned ranker when one applies.
    /// Candidates below the ranked window keep their fused order after it.
    /// </summary>
    private async Task<IReadOnlyList<RankedCandidate>> RankAsync(SearchRequest request, SearchFilter filter, FirstStage stage, IRanker? ranker, bool withFeatures, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var window = stage.Fused.Take(_options.RankWindow).ToList();
        var windowSize = window.Count;
        if (window.Count == 0) return [];
        var stored = await ProvisionsAsync(window.Select(h => h.ProvisionKey).ToList(), cancellationToken).ConfigureAwait(false);
        // Routed hits only move up through a ranker's features; without features they would only trail the window.
        if (withFeatures && _options.RoutedActs > 0 && request.Mode != RetrievalMode.Dense && filter.Act is null)
            await RouteToActsAsync(request, filter, stage, window, stored, cancellationToken).ConfigureAwait(false);

        var seenTexts = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<(ChunkHit Hit, StoredProvision Provision)>();
        var day = request.AsOf ?? Today;
        foreach (var hit in window)
        {
            if (!stored.TryGetValue(hit.ProvisionKey, out var p)) continue;
            if (p.Provision.IsRepealed || !InForce(p, day)) continue;
            if (!seenTexts.Add(FingerprintOf(p))) continue;
            kept.Add((hit, p));
        }

        if (!withFeatures)
            return kept.Select(k => new RankedCandidate(k.Hit, k.Provision, [])).Concat(stage.Fused.Skip(windowSize).Select(h => new RankedCandidate(h, null, []))).ToList();

        // Only features need the acts and the reference graph: a search without a ranker does not ask for them.
        var acts = await ActsAsync(cancellationToken).ConfigureAwait(false);
        var inDegrees = references is null
            ? new Dictionary<string, int>()
            : await references.GetInDegreesAsync(kept.Select(k => k.Provision.Key).ToList(), cancellationToken).ConfigureAwait(false);
        var actShare = kept.GroupBy(k => RankingFeatures.ActKey(k.Provision)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var analyzers = new Dictionary<string, TextAnalyzer>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, QueryContext>(StringComparer.Ordinal);
        var ranked = new List<RankedCandidate>(kept.Count + stage.Fused.Count - window.Count);
        foreach (var (hit, p) in kept)
        {
            if (!analyzers.TryGetValue(p.Language, out var analyzer)) analyzers[p.Language] = analyzer = new TextAnalyzer(p.Language);
            if (!contexts.TryGetValue(p.Language, out var context))
            {
                var terms = analyzer.Analyze(query);
                var statistics = signalsSource is null ? null : await signalsSource.GetTermStatisticsAsync(terms, cancellationToken).ConfigureAwait(false);
                contexts[p.Language] = context = new QueryContext(RankingFeatures.TermWeights(terms, statistics), stage.TopLexical, stage.TopDense, stage.DenseAvailable, actShare, kept.Count);
            }
            acts.TryGetValue(RankingFeatures.ActKey(p), out var act);
            var features = RankingFeatures.Extract(context, p, stage.Signals[hit.ProvisionKey], act, inDegrees.GetValueOrDefault(p.Key), TermsOf(analyzer, p));
            ranked.Add(new RankedCandidate(hit, p, features));
        }

        if (ranker is not null)
        {
            var scored = ranked.Select((c, i) => (c, i, s: ranker.Score(c.Features))).OrderByDescending(x => x.s).ThenBy(x => x.i).ToList();
            ranked = scored.Select(x => x.c with { Hit = x.c.Hit with { Score = x.s } }).ToList();
        }
        // Below the window: fused order, without the details (never shown as near the top).
        ranked.AddRange(stage.Fused.Skip(windowSize).Select(h => new RankedCandidate(h, null, [])));
        return ranked;
    }

    /// <summary>
    /// The request and the filter on the same day: the request's, else the filter's, else today. The stores filter on the
    /// filter's day and the ranking stage on the request's, so a caller naming the day in only one of them (a filter built
    /// from the corpus alone) still gets one day's law.
    /// </summary>
    private (SearchRequest Request, SearchFilter Filter) OnOneDay(SearchRequest request, SearchFilter filter)
    {
        var day = request.AsOf ?? filter.AsOf ?? Today;
        return (request.AsOf == day ? request : request with { AsOf = day }, filter.AsOf == day ? filter : filter with { AsOf = day });
    }

    /// <summary>
    /// Of the provisions a citation names, the versions in force on <paramref name="day"/> where a provision has several
    /// (the same act and citation): "art. 910" as of 2008 is the text in force then. A provision with one version stays,
    /// in force or not: a lookup by citation finds repealed and superseded text too.
    /// </summary>
    internal static IReadOnlyList<StoredProvision> VersionsOn(IReadOnlyList<StoredProvision> found, DateOnly day)
    {
        if (found.Count < 2) return found;
        var kept = new List<StoredProvision>(found.Count);
        foreach (var group in found.GroupBy(p => (p.Corpus, p.ActName, p.Provision.Citation)))
        {
            var inForce = group.Where(p => InForce(p, day)).ToList();
            kept.AddRange(inForce.Count > 0 && inForce.Count < group.Count() ? inForce : group);
        }
        return kept;
    }

    /// <summary>
    /// Whether a provision is law on <paramref name="day"/>: neither it nor its act starts later or has ended. An end date
    /// is the first day no longer in force (an act its publisher stopped listing is closed on the day that was seen;
    /// LEGI's DATE_FIN is the next version's start). Superseded versions and withdrawn acts stay citable by lookup,
    /// but a search for today's law does not offer them. (Point-in-time search, issue 14, generalises the day.)
    /// </summary>
    internal static bool InForce(StoredProvision p, DateOnly day) =>
        LegalRag.Core.Versions.Validity.InForce(p.Provision.ValidFrom, p.Provision.ValidTo, p.Act?.ValidFrom, p.Act?.ValidTo, day);

    /// <summary>
    /// Act routing: a lay question over thousands of acts finds the right act (many of its provisions among the
    /// candidates) more often than the right provision. The acts that gather the most fused weight are searched
    /// again on their own, and what that finds joins the window with its rank there as a signal.
    /// </summary>
    private async Task RouteToActsAsync(SearchRequest request, SearchFilter filter, FirstStage stage, List<ChunkHit> window,
        Dictionary<string, StoredProvision> stored, CancellationToken cancellationToken)
    {
        var actWeight = new Dictionary<(string Corpus, string Act), double>();
        for (var i = 0; i < window.Count; i++)
        {
            if (!stored.TryGetValue(window[i].ProvisionKey, out var p) || p.Provision.IsRepealed) continue;
            var key = (p.Corpus, p.ActName);
            actWeight[key] = actWeight.GetValueOrDefault(key) + 1.0 / (10 + i + 1);
        }
        var routed = actWeight.OrderByDescending(kv => kv.Value).Take(_options.RoutedActs).Select(kv => kv.Key).ToList();
        if (routed.Count == 0) return;
        var searches = routed.Select(a => LexicalAsync(request.Query, _options.RoutedCandidates, new SearchFilter(a.Corpus, a.Act, filter.AsOf), cancellationToken)).ToList();
        await Task.WhenAll(searches).ConfigureAwait(false);
        var inWindow = window.Select(h => h.ProvisionKey).ToHashSet(StringComparer.Ordinal);
        var added = new List<ChunkHit>();
        foreach (var search in searches)
        {
            var hits = DedupeByProvision(search.Result);
            for (var i = 0; i < hits.Count; i++)
            {
                var key = hits[i].ProvisionKey;
                var current = stage.Signals.GetValueOrDefault(key);
                stage.Signals[key] = current is null
                    ? new FirstStageSignals(0, 0, 0, 0, 0, 0) { RouteRank = i + 1 }
                    : current with { RouteRank = current.RouteRank == 0 ? i + 1 : Math.Min(current.RouteRank, i + 1) };
                if (inWindow.Add(key)) added.Add(hits[i] with { Score = 0 });
            }
        }
        if (added.Count == 0) return;
        foreach (var (key, p) in await ProvisionsAsync(added.Select(h => h.ProvisionKey).ToList(), cancellationToken).ConfigureAwait(false))
            stored[key] = p;
        window.AddRange(added);
    }

    // Analyzed provisions by key and content; bounded, because a long-running server sees the whole corpus in time.
    private const int TermCacheLimit = 50_000;
    private readonly ClearingCache<(string Key, int Length, string Heading), ProvisionTerms> _terms = new(TermCacheLimit);

    // Near-duplicate fingerprints by provision and content: hashing the text of a hundred candidates was a fifth of a
    // lay question's time; popular provisions come back query after query. Bounded like the term cache.
    private readonly ClearingCache<(string Key, int Length, string Heading), string> _fingerprints = new(TermCacheLimit);

    private string FingerprintOf(StoredProvision p) =>
        _fingerprints.GetOrAdd((p.Key, TextLength(p), p.Provision.Heading), p, static (_, provision) => NearDuplicates.Fingerprint(provision));

    /// <summary>The length of <see cref="LegalRag.Core.Domain.Provision.Text"/> without joining its paragraphs (a cache key, per candidate).</summary>
    private static int TextLength(StoredProvision p)
    {
        var paragraphs = p.Provision.Paragraphs;
        var length = Math.Max(0, paragraphs.Count - 1) * 2;
        foreach (var paragraph in paragraphs) length += paragraph.Text.Length;
        return length;
    }

    private ProvisionTerms TermsOf(TextAnalyzer analyzer, StoredProvision p) =>
        _terms.GetOrAdd((p.Key, TextLength(p), p.Provision.Heading), (analyzer, p), static (_, s) => ProvisionTerms.Of(s.analyzer, s.p));

    private async Task<Dictionary<string, StoredProvision>> ProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (signalsSource is not null)
            return (await signalsSource.GetProvisionsAsync(keys, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Key, StringComparer.Ordinal);
        var found = new Dictionary<string, StoredProvision>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (await provisions.GetProvisionAsync(key, cancellationToken).ConfigureAwait(false) is { } p) found[key] = p;
        return found;
    }

    // Acts change only on ingest; a server that runs for days sees new acts within this time.
    private static readonly TimeSpan ActCacheLifetime = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _actLock = new(1, 1);
    // A reference, swapped whole: readers on other threads never see half an update. The corpus languages are
    // derived once per load, not per query (a store of all federal law lists 6,636 acts).
    private sealed record ActCache(Dictionary<string, ActSummary> Acts, Dictionary<string, string> CorpusLanguages, IReadOnlyList<string> Languages, DateTime LoadedAt);
    private volatile ActCache? _acts;

    private async Task<Dictionary<string, ActSummary>> ActsAsync(CancellationToken cancellationToken) =>
        (await CatalogAsync(cancellationToken).ConfigureAwait(false)).Acts;

    private async Task<ActCache> CatalogAsync(CancellationToken cancellationToken)
    {
        if (signalsSource is null) return new ActCache([], [], [], DateTime.UtcNow);
        if (_acts is { } cached && DateTime.UtcNow - cached.LoadedAt < ActCacheLifetime) return cached;
        await _actLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_acts is { } again && DateTime.UtcNow - again.LoadedAt < ActCacheLifetime) return again;
            var acts = new Dictionary<string, ActSummary>(StringComparer.Ordinal);
            var corpusLanguages = new Dictionary<string, string>(StringComparer.Ordinal);
            // Two documents of one act name (rare) count together.
            foreach (var a in await signalsSource.GetActsAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = RankingFeatures.ActKey(a);
                acts[key] = acts.TryGetValue(key, out var prior)
                    ? prior with { Provisions = prior.Provisions + a.Provisions, CitingActs = Math.Max(prior.CitingActs, a.CitingActs) }
                    : a;
                corpusLanguages.TryAdd(a.Corpus, LegalRag.Core.Citations.CitationFormatter.NormalizeLanguage(a.Language));
            }
            var languages = corpusLanguages.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return _acts = new ActCache(acts, corpusLanguages, languages, DateTime.UtcNow);
        }
        finally
        {
            _actLock.Release();
        }
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
            ValidFrom = p.Provision.ValidFrom,
            ValidTo = p.Provision.ValidTo,
        };
    }
}
