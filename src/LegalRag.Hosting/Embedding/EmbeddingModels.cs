using LegalRag.Core.Abstractions;
using System.Diagnostics;
using LegalRag.Hosting.Configuration;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Static;
using LegalRag.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LegalRag.Hosting.Embedding;

/// <summary>An open embedding model: the generator, the id its vectors carry in the store, and the files behind it.</summary>
public sealed class LoadedEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, string modelId, IReadOnlyList<string> files, string? language = null) : IDisposable
{
    /// <summary>The corpus language a trained model learned from; null for a pretrained model (any language).</summary>
    public string? Language { get; } = language;

    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; } = generator;

    /// <summary>Store key of this model's vectors (<see cref="SqliteStoreOptions.VectorModel"/>): derived from the model's bytes.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>Files whose SHA-256 an evaluation report records.</summary>
    public IReadOnlyList<string> Files { get; } = files;

    public void Dispose() => Generator.Dispose();
}

/// <summary>Opens the configured (or --model) embedding model and embeds chunks that have no vector yet.</summary>
public static class EmbeddingModels
{
    /// <summary>
    /// The configured embedding model: LegalRag:Embedding:ModelDirectory (a trained model folder; the CLI's --model
    /// overrides it) or ModelPath + TokenizerPath. Null when neither names a model (lexical only).
    /// </summary>
    public static LoadedEmbedder? Open(LegalRagSettings settings, ILogger? logger = null)
    {
        try
        {
            return OpenModel(settings, logger);
        }
        catch (OnnxRuntimeLibraryException ex)
        {
            // A native runtime that cannot load is a setup problem, reported like any other configuration error.
            throw new SettingsException(ex.Message);
        }
    }

    private static LoadedEmbedder? OpenModel(LegalRagSettings settings, ILogger? logger)
    {
        var embedding = settings.Embedding;
        var provider = OnnxSessionOptions.ParseProvider(embedding.ExecutionProvider);
        var directory = embedding.ModelDirectory;
        if (!string.IsNullOrWhiteSpace(directory))
        {
            var full = Path.GetFullPath(directory);
            if (!Directory.Exists(full)) throw new SettingsException($"embedding model folder {full} does not exist");
            try
            {
                var config = StaticModelDirectory.ReadConfig(full);
                // One intra-op thread by default: a static model's run is a gather and a sum, and a thread pool's
                // hand-offs cost more than the work for a single query.
                var generator = StaticModelDirectory.Open(full,
                    new OnnxSessionOptions { IntraOpThreads = embedding.Threads > 0 ? embedding.Threads : 1, ExecutionProvider = provider }, logger);
                return new LoadedEmbedder(generator, StaticModelDirectory.ModelId(config),
                    [Path.Combine(full, StaticModelDirectory.ModelFile), Path.Combine(full, StaticModelDirectory.ConfigFile)],
                    string.IsNullOrWhiteSpace(config.Language) ? null : config.Language);
            }
            catch (InvalidDataException ex)
            {
                throw new SettingsException($"embedding model refused: {ex.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(embedding.ModelPath)) return null;
        var modelPath = Path.GetFullPath(embedding.ModelPath);
        if (!File.Exists(modelPath)) throw new SettingsException($"LegalRag:Embedding:ModelPath {modelPath} does not exist");
        var sha = StaticModelDirectory.Sha256(modelPath);
        if (!string.IsNullOrWhiteSpace(embedding.Sha256) && !string.Equals(sha, embedding.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new SettingsException($"{modelPath} has sha256 {sha}, LegalRag:Embedding:Sha256 expects {embedding.Sha256}: wrong or corrupted model file");
        if (string.IsNullOrWhiteSpace(embedding.TokenizerPath)) throw new SettingsException("LegalRag:Embedding:TokenizerPath is required with ModelPath");
        var pooling = embedding.Pooling.Trim().ToLowerInvariant() switch
        {
            "mean" => EmbeddingPooling.Mean,
            "cls" => EmbeddingPooling.Cls,
            _ => throw new SettingsException($"LegalRag:Embedding:Pooling must be mean or cls, not '{embedding.Pooling}'"),
        };
        var id = $"{Path.GetFileNameWithoutExtension(modelPath)}-{sha[..16]}";
        var pretrained = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions
        {
            ModelPath = modelPath,
            TokenizerPath = Path.GetFullPath(embedding.TokenizerPath),
            ModelId = id,
            Pooling = pooling,
            QueryPrefix = embedding.QueryPrefix,
            PassagePrefix = embedding.PassagePrefix,
            MaxLength = embedding.MaxLength,
            BatchSize = embedding.BatchSize,
            IntraOpThreads = embedding.Threads,
            ExecutionProvider = provider,
        }, logger);
        return new LoadedEmbedder(pretrained, id, [modelPath, Path.GetFullPath(embedding.TokenizerPath)]);
    }

    /// <summary>What one embedding pass did.</summary>
    public sealed record EmbedSummary(int Embedded, int FromCache, double Seconds)
    {
        public double ChunksPerSecond => Embedded / Math.Max(1e-9, Seconds);
    }

    /// <summary>Progress of an embedding pass: chunks done of total, and the rate so far.</summary>
    public readonly record struct EmbedProgress(int Done, int Total, double ChunksPerSecond);

    /// <summary>
    /// Embeds the chunks of <paramref name="corpus"/> (all corpora when null) that have no vector from this model:
    /// vectors cached by content hash are reused, the rest are embedded in batches and written batch by batch, so an
    /// interrupted pass keeps what it finished and the next run picks up the rest.
    /// </summary>
    public static async Task<EmbedSummary> EmbedMissingAsync(ILegalStore backend, LoadedEmbedder embedder, string? corpus,
        IProgress<EmbedProgress>? progress, CancellationToken cancellationToken, int batchSize = 256)
    {
        var store = Embedded(backend);
        var clock = Stopwatch.StartNew();
        var missing = await store.GetChunksMissingVectorsAsync(embedder.ModelId, corpus, cancellationToken);
        var cached = missing.Where(m => m.Cached is not null).Select(m => (m.ChunkId, m.ContentHash, m.Cached!)).ToList();
        if (cached.Count > 0) await store.PutVectorsAsync(embedder.ModelId, cached, cancellationToken);
        var todo = missing.Where(m => m.Cached is null).ToList();
        var done = 0;
        var embedClock = Stopwatch.StartNew();
        progress?.Report(new EmbedProgress(0, todo.Count, 0));
        for (var start = 0; start < todo.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = todo.GetRange(start, Math.Min(batchSize, todo.Count - start));
            var vectors = await embedder.Generator.GenerateAsync(batch.Select(c => PassageText(c.Heading, c.Text)), EmbeddingInputKind.PassageOptions(), cancellationToken);
            await store.PutVectorsAsync(embedder.ModelId, batch.Select((c, i) => (c.ChunkId, c.ContentHash, vectors[i].Vector.ToArray())).ToList(), cancellationToken);
            done += batch.Count;
            progress?.Report(new EmbedProgress(done, todo.Count, done / Math.Max(1e-9, embedClock.Elapsed.TotalSeconds)));
        }

        return new EmbedSummary(todo.Count, cached.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>What is embedded for a chunk: its heading line, then its text (the same the lexical index sees).</summary>
    public static string PassageText(string heading, string text) => heading.Length == 0 ? text : $"{heading}\n{text}";

    /// <summary>Refuses dense search when the store holds no vectors of this model, instead of returning nothing.</summary>
    public static async Task EnsureVectorsAsync(ILegalStore backend, LoadedEmbedder embedder, string? corpus, CancellationToken cancellationToken)
    {
        var store = Embedded(backend);
        var models = await store.GetVectorModelsAsync(cancellationToken);
        if (models.Contains(embedder.ModelId, StringComparer.Ordinal)) return;
        var stored = models.Count == 0 ? "none" : string.Join(", ", models);
        throw new InvalidOperationException(
            $"the store has no vectors from embedding model {embedder.ModelId} (stored: {stored}). Run 'legalrag model embed{(corpus is null ? "" : $" --corpus {corpus}")}' or 'legalrag ingest' with this model first.");
    }

    /// <summary>Local embedding writes vectors into the embedded store; Qdrant receives them by `index copy --to qdrant`.</summary>
    private static SqliteLegalStore Embedded(ILegalStore store) => store as SqliteLegalStore
        ?? throw new InvalidOperationException("embedding with a local model runs on the embedded store; to serve it from Qdrant, embed with Store:Provider=sqlite, then run `legalrag index copy --to qdrant`");
}
