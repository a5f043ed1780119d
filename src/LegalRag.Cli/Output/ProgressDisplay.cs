using LegalRag.Ingestion.Pipeline;
using Spectre.Console;

namespace LegalRag.Cli.Output;

/// <summary>
/// A live progress bar on an interactive terminal (files, provisions, rate); on a pipe or in CI,
/// one plain line every few seconds on stderr so logs stay readable and stdout stays clean.
/// </summary>
public static class ProgressDisplay
{
    public static async Task<IngestSummary> RunAsync(string title, Func<IProgress<IngestProgress>, Task<IngestSummary>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
        {
            var last = DateTime.MinValue;
            var lines = new Progress<IngestProgress>(p =>
            {
                if (DateTime.UtcNow - last < TimeSpan.FromSeconds(5) && p.FilesDone < p.FilesTotal) return;
                last = DateTime.UtcNow;
                Console.Error.WriteLine($"{title}: {p.FilesDone}/{p.FilesTotal} files, {p.Provisions:N0} provisions, {p.Failed} failed, {p.FilesPerSecond:F0} files/s, {p.ProvisionsPerSecond:F0} provisions/s");
            });
            return await work(lines);
        }

        IngestSummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title));
                var progress = new Progress<IngestProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.FilesTotal);
                    task.Value = p.FilesDone;
                    task.Description = Markup.Escape($"{title}: {p.FilesDone:N0}/{p.FilesTotal:N0} files · {p.Provisions:N0} provisions · {p.ProvisionsPerSecond:F0}/s · {p.Failed} failed");
                });
                summary = await work(progress);
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
