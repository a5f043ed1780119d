using Xunit;

namespace LegalRag.Ingestion.Tests;

/// <summary>
/// Finds ../shared (real corpora kept outside the project): LEGALRAG_SHARED if set, else the folder next to
/// the checkout that holds LegalRag.sln. Tests that need it skip with a message when it is absent.
/// </summary>
internal static class SharedCorpora
{
    public static string? Root { get; } = Locate();

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("LEGALRAG_SHARED");
        if (!string.IsNullOrEmpty(configured)) return Directory.Exists(configured) ? configured : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "LegalRag.sln"))) continue;
            var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            return Directory.Exists(shared) ? shared : null;
        }
        return null;
    }

    /// <summary>The path of a file or folder under shared/, or a skip of the calling test when it is not there.</summary>
    public static string Require(string relativePath)
    {
        if (Root is null)
            Assert.Skip("shared corpora not found: set LEGALRAG_SHARED or place them at ../shared next to the checkout");
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Skip($"shared file not found: {path}");
        return path;
    }
}
