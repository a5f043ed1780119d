using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegalRag.Evaluation.QuestionSets;

/// <summary>
/// The project's own question format: JSONL, one question per line, written by hand and reviewed in diffs.
/// <code>{"id": "de-miete-001", "question": "…", "language": "de", "gold": ["BGB § 573"], "facts": ["…"], "tags": ["topic:miete"]}</code>
/// An optional <c>"asOf": "2008-01-01"</c> asks the question as of that day (the law, and the gold version, in force then).
/// Blank lines and lines starting with <c>#</c> are skipped. Unknown fields are errors, so a typo such as
/// "golds" cannot silently turn a question into one without gold.
/// </summary>
public static partial class NativeQuestionSet
{
    private static readonly HashSet<string> KnownFields = ["id", "question", "language", "gold", "facts", "tags", "asOf"];

    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageRegex();

    public static async Task<IReadOnlyList<EvalQuestion>> ReadAsync(string path, QuestionSetLimits limits, CancellationToken cancellationToken)
    {
        await using var stream = QuestionSetFiles.OpenBounded(path, limits);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        return await ReadAsync(reader, path, limits, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyList<EvalQuestion>> ReadAsync(TextReader reader, string fileName, QuestionSetLimits limits, CancellationToken cancellationToken)
    {
        var problems = new InputProblems(fileName, limits.MaxErrorsReported);
        var questions = new List<EvalQuestion>();
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException)
            {
                throw new EvalInputException($"{fileName}: line {lineNumber + 1}: not valid UTF-8");
            }
            if (line is null) break;
            lineNumber++;
            var where = $"line {lineNumber}";
            if (line.Length > limits.MaxLineChars) { problems.Add(where, $"line longer than {limits.MaxLineChars} characters"); continue; }
            var trimmed = line.AsSpan().Trim();
            if (trimmed.IsEmpty || trimmed[0] == '#') continue;
            if (questions.Count >= limits.MaxQuestions)
                throw new EvalInputException($"{fileName}: more than {limits.MaxQuestions} questions; split the set");

            var question = ParseLine(line, where, limits, problems);
            if (question is null) continue;
            if (seenIds.TryGetValue(question.Id, out var firstLine))
            {
                problems.Add(where, $"duplicate id \"{question.Id}\" (first used on line {firstLine})");
                continue;
            }
            seenIds[question.Id] = lineNumber;
            questions.Add(question);
        }

        problems.ThrowIfAny();
        return questions;
    }

    private static EvalQuestion? ParseLine(string line, string where, QuestionSetLimits limits, InputProblems problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            problems.Add($"{where}, column {(ex.BytePositionInLine ?? 0) + 1}", $"not valid JSON ({FirstSentence(ex.Message)})");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { problems.Add(where, "expected a JSON object {\"id\": …, \"question\": …}"); return null; }

            var ok = true;
            foreach (var property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    problems.Add(where, $"unknown field \"{property.Name}\" (known: {string.Join(", ", KnownFields)})");
                    ok = false;
                }
            }

            var id = RequiredString(root, "id", where, problems);
            var text = RequiredString(root, "question", where, problems);
            var language = RequiredString(root, "language", where, problems)?.ToLowerInvariant();
            var gold = StringArray(root, "gold", where, problems);
            var facts = StringArray(root, "facts", where, problems);
            var tags = StringArray(root, "tags", where, problems);
            DateOnly? asOf = null;
            if (root.TryGetProperty("asOf", out var asOfValue) && asOfValue.ValueKind != JsonValueKind.Null)
            {
                if (asOfValue.ValueKind != JsonValueKind.String || !Core.Text.IsoDay.TryParse(asOfValue.GetString(), "field \"asOf\"", out asOf, out _) || asOf is null)
                {
                    problems.Add(where, $"field \"asOf\" must be a date written YYYY-MM-DD (e.g. \"2010-01-01\"), not {asOfValue.GetRawText()}");
                    ok = false;
                }
            }
            if (id is null || text is null || language is null || gold is null || facts is null || tags is null) return null;

            if (id.Length > limits.MaxIdChars || id.Any(char.IsControl)) { problems.Add(where, $"id must be at most {limits.MaxIdChars} printable characters"); ok = false; }
            if (text.Length > limits.MaxQuestionChars) { problems.Add(where, $"question longer than {limits.MaxQuestionChars} characters"); ok = false; }
            if (!LanguageRegex().IsMatch(language)) { problems.Add(where, $"language \"{language}\" is not a two-letter code such as \"de\""); ok = false; }
            if (gold.Count > limits.MaxGoldPerQuestion) { problems.Add(where, $"more than {limits.MaxGoldPerQuestion} gold citations"); ok = false; }
            if (tags.Count > limits.MaxTagsPerQuestion) { problems.Add(where, $"more than {limits.MaxTagsPerQuestion} tags"); ok = false; }
            if (gold.Any(string.IsNullOrWhiteSpace) || tags.Any(string.IsNullOrWhiteSpace)) { problems.Add(where, "gold citations and tags must not be empty strings"); ok = false; }

            var question = new EvalQuestion(id, text, language, gold.Select(g => g.Trim()).ToArray(), facts, tags.Select(t => t.Trim()).ToArray(), asOf);
            if (question.GoldCitations.Count == 0 && !question.ShouldRefuse)
            {
                problems.Add(where, $"question \"{id}\" has no gold citations; add some, or tag it \"{EvalQuestion.ShouldRefuseTag}\"");
                ok = false;
            }
            return ok ? question : null;
        }
    }

    private static string? RequiredString(JsonElement root, string name, string where, InputProblems problems)
    {
        if (!root.TryGetProperty(name, out var value)) { problems.Add(where, $"missing field \"{name}\""); return null; }
        if (value.ValueKind != JsonValueKind.String) { problems.Add(where, $"field \"{name}\" must be a string"); return null; }
        var text = value.GetString()!.Trim();
        if (text.Length == 0) { problems.Add(where, $"field \"{name}\" is empty"); return null; }
        return text;
    }

    private static List<string>? StringArray(JsonElement root, string name, string where, InputProblems problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array) { problems.Add(where, $"field \"{name}\" must be an array of strings"); return null; }
        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) { problems.Add(where, $"field \"{name}\" must be an array of strings"); return null; }
            items.Add(item.GetString()!);
        }
        return items;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>Writes questions in the native format, one compact line each, with fields in a fixed order
    /// and non-ASCII letters kept readable, so converted public sets review well in a diff.</summary>
    public static void Write(TextWriter writer, IEnumerable<EvalQuestion> questions)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
        foreach (var question in questions)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, options))
            {
                json.WriteStartObject();
                json.WriteString("id", question.Id);
                json.WriteString("question", question.Question);
                json.WriteString("language", question.Language);
                WriteArray(json, "gold", question.GoldCitations, always: true);
                WriteArray(json, "facts", question.ExpectedFacts, always: false);
                WriteArray(json, "tags", question.Tags, always: false);
                if (question.AsOf is { } day) json.WriteString("asOf", day.ToString(Core.Text.IsoDay.Format, System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            writer.Write('\n');
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IReadOnlyList<string> items, bool always)
    {
        if (items.Count == 0 && !always) return;
        json.WriteStartArray(name);
        foreach (var item in items) json.WriteStringValue(item);
        json.WriteEndArray();
    }
}
