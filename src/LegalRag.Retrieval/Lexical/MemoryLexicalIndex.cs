using System.Collections.Concurrent;
using LegalRag.Core.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegalRag.Retrieval.Lexical;

public sealed record MemoryLexicalIndexOptions
{
    /// <summary>After the store changed, the next rebuild starts no sooner than this after the last one started, so an
    /// ingest that commits document after document does not keep a core busy rebuilding; meanwhile the store answers.</summary>
    public TimeSpan MinRebuildInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Provisions kept after a read, until the store changes (reading and parsing the hundred candidates of a
    /// question was its largest cost once the lexical search was fast); about 4 KiB each. 0 turns it off.</summary>
    public int ProvisionCacheSize { get; init; } = 20_000;
}

/// <summary>
/// The lexical index kept in memory beside the store (<see cref="LexicalSnapshot"/>), ranking exactly as the store's
/// FTS5 index does. The store stays the one file of record: the snapshot is built from its rows, checked against its
/// change token before every query, and rebuilt in the background when the store changed (by this process or another).
/// Until a current snapshot is ready, and for a query the snapshot does not score, the store itself answers.
/// </summary>
public sealed partial class MemoryLexicalIndex : ILexicalIndex, IRankingSignals, IDisposable
{
    private readonly ILexicalRowSource _source;
    private readonly ILexicalIndex _fallback;
    private readonly IRankingSignals _signals;
    private readonly MemoryLexicalIndexOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _buildLock = new();
    private volatile LexicalSnapshot? _snapshot;
    private Task<LexicalSnapshot?>? _building;
    private DateTimeOffset _lastBuildStart = DateTimeOffset.MinValue;

    /// <param name="source">The store's rows and change token.</param>
    /// <param name="fallback">The store's own lexical search, used until a current snapshot is ready.</param>
    /// <param name="signals">The store's ranking signals: acts and provisions always, term statistics until a snapshot is ready.</param>
    public MemoryLexicalIndex(ILexicalRowSource source, ILexicalIndex fallback, IRankingSignals signals, MemoryLexicalIndexOptions? options = null,
        ILogger<MemoryLexicalIndex>? logger = null, TimeProvider? clock = null)
    {
        _source = source;
        _fallback = fallback;
        _signals = signals;
        _options = options ?? new MemoryLexicalIndexOptions();
        _logger = logger ?? NullLogger<MemoryLexicalIndex>.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The snapshot last built (current or not); null before the first build finished.</summary>
    public LexicalSnapshot? Snapshot => _snapshot;

    /// <summary>Starts building in the background when no current snapshot is there (a host calls this at start).</summary>
    public void StartBuild() => _ = StartBuild(force: true);

    /// <summary>Builds (or waits for the build) until a snapshot of the store as it is now is ready, and returns it.</summary>
    public async Task<LexicalSnapshot> EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var version = await _source.GetLexicalVersionAsync(cancellationToken).ConfigureAwait(false);
            if (_snapshot is { } current && current.Version == version) return current;
            var build = StartBuild(force: true)!;
            if (await build.WaitAsync(cancellationToken).ConfigureAwait(false) is null)
                throw new InvalidOperationException("the in-memory lexical index could not be built (the log says why)");
        }
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchLexicalAsync(LexicalQuery query, int limit, SearchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (await CurrentAsync(cancellationToken).ConfigureAwait(false) is { } snapshot && snapshot.Search(query, limit, filter) is { } hits)
            return hits;
        return await _fallback.SearchLexicalAsync(query, limit, filter, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken) =>
        await CurrentAsync(cancellationToken).ConfigureAwait(false) is { } snapshot
            ? snapshot.TermStatistics(terms)
            : await _signals.GetTermStatisticsAsync(terms, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken) => _signals.GetActsAsync(cancellationToken);

    public async Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_options.ProvisionCacheSize <= 0) return await _signals.GetProvisionsAsync(keys, cancellationToken).ConfigureAwait(false);
        var version = await _source.GetLexicalVersionAsync(cancellationToken).ConfigureAwait(false);
        var cache = _provisions;
        if (cache.Version != version || cache.Items.Count > _options.ProvisionCacheSize)
            _provisions = cache = new ProvisionCache(version, new ConcurrentDictionary<string, StoredProvision>(StringComparer.Ordinal));
        var missing = keys.Where(k => !cache.Items.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            foreach (var p in await _signals.GetProvisionsAsync(missing, cancellationToken).ConfigureAwait(false))
                cache.Items[p.Key] = p;
        var found = new List<StoredProvision>(keys.Count);
        foreach (var key in keys)
            if (cache.Items.TryGetValue(key, out var p)) found.Add(p);
        return found;
    }

    // Swapped whole when the store's version changes: a reader never mixes provisions of two versions in one cache.
    private sealed record ProvisionCache(long Version, ConcurrentDictionary<string, StoredProvision> Items);
    private volatile ProvisionCache _provisions = new(long.MinValue, new ConcurrentDictionary<string, StoredProvision>(StringComparer.Ordinal));

    /// <summary>The snapshot when it shows the store as it is; otherwise null, and a rebuild is started when due.</summary>
    private async ValueTask<LexicalSnapshot?> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await _source.GetLexicalVersionAsync(cancellationToken).ConfigureAwait(false);
        if (_snapshot is { } snapshot && snapshot.Version == version) return snapshot;
        _ = StartBuild(force: false);
        return null;
    }

    private Task<LexicalSnapshot?>? StartBuild(bool force)
    {
        lock (_buildLock)
        {
            if (_building is { IsCompleted: false } running) return running;
            var now = _clock.GetUtcNow();
            if (!force && _snapshot is not null && now - _lastBuildStart < _options.MinRebuildInterval) return null;
            _lastBuildStart = now;
            return _building = Task.Run(BuildAsync);
        }
    }

    private async Task<LexicalSnapshot?> BuildAsync()
    {
        try
        {
            var snapshot = await LexicalSnapshotBuilder.BuildAsync(_source, _stopping.Token).ConfigureAwait(false);
            _snapshot = snapshot;
            LogBuilt(snapshot.Rows, snapshot.Terms, snapshot.Postings, snapshot.BuildTime.TotalMilliseconds, snapshot.ApproximateBytes / (1024 * 1024));
            return snapshot;
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store still answers every query; the next query after the rebuild interval tries again.
            LogBuildFailed(ex);
            return null;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "In-memory lexical index built: {Rows} rows, {Terms} terms, {Postings} postings in {Milliseconds:F0} ms, about {Megabytes} MiB")]
    private partial void LogBuilt(int rows, int terms, long postings, double milliseconds, long megabytes);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "In-memory lexical index could not be built; the store's own index answers meanwhile")]
    private partial void LogBuildFailed(Exception exception);
}
