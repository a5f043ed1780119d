using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.Feedback;

/// <summary>What <see cref="FeedbackExport.ToQuestions"/> made of a feedback log.</summary>
/// <param name="Entries">Feedback lines read.</param>
/// <param name="Skipped">Questions left out because no gold remained (only "wrong" verdicts and no correction).</param>
public sealed record FeedbackExportResult(IReadOnlyList<EvalQuestion> Questions, int Entries, int Skipped);

/// <summary>
/// Turns evaluators' feedback (data/feedback.jsonl, written by POST /api/feedback) into a native question set: per
/// question and corpus, the gold is every provision marked right plus every citation named as the right one. The log
/// is append-only, so a later verdict on the same provision supersedes an earlier one.
/// </summary>
public static class FeedbackExport
{
    public const string SourceTag = "source:feedback";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<CitationFeedback>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new EvalInputException($"{path}: no such feedback file (the server writes it as feedback.jsonl in its data folder)");
        var entries = new List<CitationFeedback>();
        var lineNumber = 0;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            CitationFeedback? entry;
            try
            {
                entry = JsonSerializer.Deserialize<CitationFeedback>(line, Json);
            }
            catch (JsonException ex)
            {
                throw new EvalInputException($"{path}: line {lineNumber}: not a feedback entry ({ex.Message})");
            }
            if (entry is null || string.IsNullOrWhiteSpace(entry.Question) || string.IsNullOrWhiteSpace(entry.Citation)
                || entry.Verdict is not (CitationFeedback.Right or CitationFeedback.Wrong))
                throw new EvalInputException($"{path}: line {lineNumber}: a feedback entry needs question, citation and verdict right|wrong");
            entries.Add(entry);
        }
        return entries;
    }

    public static FeedbackExportResult ToQuestions(IReadOnlyList<CitationFeedback> entries)
    {
        var groups = new Dictionary<(string Question, string? Corpus), (List<string> Gold, string Language)>();
        var order = new List<(string, string?)>();
        foreach (var e in entries)
        {
            var key = (e.Question.Trim(), e.Corpus);
            if (!groups.TryGetValue(key, out var group))
            {
                group = ([], e.Language);
                order.Add(key);
            }
            var gold = group.Gold;
            if (e.Verdict == CitationFeedback.Right)
            {
                if (!gold.Contains(e.Citation, StringComparer.Ordinal)) gold.Add(e.Citation);
            }
            else
            {
                gold.Remove(e.Citation);
                if (e.Correct is { Length: > 0 } correct && !gold.Contains(correct, StringComparer.Ordinal)) gold.Add(correct);
            }
            groups[key] = (gold, e.Language);
        }

        var questions = new List<EvalQuestion>();
        var skipped = 0;
        foreach (var key in order)
        {
            var (gold, language) = groups[key];
            if (gold.Count == 0)
            {
                skipped++;
                continue;
            }
            var tags = key.Item2 is { } corpus ? new[] { SourceTag, $"corpus:{corpus}" } : [SourceTag];
            questions.Add(new EvalQuestion(Id(key.Item1, key.Item2), key.Item1, language, gold, [], tags));
        }
        return new FeedbackExportResult(questions, entries.Count, skipped);
    }

    /// <summary>Stable across exports, so reports of successive exports compare question by question.</summary>
    private static string Id(string question, string? corpus) =>
        "fb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{corpus}\n{question}")))[..12];
}
