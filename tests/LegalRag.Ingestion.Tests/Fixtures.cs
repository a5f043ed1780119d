using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests;

/// <summary>Small helpers every parser test uses.</summary>
internal static class Fixtures
{
    public static SourceFile File(string name, byte[] bytes) => new($"/in-memory/{name}", name, bytes);

    public static SourceFile File(string name, string utf8Text) => File(name, System.Text.Encoding.UTF8.GetBytes(utf8Text));

    public static ParseContext German(string? abbreviation = null, string? title = null) =>
        new("test-corpus", "de", title, abbreviation, new IngestionLimits());

    /// <summary>True when an executable is on PATH (tests of optional tools skip without it).</summary>
    public static bool OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Any(dir => dir.Length > 0 && System.IO.File.Exists(Path.Combine(dir, executable)));

    public static void RequireTool(string executable, string package)
    {
        if (!OnPath(executable)) Assert.Skip($"{executable} is not installed (Debian package {package})");
    }
}
