using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace LegalRag.Server.Audit;

/// <summary>
/// An append-only JSON lines file: one object per line in a file opened for appending only, written by one
/// background writer so concurrent requests never interleave lines. Each batch is flushed to disk before the next
/// is taken, so a crash loses at most the entries of the last moment. The audit and the feedback log are two of these.
/// </summary>
public abstract class JsonLinesLog<T> : BackgroundService where T : class
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly string _path;
    private readonly ILogger _logger;

    protected JsonLinesLog(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    }

    public string FilePath => _path;

    protected ValueTask EnqueueAsync(T entry, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(entry, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                await DrainAsync(file).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued is still written below.
        }
        await DrainAsync(file).ConfigureAwait(false);
    }

    private async Task DrainAsync(FileStream file)
    {
        var wrote = false;
        while (_queue.Reader.TryRead(out var e))
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(e, Json);
            await file.WriteAsync(line).ConfigureAwait(false);
            file.WriteByte((byte)'\n');
            wrote = true;
        }
        if (!wrote) return;
        try { file.Flush(flushToDisk: true); }
        catch (IOException ex) { _logger.FlushFailed(ex, _path); }
    }

    /// <summary>The last <paramref name="limit"/> lines.</summary>
    public async Task<IReadOnlyList<JsonElement>> TailAsync(int limit, CancellationToken cancellationToken)
    {
        if (!File.Exists(_path)) return [];
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new Queue<string>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            lines.Enqueue(line);
            if (lines.Count > limit) lines.Dequeue();
        }
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
