using Xunit;

namespace LegalRag.TestSupport;

/// <summary>
/// Locates the shared data folder (real corpora, question sets, specs) beside the repository:
/// LEGALRAG_SHARED when set, else ../shared from the folder holding LegalRag.sln. Tests that need
/// it call <see cref="RequirePath"/>, which skips them with a clear message when it is absent.
/// </summary>
public static class SharedData
{
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("LEGALRAG_SHARED");
            if (!string.IsNullOrWhiteSpace(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
            var repo = Repository.Root;
            var shared = Path.GetFullPath(Path.Combine(repo, "..", "shared"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    /// <summary>The full path of <paramref name="relative"/> under shared/, or a skip when it is not there.</summary>
    public static string RequirePath(string relative)
    {
        var root = Root;
        if (root is null)
            Assert.Skip($"shared data folder not found (looked for ../shared beside the repository, or LEGALRAG_SHARED); this test needs {relative}");
        var path = Path.Combine(root!, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Skip($"{path} is absent from the shared data folder; this test needs it");
        return path;
    }
}

public static class Repository
{
    /// <summary>The folder holding LegalRag.sln, found upward from the test binary.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln"))) return dir.FullName;
            throw new InvalidOperationException("LegalRag.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
