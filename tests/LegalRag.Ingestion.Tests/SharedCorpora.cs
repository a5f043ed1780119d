using LegalRag.TestSupport;

namespace LegalRag.Ingestion.Tests;

/// <summary>The shared corpora for this project's tests; the lookup and the skip live in <see cref="SharedData"/>.</summary>
internal static class SharedCorpora
{
    public static string? Root => SharedData.Root;

    /// <summary>The path of a file or folder under shared/, or a skip of the calling test when it is not there.</summary>
    public static string Require(string relativePath) => SharedData.RequirePath(relativePath);
}
