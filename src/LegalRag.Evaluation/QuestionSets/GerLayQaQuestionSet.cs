using System.Text.Json;
using LegalRag.Core.Citations;

namespace LegalRag.Evaluation.QuestionSets;

/// <summary>
/// Reads any file in the GerLayQA shape: <c>[{"Question_text": "…", "Paragraphs": ["§ 573b", …]}]</c>.
/// A gold "§ N" names a section of the act the set is about (the BGB), so it becomes "BGB § N".
/// Question ids are the file name and the 1-based record number ("bgb_dev-0001"), stable for one file.
/// </summary>
public static class GerLayQaQuestionSet
{
    public const string DefaultAct = "BGB";

    public static async Task<IReadOnlyList<EvalQuestion>> ReadAsync(string path, QuestionSetLimits limits, string act, CancellationToken cancellationToken)
    {
        var bytes = await QuestionSetFiles.ReadBoundedAsync(path, limits.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path, Path.GetFileNameWithoutExtension(path), limits, act);
    }

    public static IReadOnlyList<EvalQuestion> Parse(ReadOnlySpan<byte> json, string fileName, string idPrefix, QuestionSetLimits limits, string act = DefaultAct)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new EvalInputException($"{fileName}: line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new EvalInputException($"{fileName}: expected a JSON array of {{\"Question_text\", \"Paragraphs\"}} records");
            var count = root.GetArrayLength();
            if (count > limits.MaxQuestions) throw new EvalInputException($"{fileName}: {count} records, more than the limit of {limits.MaxQuestions}");

            var problems = new InputProblems(fileName, limits.MaxErrorsReported);
            var questions = new List<EvalQuestion>(count);
            var width = Math.Max(4, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            var index = 0;
            foreach (var record in root.EnumerateArray())
            {
                index++;
                var where = $"record {index}";
                if (record.ValueKind != JsonValueKind.Object) { problems.Add(where, "expected an object"); continue; }
                if (!record.TryGetProperty("Question_text", out var textElement) || textElement.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(textElement.GetString()))
                {
                    problems.Add(where, "missing or empty string field \"Question_text\"");
                    continue;
                }
                if (!record.TryGetProperty("Paragraphs", out var goldElement) || goldElement.ValueKind != JsonValueKind.Array
                    || goldElement.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
                {
                    problems.Add(where, "missing field \"Paragraphs\" (an array of strings such as \"§ 573\")");
                    continue;
                }

                var text = NormalizeSpace(textElement.GetString()!);
                if (text.Length > limits.MaxQuestionChars) { problems.Add(where, $"question longer than {limits.MaxQuestionChars} characters"); continue; }
                var gold = goldElement.EnumerateArray().Select(g => g.GetString()!.Trim()).Where(g => g.Length > 0)
                    .Select(g => Canonical(g, act)).Distinct(StringComparer.Ordinal).ToArray();
                if (gold.Length == 0) { problems.Add(where, "\"Paragraphs\" lists no section"); continue; }
                if (gold.Length > limits.MaxGoldPerQuestion) { problems.Add(where, $"more than {limits.MaxGoldPerQuestion} gold sections"); continue; }

                var id = $"{idPrefix}-{index.ToString(new string('0', width), System.Globalization.CultureInfo.InvariantCulture)}";
                questions.Add(new EvalQuestion(id, text, "de", gold, [], []));
            }

            problems.ThrowIfAny();
            return questions;
        }
    }

    /// <summary>"§ 573b" → "BGB § 573b"; a gold that already names its act keeps it. Unparseable gold stays
    /// as written and is later reported as unresolvable rather than dropped.</summary>
    internal static string Canonical(string gold, string act)
    {
        if (!CitationParser.TryParse(gold, out var reference)) return gold;
        return CitationFormatter.Format("de", reference.Act ?? act, reference.Kind, reference.Number, reference.Paragraph);
    }

    internal static string NormalizeSpace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
