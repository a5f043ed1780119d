using LegalRag.Answering.Extractive;
using Microsoft.Extensions.Logging;

namespace LegalRag.Answering;

/// <summary>What the answer service logs, as source-generated messages (no boxing or parsing per call).</summary>
internal static partial class AnswerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "relevance of {Query}: {Verdict}")]
    public static partial void Relevance(this ILogger logger, string query, RelevanceVerdict verdict);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "language model at {Endpoint} failed: {Reason}; answering extractively")]
    public static partial void ModelFailed(this ILogger logger, Exception exception, string endpoint, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "language model answers again after {Failures} failed answers")]
    public static partial void ModelRecovered(this ILogger logger, int failures);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "follow-up rewrite by the model failed; using the heuristic")]
    public static partial void RewriteFailed(this ILogger logger, Exception exception);
}
