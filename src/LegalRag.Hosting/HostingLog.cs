using Microsoft.Extensions.Logging;

namespace LegalRag.Hosting;

/// <summary>What composition logs about the store and the retrieval setup, as source-generated messages.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "the full-text index in {Path} was re-analyzed for the current text analyzer")]
    public static partial void LexicalIndexRebuilt(this ILogger logger, string path);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Path} was migrated from schema {From} to {To}; {Consequence}")]
    private static partial void StoreMigrated(this ILogger logger, string path, int from, int to, string consequence);

    /// <summary>Says what a migration means for the next ingest: from schema 1 every document is re-parsed (to store its
    /// references); from 2 nothing is, and stored documents keep their path, ingest time and hash as provenance.</summary>
    public static void StoreMigrated(this ILogger logger, string path, int from) =>
        logger.StoreMigrated(path, from, Storage.Sqlite.SqliteLegalStore.SchemaVersion, from < 2
            ? "the next ingest re-parses every document to store its references"
            : "stored documents are kept as they are, with their path, ingest time and hash as provenance");

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Reason}")]
    public static partial void DefaultModeFallback(this ILogger logger, string reason);
}
