using Microsoft.Extensions.Configuration;
using LegalRag.Hosting.Configuration;

namespace LegalRag.Cli.Configuration;

/// <summary>
/// The CLI's configuration sources in increasing precedence: appsettings.json beside the binary, appsettings.json in
/// the working directory, LEGALRAG__* environment variables; --data and --model are applied on top by AddLegalRag.
/// </summary>
public static class CliConfiguration
{
    public static IConfiguration Build() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables("LEGALRAG__")
        .Build();
}

/// <summary>Finds the project's own files (corpus manifests) and the shared folder.</summary>
public static class ProjectPaths
{
    /// <summary>The folder holding LegalRag.sln, searched upward from the working directory and the binary.</summary>
    public static string? RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln"))) return dir.FullName;
        }
        return null;
    }

    public static string SharedDirectory(LegalRagSettings settings)
    {
        var env = Environment.GetEnvironmentVariable("LEGALRAG_SHARED");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        if (Path.IsPathRooted(settings.SharedDirectory)) return settings.SharedDirectory;
        var root = RepositoryRoot() ?? Directory.GetCurrentDirectory();
        return Path.GetFullPath(Path.Combine(root, settings.SharedDirectory));
    }
}
