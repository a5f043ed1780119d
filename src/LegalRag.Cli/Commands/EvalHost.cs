using LegalRag.Cli.Configuration;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.Commands;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Retrieval;
using LegalRag.Evaluation.Running;
using LegalRag.Ingestion.Chunking;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Cli.Commands;

/// <summary>Connects the evaluation commands to the embedded store and the search service.</summary>
public static class EvalHost
{
    public static System.CommandLine.Command Create() => EvalCommands.Create(new EvalCommandHost
    {
        CreateServices = async (request, ct) =>
        {
            var settings = SettingsLoader.Load(CliContext.DataOverride);
            var mode = SearchCommand.ParseMode(request.Mode) ?? throw new EvalInputException($"unknown --mode '{request.Mode}': use lexical, dense, hybrid or hybrid+rerank");
            // The embedder lives as long as the process: eval run is one run per invocation.
            LoadedEmbedder? embedder;
            try
            {
                embedder = mode == RetrievalMode.Lexical ? null : CliContext.Embedder(settings);
            }
            catch (SettingsException ex)
            {
                throw new EvalInputException(ex.Message);
            }
            var store = await CliContext.OpenStoreAsync(settings, ct, embedder?.ModelId);
            var search = CliContext.Search(store, settings, embedder, mode);
            if (mode != RetrievalMode.Lexical && !search.DenseAvailable)
                throw new EvalInputException($"--mode {request.Mode} needs an embedding model; none is configured (LegalRag:Embedding or --model <folder>)");
            if (embedder is not null)
            {
                try
                {
                    if (store is not SqliteLegalStore embedded)
                        throw new EvalInputException("embedding a corpus for evaluation needs the embedded store; on Qdrant, copy an embedded index with `index copy --to qdrant`");
                    await EmbeddingModels.EnsureVectorsAsync(embedded, embedder, request.Corpus, ct);
                }
                catch (InvalidOperationException ex)
                {
                    throw new EvalInputException(ex.Message);
                }
            }
            var snapshot = store is SqliteLegalStore sqlite ? await sqlite.GetCorpusSnapshotAsync(request.Corpus, ct) : null;
            return new EvalSetup(
                new EvalServices(new StoreRetriever(store, search, mode, request.Mode))
                {
                    GoldResolver = new StoreGoldResolver(store),
                    ProvisionText = new StoreProvisionText(store),
                    // --answers without --server: the answer path in-process (extractive unless an LLM is configured).
                    AnswerClient = request.EvaluateAnswers && request.Server is null
                        ? new InProcessAnswerClient(new Answering.AnswerService(search, store))
                        : null,
                },
                snapshot,
                embedder?.Files ?? [],
                new Dictionary<string, string>
                {
                    ["store"] = settings.Store.Provider,
                    ["mode"] = request.Mode,
                    ["embedding.model"] = embedder?.ModelId ?? "none",
                    ["search.headingWeight"] = settings.Search.HeadingWeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.prefixMinLength"] = settings.Search.PrefixMinLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.prefixMaxQueryTerms"] = settings.Search.PrefixMaxQueryTerms.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.maxQueryTerms"] = settings.Search.MaxQueryTerms.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.maxTermDocFraction"] = settings.Search.MaxTermDocFraction.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.maxQueryPostings"] = settings.Search.MaxQueryPostings.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["search.rrfK"] = settings.Search.RrfK.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["chunking.maxChars"] = settings.Chunking.MaxChars.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
        },
        StoreDocument = async (corpus, document, ct) =>
        {
            var settings = SettingsLoader.Load(CliContext.DataOverride);
            using var embedder = CliContext.Embedder(settings);
            using var store = await CliContext.OpenStoreAsync(settings, ct, embedder?.ModelId);
            await store.EnsureCorpusAsync(corpus, ct);
            var chunks = new StructureChunker(new ChunkingOptions { MaxChars = settings.Chunking.MaxChars }).Chunk(document);
            await store.UpsertDocumentAsync(corpus.Name, document, chunks, ct);
            // Like ingest: a configured model embeds what it has not embedded yet (unchanged text comes from the cache).
            if (embedder is not null)
                await EmbeddingModels.EmbedMissingAsync(store, embedder, corpus.Name, EmbeddingModels.StderrProgress($"Embedding {corpus.Name} with {embedder.ModelId}"), ct);
        },
    });

    private sealed class StoreRetriever(ILegalStore store, SearchService search, RetrievalMode mode, string modeName) : IEvalRetriever
    {
        public string Mode => modeName;

        public async Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, CancellationToken cancellationToken)
        {
            var request = new SearchRequest { Query = question, Corpus = corpus, K = k, Mode = mode };
            var hits = (await search.RetrieveAsync(request, new Core.Abstractions.SearchFilter(corpus), search.CandidatesFor(k), cancellationToken)).Take(k).ToList();
            var citations = await CitationsAsync(hits.Select(h => h.ProvisionKey).ToList(), cancellationToken);
            return hits.Select(h => new RetrievedProvision(h.ProvisionKey, citations.GetValueOrDefault(h.ProvisionKey, ""), h.Score)).ToList();
        }

        private async Task<IReadOnlyDictionary<string, string>> CitationsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            if (store is SqliteLegalStore sqlite) return await sqlite.GetCitationsAsync(keys, cancellationToken);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in keys)
                if (await store.GetProvisionAsync(key, cancellationToken) is { } p) result[key] = p.Provision.Citation;
            return result;
        }
    }

    private sealed class StoreGoldResolver(ILegalStore store) : IGoldResolver
    {
        public async Task<string?> ResolveAsync(string citation, string? corpus, CancellationToken cancellationToken)
        {
            if (!CitationParser.TryParse(citation, out var reference)) return null;
            var found = await store.FindByCitationAsync(reference, corpus, cancellationToken);
            return found.Count > 0 ? found[0].Key : null;
        }
    }

    private sealed class StoreProvisionText(ILegalStore store) : IProvisionTextLookup
    {
        public async Task<string?> GetTextAsync(string provisionKey, CancellationToken cancellationToken) =>
            await store.GetProvisionAsync(provisionKey, cancellationToken) is { } p ? $"{p.Provision.Heading}\n{p.Provision.Text}" : null;
    }
}
