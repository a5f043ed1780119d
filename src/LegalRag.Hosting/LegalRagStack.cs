using LegalRag.Answering;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting.Configuration;
using LegalRag.Hosting.Embedding;
using LegalRag.Retrieval.Lexical;
using LegalRag.Retrieval.Search;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LegalRag.Hosting;

/// <summary>
/// The opened retrieval stack of one host: embedding model, store, reranker, search and answers, built once from
/// the one settings tree. Opening is asynchronous (the store migrates, Qdrant is checked), so it happens in
/// <see cref="OpenAsync"/> at start; asking for a service before that is a programming error and says so.
/// </summary>
public sealed class LegalRagStack : IAsyncDisposable
{
    private readonly LegalRagHostOptions _host;
    private readonly IChatClient? _injectedChat;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private Opened? _opened;
    private IChatClient? _ownedChat;
    private int _fallbackLogged;

    private sealed record Opened(ILegalStore Store, LoadedEmbedder? Embedder, IDisposable? Reranker, SearchService Search, AnswerService Answers, DefaultRetrievalMode DefaultMode,
        MemoryLexicalIndex? Lexical);

    public LegalRagStack(IOptions<LegalRagSettings> settings, LegalRagHostOptions host, IEnumerable<IChatClient> chat, ILoggerFactory? loggers = null)
    {
        Settings = settings.Value;
        _host = host;
        // A chat client the host registered itself (tests, another provider) wins over LegalRag:Llm.
        _injectedChat = chat.FirstOrDefault();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<LegalRagStack>();
    }

    public LegalRagSettings Settings { get; }
    public bool IsOpen => _opened is not null;
    public ILegalStore Store => Require().Store;
    /// <summary>The embedding model; null when none is configured or the host asked for no models.</summary>
    public LoadedEmbedder? Embedder => Require().Embedder;
    public SearchService Search => Require().Search;
    public AnswerService Answers => Require().Answers;
    /// <summary>The mode for requests that name none. The first use says once in the log when it fell back from
    /// Search:DefaultMode (not at open: work that never searches by default, such as ingest, need not hear it).</summary>
    public DefaultRetrievalMode DefaultMode
    {
        get
        {
            var mode = Require().DefaultMode;
            if (mode.FallbackReason is not null && Interlocked.Exchange(ref _fallbackLogged, 1) == 0) _logger.DefaultModeFallback(mode.FallbackReason);
            return mode;
        }
    }

    /// <summary>The request's mode, else the default. Null when <paramref name="requested"/> is not a mode name.</summary>
    public RetrievalMode? ModeOrDefault(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? DefaultMode.Mode : RetrievalModes.Parse(requested);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_opened is not null) return;
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_opened is not null) return;
            _opened = await OpenCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task<Opened> OpenCoreAsync(CancellationToken cancellationToken)
    {
        var settings = Settings;
        // The model opens first: its id selects the store's vectors, and a refused model stops the start before the store is touched.
        var embedder = _host.LoadModels ? EmbeddingModels.Open(settings, _loggers.CreateLogger("LegalRag.Embeddings")) : null;
        ILegalStore? store = null;
        IDisposable? reranker = null;
        MemoryLexicalIndex? lexical = null;
        try
        {
            store = await LegalRagComposition.OpenStoreAsync(settings, _logger, cancellationToken, embedder?.ModelId).ConfigureAwait(false);
            lexical = LegalRagComposition.CreateMemoryLexicalIndex(store, settings, _host.OneShot, _loggers);
            var crossEncoder = _host.LoadModels ? LegalRagComposition.CreateReranker(settings, _loggers.CreateLogger("LegalRag.Reranking")) : null;
            reranker = crossEncoder;
            var search = LegalRagComposition.CreateSearchService(store, settings, embedder, crossEncoder, lexical: lexical);
            var defaultMode = DefaultRetrievalMode.Resolve(settings.Search.DefaultMode, search.DenseAvailable, crossEncoder is not null);

            var answerMode = defaultMode.Mode;
            if (!string.IsNullOrWhiteSpace(settings.Answering.Mode))
            {
                answerMode = RetrievalModes.Parse(settings.Answering.Mode)!.Value;
                if (_host.LoadModels && RetrievalModes.NeedsEmbedder(answerMode) && !search.DenseAvailable)
                    throw new SettingsException($"LegalRag:Answering:Mode is {settings.Answering.Mode}, which needs an embedding model; configure LegalRag:Embedding or set Answering:Mode to lexical");
                if (_host.LoadModels && answerMode == RetrievalMode.HybridRerank && crossEncoder is null)
                    throw new SettingsException("LegalRag:Answering:Mode is hybrid+rerank, which needs LegalRag:Reranker");
            }
            var chat = _injectedChat ?? (_ownedChat = LegalRagComposition.CreateChatClient(settings));
            var answers = LegalRagComposition.CreateAnswerService(search, store, settings, answerMode, chat, _loggers.CreateLogger<AnswerService>(), embedder);
            return new Opened(store, embedder, reranker, search, answers, defaultMode, lexical);
        }
        catch
        {
            reranker?.Dispose();
            lexical?.Dispose();
            store?.Dispose();
            embedder?.Dispose();
            throw;
        }
    }

    private Opened Require() => _opened
        ?? throw new InvalidOperationException("the LegalRag services are not open yet: call IServiceProvider.InitializeLegalRagAsync (or start the host) first");

    public ValueTask DisposeAsync()
    {
        if (_opened is { } opened)
        {
            opened.Reranker?.Dispose();
            opened.Lexical?.Dispose();
            opened.Store.Dispose();
            opened.Embedder?.Dispose();
            _opened = null;
        }
        _ownedChat?.Dispose();
        _opening.Dispose();
        return ValueTask.CompletedTask;
    }
}
