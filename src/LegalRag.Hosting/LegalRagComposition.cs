using LegalRag.Answering;
using LegalRag.Answering.Extractive;
using LegalRag.Answering.Llm;
using LegalRag.Core.Abstractions;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Reranking;
using LegalRag.Hosting.Configuration;
using LegalRag.Hosting.Embedding;
using LegalRag.Retrieval.Lexical;
using LegalRag.Retrieval.Query;
using LegalRag.Retrieval.Ranking;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Qdrant;
using LegalRag.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegalRag.Hosting;

/// <summary>
/// The constructors behind <see cref="LegalRagServiceCollectionExtensions.AddLegalRag(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, LegalRagHostOptions?)"/>:
/// each service is built from settings here and nowhere else, so every host ranks and answers alike.
/// </summary>
public static class LegalRagComposition
{
    /// <summary>
    /// The one place a <see cref="SearchService"/> is constructed: every search setting passed, the embedder and the
    /// reranker when configured. New ranking options belong here, once, for every host.
    /// </summary>
    /// <param name="lexical">The in-memory lexical index over <paramref name="store"/> (<see cref="CreateMemoryLexicalIndex"/>); null: the store's own.</param>
    public static SearchService CreateSearchService(ILegalStore store, LegalRagSettings settings, LoadedEmbedder? embedder, IReranker? reranker, bool withRankers = true,
        MemoryLexicalIndex? lexical = null) =>
        new(lexical ?? (ILexicalIndex)store, store, SearchOptions(settings) with { DenseLanguages = embedder?.Language is { } language ? [language] : null }, vectors: store,
            queryEmbedder: embedder?.Generator, reranker: reranker, rankers: withRankers ? LoadRankers(settings) : null,
            signalsSource: lexical ?? (IRankingSignals)store, references: store);

    /// <summary>
    /// The in-memory lexical index over the embedded store when Search:LexicalIndex asks for it ("memory", or "auto" in
    /// a host that is not one-shot), its first build started in the background; null otherwise (and for Qdrant, whose sparse
    /// vectors are its own lexical index).
    /// </summary>
    public static MemoryLexicalIndex? CreateMemoryLexicalIndex(ILegalStore store, LegalRagSettings settings, bool oneShot, ILoggerFactory? loggers = null)
    {
        var wanted = settings.Search.LexicalIndex switch
        {
            "memory" => true,
            "store" => false,
            _ => !oneShot,
        };
        if (!wanted || store is not SqliteLegalStore sqlite) return null;
        var index = new MemoryLexicalIndex(sqlite, sqlite, sqlite, logger: (loggers ?? NullLoggerFactory.Instance).CreateLogger<MemoryLexicalIndex>());
        index.StartBuild();
        return index;
    }

    public static SearchOptions SearchOptions(LegalRagSettings settings) => new()
    {
        RrfK = settings.Search.RrfK,
        RerankTopN = settings.Reranker.TopN,
        RankWindow = settings.Search.RankWindow,
        MinCandidates = settings.Search.MinCandidates,
        RoutedActs = settings.Search.RoutedActs,
        LexicalPlan = new LexicalPlanOptions
        {
            FieldWeights = new LexicalFieldWeights(settings.Search.HeadingWeight, settings.Search.ContextWeight),
            PrefixMinLength = settings.Search.PrefixMinLength,
            PrefixMaxQueryTerms = settings.Search.PrefixMaxQueryTerms,
            MaxQueryTerms = settings.Search.MaxQueryTerms,
            MaxTermDocFraction = settings.Search.MaxTermDocFraction,
            MaxQueryPostings = settings.Search.MaxQueryPostings,
        },
    };

    /// <summary>The folder the learned rankers are read from: Ranker:Directory, else the embedding model's folder.</summary>
    public static string? RankerDirectory(LegalRagSettings settings) =>
        !string.IsNullOrWhiteSpace(settings.Ranker.Directory) ? settings.Ranker.Directory
        : !string.IsNullOrWhiteSpace(settings.Embedding.ModelDirectory) ? settings.Embedding.ModelDirectory : null;

    /// <summary>Every ranker.&lt;mode&gt;.json in the ranker folder (none when disabled or absent). A broken file stops the start.</summary>
    public static IReadOnlyCollection<IRanker> LoadRankers(LegalRagSettings settings)
    {
        if (!settings.Ranker.Enabled || RankerDirectory(settings) is not { } directory || !Directory.Exists(directory)) return [];
        var rankers = new List<IRanker>();
        foreach (var mode in new[] { RetrievalMode.Lexical, RetrievalMode.Dense, RetrievalMode.Hybrid })
        {
            var file = TreeEnsembleRanker.FileFor(directory, RetrievalModes.Name(mode));
            if (!File.Exists(file)) continue;
            try
            {
                rankers.Add(TreeEnsembleRanker.Load(file));
            }
            catch (InvalidDataException ex)
            {
                throw new SettingsException($"LegalRag:Ranker: {ex.Message}");
            }
        }
        return rankers;
    }

    /// <summary>The configured index backend: the embedded store (default) or Qdrant (LegalRag:Store:Provider = qdrant).</summary>
    /// <param name="vectorModel">Id of the embedding model whose vectors dense search uses (<see cref="LoadedEmbedder.ModelId"/>).</param>
    public static async Task<ILegalStore> OpenStoreAsync(LegalRagSettings settings, ILogger? logger, CancellationToken cancellationToken, string? vectorModel = null)
    {
        if (!settings.Store.IsQdrant) return await OpenSqliteAsync(settings, logger, cancellationToken, vectorModel).ConfigureAwait(false);
        settings.Qdrant.ThrowIfInvalid();
        var qdrant = QdrantStore.Create(settings.Qdrant, logger);
        try
        {
            // A wrong vector size against an existing collection fails here, at start, not at the first query.
            var problems = await qdrant.ValidateAsync(cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0) throw new SettingsException("Qdrant: " + string.Join("; ", problems));
            return qdrant;
        }
        catch
        {
            qdrant.Dispose();
            throw;
        }
    }

    /// <summary>The embedded store in the configured data folder, whatever the provider (index copy and training read from it).</summary>
    public static async Task<SqliteLegalStore> OpenSqliteAsync(LegalRagSettings settings, ILogger? logger, CancellationToken cancellationToken, string? vectorModel = null)
    {
        var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions
        {
            DataDirectory = Path.GetFullPath(settings.DataDirectory),
            VectorModel = vectorModel ?? "default",
        }, cancellationToken).ConfigureAwait(false);
        // Say why this open took long: a store from an older analyzer was re-indexed once.
        if (store.LexicalIndexRebuilt)
            (logger ?? NullLogger.Instance).LexicalIndexRebuilt(store.Options.DatabasePath);
        if (store.MigratedFromSchemaVersion is { } from)
            (logger ?? NullLogger.Instance).StoreMigrated(store.Options.DatabasePath, from);
        return store;
    }

    /// <summary>The configured cross-encoder; null when none is configured.</summary>
    public static OnnxCrossEncoderReranker? CreateReranker(LegalRagSettings settings, ILogger? logger = null)
    {
        if (!settings.Reranker.IsConfigured) return null;
        if (string.IsNullOrWhiteSpace(settings.Reranker.TokenizerPath))
            throw new SettingsException("LegalRag:Reranker:TokenizerPath is required when LegalRag:Reranker:ModelPath is set");
        return new OnnxCrossEncoderReranker(new CrossEncoderOptions
        {
            ModelPath = settings.Reranker.ModelPath!,
            TokenizerPath = settings.Reranker.TokenizerPath!,
            MaxLength = settings.Reranker.MaxLength,
            Session = new OnnxSessionOptions { ExecutionProvider = OnnxSessionOptions.ParseProvider(settings.Reranker.ExecutionProvider) },
        }, logger);
    }

    public static LlmOptions LlmOptions(LegalRagSettings settings) => new()
    {
        Endpoint = settings.Llm.Endpoint, Model = settings.Llm.Model, ApiKey = settings.Llm.ApiKey,
        TimeoutSeconds = settings.Llm.TimeoutSeconds, FirstTokenTimeoutSeconds = settings.Llm.FirstTokenTimeoutSeconds, MaxOutputTokens = settings.Llm.MaxOutputTokens,
    };

    /// <summary>The chat model of the configured LLM endpoint; null when none is configured (extractive answers).</summary>
    public static IChatClient? CreateChatClient(LegalRagSettings settings)
    {
        var llm = LlmOptions(settings);
        return llm.IsConfigured ? new OpenAiCompatibleChatClient(llm) : null;
    }

    /// <summary>Answers over <paramref name="search"/> in <paramref name="mode"/> (Answering:Mode, else the default mode).</summary>
    /// <param name="embedder">The loaded embedding model; with <c>Answering:DenseSentences</c> it also scores answer sentences.</param>
    public static AnswerService CreateAnswerService(SearchService search, IProvisionStore store, LegalRagSettings settings, RetrievalMode mode, IChatClient? chat, ILogger<AnswerService>? logger,
        LoadedEmbedder? embedder = null)
    {
        var options = new AnswerOptions
        {
            RetrieveK = settings.Answering.RetrieveK, LlmSources = settings.Answering.LlmSources, Mode = mode,
            MaxQuestionChars = settings.Answering.MaxQuestionChars, Relevance = new RelevanceOptions { MinMatchedWeight = settings.Answering.MinMatchedWeight },
            Llm = LlmOptions(settings),
        };
        var sentences = settings.Answering.DenseSentences && embedder is not null
            ? new EmbeddingSentenceScorer(embedder.Generator, embedder.Language is { } language ? [language] : null)
            : null;
        return new AnswerService(search, store, options, chat, logger, sentences);
    }
}
