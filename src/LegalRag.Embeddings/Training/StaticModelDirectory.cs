using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.OnnxWriter;
using Microsoft.Extensions.Logging;

namespace LegalRag.Embeddings.Training;

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
/// A trained model on disk: model.onnx (Gather over the row table and the pooling weights, masked ReduceSum,
/// MatMul, L2 normalization), legalrag-embedding.json and training-report.json. Written to a temporary folder and
/// renamed into place, so a cancelled or failed training never leaves a half-written model.
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

    /// <summary>The exported graph (see the type summary).</summary>
    public static ModelDef BuildGraph(StaticEmbeddingModel model)
    {
        var d = model.Dimensions;
        var rows = model.Featurizer.Settings.Rows + 1;
        var g = new GraphBuilder("legalrag_static_embedding");
        var ids = g.Input("input_ids", TensorDataType.Int64, "batch", "sequence");
        var mask = g.Input("attention_mask", TensorDataType.Int64, "batch", "sequence");
        var table = g.Initializer("table", model.Table, rows, d);
        var weights = g.Initializer("weights", model.Weights, rows);
        var projection = g.Initializer("projection", model.Projection, d, d);

        var vectors = g.Gather(table, ids);                                   // [B, S, D]
        var rowWeights = g.Mul(g.Gather(weights, ids), g.Cast(mask, TensorDataType.Float)); // [B, S]
        var weighted = g.Mul(vectors, g.Unsqueeze(rowWeights, 2));            // [B, S, D]
        var pooled = g.ReduceSum(weighted, [1], keepDims: false);             // [B, D]
        var projected = g.MatMul(pooled, projection);                          // [B, D]
        var norm = g.Sqrt(g.ReduceSum(g.Mul(projected, projected), [1], keepDims: true));
        // max(norm, tiny) via Add keeps an empty text at zero instead of NaN, as the C# pass does.
        var embedding = g.Div(projected, g.Add(norm, g.Scalar(1e-12f, "epsilon")));
        g.Identity(embedding, OutputName);
        g.Output(OutputName, TensorDataType.Float, "batch", d);
        // Float, because the session API returns float outputs; the values are small integers, exact in float.
        var values = model.Featurizer.Settings.Signature(d).Select(v => (float)v).ToArray();
        var signature = g.Initializer("signature", values, values.Length);
        g.Identity(signature, SignatureOutput);
        g.Output(SignatureOutput, TensorDataType.Float, values.Length);
        return g.Build();
    }

    /// <summary>Writes the model directory atomically: a sibling temp folder, then one rename.</summary>
    public static void Save(StaticEmbeddingModel model, string directory, StaticModelConfig config, object report, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{directory}: has no parent folder");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var bytes = BuildGraph(model).ToBytes();
            cancellationToken.ThrowIfCancellationRequested();
            File.WriteAllBytes(Path.Combine(temp, ModelFile), bytes);
            var full = config with
            {
                Dimensions = model.Dimensions,
                Featurizer = model.Featurizer.Settings,
                ModelSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            };
            File.WriteAllText(Path.Combine(temp, ConfigFile), JsonSerializer.Serialize(full, Json));
            File.WriteAllText(Path.Combine(temp, ReportFile), JsonSerializer.Serialize(report, Json));
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(target))
            {
                // Replacing a model: move the old one aside first so the swap is two renames, never a partial folder.
                var old = temp + ".old";
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, target);
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

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
    public static OnnxEmbeddingGenerator Open(string directory, OnnxRuntimeOptions? runtime = null, int intraOpThreads = 0, ILogger? logger = null)
    {
        var config = ReadConfig(directory);
        var session = OrtRuntime.Load(runtime ?? new OnnxRuntimeOptions())
            .CreateSession(Path.Combine(directory, ModelFile), new OnnxSessionOptions { IntraOpThreads = intraOpThreads }, logger);
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
        var runtime = session.Runtime;
        using var ids = OrtTensor.FromArray(runtime, new long[] { 0 }, 1, 1);
        using var mask = OrtTensor.FromArray(runtime, new long[] { 1 }, 1, 1);
        var inputs = new Dictionary<string, OrtTensor>(StringComparer.Ordinal) { ["input_ids"] = ids, ["attention_mask"] = mask };
        var output = session.Run(inputs, [SignatureOutput])[SignatureOutput];
        return output.Values.Select(v => (long)v).ToArray();
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
