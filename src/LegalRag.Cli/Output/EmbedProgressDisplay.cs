using LegalRag.Hosting.Embedding;

namespace LegalRag.Cli.Output;

/// <summary>Embedding progress on stderr: a line every few seconds and at the end (stdout carries results).</summary>
public static class EmbedProgressDisplay
{
    public static IProgress<EmbeddingModels.EmbedProgress> Stderr(string title)
    {
        var last = DateTime.MinValue;
        return new SynchronousProgress<EmbeddingModels.EmbedProgress>(p =>
        {
            if (DateTime.UtcNow - last < TimeSpan.FromSeconds(3) && p.Done < p.Total) return;
            last = DateTime.UtcNow;
            Console.Error.WriteLine($"{title}: {p.Done:N0}/{p.Total:N0} chunks, {p.ChunksPerSecond:F0} chunks/s");
        });
    }

    /// <summary>Reports on the caller's thread, so lines come out in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
