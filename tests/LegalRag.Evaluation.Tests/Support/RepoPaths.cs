namespace LegalRag.Evaluation.Tests.Support;

/// <summary>Finds the repository root (the folder with LegalRag.sln) and the shared data folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root => LegalRag.TestSupport.Repository.Root;

    public static string FixtureCorpus => Path.Combine(Root, "tests", "LegalRag.Evaluation.Tests", "Fixtures", "corpus");

    public static string RegressionSet => Path.Combine(Root, "evals", "regression", "fixtures.jsonl");

    /// <summary>../shared, or LEGALRAG_SHARED; null when absent.</summary>
    public static string? Shared => LegalRag.TestSupport.SharedData.Root;

    /// <summary>A file under the shared folder, or a skip of the test with a message saying what is missing.</summary>
    public static string RequireShared(string relative) => LegalRag.TestSupport.SharedData.RequirePath(relative);
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "legalrag-eval-tests-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
