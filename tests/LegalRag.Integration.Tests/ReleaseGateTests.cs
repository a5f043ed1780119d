using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>
/// The release gate in CI: the committed regression set (evals/regression/fixtures.jsonl) runs through
/// the real CLI, store, search and in-process answer path, and is compared with the committed baseline
/// report (evals/baselines/fixtures-lexical.json). A metric that drops beyond the tolerance fails the build.
/// After an intended change, regenerate the baseline with the commands in evals/README.md and review its diff.
/// </summary>
public sealed class ReleaseGateTests
{
    [Fact]
    public async Task The_regression_set_does_not_get_worse_than_the_committed_baseline()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Repository.Root;
        var corpus = Path.Combine(root, "tests", "LegalRag.Evaluation.Tests", "Fixtures", "corpus");
        using var dir = new TempDirectory("gate");
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        Assert.Equal(0, (await cli.RunAsync(ct, "ingest", Path.Combine(corpus, "de-bundesrecht"), "--corpus", "fixtures-de", "--lang", "de")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync(ct, "ingest", Path.Combine(corpus, "fr-code-civil"), "--corpus", "fixtures-fr", "--lang", "fr", "--act", "Code civil")).ExitCode);

        var run = await cli.RunAsync(ct, "eval", "run", "--set", Path.Combine(root, "evals", "regression", "fixtures.jsonl"), "--answers",
            "--out", Path.Combine(dir.Path, "report"), "--baseline", Path.Combine(root, "evals", "baselines", "fixtures-lexical.json"), "--tolerance", "0.02");
        Assert.True(run.ExitCode == 0, $"release gate failed (exit {run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        Assert.True(File.Exists(Path.Combine(dir.Path, "report", "report.html")));
    }
}
