using LegalRag.Embeddings.Onnx;
using LegalRag.Training.OnnxWriter;

namespace LegalRag.Embeddings.Tests.Onnx;

/// <summary>
/// Creates, runs and disposes many sessions; if any native object (session, run options, input or output value) were not released the resident set
/// would grow by at least the 4 MB weight copy each session holds, i.e. by about a gigabyte over the loop.
/// </summary>
[Collection(MeasuresProcessMemory.Name)]
public sealed class OnnxLeakTests
{
    [Fact]
    public void Sessions_and_tensors_released_in_a_loop_keep_RSS_bounded()
    {
        const int vocab = 4096, hidden = 256;
        var table = new float[vocab * hidden];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = i % 97 / 97f;
        }

        var g = new GraphBuilder("leak");
        var ids = g.Input("ids", TensorDataType.Int64, "batch", "seq");
        g.Output(g.ReduceMean(g.Gather(g.Initializer("table", table, vocab, hidden), ids), [1], keepDims: false), TensorDataType.Float, "batch", hidden);
        var model = g.Build().ToBytes();
        var options = new OnnxSessionOptions { IntraOpThreads = 1 };

        void Cycle(int iterations)
        {
            for (var i = 0; i < iterations; i++)
            {
                using var session = OnnxSession.Open(model, options);
                var input = OnnxTensor.FromArray(new long[] { i % vocab, 1, 2, 3 }, 2, 2);
                var output = session.Run(new Dictionary<string, OnnxTensor> { ["ids"] = input }).Values.Single();
                Assert.Equal(2 * hidden, output.Values.Length);
            }
        }

        Cycle(40);
        var before = ResidentBytes();
        Cycle(250);
        var growth = ResidentBytes() - before;

        Assert.True(growth < 96L * 1024 * 1024, $"RSS grew by {growth / (1024 * 1024)} MB over 250 session cycles");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }

        throw new InvalidOperationException("VmRSS not found in /proc/self/status");
    }
}

/// <summary>Runs alone (after the parallel tests), so no other test's allocations show up in the RSS figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresProcessMemory
{
    public const string Name = "measures process memory";
}
