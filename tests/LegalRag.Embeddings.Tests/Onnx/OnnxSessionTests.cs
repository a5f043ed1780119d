using LegalRag.Embeddings.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;
using LegalRag.Training.OnnxWriter;
using static LegalRag.Embeddings.Tests.Onnx.ReferenceMath;

namespace LegalRag.Embeddings.Tests.Onnx;

public sealed class OnnxSessionTests
{
    /// <summary>Embedding lookup then mean over the sequence: the skeleton of a bag-of-tokens encoder.</summary>
    private static (byte[] Model, float[] Table) GatherMeanModel(int vocab, int hidden, int seed)
    {
        var table = RandomFloats(new Random(seed), vocab * hidden);
        var g = new GraphBuilder("gather_mean");
        var ids = g.Input("ids", TensorDataType.Int64, "batch", "seq");
        var embedded = g.Gather(g.Initializer("table", table, vocab, hidden), ids);
        var mean = g.ReduceMean(embedded, [1], keepDims: false);
        g.Output(mean, TensorDataType.Float, "batch", hidden);
        return (g.Build().ToBytes(), table);
    }

    [Fact]
    public void Gather_then_ReduceMean_matches_a_CSharp_lookup_and_average()
    {
        const int vocab = 50, hidden = 8;
        var (model, table) = GatherMeanModel(vocab, hidden, seed: 7);
        using var session = OnnxSession.Open(model);

        long[] ids = [3, 17, 42, 0, 49, 49, 8, 1, 25];
        var input = OnnxTensor.FromArray(ids, 3, 3);
        var output = session.Run(new Dictionary<string, OnnxTensor> { ["ids"] = input }).Values.Single();

        Assert.Equal([3L, hidden], output.Shape);
        var expected = new float[3 * hidden];
        for (var row = 0; row < 3; row++)
        {
            for (var j = 0; j < hidden; j++)
            {
                expected[row * hidden + j] = (table[ids[row * 3] * hidden + j] + table[ids[row * 3 + 1] * hidden + j] + table[ids[row * 3 + 2] * hidden + j]) / 3f;
            }
        }

        AssertClose(expected, output.Values, 1e-6f);
    }

    /// <summary>One self-attention block with residual and LayerNorm, as in a transformer encoder layer.</summary>
    [Fact]
    public void Tiny_attention_block_matches_the_CSharp_reference()
    {
        const int batch = 2, seq = 5, hidden = 6;
        var random = new Random(11);
        var wq = RandomFloats(random, hidden * hidden, 0.5f);
        var wk = RandomFloats(random, hidden * hidden, 0.5f);
        var wv = RandomFloats(random, hidden * hidden, 0.5f);
        var bq = RandomFloats(random, hidden, 0.1f);
        var gamma = RandomFloats(random, hidden);
        var beta = RandomFloats(random, hidden, 0.1f);
        var x = RandomFloats(random, batch * seq * hidden);

        var g = new GraphBuilder("attention");
        var input = g.Input("x", TensorDataType.Float, "batch", "seq", hidden);
        var q = g.Add(g.MatMul(input, g.Initializer("wq", wq, hidden, hidden)), g.Initializer("bq", bq, hidden));
        var k = g.MatMul(input, g.Initializer("wk", wk, hidden, hidden));
        var v = g.MatMul(input, g.Initializer("wv", wv, hidden, hidden));
        var scores = g.Div(g.MatMul(q, g.Transpose(k, 0, 2, 1)), g.Scalar(MathF.Sqrt(hidden)));
        var context = g.MatMul(g.Softmax(scores, axis: -1), v);
        var normed = g.LayerNormalization(g.Add(input, context), g.Initializer("gamma", gamma, hidden), g.Initializer("beta", beta, hidden), epsilon: 1e-5f);
        g.Output(normed, TensorDataType.Float, "batch", "seq", hidden);

        using var session = OnnxSession.Open(g.Build().ToBytes());
        var tensor = OnnxTensor.FromArray(x, batch, seq, hidden);
        var output = session.Run(new Dictionary<string, OnnxTensor> { ["x"] = tensor })[normed];

        var qr = MatMul(x, batch, seq, hidden, wq, hidden);
        AddRowVector(qr, bq);
        var kr = MatMul(x, batch, seq, hidden, wk, hidden);
        var vr = MatMul(x, batch, seq, hidden, wv, hidden);
        var sr = MatMul(qr, batch, seq, hidden, TransposeLast(kr, batch, seq, hidden), seq, batchedB: true);
        for (var i = 0; i < sr.Length; i++)
        {
            sr[i] /= MathF.Sqrt(hidden);
        }

        SoftmaxRows(sr, seq);
        var cr = MatMul(sr, batch, seq, seq, vr, hidden, batchedB: true);
        var residual = x.Zip(cr, (a, b) => a + b).ToArray();
        var expected = LayerNormRows(residual, hidden, gamma, beta, 1e-5f);

        Assert.Equal([batch, seq, hidden], output.Shape);
        AssertClose(expected, output.Values, 1e-4f);
    }

    [Fact]
    public void Session_reports_input_and_output_names_types_and_symbolic_dims()
    {
        var g = new GraphBuilder("meta");
        var ids = g.Input("input_ids", TensorDataType.Int64, "batch", 4);
        var mask = g.Input("attention_mask", TensorDataType.Int64, "batch", 4);
        var sum = g.Cast(g.Add(ids, mask), TensorDataType.Float);
        g.Output(sum, TensorDataType.Float, "batch", 4);

        using var session = OnnxSession.Open(g.Build().ToBytes());

        Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, i => Assert.Equal(TensorElementType.Int64, i.ElementType));
        Assert.Equal([-1L, 4], session.Inputs[0].Dimensions);
        Assert.Equal(sum, session.Outputs.Single().Name);
        Assert.Equal(TensorElementType.Float, session.Outputs[0].ElementType);
        Assert.Equal(ExecutionProvider.Cpu, session.ActiveExecutionProvider);
    }

    [Fact]
    public void Int64_and_float_inputs_are_read_from_the_callers_arrays()
    {
        var g = new GraphBuilder("double");
        var x = g.Input("x", TensorDataType.Int64, 2, 3);
        var y = g.Input("y", TensorDataType.Float, 2, 3);
        var doubled = g.Add(g.Cast(g.Add(x, x), TensorDataType.Float), y);
        g.Output(doubled, TensorDataType.Float, 2, 3);
        using var session = OnnxSession.Open(g.Build().ToBytes());
        var output = session.Run(new Dictionary<string, OnnxTensor>
        {
            ["x"] = OnnxTensor.FromArray(new long[] { 0, 10, 20, 30, 40, 50 }, 2, 3),
            ["y"] = OnnxTensor.FromArray(new float[] { 0.5f, 0, 0, 0, 0, -0.5f }, 2, 3),
        })[doubled];
        Assert.Equal([2L, 3], output.Shape);
        Assert.Equal([0.5f, 20, 40, 60, 80, 99.5f], output.Values);
    }

    [Fact]
    public void Model_saved_to_disk_loads_by_path()
    {
        var (model, _) = GatherMeanModel(10, 4, seed: 1);
        var path = Path.Combine(Path.GetTempPath(), $"legalrag-gather-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            using var session = OnnxSession.Open(path);
            Assert.Equal(Path.GetFullPath(path), session.Description);
            var ids = OnnxTensor.FromArray(new long[] { 1, 2 }, 1, 2);
            Assert.Equal([1L, 4], session.Run(new Dictionary<string, OnnxTensor> { ["ids"] = ids }).Values.Single().Shape);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Cuda_request_runs_on_CUDA_or_falls_back_to_CPU_with_one_warning()
    {
        var (model, _) = GatherMeanModel(10, 4, seed: 2);
        var logger = new RecordingLogger();
        using var session = OnnxSession.Open(model, new OnnxSessionOptions { ExecutionProvider = ExecutionProvider.Cuda }, logger);
        using var cpu = OnnxSession.Open(model);

        if (!OnnxSession.AvailableProviders().Contains("CUDAExecutionProvider"))
        {
            // The default (CPU) build has no CUDA provider: the session must still open, on CPU.
            Assert.Equal(ExecutionProvider.Cpu, session.ActiveExecutionProvider);
        }

        if (session.ActiveExecutionProvider == ExecutionProvider.Cpu)
        {
            var warning = Assert.Single(logger.Warnings);
            Assert.Contains("CUDA execution provider unavailable", warning);
            Assert.Contains("running on CPU", warning);
        }
        else
        {
            Assert.Empty(logger.Warnings);
        }

        var ids = new Dictionary<string, OnnxTensor> { ["ids"] = OnnxTensor.FromArray(new long[] { 1, 2 }, 1, 2) };
        AssertClose(cpu.Run(ids).Values.Single().Values, session.Run(ids).Values.Single().Values, 1e-5f);
    }

    [Fact]
    public void The_package_runtime_offers_the_CPU_provider()
    {
        Assert.Contains("CPUExecutionProvider", OnnxSession.AvailableProviders());
    }
}
