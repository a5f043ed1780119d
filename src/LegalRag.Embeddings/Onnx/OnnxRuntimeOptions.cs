namespace LegalRag.Embeddings.Onnx;

/// <summary>Where the ONNX Runtime native library lives and how its environment logs.</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>Environment variable that overrides <see cref="LibraryPath"/> (CI and deployments point it elsewhere).</summary>
    public const string LibraryPathVariable = "LEGALRAG_ONNXRUNTIME";

    /// <summary>Full path to libonnxruntime.so.1. Null means: the env variable, else &lt;repo&gt;/.native/onnxruntime.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>Minimum severity ORT itself prints to stderr (0 verbose … 4 fatal). Warnings by default.</summary>
    public int LogSeverity { get; init; } = 2;

    /// <summary>
    /// The library path actually used: explicit option, then LEGALRAG_ONNXRUNTIME, then the repository's
    /// .native folder found by walking up from the application directory to LegalRag.sln.
    /// </summary>
    public string ResolveLibraryPath() => ResolveLibraryPath(Environment.GetEnvironmentVariable);

    internal string ResolveLibraryPath(Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(LibraryPath))
        {
            return Path.GetFullPath(LibraryPath);
        }

        var fromEnvironment = environment(LibraryPathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return DefaultLibraryPath();
    }

    /// <summary>&lt;repo&gt;/.native/onnxruntime/libonnxruntime.so.1, or next to the app when no repository is found.</summary>
    public static string DefaultLibraryPath()
    {
        var root = FindRepositoryRoot(AppContext.BaseDirectory) ?? AppContext.BaseDirectory;
        return Path.Combine(root, ".native", "onnxruntime", "libonnxruntime.so.1");
    }

    internal static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
