using System.Security.Cryptography;

namespace LegalRag.Evaluation.QuestionSets;

/// <summary>Loads a question set in any supported format, from a file or (COLIEE) a folder of files.</summary>
public static class QuestionSetLoader
{
    /// <param name="path">A set file; for COLIEE also a folder, whose <c>*.xml</c> files are read in name order.</param>
    /// <param name="actForBareGold">The act a bare gold citation ("§ 573", "Article 5") refers to;
    /// null means the format's own (BGB for GerLayQA, the Civil Code for COLIEE).</param>
    public static async Task<QuestionSet> LoadAsync(
        string path, QuestionSetFormat format, CancellationToken cancellationToken,
        QuestionSetLimits? limits = null, string? actForBareGold = null)
    {
        limits ??= QuestionSetLimits.Default;
        format = format == QuestionSetFormat.Auto ? DetectFormat(path) : format;

        var files = ListFiles(path, format);
        var questions = new List<EvalQuestion>();
        var firstFileOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fromFile = format switch
            {
                QuestionSetFormat.Native => await NativeQuestionSet.ReadAsync(file, limits, cancellationToken).ConfigureAwait(false),
                QuestionSetFormat.GerLayQa => await GerLayQaQuestionSet.ReadAsync(file, limits, actForBareGold ?? GerLayQaQuestionSet.DefaultAct, cancellationToken).ConfigureAwait(false),
                QuestionSetFormat.Coliee => await ColieeQuestionSet.ReadAsync(file, limits, actForBareGold ?? ColieeQuestionSet.DefaultAct, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
            foreach (var question in fromFile)
            {
                if (!firstFileOfId.TryAdd(question.Id, file))
                    throw new EvalInputException($"{file}: question id \"{question.Id}\" is also used in {firstFileOfId[question.Id]}");
                questions.Add(question);
            }
            if (questions.Count > limits.MaxQuestions) throw new EvalInputException($"{path}: more than {limits.MaxQuestions} questions");
            hash.AppendData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
        }

        if (questions.Count == 0)
            throw new EvalInputException($"{path}: the question set is empty; an evaluation needs at least one question");

        var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path));
        return new QuestionSet(name, format, files, Convert.ToHexStringLower(hash.GetHashAndReset()), questions);
    }

    public static QuestionSetFormat DetectFormat(string path)
    {
        if (Directory.Exists(path)) return QuestionSetFormat.Coliee;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" => QuestionSetFormat.Native,
            ".json" => QuestionSetFormat.GerLayQa,
            ".xml" => QuestionSetFormat.Coliee,
            var other => throw new EvalInputException(
                $"{path}: cannot tell the question set format from the extension \"{other}\"; pass --format native|gerlayqa|coliee"),
        };
    }

    public static QuestionSetFormat ParseFormat(string name) => name.Trim().ToLowerInvariant() switch
    {
        "auto" => QuestionSetFormat.Auto,
        "native" or "jsonl" => QuestionSetFormat.Native,
        "gerlayqa" => QuestionSetFormat.GerLayQa,
        "coliee" => QuestionSetFormat.Coliee,
        _ => throw new EvalInputException($"unknown question set format \"{name}\"; use native, gerlayqa or coliee"),
    };

    private static IReadOnlyList<string> ListFiles(string path, QuestionSetFormat format)
    {
        if (!Directory.Exists(path))
        {
            if (!File.Exists(path)) throw new EvalInputException($"{path}: question set not found");
            return [path];
        }
        if (format != QuestionSetFormat.Coliee)
            throw new EvalInputException($"{path}: is a folder; only COLIEE sets may be given as a folder of XML files");
        var files = Directory.GetFiles(path, "*.xml").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new EvalInputException($"{path}: the folder holds no .xml question files");
        return files;
    }
}
