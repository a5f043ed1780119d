using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace LegalRag.Server.Audit;

/// <summary>One audited request: who asked what, what came back, and how it was answered.</summary>
public sealed record AuditEvent
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public required string Action { get; init; }
    public required string User { get; init; }
    public required string Role { get; init; }
    public string? Question { get; init; }
    public string? StandaloneQuery { get; init; }
    public string? Corpus { get; init; }
    public string? Mode { get; init; }
    public bool? Refused { get; init; }
    public bool? Cancelled { get; init; }
    public IReadOnlyList<string>? Provisions { get; init; }
    public IReadOnlyList<string>? Cited { get; init; }
    public int? Flags { get; init; }
    public double? Ms { get; init; }
    public string? Transport { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// The append-only audit log: one JSON object per line in a file opened for appending only, written
/// by one background writer so concurrent requests never interleave lines. Each batch is flushed to
/// disk before the next is taken, so a crash loses at most the events of the last moment.
/// </summary>
public sealed class AuditLog : BackgroundService
{
    public const int MaxFieldChars = 4000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly Channel<AuditEvent> _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly string _path;
    private readonly ILogger<AuditLog> _logger;

    public AuditLog(string path, ILogger<AuditLog> logger)
    {
        _path = path;
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    }

    public string FilePath => _path;

    public ValueTask WriteAsync(AuditEvent e, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(e with { Question = Cap(e.Question), StandaloneQuery = Cap(e.StandaloneQuery) }, cancellationToken);

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
        catch (IOException ex) { _logger.LogError(ex, "audit log {Path}: flush failed", _path); }
    }

    /// <summary>The last <paramref name="limit"/> lines, for admins.</summary>
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

    private static string? Cap(string? text) => text is { Length: > MaxFieldChars } ? text[..MaxFieldChars] + "…" : text;
}
