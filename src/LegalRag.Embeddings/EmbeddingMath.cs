using System.Numerics.Tensors;

namespace LegalRag.Embeddings;

/// <summary>How token vectors become one text vector.</summary>
public enum EmbeddingPooling
{
    /// <summary>Average of the token vectors under the attention mask (sentence-transformers, E5).</summary>
    Mean,

    /// <summary>The first token's vector ([CLS] / &lt;s&gt;), as BGE-style models use.</summary>
    Cls,
}

/// <summary>Pooling and normalization over row-major model outputs.</summary>
public static class EmbeddingMath
{
    /// <summary>
    /// Pools row <paramref name="row"/> of a [batch, sequence, hidden] output into <paramref name="destination"/>
    /// (length hidden). Mean pooling ignores positions whose mask is 0; a row with no real tokens pools to zeros.
    /// </summary>
    public static void Pool(ReadOnlySpan<float> hiddenStates, ReadOnlySpan<long> attentionMask, int row, int sequenceLength, int hidden,
        EmbeddingPooling pooling, Span<float> destination)
    {
        if (destination.Length != hidden)
        {
            throw new ArgumentException($"destination has {destination.Length} elements, hidden size is {hidden}", nameof(destination));
        }

        var rowStart = row * sequenceLength * hidden;
        if (pooling == EmbeddingPooling.Cls)
        {
            hiddenStates.Slice(rowStart, hidden).CopyTo(destination);
            return;
        }

        destination.Clear();
        var count = 0;
        for (var position = 0; position < sequenceLength; position++)
        {
            if (attentionMask[row * sequenceLength + position] == 0)
            {
                continue;
            }

            TensorPrimitives.Add(destination, hiddenStates.Slice(rowStart + position * hidden, hidden), destination);
            count++;
        }

        if (count > 0)
        {
            TensorPrimitives.Divide(destination, count, destination);
        }
    }

    /// <summary>Scales <paramref name="vector"/> to unit L2 norm in place; a zero vector stays zero.</summary>
    public static void NormalizeL2(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
