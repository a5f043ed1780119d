using Microsoft.Extensions.Logging;

namespace LegalRag.Answering.Tests.Support;

/// <summary>One log entry as the logger received it.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message);

/// <summary>Hand-written logger that keeps every entry, so tests can assert the operator sees a clear line.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries { get { lock (_entries) return _entries.ToList(); } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
    }
}
