using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LegalRag.Embeddings.Onnx;

/// <summary>Name, element type and dimensions (-1 where symbolic) of a model input or output.</summary>
public sealed record OnnxValueInfo(string Name, TensorElementType ElementType, IReadOnlyList<long> Dimensions);

/// <summary>One float output of a run, copied out of ONNX Runtime's memory (row-major).</summary>
public sealed record OnnxOutput(string Name, IReadOnlyList<long> Shape, float[] Values);

/// <summary>
/// A model loaded in ONNX Runtime (the Microsoft.ML.OnnxRuntime package). What this thin layer adds: errors that name
/// the model, the execution provider chosen by configuration with a CPU fallback, and float outputs copied into
/// managed arrays so no native value outlives a call. Run may be called from several threads at once (ONNX Runtime
/// sessions are thread-safe for Run).
/// </summary>
public sealed partial class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    private OnnxSession(InferenceSession session, ExecutionProvider activeProvider, string description)
    {
        _session = session;
        ActiveExecutionProvider = activeProvider;
        Description = description;
        Inputs = session.InputNames.Select(n => Info(n, session.InputMetadata[n])).ToArray();
        Outputs = session.OutputNames.Select(n => Info(n, session.OutputMetadata[n])).ToArray();
    }

    /// <summary>The provider the session really runs on (Cpu after a CUDA fallback).</summary>
    public ExecutionProvider ActiveExecutionProvider { get; }

    /// <summary>Model file path or the description given for an in-memory model; used in error messages.</summary>
    public string Description { get; }

    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>
    /// Opens a model file. A missing file is a <see cref="FileNotFoundException"/>; a file ONNX Runtime cannot load
    /// (not a model, truncated, an invalid graph) is an <see cref="InvalidDataException"/> naming the file and ONNX
    /// Runtime's reason.
    /// </summary>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"ONNX model file not found: {fullPath}", fullPath);
        }

        return Create(options, logger, fullPath, o => new InferenceSession(fullPath, o));
    }

    /// <summary>Opens a model held in memory (e.g. one just written by the trainer's ONNX writer).</summary>
    public static OnnxSession Open(byte[] model, OnnxSessionOptions? options = null, ILogger? logger = null, string description = "in-memory model")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0)
        {
            throw new ArgumentException($"ONNX model bytes for {description} are empty", nameof(model));
        }

        return Create(options, logger, description, o => new InferenceSession(model, o));
    }

    /// <summary>Execution providers compiled into the loaded native library (not all of them necessarily usable here).</summary>
    public static IReadOnlyList<string> AvailableProviders() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (every model input must be given) and returns every float output
    /// by name, or only <paramref name="outputNames"/> when given.
    /// </summary>
    public IReadOnlyDictionary<string, OnnxOutput> Run(IReadOnlyDictionary<string, OnnxTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var expected in Inputs)
        {
            if (!inputs.ContainsKey(expected.Name))
            {
                throw new ArgumentException($"Model {Description} needs input '{expected.Name}', which was not given", nameof(inputs));
            }
        }

        var wanted = outputNames ?? Outputs.Select(o => o.Name).ToArray();
        foreach (var name in wanted)
        {
            if (Outputs.All(o => o.Name != name))
            {
                throw new ArgumentException($"Model {Description} has no output '{name}' (outputs: {string.Join(", ", Outputs.Select(o => o.Name))})");
            }
        }

        // The values wrap the callers' arrays (pinned, not copied) for the length of this call only.
        var values = new Dictionary<string, OrtValue>(inputs.Count, StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                values[name] = tensor.ToOrtValue();
            }

            using var results = _session.Run(_runOptions, values, wanted.ToArray());
            var copied = new Dictionary<string, OnnxOutput>(wanted.Count, StringComparer.Ordinal);
            for (var i = 0; i < wanted.Count; i++)
            {
                copied[wanted[i]] = CopyFloatOutput(wanted[i], results[i]);
            }

            return copied;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"Running model {Description} failed: {ex.Message}", ex);
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private OnnxOutput CopyFloatOutput(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float)
        {
            throw new InvalidDataException($"Output '{name}' of model {Description} is {info.ElementDataType}; only float outputs are read");
        }

        return new OnnxOutput(name, info.Shape, value.GetTensorDataAsSpan<float>().ToArray());
    }

    private static OnnxValueInfo Info(string name, NodeMetadata metadata) =>
        new(name, metadata.IsTensor ? metadata.ElementDataType : TensorElementType.DataTypeMax,
            metadata.IsTensor ? metadata.Dimensions.Select(d => (long)d).ToArray() : []);

    private static OnnxSession Create(OnnxSessionOptions? options, ILogger? logger, string description, Func<SessionOptions, InferenceSession> open)
    {
        options ??= new OnnxSessionOptions();
        logger ??= NullLogger.Instance;
        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, "IntraOpThreads must be 0 (ONNX Runtime's default) or positive");
        }

        try
        {
            if (options.ExecutionProvider == ExecutionProvider.Cuda)
            {
                // CUDA fails while appending the provider (the CPU package lacks the entry point altogether; in the GPU
                // build libonnxruntime_providers_cuda.so or CUDA itself may be missing: "Failed to load shared library")
                // or while creating the session (no usable device).
                // Either way the model still runs, on CPU, and the log says why, once per session. A model that is
                // itself broken fails again on CPU below, with the error that names it.
                try
                {
                    using var cuda = NewOptions(options);
                    cuda.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    return new OnnxSession(open(cuda), ExecutionProvider.Cuda, description);
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    Log.CudaUnavailable(logger, description, ex.Message);
                }
            }

            using var cpu = NewOptions(options);
            try
            {
                return new OnnxSession(open(cpu), ExecutionProvider.Cpu, description);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InvalidDataException($"{description}: ONNX Runtime cannot load the model: {ex.Message}", ex);
            }
        }
        catch (TypeInitializationException ex) when (ex.InnerException is DllNotFoundException or EntryPointNotFoundException)
        {
            // The managed API loads libonnxruntime on first use; without it every call fails with a bare type-initializer error.
            throw new OnnxRuntimeLibraryException(
                $"The ONNX Runtime native library could not be loaded ({ex.InnerException.Message}). It ships in the Microsoft.ML.OnnxRuntime " +
                "package (runtimes/linux-x64/native/libonnxruntime.so); build or publish for linux-x64 so it is copied next to the application.", ex);
        }
    }

    private static SessionOptions NewOptions(OnnxSessionOptions options) => new()
    {
        IntraOpNumThreads = options.IntraOpThreads,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
            Message = "CUDA execution provider unavailable for {Model}, running on CPU instead: {Reason}")]
        public static partial void CudaUnavailable(ILogger logger, string model, string reason);
    }
}

/// <summary>The ONNX Runtime native library is missing or cannot be loaded on this platform.</summary>
public sealed class OnnxRuntimeLibraryException(string message, Exception? inner = null) : Exception(message, inner);
