using LegalRag.Embeddings.Onnx;

namespace LegalRag.Embeddings.Tests;

/// <summary>Locates the native ONNX Runtime and the shared folder for tests.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// The real ONNX Runtime. Deliberately not a skip: when the library is missing the tests fail with the loader's
    /// message ("... not found at X: run tools/fetch-onnxruntime.sh"), because CI always fetches it.
    /// </summary>
    public static OrtRuntime Runtime => OrtRuntime.Load(new OnnxRuntimeOptions());

    public static string RepositoryRoot =>
        OnnxRuntimeOptions.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"LegalRag.sln not found above {AppContext.BaseDirectory}");

    /// <summary>The shared data folder (env LEGALRAG_SHARED, else ../shared beside the repository), or null when absent.</summary>
    public static string? SharedFolder => LegalRag.TestSupport.SharedData.Root;

    /// <summary>Path of a file under shared/, or a skip naming what is missing.</summary>
    public static string RequireSharedFile(string relativePath) => LegalRag.TestSupport.SharedData.RequirePath(relativePath);

    public static string TestDataPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", fileName);
}
