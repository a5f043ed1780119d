namespace LegalRag.Evaluation.QuestionSets;

/// <summary>Bounds on what a question set file may contain, so a wrong or hostile file fails fast
/// with a message instead of exhausting memory.</summary>
public sealed record QuestionSetLimits
{
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;
    public int MaxQuestions { get; init; } = 200_000;
    public int MaxQuestionChars { get; init; } = 64_000;
    public int MaxLineChars { get; init; } = 1_000_000;
    public int MaxIdChars { get; init; } = 200;
    public int MaxGoldPerQuestion { get; init; } = 500;
    public int MaxTagsPerQuestion { get; init; } = 50;
    /// <summary>How many problems one error message lists before it stops counting.</summary>
    public int MaxErrorsReported { get; init; } = 20;

    public static QuestionSetLimits Default { get; } = new();
}

/// <summary>Collects record-level problems so a bad file reports all of them (up to a bound) at once.</summary>
internal sealed class InputProblems(string file, int maxReported)
{
    private readonly List<string> _problems = [];
    private int _total;

    public bool Any => _total > 0;

    public void Add(string where, string reason)
    {
        _total++;
        if (_problems.Count < maxReported) _problems.Add($"{file}: {where}: {reason}");
    }

    public void ThrowIfAny()
    {
        if (_total == 0) return;
        var more = _total > _problems.Count ? $"{Environment.NewLine}… and {_total - _problems.Count} more problem(s)" : "";
        throw new EvalInputException(
            $"{file}: {_total} problem(s) in the question set:{Environment.NewLine}" + string.Join(Environment.NewLine, _problems) + more);
    }
}
