using LegalRag.Embeddings.Onnx;
using LegalRag.Training.OnnxWriter;
using Microsoft.ML.OnnxRuntime;

namespace LegalRag.Embeddings.Tests.Onnx;

public sealed class OnnxErrorTests
{
    private static byte[] SmallModel()
    {
        var g = new GraphBuilder("small");
        var x = g.Input("x", TensorDataType.Float, "n");
        g.Output(g.Mul(x, g.Scalar(2f)), TensorDataType.Float, "n");
        return g.Build().ToBytes();
    }

    [Fact]
    public void Missing_model_file_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => OnnxSession.Open(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_model_fails_with_the_model_name_and_ORTs_reason()
    {
        var model = SmallModel();
        var corrupt = model[..(model.Length / 2)];
        var error = Assert.Throws<InvalidDataException>(() => OnnxSession.Open(corrupt, description: "half-model"));
        Assert.StartsWith("half-model: ONNX Runtime cannot load the model", error.Message);
        Assert.IsType<OnnxRuntimeException>(error.InnerException);

        var path = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf model");
        try
        {
            var fileError = Assert.Throws<InvalidDataException>(() => OnnxSession.Open(path));
            Assert.StartsWith($"{path}: ONNX Runtime cannot load the model", fileError.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Empty_model_bytes_are_refused_before_ORT_sees_them()
    {
        Assert.Contains("are empty", Assert.Throws<ArgumentException>(() => OnnxSession.Open([], description: "nothing")).Message);
    }

    [Fact]
    public void Graph_referencing_an_undefined_value_is_rejected_by_ORT()
    {
        var g = new GraphBuilder("dangling");
        var x = g.Input("x", TensorDataType.Float, 2);
        g.Output(g.Add(x, "nowhere"), TensorDataType.Float, 2);
        var error = Assert.Throws<InvalidDataException>(() => OnnxSession.Open(g.Build().ToBytes(), description: "dangling"));
        Assert.StartsWith("dangling:", error.Message);
        Assert.Contains("nowhere", error.Message);
    }

    [Fact]
    public void Run_errors_name_what_is_wrong()
    {
        using var session = OnnxSession.Open(SmallModel(), description: "doubler");

        var missing = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OnnxTensor>()));
        Assert.Contains("'x'", missing.Message);

        var wrongType = OnnxTensor.FromArray(new long[] { 1, 2 }, 2);
        var typeError = Assert.Throws<InvalidOperationException>(() => session.Run(new Dictionary<string, OnnxTensor> { ["x"] = wrongType }));
        Assert.StartsWith("Running model doubler failed", typeError.Message);

        var ok = OnnxTensor.FromArray(new float[] { 1, 2 }, 2);
        Assert.Contains("no output 'no_such_output'",
            Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OnnxTensor> { ["x"] = ok }, ["no_such_output"])).Message);
    }

    [Fact]
    public void Tensor_shape_must_match_the_data()
    {
        Assert.Contains("holds 6 elements, the data has 5", Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new float[5], 2, 3)).Message);
        Assert.Contains("negative dimension", Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new float[0], -1)).Message);
        Assert.Contains("exceeds", Assert.Throws<ArgumentException>(() => OnnxTensor.FromArray(new long[1], 1L << 20, 1L << 20)).Message);
    }
}
