using System.Runtime.InteropServices;

namespace LegalRag.Embeddings.Onnx;

/// <summary>ONNXTensorElementDataType values (the same numbers as ONNX TensorProto.DataType).</summary>
public enum OrtElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
}

/// <summary>
/// A native tensor (OrtValue) for model input. Either wraps a managed array without copying (the array stays pinned
/// until Dispose) or owns memory ORT allocated. Dispose releases the OrtValue; a finalizer backs that up.
/// </summary>
public sealed unsafe class OrtTensor : IDisposable
{
    /// <summary>Upper bound on elements in one tensor: keeps a bogus shape from asking ORT for terabytes.</summary>
    public const long MaxElements = 1L << 31;

    private readonly OrtRuntime _runtime;

    private OrtTensor(OrtRuntime runtime, OrtValueHandle handle, OrtElementType elementType, long[] shape)
    {
        _runtime = runtime;
        Handle = handle;
        ElementType = elementType;
        Shape = shape;
    }

    internal OrtValueHandle Handle { get; }

    public OrtElementType ElementType { get; }

    /// <summary>The shape requested at creation (<see cref="QueryShape"/> asks ORT for the shape it holds).</summary>
    public IReadOnlyList<long> Shape { get; }

    public long ElementCount => Product(Shape);

    /// <summary>Wraps <paramref name="data"/> (row-major) as a float tensor without copying.</summary>
    public static OrtTensor FromArray(OrtRuntime runtime, float[] data, params long[] shape)
        => Wrap(runtime, data, data.Length, sizeof(float), OrtElementType.Float, shape);

    /// <summary>Wraps <paramref name="data"/> (row-major) as an int64 tensor without copying.</summary>
    public static OrtTensor FromArray(OrtRuntime runtime, long[] data, params long[] shape)
        => Wrap(runtime, data, data.Length, sizeof(long), OrtElementType.Int64, shape);

    /// <summary>A tensor whose memory ORT allocates (zeroed here); fill it through <see cref="GetFloatData"/> / <see cref="GetInt64Data"/>.</summary>
    public static OrtTensor Allocate(OrtRuntime runtime, OrtElementType elementType, params long[] shape)
    {
        var elementSize = ElementSize(elementType);
        var count = CheckShape(shape);
        var api = runtime.Api;
        var handle = new OrtValueHandle(api);
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        IntPtr value;
        fixed (long* shapePtr = shape)
        {
            api.Check(api.CreateTensorAsOrtValue(allocator, shapePtr, (nuint)shape.Length, (int)elementType, &value), "CreateTensorAsOrtValue");
        }

        handle.Adopt(value);
        var tensor = new OrtTensor(runtime, handle, elementType, (long[])shape.Clone());
        new Span<byte>(tensor.DataPointer(), checked((int)(count * elementSize))).Clear();
        return tensor;
    }

    private static OrtTensor Wrap(OrtRuntime runtime, Array data, int length, int elementSize, OrtElementType elementType, long[] shape)
    {
        var count = CheckShape(shape);
        if (count != length)
        {
            throw new ArgumentException(
                $"Tensor shape [{string.Join(", ", shape)}] holds {count} elements but the data array has {length}", nameof(shape));
        }

        var api = runtime.Api;
        var handle = new OrtValueHandle(api);
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            IntPtr value;
            fixed (long* shapePtr = shape)
            {
                api.Check(api.CreateTensorWithDataAsOrtValue(runtime.CpuMemoryInfo, (void*)pin.AddrOfPinnedObject(),
                    (nuint)((long)length * elementSize), shapePtr, (nuint)shape.Length, (int)elementType, &value), "CreateTensorWithDataAsOrtValue");
            }

            handle.Adopt(value);
            handle.AttachPin(pin);
        }
        catch
        {
            pin.Free();
            handle.Dispose();
            throw;
        }

        return new OrtTensor(runtime, handle, elementType, (long[])shape.Clone());
    }

    /// <summary>The float elements as ORT holds them (writable). Valid until Dispose.</summary>
    public Span<float> GetFloatData()
    {
        RequireType(OrtElementType.Float);
        return new Span<float>(DataPointer(), checked((int)ElementCount));
    }

    /// <summary>The int64 elements as ORT holds them (writable). Valid until Dispose.</summary>
    public Span<long> GetInt64Data()
    {
        RequireType(OrtElementType.Int64);
        return new Span<long>(DataPointer(), checked((int)ElementCount));
    }

    /// <summary>Element type and dimensions as reported by ORT (GetTensorTypeAndShape / GetDimensions).</summary>
    public (OrtElementType ElementType, long[] Shape) QueryShape()
    {
        var added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            return OnnxSession.ReadTensorShape(_runtime.Api, Handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                Handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => Handle.Dispose();

    private void* DataPointer()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        void* data;
        _runtime.Api.Check(_runtime.Api.GetTensorMutableData(Handle.DangerousGetHandle(), &data), "GetTensorMutableData");
        return data;
    }

    private void RequireType(OrtElementType expected)
    {
        if (ElementType != expected)
        {
            throw new InvalidOperationException($"Tensor holds {ElementType}, not {expected}");
        }
    }

    private static long CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            }
        }

        var count = Product(shape);
        if (count > MaxElements)
        {
            throw new ArgumentException($"Tensor shape [{string.Join(", ", shape)}] exceeds the {MaxElements}-element limit", nameof(shape));
        }

        return count;
    }

    private static long Product(IReadOnlyList<long> shape)
    {
        // Saturates just above the limit instead of overflowing: both factors stay <= 2^31 + 1 before multiplying.
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim == 0)
            {
                return 0;
            }

            count = count > MaxElements || dim > MaxElements ? MaxElements + 1 : Math.Min(count * dim, MaxElements + 1);
        }

        return count;
    }

    private static int ElementSize(OrtElementType type) => type switch
    {
        OrtElementType.Float => sizeof(float),
        OrtElementType.Int64 => sizeof(long),
        _ => throw new NotSupportedException($"Tensors of {type} are not supported by this binding (float32 and int64 are)"),
    };
}
