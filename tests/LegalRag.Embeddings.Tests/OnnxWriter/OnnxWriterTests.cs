using LegalRag.Embeddings.Onnx;
using LegalRag.Training.OnnxWriter;

namespace LegalRag.Embeddings.Tests.OnnxWriter;

public sealed class OnnxWriterTests
{
    [Fact]
    public void Every_attribute_kind_tensor_and_shape_reads_back_from_the_written_bytes()
    {
        var node = new NodeDef("Identity", ["x"], ["y"], "n0",
        [
            AttributeDef.Int("i", -1), AttributeDef.Float("f", 0.5f), AttributeDef.String("s", "Kündigung"),
            AttributeDef.Ints("is", 1, 0, -2), AttributeDef.Floats("fs", 1.5f, 0f), AttributeDef.Tensor("t", TensorDef.Int64("c", [3L, 0, -4], 3)),
        ]);
        var model = new ModelDef(new GraphDef("g", [node], [TensorDef.Float("w", [1f, -2.5f], 2)],
            [new ValueInfoDef("x", TensorDataType.Float, ["batch", 2])], [new ValueInfoDef("y", TensorDataType.Float, ["batch", 2])]), [new OpsetImport("", 17)]);

        var proto = LegalRag.Training.OnnxWriter.Proto.ModelProto.Parser.ParseFrom(model.ToBytes());

        Assert.Equal(ModelDef.DefaultIrVersion, proto.IrVersion);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        var written = Assert.Single(proto.Graph.Node);
        Assert.Equal(("Identity", "n0", "x", "y"), (written.OpType, written.Name, written.Input.Single(), written.Output.Single()));
        var attributes = written.Attribute.ToDictionary(a => a.Name);
        Assert.Equal((2, -1L), (attributes["i"].Type, attributes["i"].I));
        Assert.Equal((1, 0.5f), (attributes["f"].Type, attributes["f"].F));
        Assert.Equal((3, "Kündigung"), (attributes["s"].Type, attributes["s"].S.ToStringUtf8()));
        Assert.Equal([1L, 0, -2], attributes["is"].Ints);
        Assert.Equal([1.5f, 0f], attributes["fs"].Floats);
        Assert.Equal((4, "c", 7), (attributes["t"].Type, attributes["t"].T.Name, attributes["t"].T.DataType));
        Assert.Equal([3L, 0, -4], attributes["t"].T.Int64Data);
        var weights = Assert.Single(proto.Graph.Initializer);
        Assert.Equal([1f, -2.5f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weights.RawData.Span).ToArray());
        var dims = proto.Graph.Input.Single().Type.TensorType.Shape.Dim;
        Assert.Equal(("batch", 2L), (dims[0].DimParam, dims[1].DimValue));
    }

    [Fact]
    public void Model_header_carries_ir_version_producer_and_opset()
    {
        var g = new GraphBuilder("g");
        var x = g.Input("x", TensorDataType.Float, 1);
        var bytes = g.Output(x, TensorDataType.Float, 1).Build(opset: 17).ToBytes();
        // ir_version = 8 is the first field: tag 0x08, value 8.
        Assert.Equal(new byte[] { 0x08, 0x08 }, bytes[..2]);
        // opset_import (field 8, length-delimited: 0x42) holding version (field 2) = 17 comes last.
        Assert.Equal(new byte[] { 0x42, 0x02, 0x10, 17 }, bytes[^4..]);
    }

    [Fact]
    public void Graph_without_outputs_is_refused()
    {
        var g = new GraphBuilder("empty");
        g.Input("x", TensorDataType.Float, 1);
        Assert.Throws<InvalidOperationException>(() => g.Build());
        Assert.Throws<ArgumentException>(() => g.Input("x", TensorDataType.Float, 1));
        Assert.Throws<ArgumentException>(() => TensorDef.Float("t", new float[3], 2, 2));
    }

    /// <summary>Where/Equal/ReduceSum/Sqrt/Sub/Unsqueeze/Reshape(-1)/Gelu/Tanh, each checked by ORT against plain arithmetic.</summary>
    [Fact]
    public void Remaining_ops_compute_what_they_should()
    {
        var g = new GraphBuilder("ops");
        var x = g.Input("x", TensorDataType.Float, 2, 3);
        var flags = g.Input("flags", TensorDataType.Int64, 2, 3);
        var isOne = g.Equal(flags, g.Initializer("one64", [1L]));
        var picked = g.Where(isOne, x, g.Sub(g.Scalar(0f), x));
        var rowSums = g.ReduceSum(picked, [1], keepDims: false);
        var roots = g.Sqrt(g.Mul(x, x));
        var flat = g.Reshape(roots, -1);
        var column = g.Unsqueeze(rowSums, 1);
        var gelu = g.Gelu(x);
        var tanh = g.Tanh(x);
        g.Output(rowSums, TensorDataType.Float, 2).Output(flat, TensorDataType.Float, 6).Output(column, TensorDataType.Float, 2, 1)
            .Output(gelu, TensorDataType.Float, 2, 3).Output(tanh, TensorDataType.Float, 2, 3);

        using var session = OnnxSession.Open(g.Build().ToBytes());
        float[] xs = [1, -2, 3, -4, 5, 0.5f];
        var xTensor = OnnxTensor.FromArray(xs, 2, 3);
        var flagTensor = OnnxTensor.FromArray(new long[] { 1, 0, 1, 0, 0, 1 }, 2, 3);
        var outputs = session.Run(new Dictionary<string, OnnxTensor> { ["x"] = xTensor, ["flags"] = flagTensor });

        Assert.Equal([1f + 2 + 3, 4f - 5 + 0.5f], outputs[rowSums].Values);
        Assert.Equal(xs.Select(Math.Abs).ToArray(), outputs[flat].Values);
        Assert.Equal([2L, 1], outputs[column].Shape);
        var expectedGelu = xs.Select(v => (float)(0.5 * v * (1 + Erf(v / Math.Sqrt(2))))).ToArray();
        Onnx.ReferenceMath.AssertClose(expectedGelu, outputs[gelu].Values, 1e-5f);
        Onnx.ReferenceMath.AssertClose(xs.Select(v => MathF.Tanh(v)).ToArray(), outputs[tanh].Values, 1e-6f);
    }

    [Fact]
    public void Tensor_and_floats_attributes_reach_ORT_intact()
    {
        var g = new GraphBuilder("constants");
        var x = g.Input("x", TensorDataType.Float, 3);
        var fromTensor = g.Node("Constant", [], 1, AttributeDef.Tensor("value", TensorDef.Float("c", [0.5f, -1.25f, 3f], 3)))[0];
        var fromFloats = g.Node("Constant", [], 1, AttributeDef.Floats("value_floats", 10f, 20f, 30f))[0];
        var fromInt = g.Cast(g.Node("Constant", [], 1, AttributeDef.Int("value_int", -7))[0], TensorDataType.Float);
        var sum = g.Add(g.Add(g.Add(x, fromTensor), fromFloats), fromInt);
        g.Output(sum, TensorDataType.Float, 3);

        using var session = OnnxSession.Open(g.Build().ToBytes());
        var input = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 3);
        var output = session.Run(new Dictionary<string, OnnxTensor> { ["x"] = input })[sum];
        Assert.Equal([1 + 0.5f + 10 - 7, 2 - 1.25f + 20 - 7, 3 + 3f + 30 - 7], output.Values);
    }

    /// <summary>Abramowitz-Stegun 7.1.26 (|error| &lt; 1.5e-7), independent of ORT's implementation.</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
