using System.Data.Common;
using LegalRag.Answering.History;
using LegalRag.Core.Abstractions;
using LegalRag.Server.Configuration;
using LegalRag.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LegalRag.Server.History;

/// <summary>
/// Retention: purges conversations whose last exchange is older than LegalRag:History:RetentionDays, once at start and
/// then every PurgeIntervalMinutes. Time comes from the <see cref="TimeProvider"/>, so tests move the clock instead of waiting.
/// </summary>
public sealed class HistoryRetentionService(IConversationStore store, IOptions<ServerSettings> settings, TimeProvider time, ILogger<HistoryRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(settings.Value.History.PurgeIntervalMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One purge at the provider's current time; null when the store failed (logged, tried again next interval).</summary>
    public async Task<HistoryRemoval?> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var days = settings.Value.History.RetentionDays;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(days);
        try
        {
            var removed = await store.PurgeOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (removed.Conversations > 0) logger.Purged(removed.Conversations, removed.Exchanges, days);
            return removed;
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            logger.PurgeFailed(ex, ex.Message);
            return null;
        }
    }
}

public static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// Opens the history store (history.db in the data folder) before the server is built, so an unusable file stops
    /// the start with its path named; registers the recorder the hub uses and the retention job.
    /// </summary>
    public static async Task<IServiceCollection> AddLegalRagHistoryAsync(this IServiceCollection services, string dataDirectory, CancellationToken cancellationToken)
    {
        var store = await SqliteConversationStore.OpenAsync(HistorySettings.FilePath(dataDirectory), cancellationToken).ConfigureAwait(false);
        services.AddSingleton<IConversationStore>(store);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ConversationRecorder(store, sp.GetRequiredService<ILegalStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConversationRecorder>>()));
        services.AddHostedService<HistoryRetentionService>();
        return services;
    }
}

internal static partial class HistoryLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "history retention: purged {Conversations} conversations ({Exchanges} exchanges) older than {Days} days")]
    public static partial void Purged(this ILogger logger, int conversations, int exchanges, int days);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "history retention: the purge failed, trying again at the next interval: {Reason}")]
    public static partial void PurgeFailed(this ILogger logger, Exception exception, string reason);
}
