using Microsoft.Extensions.Logging;

namespace LegalRag.Embeddings.Tests;

/// <summary>Hand-written logger that keeps warnings so tests can assert on them.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return _warnings.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.Warning)
        {
            lock (_warnings)
            {
                _warnings.Add(formatter(state, exception));
            }
        }
    }
}
