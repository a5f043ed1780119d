using System.Diagnostics;
using System.Text.Json;

namespace LegalRag.Integration.Tests;

/// <summary>Runs the real `legalrag` binary as a child process, as scripts and CI do.</summary>
public sealed class CliRunner(string dataDirectory)
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "legalrag.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        psi.ArgumentList.Add("--data");
        psi.ArgumentList.Add(dataDirectory);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public async Task<Result> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
