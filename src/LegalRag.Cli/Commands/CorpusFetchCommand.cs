using System.CommandLine;
using System.Text.Json;
using LegalRag.Cli.Configuration;
using LegalRag.Cli.Output;
using LegalRag.Hosting.Configuration;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.Transport;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

/// <summary>
/// <c>corpus fetch &lt;source&gt;</c> and <c>corpus update &lt;name&gt;</c>: get a corpus from its publisher through the
/// manifest's connector, then ingest what changed (each document its own transaction) and close the acts the
/// publisher no longer lists. Without the publisher's listing nothing is changed.
/// </summary>
public static partial class CorpusFetchCommand
{
    public static Command Fetch()
    {
        var source = new Argument<string>("source") { Description = "A manifest with a fetch section: corpora/<source>.json (de-gii, nl-bwb, fr-legi, eu-eurlex, ee-rt)" };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus name (default: the source's name)" };
        var options = new FetchOptions();
        var command = new Command("fetch", "Fetch a corpus from its official publisher (or a folder of downloaded files) and ingest it")
        {
            source, corpus, options.From, options.Acts, options.BaseUrl, options.Json,
        };
        command.SetAction((parse, ct) =>
        {
            var manifestName = parse.GetValue(source)!;
            return RunAsync(parse, manifestName, parse.GetValue(corpus) ?? manifestName, options, keepSelection: false, ct);
        });
        return command;
    }

    public static Command Update()
    {
        var name = new Argument<string>("name") { Description = "A corpus fetched before with 'corpus fetch'" };
        var options = new FetchOptions();
        var command = new Command("update", "Fetch what changed at the corpus's publisher since the last fetch, ingest it, and close acts no longer published")
        {
            name, options.From, options.Acts, options.BaseUrl, options.Json,
        };
        command.SetAction((parse, ct) =>
        {
            var corpusName = parse.GetValue(name)!;
            var folder = SourceFolder(CliContext.Settings(parse), corpusName);
            FetchState? state;
            try
            {
                state = FetchState.Load(folder);
            }
            catch (InvalidDataException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
            if (state is null)
            {
                Console.Error.WriteLine($"error: corpus '{corpusName}' was never fetched (no {Path.Combine(folder, FetchState.FileName)}); fetch it first: legalrag corpus fetch <source> --corpus {corpusName}");
                return Task.FromResult(ExitCodes.Usage);
            }
            return RunAsync(parse, state.Manifest, corpusName, options, keepSelection: true, ct);
        });
        return command;
    }

    private sealed class FetchOptions
    {
        public Option<string?> From { get; } = new("--from") { Description = "Read the publisher's files from this folder instead of the network (air-gapped networks); laid out as the publisher's paths, as 'wget -m' writes them" };
        public Option<string[]> Acts { get; } = new("--act") { Description = "Fetch only these items (GII slug, BWB id, CELEX number, …); nothing is closed then", AllowMultipleArgumentsPerToken = true };
        public Option<string?> BaseUrl { get; } = new("--base-url") { Description = "The publisher's address, when a mirror stands in for it (default: the manifest's)" };
        public Option<bool> Json { get; } = new("--json") { Description = "Print the report as JSON" };
    }

    public static string SourceFolder(LegalRagSettings settings, string corpus) =>
        Path.Combine(Path.GetFullPath(settings.DataDirectory), "sources", corpus);

    private static async Task<int> RunAsync(ParseResult parse, string manifestName, string corpusName, FetchOptions options, bool keepSelection, CancellationToken ct)
    {
        var settings = CliContext.Settings(parse);
        var manifest = CorpusManifest.Find(manifestName);
        if (manifest?.Fetch is not { } fetch)
        {
            Console.Error.WriteLine(manifest is null
                ? $"error: no manifest corpora/{manifestName}.json; sources: {string.Join(", ", SourceRegistry.Default.Names)}"
                : $"error: corpora/{manifestName}.json has no \"fetch\" section, so it cannot be fetched; ingest its folder instead: legalrag ingest --corpus {manifestName}");
            return ExitCodes.Usage;
        }
        ICorpusSource connector;
        Uri baseUrl;
        try
        {
            connector = SourceRegistry.Default.Get(fetch.Connector);
            baseUrl = new Uri(parse.GetValue(options.BaseUrl) ?? fetch.BaseUrl, UriKind.Absolute);
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException)
        {
            Console.Error.WriteLine($"error: corpora/{manifestName}.json: {ex.Message}");
            return ExitCodes.Usage;
        }
        var from = parse.GetValue(options.From);
        if (from is not null && !Directory.Exists(from))
        {
            Console.Error.WriteLine($"error: --from {from}: no such folder");
            return ExitCodes.Usage;
        }

        var folder = SourceFolder(settings, corpusName);
        var limits = new IngestionLimits { MaxFileBytes = settings.Ingestion.MaxFileBytes };
        ISourceTransport transport = from is not null ? new FolderSourceTransport(from) : new HttpSourceTransport(TransportOptions(settings.Sources));
        using var _ = transport as IDisposable;
        var context = new SourceContext(transport, new SourceSettings(baseUrl, fetch.Items, fetch.Options), Path.Combine(folder, "work"), limits);
        var request = new FetchRequest(manifestName, folder, parse.GetValue(options.Acts) is { Length: > 0 } acts ? acts : null, KeepSelection: keepSelection);
        var origin = from ?? baseUrl.GetLeftPart(UriPartial.Authority);

        FetchReport report;
        var fetchedBefore = Directory.Exists(folder);
        try
        {
            Console.Error.WriteLine($"Fetching {corpusName} from {origin} ({connector.Name}) into {folder}");
            report = await new SourceFetcher(connector).FetchAsync(request, context, FetchProgressDisplay.Stderr($"Fetching {corpusName}"), ct);
        }
        catch (SourceUnavailableException ex)
        {
            // A first fetch that never got the listing leaves no empty folders behind.
            if (!fetchedBefore && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Console.Error.WriteLine($"error: {ex.Message}; nothing was changed." +
                                    (from is null ? $" Without a network, copy the publisher's files to a folder and run: legalrag corpus fetch {manifestName} --from DIR" : ""));
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is SourceContentException or ArgumentException or InvalidDataException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {ex.Message}; nothing was changed.");
            return ExitCodes.Usage;
        }

        await using var services = await CliContext.OpenAsync(parse, ct);
        var store = services.Stack.Store;
        // A closed act listed again must come back open: its stored document (same bytes) would otherwise stay closed as "unchanged".
        foreach (var path in report.ReopenedFiles) await store.DeleteDocumentAsync(corpusName, path, ct);
        var outcome = await IngestRun.RunAsync(services, new IngestRequest
        {
            Root = Path.Combine(folder, "files"),
            Corpus = corpusName,
            Language = manifest.Language,
            // Every file in the folder is the connector's: the manifest's include globs apply to its local copy, and
            // fetch.include only leaves out companion files that are no act (nl-bwb's manifest.xml).
            Include = fetch.Include,
            Publisher = manifest.Publisher,
            Origins = report.Origins,
            MaxParallelism = settings.Ingestion.MaxParallelism > 0 ? settings.Ingestion.MaxParallelism : Environment.ProcessorCount,
            Limits = limits,
        }, ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var closed = 0;
        foreach (var path in report.ClosedFiles)
            if (await store.CloseDocumentAsync(corpusName, path, today, ct)) closed++;

        Record(folder, manifestName, corpusName, report);
        foreach (var change in report.Changes) LogChange(services.Logger, corpusName, change.Kind.ToString().ToLowerInvariant(), change.Key, change.Title ?? "", change.Files.Count);
        foreach (var failure in report.Failures) LogFailure(services.Logger, corpusName, failure.Key, failure.Url, failure.Reason);

        if (parse.GetValue(options.Json))
        {
            JsonOutput.Write(new
            {
                corpus = corpusName,
                source = manifestName,
                from = origin,
                listed = report.Listed,
                added = report.Changes.Count(c => c.Kind == ChangeKind.Added),
                changed = report.Changes.Count(c => c.Kind == ChangeKind.Changed),
                closed = report.Changes.Count(c => c.Kind == ChangeKind.Closed),
                unchanged = report.Unchanged,
                failed = report.Failures.Count,
                bytes = report.BytesDownloaded,
                seconds = Math.Round(report.Elapsed.TotalSeconds, 2),
                documentsClosed = closed,
                changes = report.Changes.Select(c => new { key = c.Key, title = c.Title, kind = c.Kind.ToString().ToLowerInvariant(), files = c.Files }),
                failures = report.Failures.Select(f => new { key = f.Key, url = f.Url, reason = f.Reason }),
                warnings = report.Warnings,
                ingest = IngestRun.ToJson(outcome, corpusName),
            });
        }
        else
        {
            var added = report.Changes.Count(c => c.Kind == ChangeKind.Added);
            var changed = report.Changes.Count(c => c.Kind == ChangeKind.Changed);
            var closedActs = report.Changes.Count(c => c.Kind == ChangeKind.Closed);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(corpusName)}[/] from {Markup.Escape(origin)}: {report.Listed:N0} listed; {added:N0} added, {changed:N0} changed, {closedActs:N0} closed, " +
                                   $"{report.Unchanged:N0} unchanged, {(report.Failures.Count > 0 ? "[red]" : "")}{report.Failures.Count:N0} failed{(report.Failures.Count > 0 ? "[/]" : "")}; " +
                                   $"{report.BytesDownloaded / 1048576.0:F1} MiB in {report.Elapsed.TotalSeconds:F1} s");
            foreach (var change in report.Changes.Take(50))
            {
                var mark = change.Kind switch { ChangeKind.Added => "[green]+[/]", ChangeKind.Changed => "[yellow]~[/]", _ => "[grey]closed[/]" };
                AnsiConsole.MarkupLine($"  {mark} {Markup.Escape(change.Key)}{(change.Title is { } t ? " " + Markup.Escape(t) : "")}");
            }
            if (report.Changes.Count > 50) AnsiConsole.MarkupLine($"  … and {report.Changes.Count - 50} more (all in {Markup.Escape(Path.Combine(folder, ChangeLogName))})");
            foreach (var failure in report.Failures.Take(50))
                AnsiConsole.MarkupLine($"  [red]failed[/] {Markup.Escape(failure.Key)}: {Markup.Escape(failure.Reason)}");
            foreach (var warning in report.Warnings) AnsiConsole.MarkupLine($"  [yellow]warning[/]: {Markup.Escape(warning)}");
            IngestRun.Print(outcome, corpusName);
        }
        return report.Failures.Count > 0 || outcome.Summary.Failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
    }

    private static SourceTransportOptions TransportOptions(SourcesSettings settings) => new()
    {
        RequestsPerHostInterval = TimeSpan.FromMilliseconds(settings.RequestIntervalMs),
        Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        MaxAttempts = settings.MaxAttempts,
        Proxy = string.IsNullOrWhiteSpace(settings.Proxy) ? null : new Uri(settings.Proxy),
    };

    private const string ChangeLogName = "changes.jsonl";

    /// <summary>Appends what changed to the corpus's change log, one JSON line per change, so an administrator can see
    /// later which acts an update touched and when.</summary>
    private static void Record(string folder, string manifest, string corpus, FetchReport report)
    {
        var time = DateTimeOffset.UtcNow;
        var lines = report.Changes.Select(c => JsonSerializer.Serialize(new { time, corpus, source = manifest, kind = c.Kind.ToString().ToLowerInvariant(), key = c.Key, title = c.Title, files = c.Files }))
            .Concat(report.Failures.Select(f => JsonSerializer.Serialize(new { time, corpus, source = manifest, kind = "failed", key = f.Key, url = f.Url, reason = f.Reason })));
        File.AppendAllLines(Path.Combine(folder, ChangeLogName), lines);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "corpus {Corpus}: {Kind} {Key} ({Title}), {Files} file(s)")]
    private static partial void LogChange(ILogger logger, string corpus, string kind, string key, string title, int files);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "corpus {Corpus}: {Key} failed ({Url}): {Reason}")]
    private static partial void LogFailure(ILogger logger, string corpus, string key, string url, string reason);
}
