using LegalRag.Answering;
using Microsoft.Extensions.Logging;

namespace LegalRag.Server;

/// <summary>What the server logs itself, as source-generated messages.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "answered {Mode} in {Ms} ms")]
    public static partial void Answered(this ILogger logger, AnswerMode mode, double ms);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "{Path}: flush failed")]
    public static partial void FlushFailed(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{Path}: a dependency failed after its retries: {Reason}")]
    public static partial void DependencyFailed(this ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "at capacity: {Refused} requests refused with 503 since the last report ({Limit} at once, queue {Queue}, queue timeout {QueueTimeoutMs} ms; LegalRag:Limits)")]
    public static partial void AtCapacity(this ILogger logger, long refused, int limit, int queue, int queueTimeoutMs);
}
