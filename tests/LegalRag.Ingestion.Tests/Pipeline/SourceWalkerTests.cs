using LegalRag.Ingestion.Pipeline;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pipeline;

public sealed class SourceWalkerTests
{
    [Fact]
    public void Walks_known_extensions_applies_globs_and_skips_hidden_folders()
    {
        using var dir = new TempDirectory();
        dir.File("a/bgb/index.md", "x");
        dir.File("a/bgb/notes.txt", "x");
        dir.File("a/bgb/image.png", "x");
        dir.File(".git/config.md", "x");
        dir.File("README.md", "x");
        Assert.Equal(["README.md", "a/bgb/index.md", "a/bgb/notes.txt"], SourceWalker.Walk(dir.Path).Select(e => e.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(["a/bgb/index.md"], SourceWalker.Walk(dir.Path, ["*/*/index.md"]).Select(e => e.RelativePath));
        Assert.Equal(["a/bgb/index.md"], SourceWalker.Walk(dir.Path, ["**/index.md"]).Select(e => e.RelativePath).Where(p => p != "README.md"));
    }

    [Fact]
    public void A_symlink_loop_is_reported_not_followed_forever()
    {
        using var dir = new TempDirectory();
        dir.File("acts/a.md", "x");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "acts", "loop"), Path.Combine(dir.Path, "acts"));
        var entries = SourceWalker.Walk(dir.Path).ToList();
        Assert.Contains(entries, e => e.Error is not null && e.Error.Contains("loop"));
        Assert.Single(entries, e => e.Error is null);
    }

    [Fact]
    public void A_missing_root_is_one_entry_with_an_error()
    {
        var entry = Assert.Single(SourceWalker.Walk("/nonexistent/legalrag/root"));
        Assert.Contains("does not exist", entry.Error);
    }
}
