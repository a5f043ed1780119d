using System.CommandLine;
using LegalRag.Cli.Configuration;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Retrieval.Search;
using LegalRag.Core.Abstractions;
using LegalRag.Storage.Qdrant;
using LegalRag.Storage.Sqlite;

namespace LegalRag.Cli.Commands;

/// <summary>Options every command shares, and the composition of the embedded store and services from settings.</summary>
public static class CliContext
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data folder of the embedded store (overrides LegalRag:DataDirectory and LEGALRAG__DataDirectory)",
        Recursive = true,
    };

    public static readonly Option<string?> ModelOption = new("--model")
    {
        Description = "Embedding model folder (from 'legalrag model train'), instead of LegalRag:Embedding",
        Recursive = true,
    };

    /// <summary>The --model value of this invocation (set by <see cref="LegalRagCli.RunAsync"/>, like <see cref="DataOverride"/>).</summary>
    public static string? ModelOverride { get; set; }

    /// <summary>The embedding model of this invocation, or null when none is configured (lexical only).</summary>
    public static LoadedEmbedder? Embedder(LegalRagSettings settings, string? modelOverride = null) =>
        EmbeddingModels.Open(settings, modelOverride ?? ModelOverride);

    public static LegalRagSettings Settings(ParseResult parse) => SettingsLoader.Load(parse.GetValue(DataOption));

    /// <summary>The --data value of this invocation, for commands built outside this project (eval) that
    /// receive no ParseResult. Set once per process by <see cref="LegalRagCli.RunAsync"/>.</summary>
    public static string? DataOverride { get; set; }

    /// <summary>The configured index backend: the embedded store (default) or Qdrant (LegalRag:Store:Provider = qdrant).</summary>
    /// <param name="vectorModel">Id of the embedding model whose vectors dense search uses (<see cref="LoadedEmbedder.ModelId"/>).</param>
    public static async Task<ILegalStore> OpenStoreAsync(LegalRagSettings settings, CancellationToken cancellationToken, string? vectorModel = null)
    {
        if (!settings.Store.IsQdrant) return await OpenSqliteAsync(settings, cancellationToken, vectorModel);
        settings.Qdrant.ThrowIfInvalid();
        var qdrant = QdrantStore.Create(settings.Qdrant);
        try
        {
            // A wrong vector size against an existing collection fails here, at start, not at the first query.
            var problems = await qdrant.ValidateAsync(cancellationToken);
            if (problems.Count > 0) throw new SettingsException("Qdrant: " + string.Join("; ", problems));
            return qdrant;
        }
        catch
        {
            qdrant.Dispose();
            throw;
        }
    }

    /// <summary>The embedded store in the configured data folder, whatever the provider (index copy reads from it).</summary>
    public static async Task<SqliteLegalStore> OpenSqliteAsync(LegalRagSettings settings, CancellationToken cancellationToken, string? vectorModel = null)
    {
        var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions
        {
            DataDirectory = Path.GetFullPath(settings.DataDirectory),
            HeadingWeight = settings.Search.HeadingWeight,
            PrefixMinLength = settings.Search.PrefixMinLength,
            PrefixMaxQueryTerms = settings.Search.PrefixMaxQueryTerms,
            MaxQueryTerms = settings.Search.MaxQueryTerms,
            MaxTermDocFraction = settings.Search.MaxTermDocFraction,
            MaxQueryPostings = settings.Search.MaxQueryPostings,
            VectorModel = vectorModel ?? "default",
        }, cancellationToken);
        // Say why this open took long: a store from an older analyzer was re-indexed once.
        if (store.LexicalIndexRebuilt)
            Console.Error.WriteLine($"note: the full-text index in {store.Options.DatabasePath} was re-analyzed for the current text analyzer");
        if (store.MigratedFromSchemaVersion is { } from)
            Console.Error.WriteLine($"note: {store.Options.DatabasePath} was migrated from schema {from}; the next ingest re-parses every document to store its references");
        return store;
    }

    public static ParserRegistry Parsers() => new(ParserCatalog.All());

    public static IngestionPipeline Pipeline(ILegalStore store, LegalRagSettings settings) =>
        new(Parsers(), store, new StructureChunker(new ChunkingOptions { MaxChars = settings.Chunking.MaxChars }));

    public static SearchService Search(ILegalStore store, LegalRagSettings settings, LoadedEmbedder? embedder = null) =>
        new(store, store, new SearchOptions { RrfK = settings.Search.RrfK, RerankTopN = settings.Reranker.TopN }, vectors: store,
            queryEmbedder: embedder?.Generator, reranker: Reranker(settings));

    private static Embeddings.Reranking.OnnxCrossEncoderReranker? _reranker;

    /// <summary>The configured cross-encoder, loaded once per process; null when none is configured.</summary>
    public static IReranker? Reranker(LegalRagSettings settings)
    {
        if (!settings.Reranker.IsConfigured) return null;
        if (string.IsNullOrWhiteSpace(settings.Reranker.TokenizerPath))
            throw new SettingsException("LegalRag:Reranker:TokenizerPath is required when LegalRag:Reranker:ModelPath is set");
        return _reranker ??= new Embeddings.Reranking.OnnxCrossEncoderReranker(new Embeddings.Reranking.CrossEncoderOptions
        {
            ModelPath = settings.Reranker.ModelPath!,
            TokenizerPath = settings.Reranker.TokenizerPath!,
            MaxLength = settings.Reranker.MaxLength,
        });
    }
}

/// <summary>Every parser, in the order they are asked: content-sniffing formats before text formats.</summary>
public static class ParserCatalog
{
    public static IEnumerable<IDocumentParser> All()
    {
        yield return new Ingestion.Parsers.Pdf.PdfParser();
        yield return new Ingestion.Parsers.Docx.DocxParser();
        yield return new Ingestion.Parsers.Html.HtmlParser();
        yield return new Ingestion.Parsers.Xml.XmlParser();
        yield return new MarkdownStatuteParser();
    }
}

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran, but some files failed (ingest) or a gate failed (eval compare).</summary>
    public const int PartialFailure = 1;
    public const int Usage = 2;
}
