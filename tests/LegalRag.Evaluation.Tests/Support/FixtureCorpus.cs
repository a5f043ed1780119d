using System.Text.RegularExpressions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Evaluation.Tests.Support;

/// <summary>
/// Reads the fixture corpus for these tests. It understands only the small subset of the two Markdown
/// layouts the fixture uses; the real parsers live in the ingestion project.
/// </summary>
internal static partial class FixtureCorpus
{
    public const string GermanCorpus = "fixtures-de";
    public const string FrenchCorpus = "fixtures-fr";

    [GeneratedRegex(@"^##### § (?<num>\S+) (?<title>.+)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\((?<label>\d+)\) ")]
    private static partial Regex ParagraphLabel();

    public static IReadOnlyList<LegalDocument> Load() => [LoadGerman(), LoadFrench()];

    public static LegalDocument LoadGerman()
    {
        var path = Path.Combine(RepoPaths.FixtureCorpus, "de-bundesrecht", "b", "bgb", "index.md");
        var lines = File.ReadAllLines(path);
        var provisions = new List<Provision>();
        string? number = null, title = null;
        var blocks = new List<string>();
        var block = new List<string>();
        void EndBlock() { if (block.Count > 0) blocks.Add(string.Join(' ', block)); block.Clear(); }
        void EndSection()
        {
            EndBlock();
            if (number is null) return;
            provisions.Add(new Provision
            {
                Key = $"{GermanCorpus}/bgb/s{number}",
                Kind = ProvisionKind.Section,
                Number = number,
                Heading = title!,
                Citation = CitationFormatter.Format("de", "BGB", ProvisionKind.Section, number),
                Paragraphs = blocks.Select(Paragraph).ToList(),
                Ordinal = provisions.Count,
            });
            blocks.Clear();
            number = null;
        }
        foreach (var line in lines)
        {
            var heading = SectionHeading().Match(line);
            if (heading.Success) { EndSection(); number = heading.Groups["num"].Value; title = heading.Groups["title"].Value; continue; }
            if (line.StartsWith('#')) { EndSection(); continue; }
            if (number is null) continue;
            if (line.Trim().Length == 0) EndBlock(); else block.Add(line.Trim());
        }
        EndSection();
        return Document("de-bundesrecht/b/bgb/index.md", "de", "Bürgerliches Gesetzbuch (Auszug für Tests)", "BGB", provisions);
    }

    public static LegalDocument LoadFrench()
    {
        var root = Path.Combine(RepoPaths.FixtureCorpus, "fr-code-civil");
        var provisions = new List<Provision>();
        foreach (var file in Directory.GetFiles(root, "Article *.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            var number = lines[0]["Article ".Length..].Trim();
            var text = string.Join(' ', lines.Skip(2).Select(l => l.Trim()).Where(l => l.Length > 0));
            provisions.Add(new Provision
            {
                Key = $"{FrenchCorpus}/code-civil/art{number}",
                Kind = ProvisionKind.Article,
                Number = number,
                Citation = CitationFormatter.Format("fr", "Code civil", ProvisionKind.Article, number),
                Paragraphs = [new ProvisionParagraph(null, text)],
                Ordinal = provisions.Count,
            });
        }
        return Document("fr-code-civil", "fr", "Code civil", null, provisions);
    }

    private static ProvisionParagraph Paragraph(string block)
    {
        var label = ParagraphLabel().Match(block);
        return label.Success ? new ProvisionParagraph(label.Groups["label"].Value, block[label.Length..]) : new ProvisionParagraph(null, block);
    }

    private static LegalDocument Document(string source, string language, string title, string? abbreviation, List<Provision> provisions) => new()
    {
        SourcePath = source,
        ContentHash = Hashing.Sha256Hex(string.Join("\n", provisions.Select(p => p.Citation + p.Text))),
        Language = language,
        Title = title,
        Abbreviation = abbreviation,
        Format = "markdown",
        Provisions = provisions,
    };
}
