using LegalRag.Ingestion.Sources;

namespace LegalRag.Cli.Output;

/// <summary>Fetch progress on stderr: a line every few seconds (items, bytes, the act at hand) and at the end.</summary>
public static class FetchProgressDisplay
{
    public static IProgress<FetchProgress> Stderr(string title)
    {
        var last = DateTime.MinValue;
        var started = DateTime.UtcNow;
        return new Inline(p =>
        {
            var finished = p.Current is null;
            if (!finished && DateTime.UtcNow - last < TimeSpan.FromSeconds(3)) return;
            last = DateTime.UtcNow;
            var elapsed = DateTime.UtcNow - started;
            // A rough time left from the pace so far, once there is a pace to go by.
            var left = p.ItemsDone > 0 && !finished ? $", about {TimeSpan.FromSeconds(elapsed.TotalSeconds / p.ItemsDone * (p.ItemsTotal - p.ItemsDone)):hh\\:mm\\:ss} left" : "";
            Console.Error.WriteLine($"{title}: {p.ItemsDone:N0}/{p.ItemsTotal:N0} items, {p.BytesDownloaded / 1048576.0:F1} MiB{left}{(finished ? "" : $" ({p.Current})")}");
        });
    }

    private sealed class Inline(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
