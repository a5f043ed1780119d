using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LegalRag.Embeddings.Onnx;

/// <summary>
/// A model input: a managed row-major array and its shape. ONNX Runtime reads the array in place (pinned) during one
/// <see cref="OnnxSession.Run"/>; nothing native outlives the call, so there is nothing to dispose.
/// </summary>
public sealed class OnnxTensor
{
    /// <summary>Upper bound on elements in one tensor: keeps a bogus shape from asking for terabytes.</summary>
    public const long MaxElements = 1L << 31;

    private readonly float[]? _floats;
    private readonly long[]? _longs;

    private OnnxTensor(float[]? floats, long[]? longs, long[] shape, int length)
    {
        var count = 1L;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            }

            count *= dim;
            if (count > MaxElements)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape)}] exceeds {MaxElements} elements", nameof(shape));
            }
        }

        if (count != length)
        {
            throw new ArgumentException($"Tensor shape [{string.Join(", ", shape)}] holds {count} elements, the data has {length}", nameof(shape));
        }

        _floats = floats;
        _longs = longs;
        Shape = shape;
    }

    public IReadOnlyList<long> Shape { get; }

    public TensorElementType ElementType => _floats is not null ? TensorElementType.Float : TensorElementType.Int64;

    public static OnnxTensor FromArray(float[] data, params long[] shape) => new(data, null, (long[])shape.Clone(), data.Length);

    public static OnnxTensor FromArray(long[] data, params long[] shape) => new(null, data, (long[])shape.Clone(), data.Length);

    internal OrtValue ToOrtValue()
    {
        var shape = Shape.ToArray();
        return _floats is not null
            ? OrtValue.CreateTensorValueFromMemory(_floats, shape)
            : OrtValue.CreateTensorValueFromMemory(_longs!, shape);
    }
}
