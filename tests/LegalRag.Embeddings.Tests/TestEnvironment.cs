namespace LegalRag.Embeddings.Tests;

/// <summary>Locates the shared folder and test data for tests (ONNX Runtime itself comes with its package).</summary>
internal static class TestEnvironment
{
    /// <summary>The shared data folder (env LEGALRAG_SHARED, else ../shared beside the repository), or null when absent.</summary>
    public static string? SharedFolder => LegalRag.TestSupport.SharedData.Root;

    /// <summary>Path of a file under shared/, or a skip naming what is missing.</summary>
    public static string RequireSharedFile(string relativePath) => LegalRag.TestSupport.SharedData.RequirePath(relativePath);

    public static string TestDataPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", fileName);
}
