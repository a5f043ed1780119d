using LegalRag.Answering;
using LegalRag.Evaluation.Answers;
using EvalCitation = LegalRag.Evaluation.Answers.AnswerCitation;

namespace LegalRag.Cli.Commands;

/// <summary>The evaluation's answer path in process: the same <see cref="AnswerService"/> the server uses, without HTTP.</summary>
public sealed class InProcessAnswerClient(AnswerService answers) : IAnswerClient
{
    public async Task<AnswerResult> AskAsync(string question, string? corpus, CancellationToken cancellationToken)
    {
        var answer = await answers.AskAsync(new AnswerRequest { Question = question, Corpus = corpus }, cancellationToken).ConfigureAwait(false);
        return new AnswerResult(answer.Text, answer.Citations.Select(c => new EvalCitation(c.Citation, c.ProvisionId, c.Quote)).ToList(), answer.Refused);
    }
}
