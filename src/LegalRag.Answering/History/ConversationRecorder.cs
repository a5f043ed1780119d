using LegalRag.Core.Abstractions;
using Microsoft.Extensions.Logging;

namespace LegalRag.Answering.History;

/// <summary>
/// Records each finished answer into its user's conversation, with every citation as it was shown and the version of
/// the cited text (the act's content hash and retrieval time, looked up now, because a later ingest may replace it).
/// </summary>
public sealed class ConversationRecorder(IConversationStore conversations, IProvisionStore provisions, TimeProvider time, ILogger<ConversationRecorder> logger)
{
    /// <summary>A new conversation's id: random, and in time order (UUID v7) so ids sort by when they began.</summary>
    public static string NewConversationId() => Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// Appends the exchange; returns it with its number, or null when it could not be recorded. A failed record is
    /// logged and does not cost the user the answer they already have.
    /// </summary>
    public async Task<RecordedExchange?> RecordAsync(string user, string conversationId, string question, string? corpus, DateOnly? asOf, Answer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            var exchange = await ExchangeOfAsync(question, corpus, asOf, answer, cancellationToken).ConfigureAwait(false);
            return await conversations.AppendAsync(user, conversationId, exchange, cancellationToken).ConfigureAwait(false);
        }
        // Any failure but cancellation: the answer has been streamed already, and a history that cannot be written
        // (disk full) or a corpus store that went away after answering (a Qdrant outage, for the snapshot look-up) must
        // not turn it into an error for the user. Logged as a warning with the reason.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.HistoryNotRecorded(ex, conversationId, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Appends the exchange to a conversation that is already kept (one being continued, or one this connection has
    /// recorded into). When it has gone meanwhile — deleted by its user, purged by retention, erased — it is not brought
    /// back: the exchange begins a new conversation instead. Returns where it was recorded, or null when it could not be
    /// (logged, as for <see cref="RecordAsync"/>).
    /// </summary>
    public async Task<ExchangeRecord?> ContinueAsync(string user, string conversationId, string question, string? corpus, DateOnly? asOf, Answer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            var exchange = await ExchangeOfAsync(question, corpus, asOf, answer, cancellationToken).ConfigureAwait(false);
            if (await conversations.AppendToExistingAsync(user, conversationId, exchange, cancellationToken).ConfigureAwait(false) is { } appended)
                return new ExchangeRecord(conversationId, appended);
            var created = NewConversationId();
            logger.ConversationGone(conversationId, created);
            return new ExchangeRecord(created, await conversations.AppendAsync(user, created, exchange, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.HistoryNotRecorded(ex, conversationId, ex.Message);
            return null;
        }
    }

    /// <summary>The exchange as it will be kept: the answer's text and citations, each with the snapshot of its act.</summary>
    public async Task<RecordedExchange> ExchangeOfAsync(string question, string? corpus, DateOnly? asOf, Answer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var snapshots = new Dictionary<string, CorpusSnapshot?>(StringComparer.Ordinal);
        foreach (var id in answer.Citations.Select(c => c.ProvisionId).Distinct(StringComparer.Ordinal))
        {
            var stored = await provisions.GetProvisionAsync(id, cancellationToken).ConfigureAwait(false);
            snapshots[id] = stored?.Act?.Provenance is { } p ? new CorpusSnapshot(p.ContentHash, p.RetrievedAt, p.Source, p.Publisher) : null;
        }
        return new RecordedExchange
        {
            AskedAt = time.GetUtcNow(),
            Question = question,
            Answer = answer.Text,
            Language = answer.Language,
            Mode = ModeName(answer.Mode),
            Refused = answer.Refused,
            Notice = answer.Notice,
            Corpus = corpus,
            AsOf = asOf,
            StandaloneQuery = answer.StandaloneQuery,
            Citations = answer.Citations.Select(c => new RecordedCitation
            {
                Number = c.Number, Citation = c.Citation, ProvisionId = c.ProvisionId, Quote = c.Quote, Corpus = c.Corpus, Paragraph = c.Paragraph,
                ProvisionCitation = c.ProvisionCitation, Heading = c.Heading, Path = c.Path, SourcePath = c.SourcePath, Page = c.Page,
                Snapshot = snapshots.GetValueOrDefault(c.ProvisionId),
            }).ToList(),
        };
    }

    public static string ModeName(AnswerMode mode) => mode switch
    {
        AnswerMode.Llm => "llm",
        AnswerMode.ExtractiveFallback => "extractive-fallback",
        _ => "extractive",
    };
}

/// <summary>Where an exchange was recorded: its conversation and, in the exchange, its number there.</summary>
public sealed record ExchangeRecord(string ConversationId, RecordedExchange Exchange);

internal static partial class HistoryLog
{
    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "conversation {ConversationId} was deleted while it was continued; the exchange begins conversation {NewConversationId}")]
    public static partial void ConversationGone(this ILogger logger, string conversationId, string newConversationId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "conversation {ConversationId}: the exchange was answered but not recorded in the history: {Reason}")]
    public static partial void HistoryNotRecorded(this ILogger logger, Exception exception, string conversationId, string reason);
}
