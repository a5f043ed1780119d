using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace LegalRag.Ingestion.Parsing;

/// <summary>What one run of a command-line tool produced.</summary>
public sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The first non-empty line of standard error, trimmed: what a person needs to see.</summary>
    public string FirstErrorLine =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}

/// <summary>A tool could not be run or did not finish; the message says which tool and why.</summary>
public class ExternalToolException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The executable is not installed (or not executable); the message names the Debian package.</summary>
public sealed class ExternalToolNotFoundException(string message, Exception? inner = null) : ExternalToolException(message, inner);

/// <summary>The tool ran longer than its time limit and was killed with its children.</summary>
public sealed class ExternalToolTimeoutException(string message) : ExternalToolException(message);

/// <summary>
/// Runs a command-line tool (pdftotext, pdftoppm, tesseract) as a child process. Arguments go through
/// <see cref="ProcessStartInfo.ArgumentList"/> so file names are never parsed by a shell; standard output and
/// error are read concurrently (a tool that fills one pipe while we wait on the other would deadlock);
/// a timeout and the caller's cancellation both kill the whole process tree, because tools such as
/// tesseract start helper threads or processes that must not outlive an abandoned document.
/// </summary>
public sealed class ExternalTool(string executable, string debianPackage)
{
    private const int MaxErrorChars = 64 * 1024;

    /// <summary>File name looked up on PATH, or an absolute path.</summary>
    public string Executable { get; } = executable;

    /// <summary>The Debian package that provides the tool, named in the "not found" message.</summary>
    public string DebianPackage { get; } = debianPackage;

    /// <summary>Standard output beyond this many characters kills the tool: hostile input can make text extractors produce without end.</summary>
    public long MaxOutputChars { get; init; } = 512L * 1024 * 1024;

    public string Name => Path.GetFileName(Executable);

    public async Task<ToolRun> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) startInfo.Environment[key] = value;

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ExternalToolNotFoundException($"{Name} not found: install Debian package {DebianPackage}", ex);
        }

        // No tool here reads standard input; closing it makes one that tries see end-of-file instead of hanging.
        process.StandardInput.Close();

        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var outputTooLarge = false;
        var stdoutTask = ReadCappedAsync(process.StandardOutput, MaxOutputChars, onExceeded: () =>
        {
            // Stop waiting at once: a tool whose output nobody reads any more would block on a full pipe.
            outputTooLarge = true;
            linked.Cancel();
        }, linked.Token);
        var stderrTask = ReadCappedAsync(process.StandardError, MaxErrorChars, onExceeded: null, linked.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            return new ToolRun(process.ExitCode, stdout, stderr, stopwatch.Elapsed);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process, stdoutTask, stderrTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (outputTooLarge)
                throw new ExternalToolException($"{Name} produced more than {MaxOutputChars:N0} characters of output and was stopped");
            throw new ExternalToolTimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
        }
    }

    private static async Task KillAsync(Process process, Task stdoutTask, Task stderrTask)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        // Killing closes the pipes, so the readers finish; observe them so no exception goes unobserved.
        try
        {
            await Task.WhenAll(stdoutTask, stderrTask).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The run has already failed; the reader's own failure adds nothing.
        }
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A process that ignores SIGKILL for 5 s is beyond our control; do not hang the caller.
        }
    }

    /// <summary>Reads a stream to its end keeping at most <paramref name="maxChars"/>; calls <paramref name="onExceeded"/>
    /// once when that is passed (null: keep the beginning and drain the rest, for diagnostics).</summary>
    private static async Task<string> ReadCappedAsync(StreamReader reader, long maxChars, Action? onExceeded, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0) return text.ToString();
            if (text.Length + read > maxChars)
            {
                if (onExceeded is not null)
                {
                    onExceeded();
                    return text.ToString();
                }
                // Keep the beginning, drain the rest so the tool is never blocked on a full pipe.
                text.Append(buffer, 0, (int)Math.Max(0, maxChars - text.Length));
                continue;
            }
            text.Append(buffer, 0, read);
        }
    }
}
