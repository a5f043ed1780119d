namespace LegalRag.Embeddings.Onnx;

/// <summary>Which hardware runs the graph.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>GraphOptimizationLevel from the C API.</summary>
public enum GraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>Per-session settings.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Threads used inside one operator; 0 lets ORT pick (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>Cuda falls back to Cpu with a logged warning when CUDA cannot be used.</summary>
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    public int CudaDeviceId { get; init; }
}
