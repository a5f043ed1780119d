namespace LegalRag.Core.Domain;

/// <summary>
/// An evaluator's verdict on a cited provision for a question, one line of the append-only feedback log
/// (data/feedback.jsonl). The server writes it; <c>legalrag eval export-feedback</c> turns it into a question set.
/// </summary>
/// <param name="Verdict">"right" or "wrong".</param>
/// <param name="ProvisionId">The provision judged.</param>
/// <param name="Citation">Its canonical citation ("BGB § 573"), resolved by the server.</param>
/// <param name="Correct">The citation the evaluator named as the right one, canonical; null when none was named.</param>
public sealed record CitationFeedback(
    DateTimeOffset Time,
    string User,
    string Role,
    string Question,
    string Verdict,
    string ProvisionId,
    string Citation,
    string? Correct,
    string? Corpus,
    string Language)
{
    public const string Right = "right";
    public const string Wrong = "wrong";
}
