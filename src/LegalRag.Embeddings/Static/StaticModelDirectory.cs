using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using LegalRag.Embeddings.Onnx;
using Microsoft.Extensions.Logging;

namespace LegalRag.Embeddings.Static;

/// <summary>The JSON beside model.onnx: what the featurizer must do for the graph's rows to mean anything.</summary>
public sealed record StaticModelConfig
{
    public const string FormatName = "legalrag-static-embedding";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    public FeaturizerSettings Featurizer { get; init; } = new();

    public int Dimensions { get; init; }

    /// <summary>Rows fed per text when serving (longer texts are cut at a word boundary).</summary>
    public int MaxFeatures { get; init; } = 8192;

    public string Language { get; init; } = "";

    /// <summary>Corpus the model was trained on, for provenance.</summary>
    public string TrainedOn { get; init; } = "";

    /// <summary>SHA-256 of model.onnx: a config beside another graph is refused.</summary>
    public string ModelSha256 { get; init; } = "";
}

/// <summary>
/// A trained model on disk, as served: model.onnx (Gather over the row table and the pooling weights, masked
/// ReduceSum, MatMul, L2 normalization), legalrag-embedding.json and training-report.json. Reading and opening live
/// here, with the featurizer queries need; writing one is training's business (LegalRag.Training's StaticModelExport).
/// </summary>
public static class StaticModelDirectory
{
    public const string ModelFile = "model.onnx";
    public const string ConfigFile = "legalrag-embedding.json";
    public const string ReportFile = "training-report.json";
    public const string OutputName = "sentence_embedding";
    public const string SignatureOutput = "featurizer_signature";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>True when <paramref name="directory"/> looks like a trained static model (has the config file).</summary>
    public static bool IsStaticModel(string directory) => File.Exists(Path.Combine(directory, ConfigFile));

    /// <summary>Reads and validates the config; the model file's hash must match it.</summary>
    public static StaticModelConfig ReadConfig(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(configPath)) throw new InvalidDataException($"{directory}: not a LegalRag model folder ({ConfigFile} is missing)");
        if (!File.Exists(modelPath)) throw new InvalidDataException($"{directory}: {ModelFile} is missing");
        StaticModelConfig config;
        try
        {
            config = JsonSerializer.Deserialize<StaticModelConfig>(File.ReadAllText(configPath), Json)
                ?? throw new InvalidDataException($"{configPath}: empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{configPath}: not valid JSON ({ex.Message})", ex);
        }

        if (config.Format != StaticModelConfig.FormatName || config.FormatVersion != 1)
            throw new InvalidDataException($"{configPath}: format '{config.Format}' v{config.FormatVersion} is not '{StaticModelConfig.FormatName}' v1");
        config.Featurizer.Validate(configPath);
        if (config.Dimensions is < 1 or > 4096) throw new InvalidDataException($"{configPath}: dimensions {config.Dimensions} out of range 1..4096");
        if (config.MaxFeatures is < 1 or > 1 << 20) throw new InvalidDataException($"{configPath}: maxFeatures {config.MaxFeatures} out of range 1..{1 << 20}");
        var actual = Sha256(modelPath);
        if (!string.Equals(actual, config.ModelSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{configPath}: records model sha256 {config.ModelSha256}, but {modelPath} has {actual}: the config belongs to another model");
        return config;
    }

    /// <summary>
    /// Opens the model for serving: validates the config, opens the graph in ONNX Runtime, and compares the featurizer
    /// signature baked into the graph with the config (a tokenizer config that does not match its graph is refused).
    /// </summary>
    public static OnnxEmbeddingGenerator Open(string directory, OnnxSessionOptions? sessionOptions = null, ILogger? logger = null)
    {
        var config = ReadConfig(directory);
        var session = OnnxSession.Open(Path.Combine(directory, ModelFile), sessionOptions, logger);
        try
        {
            var expected = config.Featurizer.Signature(config.Dimensions);
            var actual = ReadSignature(session);
            if (!actual.SequenceEqual(expected))
                throw new InvalidDataException($"{Path.Combine(directory, ConfigFile)}: featurizer settings [{string.Join(", ", expected)}] do not match the graph's [{string.Join(", ", actual)}]");
            var featurizer = new SubwordFeaturizer(config.Featurizer);
            return new OnnxEmbeddingGenerator(session, featurizer, new OnnxEmbeddingOptions
            {
                ModelPath = Path.Combine(directory, ModelFile),
                ModelId = ModelId(config),
                Dimensions = config.Dimensions,
                MaxLength = config.MaxFeatures,
                BatchSize = 16,
                OutputName = OutputName,
            }, ownsSession: true);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Names the vectors a model makes in the store: same graph bytes, same id.</summary>
    public static string ModelId(StaticModelConfig config) => $"static-{config.ModelSha256[..16]}";

    private static long[] ReadSignature(OnnxSession session)
    {
        if (session.Outputs.All(o => o.Name != SignatureOutput))
            throw new InvalidDataException($"{session.Description}: graph has no '{SignatureOutput}' output; not a LegalRag static model");
        var inputs = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal)
        {
            ["input_ids"] = OnnxTensor.FromArray(new long[] { 0 }, 1, 1),
            ["attention_mask"] = OnnxTensor.FromArray(new long[] { 1 }, 1, 1),
        };
        var output = session.Run(inputs, [SignatureOutput])[SignatureOutput];
        return output.Values.Select(v => (long)v).ToArray();
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
