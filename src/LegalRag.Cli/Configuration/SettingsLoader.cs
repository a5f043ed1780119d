using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace LegalRag.Cli.Configuration;

/// <summary>
/// Loads settings in increasing precedence: appsettings.json beside the binary, appsettings.json in
/// the working directory, LEGALRAG__* environment variables, then command-line options.
/// Invalid values fail at start with the key named, not deep inside a command.
/// </summary>
public static class SettingsLoader
{
    public static LegalRagSettings Load(string? dataOverride)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("LEGALRAG__")
            .Build();
        var settings = new LegalRagSettings();
        // Environment variables LEGALRAG__DataDirectory map to the root; appsettings nest under "LegalRag".
        configuration.GetSection(LegalRagSettings.Section).Bind(settings);
        configuration.Bind(settings);
        if (!string.IsNullOrWhiteSpace(dataOverride)) settings.DataDirectory = dataOverride;
        Validate(settings);
        return settings;
    }

    private static void Validate(object settings, string prefix = LegalRagSettings.Section)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
            throw new SettingsException(string.Join("; ", results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.GetValue(settings) is { } child)
                Validate(child, $"{prefix}:{property.Name}");
        }
    }
}

public sealed class SettingsException(string message) : Exception(message);

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
