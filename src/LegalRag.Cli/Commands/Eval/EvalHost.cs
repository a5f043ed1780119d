using System.Globalization;
using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Retrieval;
using LegalRag.Evaluation.Running;
using LegalRag.Hosting;
using LegalRag.Hosting.Configuration;
using LegalRag.Hosting.Embedding;
using LegalRag.Ingestion.Chunking;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>
/// Connects the evaluation commands to the services AddLegalRag composes, the same the chat server resolves: without
/// --mode a run evaluates Search:DefaultMode, and --answers asks the very AnswerService the chat serves.
/// </summary>
public static class EvalHost
{
    public static System.CommandLine.Command Create(CliInvocation invocation) => EvalCommands.Create(new EvalCommandHost
    {
        // Where the server writes it: feedback.jsonl in the configured (or --data) data folder.
        DefaultFeedbackPath = () => Path.Combine(CliContext.Settings(invocation.Parse).DataDirectory, "feedback.jsonl"),
        CreateServices = async (request, ct) =>
        {
            var requested = RetrievalModes.Parse(request.Mode);
            if (request.Mode is not null && requested is null)
                throw new EvalInputException($"unknown --mode '{request.Mode}': use {RetrievalModes.Choices}");
            // The services live as long as the command: eval run is one run per invocation.
            var services = invocation.Own(await OpenAsync(invocation, requested != RetrievalMode.Lexical, ct));
            var (stack, settings) = (services.Stack, services.Settings);
            var mode = stack.ModeOrDefault(request.Mode)!.Value;
            var modeName = RetrievalModes.Name(mode);
            var store = stack.Store;
            var embedder = RetrievalModes.NeedsEmbedder(mode) ? stack.Embedder : null;
            if (RetrievalModes.NeedsEmbedder(mode) && !stack.Search.DenseAvailable)
                throw new EvalInputException($"--mode {modeName} needs an embedding model; none is configured (LegalRag:Embedding or --model <folder>)");
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
            var sources = store is SqliteLegalStore withSources ? await withSources.GetCorpusProvenanceAsync(request.Corpus, ct) : null;
            string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
            return new EvalSetup(
                new EvalServices(new StoreRetriever(store, stack.Search, mode, modeName))
                {
                    GoldResolver = new StoreGoldResolver(store),
                    ProvisionText = new StoreProvisionText(store),
                    // --answers without --server: the chat's answer path in process (extractive unless an LLM is configured);
                    // an explicit --mode applies to the answers' retrieval too.
                    AnswerClient = request.EvaluateAnswers && request.Server is null
                        ? new InProcessAnswerClient(stack.Answers, request.Mode is null ? null : mode)
                        : null,
                },
                snapshot,
                embedder?.Files ?? [],
                new Dictionary<string, string>
                {
                    ["store"] = settings.Store.Provider,
                    ["mode"] = modeName,
                    ["embedding.model"] = embedder?.ModelId ?? "none",
                    ["search.headingWeight"] = Invariant(settings.Search.HeadingWeight),
                    ["search.prefixMinLength"] = Invariant(settings.Search.PrefixMinLength),
                    ["search.prefixMaxQueryTerms"] = Invariant(settings.Search.PrefixMaxQueryTerms),
                    ["search.maxQueryTerms"] = Invariant(settings.Search.MaxQueryTerms),
                    ["search.maxTermDocFraction"] = Invariant(settings.Search.MaxTermDocFraction),
                    ["search.maxQueryPostings"] = Invariant(settings.Search.MaxQueryPostings),
                    ["search.rrfK"] = Invariant(settings.Search.RrfK),
                    ["search.defaultMode"] = settings.Search.DefaultMode,
                    ["chunking.maxChars"] = Invariant(settings.Chunking.MaxChars),
                },
                sources);
        },
        StoreDocument = async (corpus, document, ct) =>
        {
            await using var services = await OpenAsync(invocation, loadModels: true, ct);
            var (store, embedder) = (services.Stack.Store, services.Stack.Embedder);
            await store.EnsureCorpusAsync(corpus, ct);
            var chunks = new StructureChunker(new ChunkingOptions { MaxChars = services.Settings.Chunking.MaxChars }).Chunk(document);
            await store.UpsertDocumentAsync(corpus.Name, document, chunks, ct);
            // Like ingest: a configured model embeds what it has not embedded yet (unchanged text comes from the cache).
            if (embedder is not null)
                await EmbeddingModels.EmbedMissingAsync(store, embedder, corpus.Name, EmbedProgressDisplay.Stderr($"Embedding {corpus.Name} with {embedder.ModelId}"), ct);
        },
    });

    /// <summary>This invocation's services; a bad setting is reported as bad input, like any other eval error.</summary>
    private static async Task<CliServices> OpenAsync(CliInvocation invocation, bool loadModels, CancellationToken ct)
    {
        try
        {
            return await CliContext.OpenAsync(invocation.Parse, ct, loadModels, oneShot: false);
        }
        catch (SettingsException ex)
        {
            throw new EvalInputException(ex.Message);
        }
    }

    private sealed class StoreRetriever(ILegalStore store, SearchService search, RetrievalMode mode, string modeName) : IEvalRetriever
    {
        public string Mode => modeName;

        public async Task<IReadOnlyList<RetrievedProvision>> RetrieveAsync(string question, int k, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
        {
            // The question's own words for the day ("en 2008") are not searched: the day is the filter, as answers do it.
            if (Core.Languages.QuestionDates.Find(question) is { } named)
            {
                asOf ??= named.Day;
                question = Core.Languages.QuestionDates.Without(question, named);
            }
            var request = new SearchRequest { Query = question, Corpus = corpus, K = k, Mode = mode, AsOf = asOf };
            var hits = (await search.RetrieveAsync(request, new Core.Abstractions.SearchFilter(corpus, null, asOf), Math.Max(k * 2, 50), cancellationToken)).Take(k).ToList();
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

    private sealed class StoreProvisionText(ILegalStore store) : IProvisionTextLookup
    {
        public async Task<string?> GetTextAsync(string provisionKey, CancellationToken cancellationToken) =>
            await store.GetProvisionAsync(provisionKey, cancellationToken) is { } p ? $"{p.Provision.Heading}\n{p.Provision.Text}" : null;
    }
}
