using Xunit;

namespace LegalRag.TestSupport;

/// <summary>
/// A small golden-file helper (our stand-in for Verify): compares text with a committed file under
/// the test project's Golden/ folder. With LEGALRAG_UPDATE_GOLDEN=1 it rewrites the file instead,
/// so a reviewer sees the change as a diff.
/// </summary>
public static class Golden
{
    public static void Match(string actual, string name, [System.Runtime.CompilerServices.CallerFilePath] string callerFile = "")
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(callerFile)!, "Golden");
        var path = System.IO.Path.Combine(folder, name);
        var normalized = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("LEGALRAG_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, normalized);
            return;
        }
        Assert.True(File.Exists(path), $"Golden file {path} is missing. Run the test with LEGALRAG_UPDATE_GOLDEN=1 to create it, then review it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, normalized);
    }
}
