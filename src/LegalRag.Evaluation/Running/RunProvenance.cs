using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;

namespace LegalRag.Evaluation.Running;

/// <summary>What a report records so that a run can be reproduced: code, models, machine.</summary>
public static class RunProvenance
{
    public static CodeVersionInfo CodeVersion(string? workingDirectory = null)
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(RunProvenance).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var directory = workingDirectory ?? Environment.CurrentDirectory;
        var commit = Git(directory, "rev-parse HEAD");
        bool? dirty = null;
        if (commit is not null)
        {
            var status = Git(directory, "status --porcelain --untracked-files=no");
            dirty = status is null ? null : status.Length > 0;
        }
        return new CodeVersionInfo(version, commit, dirty);
    }

    public static MachineInfo Machine() =>
        new(RuntimeInformation.OSDescription, Environment.ProcessorCount, RuntimeInformation.FrameworkDescription);

    public static async Task<IReadOnlyList<ModelFileInfo>> HashModelFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var result = new List<ModelFileInfo>();
        foreach (var path in paths)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new EvalInputException($"{path}: model file not found");
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
            result.Add(new ModelFileInfo(path, await Hashing.Sha256HexAsync(stream, cancellationToken).ConfigureAwait(false), info.Length));
        }
        return result;
    }

    /// <summary>Runs git when it is installed and the folder is a repository; anything else gives null,
    /// because a missing commit must not stop an evaluation.</summary>
    private static string? Git(string directory, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return null;
            }
            return process.ExitCode == 0 ? output.GetAwaiter().GetResult().Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git not installed
        }
    }
}
