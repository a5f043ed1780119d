namespace LegalRag.Evaluation.Answers;

/// <summary>A citation in a generated answer, as the answer API returns it.</summary>
/// <param name="Citation">The pinpoint citation shown to the user ("BGB § 573 Abs. 2").</param>
/// <param name="ProvisionId">The store key of the cited provision; may be empty when only the citation is known.</param>
/// <param name="Quote">The span the answer quotes from that provision; empty when it quotes nothing.</param>
public sealed record AnswerCitation(string Citation, string? ProvisionId, string? Quote);

/// <summary>What the answer path returned for one question.</summary>
public sealed record AnswerResult(string Answer, IReadOnlyList<AnswerCitation> Citations, bool Refused);

/// <summary>
/// The answer path under evaluation: in process (the lead adapts the answer service) or over HTTP
/// (<see cref="HttpAnswerClient"/>, <c>POST /api/ask</c>).
/// </summary>
public interface IAnswerClient
{
    Task<AnswerResult> AskAsync(string question, string? corpus, CancellationToken cancellationToken);
}
