using System.Diagnostics;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Parsing;

public sealed class ExternalToolTests
{
    private static readonly ExternalTool Shell = new("sh", "dash");

    [Fact]
    public async Task A_missing_tool_is_named_with_its_Debian_package()
    {
        var tool = new ExternalTool("/nonexistent/bin/pdftotext", "poppler-utils");

        var ex = await Assert.ThrowsAsync<ExternalToolNotFoundException>(() =>
            tool.RunAsync(["-v"], TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Equal("pdftotext not found: install Debian package poppler-utils", ex.Message);
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_and_both_streams_are_captured_without_deadlock()
    {
        // A megabyte on stdout while stderr is written too: reading one stream after the other would block.
        var run = await Shell.RunAsync(
            ["-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo \"$1\" >&2; exit 3", "sh", "a file; with $(spaces) & quotes'"],
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(1_000_000, run.StandardOutput.Length);
        Assert.Equal("a file; with $(spaces) & quotes'", run.FirstErrorLine);
    }

    [Fact]
    public async Task A_tool_past_its_time_limit_is_killed_with_its_children()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"legalrag-tool-test-{Guid.NewGuid():N}.pid");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<ExternalToolTimeoutException>(() => Shell.RunAsync(
                ["-c", $"sleep 30 & echo $! > '{pidFile}'; wait"], TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken));

            Assert.Equal("sh did not finish within 0.5 s and was stopped", ex.Message);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
            var child = int.Parse((await File.ReadAllTextAsync(pidFile, TestContext.Current.CancellationToken)).Trim());
            Assert.True(await GoneAsync(child), $"the child process {child} (sleep) outlived the kill");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task Cancellation_kills_the_tool_and_surfaces_as_cancellation()
    {
        using var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Shell.RunAsync(["-c", "sleep 30"], TimeSpan.FromMinutes(5), source.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Output_beyond_the_cap_stops_the_tool()
    {
        var tool = new ExternalTool("sh", "dash") { MaxOutputChars = 10_000 };

        var ex = await Assert.ThrowsAsync<ExternalToolException>(() =>
            tool.RunAsync(["-c", "yes"], TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Equal("sh produced more than 10,000 characters of output and was stopped", ex.Message);
    }

    /// <summary>True once the process no longer exists or is a zombie awaiting its (new) parent.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return true;
            try
            {
                var state = (await File.ReadAllTextAsync(stat)).Split(") ", 2)[1][0];
                if (state is 'Z' or 'X') return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
