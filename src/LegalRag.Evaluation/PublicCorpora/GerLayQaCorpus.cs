using System.Text.Json;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.PublicCorpora;

/// <summary>
/// Imports the GerLayQA corpus file (<c>bgb.json</c>: <c>[{"id": "§ 1", "content": "Beginn der Rechtsfähigkeit. Die …"}]</c>)
/// as one document, the BGB, with one provision per §. The content starts with the § title followed by ". ".
/// A malformed record is skipped with a warning on the document; a malformed file is an error.
/// </summary>
public static class GerLayQaCorpus
{
    public const string Act = "BGB";
    public const string ActTitle = "Bürgerliches Gesetzbuch";
    public const long MaxFileBytes = 512L * 1024 * 1024;

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
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new EvalInputException($"{sourcePath}: expected a JSON array of {{\"id\": \"§ N\", \"content\": …}} records");

            var provisions = new List<Provision>();
            var warnings = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var record in document.RootElement.EnumerateArray())
            {
                index++;
                var where = $"record {index}";
                if (record.ValueKind != JsonValueKind.Object
                    || !record.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String
                    || !record.TryGetProperty("content", out var contentElement) || contentElement.ValueKind != JsonValueKind.String)
                {
                    warnings.Add($"{where}: skipped, expected {{\"id\": \"§ N\", \"content\": \"…\"}}");
                    continue;
                }
                var id = idElement.GetString()!.Trim();
                if (!CitationParser.TryParse(id, out var reference) || reference.Kind != ProvisionKind.Section)
                {
                    warnings.Add($"{where}: skipped, id \"{id}\" is not a section such as \"§ 573\"");
                    continue;
                }
                var number = reference.Number;
                if (!seen.Add(number)) { warnings.Add($"{where}: skipped, § {number} appears twice"); continue; }

                var (heading, body) = SplitTitle(contentElement.GetString()!);
                var paragraphs = ParagraphSplitter.SplitRunIn(body);
                provisions.Add(new Provision
                {
                    Key = $"{corpus}/bgb/s{number}",
                    Kind = ProvisionKind.Section,
                    Number = number,
                    Heading = heading,
                    Citation = CitationFormatter.Format("de", Act, ProvisionKind.Section, number),
                    Paragraphs = paragraphs,
                    IsRepealed = body.Trim() is "(weggefallen)" or "",
                    Ordinal = provisions.Count,
                });
            }

            return new LegalDocument
            {
                SourcePath = sourcePath,
                ContentHash = Hashing.Sha256Hex(json),
                Language = "de",
                Title = ActTitle,
                Abbreviation = Act,
                Format = "json",
                Provisions = provisions,
                Warnings = warnings,
            };
        }
    }

    /// <summary>The title ends at the first ". " followed by what starts a sentence (a capital, "(1)", "§", a quote).
    /// Titles may contain "§ 241 Abs. 2", whose ". " is followed by a digit.</summary>
    internal static (string Heading, string Body) SplitTitle(string content)
    {
        content = content.Trim();
        for (var i = content.IndexOf(". ", StringComparison.Ordinal); i >= 0; i = content.IndexOf(". ", i + 1, StringComparison.Ordinal))
        {
            var next = i + 2 < content.Length ? content[i + 2] : ' ';
            if (char.IsUpper(next) || next is '(' or '§' or '"' or '„')
                return (content[..i].Trim(), content[(i + 2)..].Trim());
        }
        // No body: the whole content is the title (or a body without a title; keeping it as text loses nothing).
        return content.EndsWith('.') && !content.Contains(". ", StringComparison.Ordinal)
            ? (content.TrimEnd('.'), "")
            : ("", content);
    }
}
