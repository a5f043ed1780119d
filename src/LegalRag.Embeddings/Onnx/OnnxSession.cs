using System.Runtime.InteropServices;

namespace LegalRag.Embeddings.Onnx;

/// <summary>Name, element type and dimensions (-1 where symbolic) of a model input or output.</summary>
public sealed record OnnxValueInfo(string Name, OrtElementType ElementType, IReadOnlyList<long> Dimensions);

/// <summary>One float output of a run, copied out of ORT's memory (row-major).</summary>
public sealed record OnnxOutput(string Name, IReadOnlyList<long> Shape, float[] Values);

/// <summary>
/// A loaded model. Run may be called from several threads at once (ORT sessions are thread-safe for Run).
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OrtRuntime _runtime;
    private readonly OrtSessionHandle _session;
    private readonly byte[][] _outputNamesUtf8;

    internal OnnxSession(OrtRuntime runtime, OrtSessionHandle session, ExecutionProvider activeProvider, string description)
    {
        _runtime = runtime;
        _session = session;
        ActiveExecutionProvider = activeProvider;
        Description = description;
        Inputs = ReadValueInfos(isInput: true);
        Outputs = ReadValueInfos(isInput: false);
        _outputNamesUtf8 = Outputs.Select(o => OrtApi.Utf8z(o.Name)).ToArray();
    }

    /// <summary>The runtime the session belongs to (tensors for it must come from the same runtime).</summary>
    public OrtRuntime Runtime => _runtime;

    /// <summary>The provider the session really runs on (Cpu after a CUDA fallback).</summary>
    public ExecutionProvider ActiveExecutionProvider { get; }

    /// <summary>Model file path or the description given for an in-memory model; used in error messages.</summary>
    public string Description { get; }

    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (every model input must be given) and returns every float output
    /// by name, or only <paramref name="outputNames"/> when given.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxOutput> Run(IReadOnlyDictionary<string, OrtTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var api = _runtime.Api;

        foreach (var expected in Inputs)
        {
            if (!inputs.ContainsKey(expected.Name))
            {
                throw new ArgumentException($"Model {Description} needs input '{expected.Name}', which was not given", nameof(inputs));
            }
        }

        var wanted = outputNames is null
            ? Enumerable.Range(0, Outputs.Count).ToArray()
            : outputNames.Select(OutputIndex).ToArray();

        var inputNames = new byte[inputs.Count][];
        var inputHandles = new OrtValueHandle[inputs.Count];
        var index = 0;
        foreach (var (name, tensor) in inputs)
        {
            inputNames[index] = OrtApi.Utf8z(name);
            inputHandles[index] = tensor.Handle;
            index++;
        }

        // Every native pointer used below stays valid for the whole call: the session and input values are
        // AddRef'd (a concurrent Dispose waits), the name byte arrays are pinned.
        var addedSession = false;
        var addedInputs = new bool[inputHandles.Length];
        var pins = new List<GCHandle>(inputNames.Length + wanted.Length);
        var outputs = new IntPtr[wanted.Length];
        try
        {
            _session.DangerousAddRef(ref addedSession);
            var inputNamePtrs = new IntPtr[inputNames.Length];
            var inputValuePtrs = new IntPtr[inputHandles.Length];
            for (var i = 0; i < inputHandles.Length; i++)
            {
                inputHandles[i].DangerousAddRef(ref addedInputs[i]);
                inputValuePtrs[i] = inputHandles[i].DangerousGetHandle();
                var pin = GCHandle.Alloc(inputNames[i], GCHandleType.Pinned);
                pins.Add(pin);
                inputNamePtrs[i] = pin.AddrOfPinnedObject();
            }

            var outputNamePtrs = new IntPtr[wanted.Length];
            for (var i = 0; i < wanted.Length; i++)
            {
                var pin = GCHandle.Alloc(_outputNamesUtf8[wanted[i]], GCHandleType.Pinned);
                pins.Add(pin);
                outputNamePtrs[i] = pin.AddrOfPinnedObject();
            }

            fixed (IntPtr* inNames = inputNamePtrs)
            fixed (IntPtr* inValues = inputValuePtrs)
            fixed (IntPtr* outNames = outputNamePtrs)
            fixed (IntPtr* outValues = outputs)
            {
                api.Check(api.Run(_session.DangerousGetHandle(), IntPtr.Zero, inNames, inValues, (nuint)inputNamePtrs.Length,
                    outNames, (nuint)outputNamePtrs.Length, outValues), $"Running model {Description}");
            }

            var result = new Dictionary<string, OnnxOutput>(wanted.Length, StringComparer.Ordinal);
            for (var i = 0; i < wanted.Length; i++)
            {
                var name = Outputs[wanted[i]].Name;
                result[name] = CopyFloatOutput(api, name, outputs[i]);
            }

            return result;
        }
        finally
        {
            foreach (var value in outputs)
            {
                if (value != IntPtr.Zero)
                {
                    api.ReleaseValue(value);
                }
            }

            foreach (var pin in pins)
            {
                pin.Free();
            }

            for (var i = 0; i < inputHandles.Length; i++)
            {
                if (addedInputs[i])
                {
                    inputHandles[i].DangerousRelease();
                }
            }

            if (addedSession)
            {
                _session.DangerousRelease();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private int OutputIndex(string name)
    {
        for (var i = 0; i < Outputs.Count; i++)
        {
            if (Outputs[i].Name == name)
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"Model {Description} has no output '{name}' (outputs: {string.Join(", ", Outputs.Select(o => o.Name))})");
    }

    private OnnxOutput CopyFloatOutput(OrtApi api, string name, IntPtr value)
    {
        var (type, shape) = ReadTensorShape(api, value);
        if (type != OrtElementType.Float)
        {
            throw new OnnxRuntimeException($"Output '{name}' of model {Description} is {type}; only float outputs are read");
        }

        long count = 1;
        foreach (var dim in shape)
        {
            count *= dim;
        }

        void* data;
        api.Check(api.GetTensorMutableData(value, &data), "GetTensorMutableData");
        var values = new float[checked((int)count)];
        new ReadOnlySpan<float>(data, values.Length).CopyTo(values);
        return new OnnxOutput(name, shape, values);
    }

    internal static (OrtElementType ElementType, long[] Shape) ReadTensorShape(OrtApi api, IntPtr value)
    {
        using var info = new OrtTensorTypeAndShapeInfoHandle(api);
        IntPtr infoPtr;
        api.Check(api.GetTensorTypeAndShape(value, &infoPtr), "GetTensorTypeAndShape");
        info.Adopt(infoPtr);
        return ReadTypeAndShape(api, infoPtr);
    }

    private static (OrtElementType ElementType, long[] Shape) ReadTypeAndShape(OrtApi api, IntPtr info)
    {
        int type;
        api.Check(api.GetTensorElementType(info, &type), "GetTensorElementType");
        nuint rank;
        api.Check(api.GetDimensionsCount(info, &rank), "GetDimensionsCount");
        var dims = new long[(int)rank];
        fixed (long* dimsPtr = dims)
        {
            api.Check(api.GetDimensions(info, dimsPtr, rank), "GetDimensions");
        }

        return ((OrtElementType)type, dims);
    }

    private IReadOnlyList<OnnxValueInfo> ReadValueInfos(bool isInput)
    {
        var api = _runtime.Api;
        var session = _session.DangerousGetHandle();
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count),
            isInput ? "SessionGetInputCount" : "SessionGetOutputCount");

        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");

        var result = new List<OnnxValueInfo>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            api.Check(isInput ? api.SessionGetInputName(session, i, allocator, &namePtr) : api.SessionGetOutputName(session, i, allocator, &namePtr),
                isInput ? "SessionGetInputName" : "SessionGetOutputName");
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((IntPtr)namePtr) ?? "";
            }
            finally
            {
                api.Check(api.AllocatorFree(allocator, namePtr), "AllocatorFree");
            }

            using var typeInfo = new OrtTypeInfoHandle(api);
            IntPtr typeInfoPtr;
            api.Check(isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfoPtr) : api.SessionGetOutputTypeInfo(session, i, &typeInfoPtr),
                isInput ? "SessionGetInputTypeInfo" : "SessionGetOutputTypeInfo");
            typeInfo.Adopt(typeInfoPtr);

            // The tensor info belongs to the type info (not released separately); null for non-tensor values.
            IntPtr tensorInfo;
            api.Check(api.CastTypeInfoToTensorInfo(typeInfoPtr, &tensorInfo), "CastTypeInfoToTensorInfo");
            if (tensorInfo == IntPtr.Zero)
            {
                result.Add(new OnnxValueInfo(name, OrtElementType.Undefined, []));
                continue;
            }

            var (type, dims) = ReadTypeAndShape(api, tensorInfo);
            result.Add(new OnnxValueInfo(name, type, dims));
        }

        return result;
    }
}
