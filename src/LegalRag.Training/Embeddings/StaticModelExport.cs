using System.Security.Cryptography;
using System.Text.Json;
using LegalRag.Embeddings.Static;
using LegalRag.Training.OnnxWriter;

namespace LegalRag.Training.Embeddings;

/// <summary>
/// Writes a trained <see cref="StaticEmbeddingModel"/> as a model folder that <see cref="StaticModelDirectory"/> opens:
/// the graph through the project's own ONNX writer (see docs/embedding-model.md for why it is not generated protobuf
/// code), the config with the graph's SHA-256, and the training report. Written to a temporary folder and renamed
/// into place, so a cancelled or failed training never leaves a half-written model.
/// </summary>
public static class StaticModelExport
{
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
        g.Identity(embedding, StaticModelDirectory.OutputName);
        g.Output(StaticModelDirectory.OutputName, TensorDataType.Float, "batch", d);
        // Float, because the session API returns float outputs; the values are small integers, exact in float.
        var values = model.Featurizer.Settings.Signature(d).Select(v => (float)v).ToArray();
        var signature = g.Initializer("signature", values, values.Length);
        g.Identity(signature, StaticModelDirectory.SignatureOutput);
        g.Output(StaticModelDirectory.SignatureOutput, TensorDataType.Float, values.Length);
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
            File.WriteAllBytes(Path.Combine(temp, StaticModelDirectory.ModelFile), bytes);
            var full = config with
            {
                Dimensions = model.Dimensions,
                Featurizer = model.Featurizer.Settings,
                ModelSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            };
            File.WriteAllText(Path.Combine(temp, StaticModelDirectory.ConfigFile), JsonSerializer.Serialize(full, StaticModelDirectory.Json));
            File.WriteAllText(Path.Combine(temp, StaticModelDirectory.ReportFile), JsonSerializer.Serialize(report, StaticModelDirectory.Json));
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
}
