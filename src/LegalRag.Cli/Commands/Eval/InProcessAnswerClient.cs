using LegalRag.Answering;
using LegalRag.Evaluation.Answers;
using LegalRag.Retrieval.Search;
using EvalCitation = LegalRag.Evaluation.Answers.AnswerCitation;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>The evaluation's answer path in process: the same <see cref="AnswerService"/> the server resolves from
/// AddLegalRag, without HTTP. <paramref name="mode"/> is the run's --mode; null answers in the service's own mode.</summary>
public sealed class InProcessAnswerClient(AnswerService answers, RetrievalMode? mode = null) : IAnswerClient
{
    public async Task<AnswerResult> AskAsync(string question, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var answer = await answers.AskAsync(new AnswerRequest { Question = question, Corpus = corpus, Mode = mode, AsOf = asOf }, cancellationToken).ConfigureAwait(false);
        return new AnswerResult(answer.Text, answer.Citations.Select(c => new EvalCitation(c.Citation, c.ProvisionId, c.Quote, c.ValidFrom, c.ValidTo)).ToList(), answer.Refused);
    }
}
