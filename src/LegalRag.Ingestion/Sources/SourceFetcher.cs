using System.Diagnostics;
using LegalRag.Ingestion.Pipeline;

namespace LegalRag.Ingestion.Sources;

/// <summary>What to fetch.</summary>
/// <param name="Manifest">The manifest's name, recorded in the state so <c>corpus update</c> finds it again.</param>
/// <param name="Folder">The corpus's source folder: <c>files/</c> (what the parsers read), <c>downloads/</c>, the state and the change log.</param>
/// <param name="OnlyKeys">Fetch only these items (e.g. <c>--act bgb</c>), and remember them as the corpus's selection;
/// nothing is closed then.</param>
/// <param name="MaxClosedShare">A listing that would close more than this share of the open acts (and more than
/// <see cref="MinClosedToCheck"/> of them) is taken for a broken index, not for mass repeal: nothing is closed and the report says why.</param>
/// <param name="KeepSelection">Without <paramref name="OnlyKeys"/>, keep to the items earlier fetches named (<c>corpus update</c>);
/// false: fetch everything listed and forget the selection (<c>corpus fetch</c> without <c>--act</c>).</param>
public sealed record FetchRequest(string Manifest, string Folder, IReadOnlyList<string>? OnlyKeys = null, double MaxClosedShare = 0.2, bool KeepSelection = true)
{
    public const int MinClosedToCheck = 5;
    public string FilesFolder => Path.Combine(Folder, "files");
}

public enum ChangeKind { Added, Changed, Closed }

/// <summary>One act (or dump) that changed, with the files it touched.</summary>
public sealed record ItemChange(string Key, string? Title, ChangeKind Kind, IReadOnlyList<string> Files);

public sealed record ItemFailure(string Key, string Url, string Reason);

public sealed record FetchProgress(int ItemsTotal, int ItemsDone, string? Current, long BytesDownloaded);

/// <summary>What a fetch did; the caller ingests <see cref="FetchRequest.FilesFolder"/> with <see cref="Origins"/> and closes <see cref="ClosedFiles"/>.</summary>
/// <param name="ReopenedFiles">Files of acts that were closed and are listed again: their stored (closed) documents must be
/// replaced, not kept as unchanged.</param>
/// <param name="Warnings">Things the user should know that are not failures (closing refused, …).</param>
public sealed record FetchReport(
    int Listed,
    IReadOnlyList<ItemChange> Changes,
    int Unchanged,
    IReadOnlyList<ItemFailure> Failures,
    IReadOnlyList<string> ClosedFiles,
    IReadOnlyList<string> ReopenedFiles,
    IReadOnlyDictionary<string, FileOrigin> Origins,
    IReadOnlyList<string> Warnings,
    long BytesDownloaded,
    TimeSpan Elapsed);

/// <summary>
/// Fetches a corpus from its publisher through a connector: lists the items, downloads each conditionally (ETag,
/// Last-Modified) so only changed acts cost a transfer, unpacks them into the corpus's file folder, and closes the acts
/// the publisher no longer lists. One item's failure is recorded and never stops the others or loses their state;
/// a listing that cannot be had throws before anything is touched.
/// </summary>
public sealed class SourceFetcher(ICorpusSource source, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<FetchReport> FetchAsync(FetchRequest request, SourceContext context, IProgress<FetchProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        // The state is only read here; the listing comes next: without it nothing is written, not even the state.
        var state = FetchState.Load(request.Folder) ?? new FetchState { Manifest = request.Manifest, Connector = source.Name };
        if (state.Connector != source.Name)
            throw new InvalidOperationException($"{Path.Combine(request.Folder, FetchState.FileName)}: the corpus was fetched with '{state.Connector}', not '{source.Name}'");
        // What to download: the acts named now; else, for an update, the acts earlier fetches named; else everything listed.
        // A selection only grows: naming one more act never narrows a corpus fetched whole.
        IReadOnlyList<string>? only = request.OnlyKeys is { Count: > 0 } ? request.OnlyKeys : request.KeepSelection ? state.Selection : null;
        var listed = await source.ListAsync(context, cancellationToken).ConfigureAwait(false);
        var items = only is { Count: > 0 } ? Select(listed, only) : listed;
        if (request.OnlyKeys is { Count: > 0 } named)
        {
            if (state.Items.Count == 0 || state.Selection is not null)
                state.Selection = [.. (state.Selection ?? []).Union(named, StringComparer.OrdinalIgnoreCase)];
        }
        else if (!request.KeepSelection) state.Selection = null;
        var downloads = Path.Combine(request.Folder, "downloads");
        Directory.CreateDirectory(downloads);
        Directory.CreateDirectory(request.FilesFolder);

        var changes = new List<ItemChange>();
        var failures = new List<ItemFailure>();
        var closedFiles = new List<string>();
        var reopened = new List<string>();
        var warnings = new List<string>();
        int unchanged = 0, done = 0;
        long bytes = 0;
        ItemFailure? dumpFailed = null;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new FetchProgress(items.Count, done, item.Title ?? item.Key, bytes));
            state.Items.TryGetValue(item.Key, out var previous);
            // Dumps build on each other in order: after one failed, a later one applied now would be overwritten by the
            // failed one's older copies when it is applied next time. So the rest wait for the next run.
            if (!item.IsAct && dumpFailed is not null && previous is null)
            {
                failures.Add(new ItemFailure(item.Key, item.Url.AbsoluteUri, $"not applied: the earlier dump {dumpFailed.Key} failed, and dumps apply in order (the next fetch retries both)"));
                done++;
                continue;
            }
            try
            {
                if (item.Immutable && previous is not null)
                {
                    unchanged++;
                    continue;
                }
                var download = Path.Combine(downloads, SafeFileName(item.Key));
                var baseBytes = bytes;
                var result = await context.Transport.DownloadAsync(new DownloadRequest(
                    item.Url, download,
                    // Validators only count while the files they vouch for are still there.
                    ETag: previous is { ClosedOn: null } && FilesPresent(request, previous) ? previous.ETag : null,
                    LastModified: previous is { ClosedOn: null } && FilesPresent(request, previous) ? previous.LastModified : null,
                    ExpectedSha256: item.Sha256,
                    Headers: item.Headers,
                    Progress: progress is null ? null : new InlineProgress<long>(b => progress.Report(new FetchProgress(items.Count, done, item.Title ?? item.Key, baseBytes + b)))),
                    cancellationToken).ConfigureAwait(false);
                if (result.NotModified)
                {
                    unchanged++;
                    continue;
                }
                bytes += result.Bytes;
                var unpacked = await source.UnpackAsync(item, download, context, cancellationToken).ConfigureAwait(false);
                var now = _clock.GetUtcNow();
                var written = WriteFiles(request, unpacked.Files);
                foreach (var path in written)
                {
                    if (state.Files.TryGetValue(path, out var old) && old.ClosedOn is not null) reopened.Add(path);
                    state.Files[path] = new FileState { Url = item.Url.AbsoluteUri, RetrievedAt = now };
                }
                // An act's files that its new download no longer has are gone from the act: close them.
                var dropped = item.IsAct && previous is not null ? previous.Files.Except(written, StringComparer.Ordinal).ToList() : [];
                var removed = Close(request, state, dropped.Concat(unpacked.Removed), DateOnly.FromDateTime(now.UtcDateTime));
                closedFiles.AddRange(removed);
                state.Items[item.Key] = new ItemState
                {
                    Url = item.Url.AbsoluteUri, Title = item.Title, IsAct = item.IsAct, ETag = result.ETag, LastModified = result.LastModified,
                    Sha256 = result.Sha256, RetrievedAt = now, Files = written,
                };
                changes.Add(new ItemChange(item.Key, item.Title, previous is null || previous.ClosedOn is not null ? ChangeKind.Added : ChangeKind.Changed, written));
                if (removed.Count > 0 && !item.IsAct) changes.Add(new ItemChange(item.Key, item.Title, ChangeKind.Closed, removed));
                // The bytes are in the files now; a 1 GB dump need not stay.
                File.Delete(download);
                state.Save(request.Folder);
            }
            catch (Exception ex) when (ex is SourceUnavailableException or SourceContentException)
            {
                var failure = new ItemFailure(item.Key, item.Url.AbsoluteUri, ex.Message);
                failures.Add(failure);
                if (!item.IsAct) dumpFailed ??= failure;
            }
            finally
            {
                done++;
            }
        }

        // The listing is the publisher's whole index, so an act fetched before and missing from it is gone, whatever the
        // selection; only a run naming acts explicitly looks at nothing else.
        if (request.OnlyKeys is not { Count: > 0 })
            CloseVanished(request, state, listed, changes, closedFiles, warnings);
        state.Save(request.Folder);
        progress?.Report(new FetchProgress(items.Count, done, null, bytes));

        var origins = state.Files.Where(f => f.Value.ClosedOn is null)
            .ToDictionary(f => f.Key, f => new FileOrigin(f.Value.Url, f.Value.RetrievedAt), StringComparer.Ordinal);
        return new FetchReport(listed.Count, changes, unchanged, failures, closedFiles, reopened, origins, warnings, bytes, watch.Elapsed);
    }

    private void CloseVanished(FetchRequest request, FetchState state, IReadOnlyList<SourceItem> listed, List<ItemChange> changes, List<string> closedFiles, List<string> warnings)
    {
        var present = listed.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var open = state.Items.Where(i => i.Value is { IsAct: true, ClosedOn: null }).ToList();
        var vanished = open.Where(i => !present.Contains(i.Key)).ToList();
        if (vanished.Count == 0) return;
        if (vanished.Count > FetchRequest.MinClosedToCheck && vanished.Count > request.MaxClosedShare * open.Count)
        {
            warnings.Add($"the publisher's listing lacks {vanished.Count:N0} of {open.Count:N0} acts fetched before; that looks like a broken index rather than repeals, so none was closed (fetch again later, or remove the acts by hand)");
            return;
        }
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        foreach (var (key, item) in vanished)
        {
            var closed = Close(request, state, item.Files, today);
            closedFiles.AddRange(closed);
            state.Items[key] = item with { ClosedOn = today };
            changes.Add(new ItemChange(key, item.Title, ChangeKind.Closed, item.Files));
        }
    }

    /// <summary>Marks files closed in the state and takes them out of the file folder, so later ingests do not see them;
    /// their stored documents stay, closed by the caller.</summary>
    private static List<string> Close(FetchRequest request, FetchState state, IEnumerable<string> paths, DateOnly on)
    {
        var closed = new List<string>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            // Only files a fetch wrote and that are still open: a dump's deletion list also names articles never taken.
            if (!state.Files.TryGetValue(path, out var file) || file.ClosedOn is not null) continue;
            state.Files[path] = file with { ClosedOn = on };
            var full = FullPath(request, path);
            if (File.Exists(full)) File.Delete(full);
            closed.Add(path);
        }
        return closed;
    }

    private static List<string> WriteFiles(FetchRequest request, IReadOnlyList<UnpackedFile> files)
    {
        var written = new List<string>(files.Count);
        foreach (var file in files)
        {
            var full = FullPath(request, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = full + ".tmp";
            File.WriteAllBytes(temporary, file.Content);
            File.Move(temporary, full, overwrite: true);
            written.Add(file.RelativePath.Replace('\\', '/'));
        }
        return written;
    }

    private static bool FilesPresent(FetchRequest request, ItemState item) =>
        item.Files.Count > 0 && item.Files.All(f => File.Exists(FullPath(request, f)));

    /// <summary>A connector's relative path inside the file folder; one that would leave it is a connector bug, refused.</summary>
    private static string FullPath(FetchRequest request, string relativePath)
    {
        var root = Path.GetFullPath(request.FilesFolder) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new SourceContentException($"'{relativePath}' would be written outside the corpus folder {request.FilesFolder}");
        return full;
    }

    private static string SafeFileName(string key) =>
        string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private IReadOnlyList<SourceItem> Select(IReadOnlyList<SourceItem> listed, IReadOnlyList<string> keys)
    {
        var byKey = listed.ToDictionary(i => i.Key, StringComparer.OrdinalIgnoreCase);
        var unknown = keys.Where(k => !byKey.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            var near = unknown.SelectMany(k => Common.NearMatches.Of(k, listed.Select(i => i.Key))).Distinct().ToList();
            throw new ArgumentException($"{source.Name} does not list {string.Join(", ", unknown.Select(k => $"'{k}'"))}" +
                                        (near.Count > 0 ? $"; did you mean {string.Join(", ", near)}?" : ""));
        }
        return keys.Select(k => byKey[k]).DistinctBy(i => i.Key).ToList();
    }
}

/// <summary>Reports on the caller's thread, so progress comes out in order (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
