using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.QuestionSets;

/// <summary>The hand-written everyday sets in evals/everyday: each question is tagged for the train/test split, and the
/// committed part files are exactly the tagged file's lines, so a figure reported on a test part means held-out questions.</summary>
public sealed class EverydaySetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Folder => Path.Combine(RepoPaths.Root, "evals", "everyday");

    public static TheoryData<string> Languages => new() { "de", "fr", "nl" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_question_is_in_one_split_with_a_topic_and_answerable_ones_have_gold_and_a_difficulty(string language)
    {
        var set = await QuestionSetLoader.LoadAsync(Path.Combine(Folder, language + ".jsonl"), QuestionSetFormat.Native, Ct);

        Assert.NotEmpty(set.Questions);
        Assert.Equal(set.Questions.Count, set.Questions.Select(q => q.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var question in set.Questions)
        {
            Assert.Equal(language, question.Language);
            Assert.Single(question.Tags, t => t is "split:train" or "split:test");
            Assert.Single(question.Tags, t => t.StartsWith("split:", StringComparison.Ordinal));
            Assert.Single(question.Tags, t => t.StartsWith("topic:", StringComparison.Ordinal));
            if (question.ShouldRefuse) Assert.Empty(question.GoldCitations);
            else
            {
                Assert.InRange(question.GoldCitations.Count, 1, 3);
                Assert.Single(question.Tags, t => t is "difficulty:easy" or "difficulty:medium" or "difficulty:hard");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task About_forty_percent_is_held_out_both_of_the_answerable_and_of_the_off_topic_questions(string language)
    {
        var set = await QuestionSetLoader.LoadAsync(Path.Combine(Folder, language + ".jsonl"), QuestionSetFormat.Native, Ct);

        foreach (var group in set.Questions.GroupBy(q => q.ShouldRefuse))
        {
            var testShare = group.Count(q => q.Tags.Contains("split:test")) / (double)group.Count();
            Assert.InRange(testShare, 0.3, 0.5);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_part_files_hold_exactly_the_tagged_lines_in_order(string language)
    {
        var source = (await File.ReadAllLinesAsync(Path.Combine(Folder, language + ".jsonl"), Ct)).Where(l => l.Length > 0).ToList();

        foreach (var part in new[] { "train", "test" })
        {
            var partFile = Path.Combine(Folder, $"{language}.{part}.jsonl");
            Assert.True(File.Exists(partFile), $"{partFile} is missing; run tools/split-everyday.sh");
            var expected = source.Where(l => l.Contains($"\"split:{part}\"", StringComparison.Ordinal)).ToList();
            var actual = (await File.ReadAllLinesAsync(partFile, Ct)).Where(l => l.Length > 0).ToList();
            Assert.True(expected.SequenceEqual(actual, StringComparer.Ordinal), $"{partFile} is out of date; run tools/split-everyday.sh");
        }
    }
}
