namespace LegalRag.Core.Tests.Languages;

/// <summary>One example of a language spec file: what a feature of the pack turns an input into.</summary>
/// <param name="File">The spec file's name ("de.md").</param>
/// <param name="Line">Line of the example's opening fence, for messages.</param>
public sealed record SpecExample(string File, int Line, string Feature, string Input, string Expected)
{
    public override string ToString() => $"{File}:{Line} {Feature}";
}

/// <summary>
/// Reads a language spec: Markdown in the style of the CommonMark spec that Markdig tests against. A
/// "## feature" heading names what the examples below it check; each example is a fenced block opened by
/// a fence of backticks followed by "example", holding the input, a line with a single ".", and the
/// expected output. Everything else is prose for people.
/// </summary>
public static class LanguageSpec
{
    public const string Fence = "````````````````````````````````";

    public static IReadOnlyList<SpecExample> Parse(string file, string text)
    {
        var examples = new List<SpecExample>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        string? feature = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal)) { feature = line[3..].Trim(); continue; }
            if (line.Trim() != Fence + " example") continue;
            var open = i + 1;
            if (feature is null) throw new FormatException($"{file}:{open}: example before any '## feature' heading.");
            var input = new List<string>();
            var expected = new List<string>();
            var seenDot = false;
            for (i++; ; i++)
            {
                if (i >= lines.Length) throw new FormatException($"{file}:{open}: example is not closed by a line '{Fence}'.");
                if (lines[i].Trim() == Fence) break;
                if (!seenDot && lines[i] == ".") { seenDot = true; continue; }
                (seenDot ? expected : input).Add(lines[i]);
            }
            if (!seenDot) throw new FormatException($"{file}:{open}: example has no line '.' between input and expected output.");
            examples.Add(new SpecExample(file, open, feature, string.Join('\n', input), string.Join('\n', expected)));
        }
        return examples;
    }

    /// <summary>The spec files copied next to the test assembly, one per language pack ("de.md").</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Languages", "Specs"), "*.md").Order(StringComparer.Ordinal);
}
