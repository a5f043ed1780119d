namespace LegalRag.Evaluation.Answers;

/// <summary>A citation in a generated answer, as the answer API returns it.</summary>
/// <param name="Citation">The pinpoint citation shown to the user ("BGB § 573 Abs. 2").</param>
/// <param name="ProvisionId">The store key of the cited provision; may be empty when only the citation is known.</param>
/// <param name="Quote">The span the answer quotes from that provision; empty when it quotes nothing.</param>
/// <param name="ValidFrom">First day the cited version is in force, where the answer says; with <paramref name="ValidTo"/>
/// (its first day no longer in force) it tells whether the version cited is the one in force on the day asked about.</param>
public sealed record AnswerCitation(string Citation, string? ProvisionId, string? Quote, DateOnly? ValidFrom = null, DateOnly? ValidTo = null);

/// <summary>What the answer path returned for one question.</summary>
public sealed record AnswerResult(string Answer, IReadOnlyList<AnswerCitation> Citations, bool Refused);

/// <summary>
/// The answer path under evaluation: in process (the lead adapts the answer service) or over HTTP
/// (<see cref="HttpAnswerClient"/>, <c>POST /api/ask</c>).
/// </summary>
public interface IAnswerClient
{
    /// <param name="asOf">Answer with the law in force on this day; null: what the question names, else today.</param>
    Task<AnswerResult> AskAsync(string question, string? corpus, DateOnly? asOf, CancellationToken cancellationToken);
}
