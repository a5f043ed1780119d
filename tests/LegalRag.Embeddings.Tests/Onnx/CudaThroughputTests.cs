using System.Diagnostics;
using System.Globalization;
using LegalRag.Embeddings.Onnx;
using LegalRag.Training.OnnxWriter;

namespace LegalRag.Embeddings.Tests.Onnx;

/// <summary>
/// On a machine with a CUDA GPU and the GPU build (-p:LegalRagGpu=true), shows the CUDA provider really running a model
/// and reports its throughput against CPU on the same model and inputs. Everywhere else it skips and says why.
/// </summary>
[Collection(MeasuresProcessMemory.Name)]
public sealed class CudaThroughputTests(ITestOutputHelper output)
{
    private const int Vocab = 30522, Hidden = 384, Inner = 1536, Layers = 4, Batch = 32, Sequence = 128;

    /// <summary>An encoder-sized feed-forward stack (gather, then residual MatMul-Gelu-MatMul blocks): dense math a GPU speeds up.</summary>
    private static byte[] DenseModel()
    {
        var random = new Random(5);
        float[] Weights(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.04f).ToArray();
        var g = new GraphBuilder("dense_stack");
        var ids = g.Input("ids", TensorDataType.Int64, "batch", "seq");
        var x = g.Gather(g.Initializer("table", Weights(Vocab * Hidden), Vocab, Hidden), ids);
        for (var layer = 0; layer < Layers; layer++)
        {
            var inner = g.Gelu(g.MatMul(x, g.Initializer($"w{layer}a", Weights(Hidden * Inner), Hidden, Inner)));
            x = g.Add(x, g.MatMul(inner, g.Initializer($"w{layer}b", Weights(Inner * Hidden), Inner, Hidden)));
        }

        g.Output(g.Identity(x, "hidden"), TensorDataType.Float, "batch", "seq", Hidden);
        return g.Build().ToBytes();
    }

    [Fact]
    public void Cuda_runs_the_model_and_reports_throughput_against_CPU()
    {
        if (!OnnxSession.AvailableProviders().Contains("CUDAExecutionProvider"))
        {
            Assert.Skip("CUDA execution provider not in this build of ONNX Runtime: build with -p:LegalRagGpu=true on a host with CUDA 13 and a GPU");
        }

        var model = DenseModel();
        var logger = new RecordingLogger();
        using var cuda = OnnxSession.Open(model, new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cuda }, logger);
        if (cuda.ActiveExecutionProvider != ExecutionProvider.Cuda)
        {
            Assert.Skip($"CUDA execution provider present but not usable here: {string.Join(" | ", logger.Warnings)}");
        }

        using var cpu = OnnxSession.Open(model);
        var random = new Random(9);
        var ids = Enumerable.Range(0, Batch * Sequence).Select(_ => (long)random.Next(Vocab)).ToArray();
        var inputs = new Dictionary<string, OnnxTensor> { ["ids"] = OnnxTensor.FromArray(ids, Batch, Sequence) };

        // The same numbers on both providers (float32 kernels differ in summation order only).
        var onCpu = cpu.Run(inputs)["hidden"].Values;
        var onCuda = cuda.Run(inputs)["hidden"].Values;
        ReferenceMath.AssertClose(onCpu, onCuda, 1e-3f);

        var cpuRate = SequencesPerSecond(cpu, inputs);
        var cudaRate = SequencesPerSecond(cuda, inputs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dense stack ({Layers} blocks, {Hidden}/{Inner}, batch {Batch} x {Sequence} tokens): CPU {cpuRate:F1} sequences/s, CUDA {cudaRate:F1} sequences/s, CUDA/CPU {cudaRate / cpuRate:F1}x"));
        Assert.True(cudaRate > 0 && cpuRate > 0);
    }

    /// <summary>Median of five timed runs after a warm-up run (which allocates arenas and picks kernels).</summary>
    private static double SequencesPerSecond(OnnxSession session, Dictionary<string, OnnxTensor> inputs)
    {
        session.Run(inputs);
        var seconds = Enumerable.Range(0, 5).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            session.Run(inputs);
            return watch.Elapsed.TotalSeconds;
        }).Order().ToArray();
        return Batch / seconds[2];
    }
}
