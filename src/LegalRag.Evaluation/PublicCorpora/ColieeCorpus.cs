using System.Text.Json;
using System.Text.RegularExpressions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.PublicCorpora;

/// <summary>
/// Imports the COLIEE corpus file (<c>articlesFull.json</c>: <c>{"1": "(1) Private rights …", "398-2": …}</c>)
/// as one English document, the (Japanese) Civil Code, cited "Civil Code Article N".
/// Structure headings that trail an article's text ("Subsection 2 Neighboring Relationships") belong to the
/// articles after it: they are removed from the text and become the hierarchy path of what follows.
/// </summary>
public static partial class ColieeCorpus
{
    public const string Act = "Civil Code";
    public const string ActTitle = "Civil Code (Japan), English translation";
    public const long MaxFileBytes = 512L * 1024 * 1024;

    private static readonly string[] Levels = ["Part", "Chapter", "Section", "Subsection", "Division"];

    [GeneratedRegex(@"^(?<level>Part|Chapter|Section|Subsection|Division)\s+(?:[IVXLC]+|\d+)\b\s*\S", RegexOptions.CultureInvariant)]
    private static partial Regex StructureHeadingRegex();

    // "Articles 38 to 84  Deleted": a note about the articles that follow, not text of this one.
    [GeneratedRegex(@"^Articles?\s+\d+(?:-\d+)*\s+(?:to|through|and)\s+\d+(?:-\d+)*\s+Deleted$", RegexOptions.CultureInvariant)]
    private static partial Regex DeletedRangeRegex();

    [GeneratedRegex(@"^\d+(?:-\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ArticleNumberRegex();

    public static async Task<LegalDocument> ImportAsync(string path, string corpus, CancellationToken cancellationToken)
    {
        var bytes = await QuestionSetFiles.ReadBoundedAsync(path, MaxFileBytes, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, Path.GetFileName(path), corpus);
    }

    public static LegalDocument Parse(byte[] json, string sourcePath, string corpus)
    {
        var document = PublicCorpusImporter.ParseJson(json, sourcePath);

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new EvalInputException($"{sourcePath}: expected a JSON object {{\"article number\": \"text\", …}}");

            var provisions = new List<Provision>();
            var warnings = new List<string>();
            var path = new string?[Levels.Length];
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var number = property.Name.Trim();
                if (!ArticleNumberRegex().IsMatch(number)) { warnings.Add($"article \"{number}\": skipped, not an article number such as \"398-2\""); continue; }
                if (property.Value.ValueKind != JsonValueKind.String) { warnings.Add($"article {number}: skipped, text is not a string"); continue; }

                var lines = property.Value.GetString()!.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var articlePath = path.Where(p => p is not null).Select(p => p!).ToArray();
                var trailing = TrailingHeadingStart(lines);
                foreach (var heading in lines.Skip(trailing))
                {
                    var level = StructureHeadingRegex().Match(heading);
                    if (!level.Success) continue; // a "deleted range" note
                    var depth = Array.IndexOf(Levels, level.Groups["level"].Value);
                    path[depth] = heading;
                    for (var deeper = depth + 1; deeper < path.Length; deeper++) path[deeper] = null;
                }
                var text = lines.Take(trailing).ToList();
                var repealed = text is ["Deleted"] or [];
                provisions.Add(new Provision
                {
                    Key = $"{corpus}/civil-code/a{number}",
                    Kind = ProvisionKind.Article,
                    Number = number,
                    Citation = CitationFormatter.Format("en", Act, ProvisionKind.Article, number),
                    Path = articlePath,
                    Paragraphs = ParagraphSplitter.SplitLines(text),
                    IsRepealed = repealed,
                    Ordinal = provisions.Count,
                });
            }

            return new LegalDocument
            {
                SourcePath = sourcePath,
                ContentHash = Hashing.Sha256Hex(json),
                Language = "en",
                Title = ActTitle,
                Abbreviation = Act,
                Format = "json",
                Provisions = provisions,
                Warnings = warnings,
            };
        }
    }

    /// <summary>Index of the first line of the trailing run of structure headings and notes (never line 0).</summary>
    private static int TrailingHeadingStart(List<string> lines)
    {
        var start = lines.Count;
        while (start > 1 && (StructureHeadingRegex().IsMatch(lines[start - 1]) || DeletedRangeRegex().IsMatch(lines[start - 1]))) start--;
        return start;
    }
}
