using Microsoft.Extensions.Logging;

namespace LegalRag.Hosting;

/// <summary>What composition logs about the store and the retrieval setup, as source-generated messages.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "the full-text index in {Path} was re-analyzed for the current text analyzer")]
    public static partial void LexicalIndexRebuilt(this ILogger logger, string path);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Path} was migrated from schema {From}; the next ingest re-parses every document to store its references")]
    public static partial void StoreMigrated(this ILogger logger, string path, int from);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Reason}")]
    public static partial void DefaultModeFallback(this ILogger logger, string reason);
}
