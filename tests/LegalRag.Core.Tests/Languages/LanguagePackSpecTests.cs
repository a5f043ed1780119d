using LegalRag.Answering.Languages;
using LegalRag.Answering.Text;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;
using LegalRag.Core.Text;
using Xunit;

namespace LegalRag.Core.Tests.Languages;

/// <summary>
/// Runs every language pack's spec (Languages/Specs/&lt;code&gt;.md): a new pack adds a file of examples,
/// not test code. The features a spec may use are the cases of <see cref="Run"/>.
/// </summary>
public sealed class LanguagePackSpecTests
{
    public static TheoryData<SpecExample> Examples()
    {
        var data = new TheoryData<SpecExample>();
        foreach (var file in LanguageSpec.Files())
            foreach (var example in LanguageSpec.Parse(Path.GetFileName(file), File.ReadAllText(file)))
                data.Add(example);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_holds(SpecExample example) => Assert.Equal(example.Expected, Run(example));

    [Fact]
    public void Every_pack_has_a_spec_and_every_spec_a_pack()
    {
        var specs = LanguageSpec.Files().Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(LanguageRegistry.Default.Codes.Order(StringComparer.Ordinal), specs);
        foreach (var file in LanguageSpec.Files())
            Assert.True(LanguageSpec.Parse(file, File.ReadAllText(file)).Count >= 5, $"{file} has fewer than five examples.");
    }

    [Fact]
    public void A_malformed_example_names_its_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => LanguageSpec.Parse("xx.md", $"## analyze\n\n{LanguageSpec.Fence} example\nWort\n{LanguageSpec.Fence}\n"));
        Assert.Equal($"xx.md:3: example has no line '.' between input and expected output.", error.Message);
    }

    private static string Run(SpecExample example)
    {
        var code = Path.GetFileNameWithoutExtension(example.File);
        return example.Feature switch
        {
            // Index terms of the text, space-separated.
            "analyze" => string.Join(' ', new TextAnalyzer(code).Analyze(example.Input)),
            // "kind | act | number | paragraph | sentence | item", "-" for none → the pinpoint citation.
            "cite" => Cite(code, example.Input),
            // "repealed" or "in force".
            "repealed" => RepealMarkers.IsRepealed(example.Input) ? "repealed" : "in force",
            // One reference per line: "act|number", § sections as "§573", the citing act's own with an empty act.
            "references" => string.Join('\n', (LanguageRegistry.Default.Find(code)?.References?.Find(example.Input) ?? [])
                .Select(m => $"{m.Act}|{(m.Kind == ProvisionKind.Section ? "§" : "")}{m.Number}")),
            // One sentence per line.
            "sentences" => string.Join('\n', SentenceSplitter.Split(example.Input).Select(s => s.Text)),
            // The language a question is detected in (falling back to this pack's).
            "detect" => LanguageDetector.Detect(example.Input, code),
            // "title | abbreviation" ("-" for none) → the act's aliases, one "tier key" per line.
            "aliases" => Aliases(code, example.Input),
            // What the question asks for, comma-separated.
            "asks" => string.Join(", ", QuestionCues.For(code).Asked(example.Input)),
            // The as-of day a question names ("YYYY-MM-DD precision") and the question without it, or "none".
            "date" => QuestionDates.Find(example.Input, code) is { } date
                ? $"{date.Day:yyyy-MM-dd} {date.Precision.ToString().ToLowerInvariant()}\n{QuestionDates.Without(example.Input, date)}"
                : "none",
            _ => throw new FormatException($"{example}: unknown feature '{example.Feature}'."),
        };
    }

    private static string Aliases(string code, string input)
    {
        var cells = input.Split('|').Select(c => c.Trim()).ToArray();
        if (cells.Length != 2) throw new FormatException($"aliases input '{input}' is not 'title | abbreviation'.");
        return string.Join('\n', ActAliases.Derive(code, cells[0], cells[1] == "-" ? null : cells[1]).Select(a => $"{a.Tier} {a.Key}"));
    }

    private static string Cite(string code, string input)
    {
        var cells = input.Split('|').Select(c => c.Trim()).Select(c => c == "-" ? null : c).ToArray();
        if (cells.Length != 6 || cells[0] is null || cells[1] is null || cells[2] is null)
            throw new FormatException($"cite input '{input}' is not 'kind | act | number | paragraph | sentence | item'.");
        return CitationFormatter.Format(code, cells[1]!, Enum.Parse<ProvisionKind>(cells[0]!), cells[2]!, cells[3],
            cells[4] is null ? null : int.Parse(cells[4]!, System.Globalization.CultureInfo.InvariantCulture), cells[5]);
    }
}
