using System.Text;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

public sealed class SourceFetcherTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Base = "https://law.example/";
    private readonly TempDirectory _temp = new();
    private readonly InMemoryTransport _transport = new();
    private readonly ListedSource _source = new();

    private FetchRequest Request(IReadOnlyList<string>? only = null) => new("test-source", _temp.Path, only);

    private SourceContext Context => new(_transport, new SourceSettings(new Uri(Base), [], new Dictionary<string, string>()), Path.Combine(_temp.Path, "work"), new IngestionLimits());

    private Task<FetchReport> FetchAsync(IReadOnlyList<string>? only = null) => new SourceFetcher(_source).FetchAsync(Request(only), Context, null, Ct);

    private void Publish(string key, string text)
    {
        if (!_source.Keys.Contains(key)) _source.Keys.Add(key);
        _transport.Serve($"{Base}{key}/act.txt", text);
    }

    private string FileText(string key) => File.ReadAllText(Path.Combine(_temp.Path, "files", key, "act.md"));

    [Fact]
    public async Task A_first_fetch_adds_every_act_and_records_where_each_file_came_from()
    {
        Publish("a", "Act A");
        Publish("b", "Act B");

        var report = await FetchAsync();

        Assert.Equal(["a:Added", "b:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal("Act A", FileText("a"));
        Assert.Equal($"{Base}b/act.txt", report.Origins["b/act.md"].SourceUrl);
        Assert.NotNull(FetchState.Load(_temp.Path));
        Assert.False(Directory.EnumerateFiles(Path.Combine(_temp.Path, "downloads")).Any()); // the bytes live in files/ now
    }

    [Fact]
    public async Task A_second_fetch_asks_conditionally_and_takes_only_the_changed_act()
    {
        Publish("a", "Act A");
        Publish("b", "Act B");
        await FetchAsync();
        Publish("b", "Act B, amended");

        var report = await FetchAsync();

        Assert.Equal(["b:Changed"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(1, report.Unchanged);
        Assert.Equal("Act B, amended", FileText("b"));
        Assert.All(_transport.Requests.Skip(2), r => Assert.NotNull(r.ETag)); // the second round sent validators
        Assert.Equal(3, _source.Unpacked); // a and b first, then b again; a never again
    }

    [Fact]
    public async Task An_act_the_publisher_no_longer_lists_is_closed_and_taken_out_of_the_files()
    {
        foreach (var key in new[] { "a", "b", "c", "d", "e", "f" }) Publish(key, "Act " + key);
        await FetchAsync();
        _source.Keys.Remove("c");

        var report = await FetchAsync();

        Assert.Equal(["c:Closed"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(["c/act.md"], report.ClosedFiles);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "files", "c", "act.md")));
        Assert.DoesNotContain("c/act.md", report.Origins.Keys);
        Assert.NotNull(FetchState.Load(_temp.Path)!.Items["c"].ClosedOn);

        // Listed again later: added back, and its stored (closed) document must be replaced.
        _source.Keys.Add("c");
        var back = await FetchAsync();
        Assert.Equal(["c:Added"], back.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(["c/act.md"], back.ReopenedFiles);
    }

    [Fact]
    public async Task A_listing_that_lacks_most_acts_is_taken_for_a_broken_index_and_closes_nothing()
    {
        foreach (var key in Enumerable.Range(0, 10).Select(i => $"act{i}")) Publish(key, key);
        await FetchAsync();
        _source.Keys.RemoveRange(0, 9);

        var report = await FetchAsync();

        Assert.Empty(report.ClosedFiles);
        Assert.Contains("broken index", Assert.Single(report.Warnings));
    }

    [Fact]
    public async Task Without_the_listing_nothing_is_written()
    {
        _source.Unreachable = true;

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => FetchAsync());

        Assert.Contains("cannot reach", error.Message);
        Assert.False(File.Exists(Path.Combine(_temp.Path, FetchState.FileName)));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "files")));
    }

    [Fact]
    public async Task One_act_that_cannot_be_downloaded_is_reported_and_the_others_are_fetched()
    {
        Publish("a", "Act A");
        _source.Keys.Add("missing");

        var report = await FetchAsync();

        Assert.Equal(["a:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        var failure = Assert.Single(report.Failures);
        Assert.Equal(("missing", $"{Base}missing/act.txt"), (failure.Key, failure.Url));
        Assert.Contains("404", failure.Reason);
    }

    [Fact]
    public async Task Fetching_named_acts_closes_nothing_and_an_unknown_name_gets_near_matches()
    {
        Publish("bgb", "BGB");
        Publish("bgbeg", "EGBGB");
        await FetchAsync();

        var one = await FetchAsync(["bgbeg"]);
        Assert.Empty(one.ClosedFiles);
        Assert.Equal(1, one.Unchanged);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FetchAsync(["bg"]));
        Assert.Contains("did you mean bgb, bgbeg", error.Message);
    }

    [Fact]
    public async Task After_a_dump_fails_the_later_dumps_wait_so_that_dumps_apply_in_order()
    {
        _source.Dumps = true;
        Publish("2026-01-01-full", "full");
        _source.Keys.Add("2026-01-02-daily"); // listed but not downloadable
        Publish("2026-01-03-daily", "daily 3");

        var report = await FetchAsync();

        Assert.Equal(["2026-01-01-full:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(["2026-01-02-daily", "2026-01-03-daily"], report.Failures.Select(f => f.Key));
        Assert.Contains("apply in order", report.Failures[1].Reason);

        Publish("2026-01-02-daily", "daily 2");
        var next = await FetchAsync();
        Assert.Equal(["2026-01-02-daily:Added", "2026-01-03-daily:Added"], next.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(1, next.Unchanged); // the full dump, applied before, is not asked for again
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A connector over a list of keys: each act is one text file at "&lt;key&gt;/act.txt", unpacked to "&lt;key&gt;/act.md".</summary>
    private sealed class ListedSource : ICorpusSource
    {
        public List<string> Keys { get; } = [];
        public bool Unreachable { get; set; }
        /// <summary>Items are dated dumps (applied once, in order) instead of acts.</summary>
        public bool Dumps { get; set; }
        public int Unpacked { get; private set; }
        public string Name => "test-source";

        public Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
        {
            if (Unreachable) throw new SourceUnavailableException("cannot reach law.example: connection refused");
            return Task.FromResult<IReadOnlyList<SourceItem>>(Keys.Select(k => new SourceItem(k, context.Settings.Resolve($"{k}/act.txt"), "Act " + k, IsAct: !Dumps, Immutable: Dumps)).ToList());
        }

        public async Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
        {
            Unpacked++;
            var text = await File.ReadAllTextAsync(downloadPath, Encoding.UTF8, cancellationToken);
            return UnpackedItem.Of([new UnpackedFile($"{item.Key}/act.md", Encoding.UTF8.GetBytes(text))]);
        }
    }
}
