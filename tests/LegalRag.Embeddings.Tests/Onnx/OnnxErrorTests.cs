using System.Runtime.InteropServices;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.OnnxWriter;

namespace LegalRag.Embeddings.Tests.Onnx;

public sealed class OnnxErrorTests
{
    private static OrtRuntime Runtime => TestEnvironment.Runtime;

    private static byte[] SmallModel()
    {
        var g = new GraphBuilder("small");
        var x = g.Input("x", TensorDataType.Float, "n");
        g.Output(g.Mul(x, g.Scalar(2f)), TensorDataType.Float, "n");
        return g.Build().ToBytes();
    }

    [Fact]
    public void Missing_native_library_names_the_path_and_the_fetch_script()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-ort-{Guid.NewGuid():N}", "libonnxruntime.so.1");
        var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OrtRuntime.Load(new OnnxRuntimeOptions { LibraryPath = path }));
        Assert.Contains($"not found at {path}", error.Message);
        Assert.Contains("tools/fetch-onnxruntime.sh", error.Message);
        Assert.Equal(path, error.LibraryPath);
    }

    [Fact]
    public void Corrupt_native_library_is_reported_as_not_loadable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-ort-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        try
        {
            var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OrtRuntime.Load(new OnnxRuntimeOptions { LibraryPath = path }));
            Assert.Contains($"at {path} could not be loaded", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_library_that_is_not_ONNX_Runtime_is_rejected()
    {
        var other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        Assert.True(File.Exists(other), $"expected the .NET runtime's {other}");
        var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OrtRuntime.Load(new OnnxRuntimeOptions { LibraryPath = other }));
        Assert.Contains("does not export OrtGetApiBase", error.Message);
    }

    [Fact]
    public void Library_path_resolution_prefers_option_then_environment_then_repository()
    {
        var explicitPath = new OnnxRuntimeOptions { LibraryPath = "/opt/ort/libonnxruntime.so.1" }
            .ResolveLibraryPath(_ => "/env/libonnxruntime.so.1");
        Assert.Equal("/opt/ort/libonnxruntime.so.1", explicitPath);

        var fromEnvironment = new OnnxRuntimeOptions().ResolveLibraryPath(
            name => name == OnnxRuntimeOptions.LibraryPathVariable ? "/env/libonnxruntime.so.1" : null);
        Assert.Equal("/env/libonnxruntime.so.1", fromEnvironment);

        var fallback = new OnnxRuntimeOptions().ResolveLibraryPath(_ => null);
        Assert.Equal(Path.Combine(TestEnvironment.RepositoryRoot, ".native", "onnxruntime", "libonnxruntime.so.1"), fallback);
    }

    [Fact]
    public void Missing_model_file_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<FileNotFoundException>(() => Runtime.CreateSession(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_model_bytes_fail_with_ORTs_message_and_the_model_name()
    {
        var model = SmallModel();
        var corrupt = model[..(model.Length / 2)];
        var error = Assert.Throws<OnnxRuntimeException>(() => Runtime.CreateSession(corrupt, description: "half-model"));
        Assert.Contains("half-model", error.Message);
        Assert.NotEqual(OrtErrorCode.Ok, error.ErrorCode);

        var path = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf model");
        try
        {
            var fileError = Assert.Throws<OnnxRuntimeException>(() => Runtime.CreateSession(path));
            Assert.Contains(path, fileError.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Graph_referencing_an_undefined_value_is_rejected_by_ORT()
    {
        var g = new GraphBuilder("dangling");
        var x = g.Input("x", TensorDataType.Float, 2);
        g.Output(g.Add(x, "nowhere"), TensorDataType.Float, 2);
        var error = Assert.Throws<OnnxRuntimeException>(() => Runtime.CreateSession(g.Build().ToBytes()));
        Assert.Contains("nowhere", error.Message);
    }

    [Fact]
    public void Run_errors_name_what_is_wrong()
    {
        using var session = Runtime.CreateSession(SmallModel(), description: "doubler");

        var missing = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtTensor>()));
        Assert.Contains("'x'", missing.Message);

        using var wrongType = OrtTensor.FromArray(Runtime, new long[] { 1, 2 }, 2);
        var typeError = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtTensor> { ["x"] = wrongType }));
        Assert.Contains("doubler", typeError.Message);

        using var ok = OrtTensor.FromArray(Runtime, new float[] { 1, 2 }, 2);
        Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, OrtTensor> { ["x"] = ok }, ["no_such_output"]));
    }

    [Fact]
    public void Tensor_shape_must_match_the_data()
    {
        Assert.Contains("holds 6 elements", Assert.Throws<ArgumentException>(() => OrtTensor.FromArray(Runtime, new float[5], 2, 3)).Message);
        Assert.Throws<ArgumentException>(() => OrtTensor.FromArray(Runtime, new float[0], -1));
        Assert.Throws<ArgumentException>(() => OrtTensor.Allocate(Runtime, OrtElementType.Float, 1L << 20, 1L << 20));
    }

    [Fact]
    public void Disposed_tensor_refuses_access()
    {
        var tensor = OrtTensor.FromArray(Runtime, new float[] { 1 }, 1);
        tensor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tensor.GetFloatData().ToArray());
    }
}
