using System.ComponentModel.DataAnnotations;

namespace LegalRag.Hosting.Configuration;

/// <summary>
/// The "LegalRag" section of appsettings.json, overridable by LEGALRAG__* environment variables and the host's
/// overrides (the CLI's --data and --model). One tree for every host: what the chat serves, the CLI searches.
/// Host-only settings (the server's Auth, Chat, audit log) live with their host.
/// </summary>
public sealed class LegalRagSettings
{
    public const string Section = "LegalRag";

    /// <summary>The data folder of the embedded store. Relative paths resolve against the working directory.</summary>
    [Required] public string DataDirectory { get; set; } = "data";
    /// <summary>Where shared corpora and question sets live (never copied into the project).</summary>
    public string SharedDirectory { get; set; } = "../shared";
    public ChunkingSettings Chunking { get; set; } = new();
    public IngestionSettings Ingestion { get; set; } = new();
    /// <summary>How corpora are fetched from their publishers (legalrag corpus fetch/update).</summary>
    public SourcesSettings Sources { get; set; } = new();
    public SearchSettings Search { get; set; } = new();
    /// <summary>The dense embedding model; nothing configured means lexical search only.</summary>
    public EmbeddingSettings Embedding { get; set; } = new();
    /// <summary>An optional cross-encoder (e.g. bge-reranker ONNX) for --mode hybrid+rerank.</summary>
    public RerankerSettings Reranker { get; set; } = new();
    /// <summary>The learned ranker (ranker.&lt;mode&gt;.json from 'legalrag model train-ranker').</summary>
    public RankerSettings Ranker { get; set; } = new();
    public StoreSettings Store { get; set; } = new();
    /// <summary>Qdrant connection and collection layout, used when Store:Provider is "qdrant". The API key comes from the environment (LEGALRAG__Qdrant__ApiKey).</summary>
    public Storage.Qdrant.QdrantOptions Qdrant { get; set; } = new() { DenseSize = 256 };
    public AnsweringSettings Answering { get; set; } = new();
    /// <summary>An OpenAI-compatible model for answers; without Endpoint the answers are extractive.</summary>
    public LlmSettings Llm { get; set; } = new();
}

public sealed class StoreSettings
{
    /// <summary>"sqlite" (embedded, the default) or "qdrant".</summary>
    [RegularExpression("^(sqlite|qdrant)$", ErrorMessage = "must be 'sqlite' or 'qdrant'")]
    public string Provider { get; set; } = "sqlite";

    public bool IsQdrant => string.Equals(Provider, "qdrant", StringComparison.OrdinalIgnoreCase);
}

public sealed class ChunkingSettings
{
    [Range(200, 100_000)] public int MaxChars { get; set; } = 1500;
}

public sealed class IngestionSettings
{
    [Range(1, long.MaxValue)] public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;
    [Range(0, 256)] public int MaxParallelism { get; set; }
    /// <summary>What reads the text layer of PDFs: "pdfpig" (in process, knows fonts, so bold § headings; the default) or
    /// "poppler" (pdftotext). Pages without text go to pdftoppm + tesseract either way. Measured in docs/pdf.md.</summary>
    [RegularExpression("^(pdfpig|poppler)$", ErrorMessage = "must be 'pdfpig' or 'poppler'")]
    public string PdfTextLayer { get; set; } = "pdfpig";
}

public sealed class SourcesSettings
{
    /// <summary>Least time between two requests to one publisher's host: a polite client does not hammer a ministry's server.</summary>
    [Range(0, 60_000)] public int RequestIntervalMs { get; set; } = 250;
    /// <summary>How long to wait for an answer, then for each read of the body: a stalled transfer fails (and resumes
    /// next time where it broke off), while a large dump that keeps coming may take as long as it needs.</summary>
    [Range(1, 3_600)] public int TimeoutSeconds { get; set; } = 60;
    /// <summary>Attempts for a request that fails with a timeout or a 5xx before the item is reported failed.</summary>
    [Range(1, 10)] public int MaxAttempts { get; set; } = 3;
    /// <summary>An explicit proxy ("http://proxy.example:3128"); empty uses the system's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).</summary>
    public string? Proxy { get; set; }
}

public sealed class SearchSettings
{
    [Range(0, 100)] public double HeadingWeight { get; set; } = 4.0;
    /// <summary>BM25 weight of the act title and hierarchy path of a chunk's provision.</summary>
    [Range(0, 100)] public double ContextWeight { get; set; } = 1.0;
    [Range(0, 64)] public int PrefixMinLength { get; set; } = 5;
    [Range(0, 256)] public int PrefixMaxQueryTerms { get; set; } = 64;
    [Range(1, 256)] public int MaxQueryTerms { get; set; } = 128;
    [Range(0.0001, 1.0)] public double MaxTermDocFraction { get; set; } = 0.1;
    [Range(1, long.MaxValue)] public long MaxQueryPostings { get; set; } = 12_000;
    [Range(1, 10_000)] public int RrfK { get; set; } = 60;
    /// <summary>Chunks each first-stage list fetches at least, whatever k (the learned ranker sees these).</summary>
    [Range(10, 2000)] public int MinCandidates { get; set; } = 100;
    /// <summary>How many fused provisions the ranking stage cleans and orders.</summary>
    [Range(1, 1000)] public int RankWindow { get; set; } = 100;
    /// <summary>Acts searched again on their own after the first stage (act routing); 0 (the default) turns it off:
    /// with a ranker it added nothing measurable (GerLayQA held-out on all federal law, hybrid, 5-fold CV: R@10 0.263
    /// with it, 0.264 without) and cost about 55 ms a query. A ranker must be trained with the setting it serves with.</summary>
    [Range(0, 20)] public int RoutedActs { get; set; } = 0;

    /// <summary>
    /// The retrieval mode when a request names none (CLI search and eval run without --mode, /api/search, /api/ask
    /// and the hub without mode): lexical | dense | hybrid | hybrid+rerank. A mode that needs a model nobody
    /// configured falls back (hybrid → lexical, hybrid+rerank → hybrid) and says so once in the log.
    /// </summary>
    [RetrievalModeName] public string DefaultMode { get; set; } = "hybrid";

    /// <summary>
    /// Which lexical index answers: "memory" (an in-memory copy of the store's FTS index, built in the background at
    /// start and rebuilt when the store changes; ranks exactly as the store, ~10× faster per query, costs a build of
    /// seconds and some hundred MiB), "store" (the store's own FTS5 index), or "auto" (the default): memory for
    /// long-lived hosts (server, evaluation), the store for one-shot commands, where the build costs more than it saves.
    /// </summary>
    [RegularExpression("^(auto|memory|store)$", ErrorMessage = "LexicalIndex must be auto, memory or store")]
    public string LexicalIndex { get; set; } = "auto";
}

public sealed class AnsweringSettings
{
    [Range(1, 50)] public int RetrieveK { get; set; } = 6;
    [Range(1, 20)] public int LlmSources { get; set; } = 5;
    /// <summary>Retrieval mode of answers; empty follows Search:DefaultMode. A mode naming a model that is not configured stops the start.</summary>
    [RetrievalModeName] public string? Mode { get; set; }
    [Range(0, 1000)] public double MinMatchedWeight { get; set; } = 6;
    [Range(100, 100_000)] public int MaxQuestionChars { get; set; } = 4000;
    /// <summary>Extractive answers also rank sentences by their dense similarity to the question (needs an embedding
    /// model, and applies only to corpora in the model's language). Off by default: on the everyday de test split it
    /// lowered answer citation precision from 0.140 to 0.112 with the corpus-trained model (recall 0.109 → 0.096).</summary>
    public bool DenseSentences { get; set; }
}

/// <summary>An OpenAI-compatible endpoint; without Endpoint the answers are extractive. The key only from the environment (LEGALRAG__Llm__ApiKey).</summary>
public sealed class LlmSettings
{
    [Url] public string? Endpoint { get; set; }
    public string Model { get; set; } = "default";
    public string? ApiKey { get; set; }
    [Range(1, 600)] public double TimeoutSeconds { get; set; } = 60;
    [Range(0.1, 600)] public double FirstTokenTimeoutSeconds { get; set; } = 15;
    [Range(16, 8192)] public int MaxOutputTokens { get; set; } = 700;
}

/// <summary>
/// Either <see cref="ModelDirectory"/> (a model trained by <c>legalrag model train</c>: model.onnx +
/// legalrag-embedding.json; or a pretrained one from <c>legalrag model import</c>: model.onnx + vocab.txt +
/// legalrag-pretrained.json) or <see cref="ModelPath"/> + <see cref="TokenizerPath"/> for a pretrained transformer
/// (e5, bge), whose file is checked against <see cref="Sha256"/> when given. Empty: lexical only.
/// </summary>
public sealed class EmbeddingSettings
{
    /// <summary>Folder of a trained model. Relative paths resolve against the working directory.</summary>
    public string ModelDirectory { get; set; } = "";
    public string ModelPath { get; set; } = "";
    public string TokenizerPath { get; set; } = "";
    /// <summary>Expected SHA-256 of <see cref="ModelPath"/> (see ../shared/models/README.md); a mismatch is refused.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>mean | cls.</summary>
    public string Pooling { get; set; } = "mean";
    public string QueryPrefix { get; set; } = "";
    public string PassagePrefix { get; set; } = "";
    [Range(1, 100_000)] public int MaxLength { get; set; } = 512;
    [Range(1, 4096)] public int BatchSize { get; set; } = 32;
    /// <summary>ONNX Runtime threads per session; 0 lets it choose.</summary>
    [Range(0, 256)] public int Threads { get; set; }
    /// <summary>cpu | cuda. cuda needs the GPU build (-p:LegalRagGpu=true) and CUDA 13 on the host; without them the
    /// model runs on CPU and the log says why once.</summary>
    [ExecutionProviderName] public string ExecutionProvider { get; set; } = "cpu";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ModelDirectory) || !string.IsNullOrWhiteSpace(ModelPath);
}

public sealed class RankerSettings
{
    /// <summary>Folder holding ranker.&lt;mode&gt;.json files. Empty: the embedding model's folder (--model or
    /// Embedding:ModelDirectory), where 'model train-ranker' puts them by default.</summary>
    public string Directory { get; set; } = "";
    /// <summary>false turns the learned ranker off even when a model is present (ablations, comparisons).</summary>
    public bool Enabled { get; set; } = true;
}

public sealed class RerankerSettings
{
    /// <summary>Cross-encoder ONNX file; empty means no reranker.</summary>
    public string? ModelPath { get; set; }
    /// <summary>Its tokenizer.json.</summary>
    public string? TokenizerPath { get; set; }
    [Range(8, 4096)] public int MaxLength { get; set; } = 512;
    [Range(1, 1000)] public int TopN { get; set; } = 30;
    /// <summary>cpu | cuda, as <see cref="EmbeddingSettings.ExecutionProvider"/>.</summary>
    [ExecutionProviderName] public string ExecutionProvider { get; set; } = "cpu";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ModelPath);
}

/// <summary>An ONNX Runtime execution provider name: cpu or cuda (any case).</summary>
public sealed class ExecutionProviderNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is string s && s.Trim().ToLowerInvariant() is "cpu" or "cuda";

    public override string FormatErrorMessage(string name) => "must be cpu or cuda";
}
