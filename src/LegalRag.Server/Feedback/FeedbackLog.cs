using LegalRag.Core.Domain;
using LegalRag.Server.Audit;

namespace LegalRag.Server.Feedback;

/// <summary>Evaluators' verdicts on citations, append-only in data/feedback.jsonl (the audit log's writer, see <see cref="JsonLinesLog{T}"/>).</summary>
public sealed class FeedbackLog(string path, ILogger<FeedbackLog> logger) : JsonLinesLog<CitationFeedback>(path, logger)
{
    public ValueTask WriteAsync(CitationFeedback feedback, CancellationToken cancellationToken) => EnqueueAsync(feedback, cancellationToken);
}
