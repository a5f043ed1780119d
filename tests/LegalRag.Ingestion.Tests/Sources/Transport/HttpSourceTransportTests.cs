using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources.Transport;

/// <summary>The HTTP transport against a publisher's server on loopback (the replay server): no test touches the internet.</summary>
public sealed class HttpSourceTransportTests : IAsyncLifetime
{
    private const string ZipPath = "/bgb/xml.zip";
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Retries quickly and without the polite spacing, so tests that are not about timing stay fast.
    private static readonly SourceTransportOptions Quick = new() { RequestsPerHostInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(10) };

    private readonly TempDirectory _temp = new("transport");
    private ReplayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ReplayServer.StartAsync(Token);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private string Destination => Path.Combine(_temp.Path, "work", "bgb.zip");
    private Uri Url => new(_server.BaseUrl, ZipPath.TrimStart('/'));

    private static byte[] RandomBody(int length, int seed) => new Random(seed).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), length);

    [Fact]
    public async Task A_first_download_writes_the_file_and_a_second_with_its_ETag_gets_304_and_leaves_the_file_alone()
    {
        var body = RandomBody(10_000, 1);
        _server.Serve(ZipPath, body);
        using var transport = new HttpSourceTransport(Quick);

        var first = await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);
        Assert.False(first.NotModified);
        Assert.Equal(_server.ETagOf(ZipPath), first.ETag);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), first.LastModified);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), first.Sha256);
        Assert.Equal(body.Length, first.Bytes);
        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
        Assert.False(File.Exists(Destination + ".partial"));

        var writtenAt = File.GetLastWriteTimeUtc(Destination);
        var second = await transport.DownloadAsync(new DownloadRequest(Url, Destination, first.ETag), Token);
        Assert.True(second.NotModified);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Null(second.Sha256);
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(Destination));

        var requests = _server.Requests;
        Assert.Equal([200, 304], requests.Select(r => r.Status));
        Assert.Null(requests[0].IfNoneMatch);
        Assert.Equal(first.ETag, requests[1].IfNoneMatch);
        Assert.All(requests, r => Assert.StartsWith("LegalRag/", r.UserAgent));
    }

    [Fact]
    public async Task Without_an_ETag_the_Last_Modified_date_is_sent_as_If_Modified_Since()
    {
        var modified = new DateTimeOffset(2025, 7, 14, 9, 30, 0, TimeSpan.Zero);
        _server.Serve(ZipPath, RandomBody(1000, 2), lastModified: modified);
        using var transport = new HttpSourceTransport(Quick);

        var current = await transport.DownloadAsync(new DownloadRequest(Url, Destination, LastModified: modified), Token);
        var older = await transport.DownloadAsync(new DownloadRequest(Url, Destination, LastModified: modified.AddDays(-1)), Token);

        Assert.True(current.NotModified);
        Assert.Equal(modified, current.LastModified);
        Assert.False(older.NotModified);
        Assert.Equal(modified, older.LastModified);
        var requests = _server.Requests;
        Assert.Equal([304, 200], requests.Select(r => r.Status));
        Assert.Equal(modified, DateTimeOffset.Parse(requests[0].IfModifiedSince!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(requests, r => Assert.Null(r.IfNoneMatch));
    }

    [Fact]
    public async Task A_500_followed_by_success_is_retried()
    {
        var body = RandomBody(5000, 3);
        _server.Serve(ZipPath, body).Fail(ZipPath, 500, times: 1);
        using var transport = new HttpSourceTransport(Quick);

        var result = await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);

        Assert.False(result.NotModified);
        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
        Assert.Equal([500, 200], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_persistent_500_is_unavailable_after_the_allowed_attempts_and_leaves_the_destination_alone()
    {
        _server.Serve(ZipPath, RandomBody(5000, 4)).Fail(ZipPath, 500);
        _temp.File("work/bgb.zip", "the previous download");
        using var transport = new HttpSourceTransport(Quick with { MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));

        Assert.Contains(Url.ToString(), error.Message);
        Assert.Contains("HTTP 500", error.Message);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal("the previous download", await File.ReadAllTextAsync(Destination, Token));
        Assert.False(File.Exists(Destination + ".partial"));
    }

    [Fact]
    public async Task A_404_is_unavailable_at_once_without_retries()
    {
        using var transport = new HttpSourceTransport(Quick);

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));

        Assert.Contains("HTTP 404", error.Message);
        Assert.Single(_server.Requests);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task A_body_cut_off_keeps_the_partial_download_and_the_next_call_resumes_it_with_Range_and_If_Range()
    {
        var body = RandomBody(100_000, 5);
        _server.Serve(ZipPath, body).Truncate(ZipPath, 40_000);
        using var transport = new HttpSourceTransport(Quick with { MaxAttempts = 1 });

        var error = await Assert.ThrowsAsync<SourceContentException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));
        Assert.Contains("40000 of 100000 bytes", error.Message);
        Assert.Contains(Destination + ".partial", error.Message);
        Assert.False(File.Exists(Destination));
        Assert.Equal(body[..40_000], await File.ReadAllBytesAsync(Destination + ".partial", Token));

        var progress = new List<long>();
        var result = await transport.DownloadAsync(new DownloadRequest(Url, Destination, Progress: new SynchronousProgress(progress)), Token);

        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), result.Sha256);
        Assert.Equal(body.Length, result.Bytes);
        Assert.False(File.Exists(Destination + ".partial"));
        var resumed = _server.Requests[^1];
        Assert.Equal("bytes=40000-", resumed.Range);
        Assert.Equal(_server.ETagOf(ZipPath), resumed.IfRange);
        Assert.Equal(206, resumed.Status);
        Assert.Equal(40_000, progress[0]);
        Assert.Equal(body.Length, progress[^1]);
    }

    [Fact]
    public async Task A_body_cut_off_is_resumed_within_the_same_call_while_attempts_remain()
    {
        var body = RandomBody(100_000, 6);
        _server.Serve(ZipPath, body).Truncate(ZipPath, 30_000);
        using var transport = new HttpSourceTransport(Quick);

        await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);

        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
        Assert.Equal([(200, null), (206, "bytes=30000-")], _server.Requests.Select(r => (r.Status, r.Range)));
    }

    [Fact]
    public async Task A_resource_changed_since_the_partial_download_is_fetched_again_from_the_start()
    {
        var old = RandomBody(50_000, 7);
        var changed = RandomBody(60_000, 8);
        _server.Serve(ZipPath, old).Truncate(ZipPath, 20_000);
        using var transport = new HttpSourceTransport(Quick with { MaxAttempts = 1 });
        await Assert.ThrowsAsync<SourceContentException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));
        var oldETag = _server.ETagOf(ZipPath);

        _server.Serve(ZipPath, changed);
        var result = await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);

        Assert.Equal(changed, await File.ReadAllBytesAsync(Destination, Token));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(changed)), result.Sha256);
        var retry = _server.Requests[^1];
        Assert.Equal("bytes=20000-", retry.Range);
        Assert.Equal(oldETag, retry.IfRange);
        Assert.Equal(200, retry.Status);
    }

    [Fact]
    public async Task A_checksum_mismatch_discards_the_download_and_leaves_the_destination_alone()
    {
        var body = RandomBody(5000, 9);
        _server.Serve(ZipPath, body);
        _temp.File("work/bgb.zip", "the previous download");
        using var transport = new HttpSourceTransport(Quick);
        var wrong = new string('0', 64);

        var error = await Assert.ThrowsAsync<SourceContentException>(() =>
            transport.DownloadAsync(new DownloadRequest(Url, Destination, ExpectedSha256: wrong), Token));

        Assert.Contains(wrong, error.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(body)), error.Message);
        Assert.Equal("the previous download", await File.ReadAllTextAsync(Destination, Token));
        Assert.False(File.Exists(Destination + ".partial"));

        var right = Convert.ToHexString(SHA256.HashData(body)); // upper case: publishers write either
        await transport.DownloadAsync(new DownloadRequest(Url, Destination, ExpectedSha256: right), Token);
        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
    }

    [Fact]
    public async Task Requests_to_one_host_are_spaced_by_the_polite_interval()
    {
        _server.Serve("/warm-up.xml", "<w/>").Serve("/a.xml", "<a/>").Serve("/b.xml", "<b/>").Serve("/c.xml", "<c/>");
        var interval = TimeSpan.FromMilliseconds(400);
        using var transport = new HttpSourceTransport(Quick with { RequestsPerHostInterval = interval });
        // The server stamps a request when its handler runs; a cold server's first request runs late and would bunch
        // the stamps. It counts for the limit all the same: the next request waits for the interval after it.
        await transport.DownloadAsync(new DownloadRequest(new Uri(_server.BaseUrl, "warm-up.xml"), Path.Combine(_temp.Path, "warm-up.xml")), Token);

        // Concurrent downloads too: each takes the next free slot.
        await Task.WhenAll(new[] { "a.xml", "b.xml", "c.xml" }.Select(name =>
            transport.DownloadAsync(new DownloadRequest(new Uri(_server.BaseUrl, name), Path.Combine(_temp.Path, name)), Token)));

        var arrivals = _server.Requests.Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(4, arrivals.Count);
        // A generous margin for timer and scheduling jitter under load; without the limit the gaps are a few milliseconds.
        Assert.All(arrivals.Zip(arrivals.Skip(1), (a, b) => b - a), gap => Assert.True(gap >= interval - TimeSpan.FromMilliseconds(150), $"gap {gap.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task Retry_After_on_a_503_is_honoured()
    {
        var body = RandomBody(2000, 10);
        _server.Serve(ZipPath, body).Fail(ZipPath, 503, times: 1, retryAfter: TimeSpan.FromSeconds(1));
        using var transport = new HttpSourceTransport(Quick);

        await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);

        var requests = _server.Requests;
        Assert.Equal([503, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), $"waited {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_longest_wait_allowed_is_reported_at_once()
    {
        _server.Serve(ZipPath, "x").Fail(ZipPath, 429, retryAfter: TimeSpan.FromMinutes(10));
        using var transport = new HttpSourceTransport(Quick with { MaxRetryAfter = TimeSpan.FromSeconds(30) });

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));

        Assert.Contains("HTTP 429", error.Message);
        Assert.Contains("retry after 600 s", error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable_quickly_and_changes_nothing()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _temp.File("work/bgb.zip", "the previous download");
        // The default options: the point is that the defaults do not retry a dead host for long.
        using var transport = new HttpSourceTransport();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() =>
            transport.DownloadAsync(new DownloadRequest(new Uri($"http://127.0.0.1:{port}/bgb/xml.zip"), Destination), Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.StartsWith("cannot reach 127.0.0.1: ", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cannot reach", error.Message);
        Assert.Equal("the previous download", await File.ReadAllTextAsync(Destination, Token));
        Assert.False(File.Exists(Destination + ".partial"));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_unavailable_after_the_attempts()
    {
        _server.Serve(ZipPath, "x").Delay(ZipPath, TimeSpan.FromSeconds(30));
        using var transport = new HttpSourceTransport(Quick with { Timeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), Token));

        Assert.Contains("no answer within 0.3 s", error.Message);
        Assert.Contains("after 2 attempts", error.Message);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task Cancellation_stops_a_download_at_once_and_leaves_the_destination_alone()
    {
        _server.Serve(ZipPath, "x").Delay(ZipPath, TimeSpan.FromSeconds(30));
        using var transport = new HttpSourceTransport(Quick);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.DownloadAsync(new DownloadRequest(Url, Destination), cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task An_explicit_proxy_receives_the_requests()
    {
        // The replay server stands in for the proxy: it gets the absolute URL and answers for the path.
        var body = RandomBody(3000, 11);
        _server.Serve(ZipPath, body);
        using var transport = new HttpSourceTransport(Quick with { Proxy = _server.BaseUrl });

        await transport.DownloadAsync(new DownloadRequest(new Uri("http://publisher.invalid/bgb/xml.zip"), Destination), Token);

        Assert.Equal(body, await File.ReadAllBytesAsync(Destination, Token));
        Assert.Equal(ZipPath, Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HttpSourceTransport(new SourceTransportOptions { MaxAttempts = 0 }));
        Assert.Equal(nameof(SourceTransportOptions.MaxAttempts), error.ParamName);
        Assert.Throws<ArgumentException>(() => new HttpSourceTransport(new SourceTransportOptions { Proxy = new Uri("ftp://proxy/") }));
    }

    [Fact]
    public async Task A_50_MB_body_is_streamed_to_disk_without_being_held_in_memory()
    {
        const int size = 50 * 1024 * 1024;
        var body = new byte[size];
        new Random(12).NextBytes(body);
        _server.Serve(ZipPath, body);
        using var transport = new HttpSourceTransport(Quick);
        await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token); // warm-up: JIT, connection pool

        var seconds = new List<double>();
        long peakGrowth = 0, allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var run = 0; run < 5; run++)
        {
            File.Delete(Destination);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            process.Refresh();
            var baseline = process.WorkingSet64;
            var peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    await Task.Delay(5, CancellationToken.None);
                }
            }, CancellationToken.None);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var result = await transport.DownloadAsync(new DownloadRequest(Url, Destination), Token);
            clock.Stop();
            allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            await sampling.CancelAsync();
            await sampler;
            Assert.Equal(size, result.Bytes);
            seconds.Add(clock.Elapsed.TotalSeconds);
            peakGrowth = Math.Max(peakGrowth, peak - baseline);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Destination, Token))));
        var median = seconds.Order().ElementAt(seconds.Count / 2);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"50 MB over loopback: median {median * 1000:0} ms = {size / median / (1024 * 1024):0} MB/s (runs: {string.Join(", ", seconds.Select(s => $"{s * 1000:0}"))} ms); " +
            $"peak working-set growth {peakGrowth / (1024.0 * 1024):0.0} MB; managed allocation per download (client and server) at most {allocated / (1024.0 * 1024):0.0} MB");
        // Holding the body would grow the working set by its 50 MB (more with a growing buffer); streaming keeps it to buffers.
        Assert.True(peakGrowth < 25L * 1024 * 1024, $"working set grew by {peakGrowth / (1024 * 1024)} MB while downloading 50 MB");
    }

    /// <summary>Records reports as they happen (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
