using System.Numerics.Tensors;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Static;

namespace LegalRag.Training.Embeddings;

/// <summary>
/// The trained model in memory: a feature table (one vector per hashed word / n-gram row, plus a zero padding row),
/// one pooling weight per row, and a square projection. A text's embedding is
/// normalize((Σ_features weight[f] · table[f]) · projection). This class is the training-time forward pass the
/// exported ONNX graph must reproduce.
/// </summary>
public sealed class StaticEmbeddingModel
{
    public StaticEmbeddingModel(FeaturizerSettings settings, int dimensions, float[] table, float[] weights, float[] projection)
    {
        var rows = settings.Rows + 1;
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), "dimensions must be positive");
        if (table.Length != (long)rows * dimensions) throw new ArgumentException($"table has {table.Length} values, expected {rows} rows × {dimensions}", nameof(table));
        if (weights.Length != rows) throw new ArgumentException($"weights has {weights.Length} values, expected {rows}", nameof(weights));
        if (projection.Length != dimensions * dimensions) throw new ArgumentException($"projection has {projection.Length} values, expected {dimensions}×{dimensions}", nameof(projection));
        Featurizer = new SubwordFeaturizer(settings);
        Dimensions = dimensions;
        Table = table;
        Weights = weights;
        Projection = projection;
    }

    public SubwordFeaturizer Featurizer { get; }

    public int Dimensions { get; }

    /// <summary>[Rows + 1, Dimensions], row-major; the last row is padding and stays zero.</summary>
    public float[] Table { get; }

    /// <summary>[Rows + 1]; the padding row's weight is zero.</summary>
    public float[] Weights { get; }

    /// <summary>[Dimensions, Dimensions], row-major: output = pooled · Projection.</summary>
    public float[] Projection { get; }

    /// <summary>Weighted sum of the rows' vectors into <paramref name="pooled"/>.</summary>
    public void Pool(ReadOnlySpan<int> rows, Span<float> pooled)
    {
        pooled.Clear();
        var d = Dimensions;
        foreach (var row in rows)
        {
            TensorPrimitives.MultiplyAdd(Table.AsSpan(row * d, d), Weights[row], pooled, pooled);
        }
    }

    /// <summary>pooled · Projection into <paramref name="output"/>.</summary>
    public void Project(ReadOnlySpan<float> pooled, Span<float> output)
    {
        output.Clear();
        var d = Dimensions;
        for (var i = 0; i < d; i++)
        {
            if (pooled[i] != 0) TensorPrimitives.MultiplyAdd(Projection.AsSpan(i * d, d), pooled[i], output, output);
        }
    }

    /// <summary>The embedding of a text (unit length, or zero when the text has no words).</summary>
    public float[] Embed(string text, int maxFeatures = int.MaxValue) => EmbedRows(Featurizer.Features(text, maxFeatures).ToArray());

    public float[] EmbedRows(ReadOnlySpan<int> rows)
    {
        var pooled = new float[Dimensions];
        Pool(rows, pooled);
        var output = new float[Dimensions];
        Project(pooled, output);
        EmbeddingMath.NormalizeL2(output);
        return output;
    }

    /// <summary>Identity projection, for a model that has had no contrastive stage.</summary>
    public static float[] IdentityProjection(int dimensions)
    {
        var p = new float[dimensions * dimensions];
        for (var i = 0; i < dimensions; i++) p[i * dimensions + i] = 1f;
        return p;
    }
}
