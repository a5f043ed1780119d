using System.Text.Json;
using LegalRag.Core.Languages;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Tests.Support;
using Xunit;

namespace LegalRag.Evaluation.Tests.QuestionSets;

/// <summary>The dated French set (evals/dated, built by tools/dated-set.py): its shape, and its gold against the versions data.</summary>
public sealed class DatedSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string SetPath => Path.Combine(RepoPaths.Root, "evals", "dated", "fr-code-civil-asof.jsonl");

    [Fact]
    public async Task Each_article_is_asked_before_and_after_its_change_on_the_day_the_question_names()
    {
        var questions = await NativeQuestionSet.ReadAsync(SetPath, QuestionSetLimits.Default, Ct);
        Assert.True(questions.Count >= 60, $"{questions.Count} questions");
        foreach (var q in questions)
        {
            Assert.NotNull(q.AsOf);
            // The question names its day in words the French pack reads, and it is the asOf.
            Assert.Equal(q.AsOf, QuestionDates.Find(q.Question, "fr")?.Day);
            Assert.StartsWith("Code civil, art. ", Assert.Single(q.GoldCitations));
        }
        foreach (var pair in questions.GroupBy(q => q.GoldCitations[0]))
        {
            var before = Assert.Single(pair, q => q.Tags.Contains("when:before"));
            var after = Assert.Single(pair, q => q.Tags.Contains("when:after"));
            Assert.True(before.AsOf < after.AsOf, pair.Key);
            Assert.NotEqual(Version(before), Version(after));
        }
    }

    [Fact]
    public async Task The_tagged_gold_version_is_the_one_in_force_on_each_day_asked()
    {
        var versionsPath = RepoPaths.RequireShared("corpora/fr-code-civil-history/versions.jsonl");
        var intervals = new Dictionary<(string Article, DateOnly From), List<DateOnly?>>();
        foreach (var line in await File.ReadAllLinesAsync(versionsPath, Ct))
        {
            using var row = JsonDocument.Parse(line);
            var article = row.RootElement.GetProperty("article").GetString()!.Replace("Article ", "", StringComparison.Ordinal).Trim();
            if (row.RootElement.GetProperty("valid_from").GetString() is not { } from) continue;
            var to = row.RootElement.GetProperty("valid_to").GetString();
            var key = (article, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
            if (!intervals.TryGetValue(key, out var ends)) intervals[key] = ends = [];
            ends.Add(to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var q in await NativeQuestionSet.ReadAsync(SetPath, QuestionSetLimits.Default, Ct))
        {
            var article = q.GoldCitations[0]["Code civil, art. ".Length..];
            var from = Version(q);
            Assert.True(intervals.TryGetValue((article, from), out var ends), $"{q.Id}: no version of art. {article} from {from}");
            Assert.Contains(ends, to => from <= q.AsOf && (to is null || q.AsOf < to));
            // No other version of the article is in force that day.
            Assert.DoesNotContain(intervals, kv => kv.Key.Article == article && kv.Key.From != from && kv.Key.From <= q.AsOf && kv.Value.Any(to => to is null || q.AsOf < to));
        }
    }

    private static DateOnly Version(EvalQuestion q) =>
        DateOnly.Parse(q.Tags.Single(t => t.StartsWith("version:", StringComparison.Ordinal))["version:".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
