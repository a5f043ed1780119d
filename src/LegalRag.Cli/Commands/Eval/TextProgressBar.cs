using System.Diagnostics;
using LegalRag.Evaluation.Running;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>A one-line text progress bar, redrawn at most ten times a second; progress arrives from several threads.</summary>
public sealed class TextProgressBar(TextWriter writer, bool enabled) : IProgressSink
{
    private const int BarWidth = 30;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;
    private bool _drawn;

    public void Report(EvalProgress value)
    {
        if (!enabled) return;
        lock (_gate)
        {
            var now = _clock.ElapsedMilliseconds;
            if (value.Completed != value.Total && now - _lastDrawMs < 100) return;
            _lastDrawMs = now;
            var filled = value.Total == 0 ? BarWidth : (int)((long)value.Completed * BarWidth / value.Total);
            var rate = now > 0 ? value.Completed * 1000.0 / now : 0;
            writer.Write(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Completed}/{value.Total} questions, {rate:0.0}/s "));
            _drawn = true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_drawn) writer.WriteLine();
            _drawn = false;
        }
    }
}
