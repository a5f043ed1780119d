namespace LegalRag.Embeddings.Onnx;

/// <summary>Which hardware runs the graph.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>Per-session settings.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Threads used inside one operator; 0 lets ONNX Runtime pick (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Cuda needs the GPU build (-p:LegalRagGpu=true) and CUDA on the host; where either is missing the session runs
    /// on CPU and one warning is logged.
    /// </summary>
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    public int CudaDeviceId { get; init; }

    /// <summary>Parses the configuration value "cpu" or "cuda" (any case).</summary>
    public static ExecutionProvider ParseProvider(string value) => value.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        _ => throw new ArgumentException($"execution provider must be 'cpu' or 'cuda', not '{value}'", nameof(value)),
    };
}
