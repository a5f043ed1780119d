using System.Diagnostics;
using Grpc.Core;
using LegalRag.Storage.Qdrant;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// Qdrant unreachable or slow, seen through a fault-injecting TCP proxy on loopback: the store retries a
/// bounded number of times with backoff, then fails with a <see cref="QdrantException"/> that says what
/// to check; when the dependency answers again, the same store works again without a restart. Upstream is
/// a fake gRPC endpoint that answers the health check and collection listing (no Qdrant server here); calls that need real
/// collections are covered by the conformance tests, which skip without one.
/// </summary>
public sealed class QdrantOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QdrantOptions Options(int port, int maxRetries, TimeSpan timeout) => new()
    {
        Url = $"http://127.0.0.1:{port}", DenseSize = 4, MaxRetries = maxRetries, RetryBaseDelay = TimeSpan.FromMilliseconds(100), Timeout = timeout,
    };

    [Fact]
    public async Task Refused_connections_fail_clearly_within_the_deadline_after_the_retries_and_the_store_recovers()
    {
        await using var upstream = await FakeQdrantGrpcServer.StartAsync(Ct);
        await using var proxy = new TcpFaultProxy(upstream.Port);
        var options = Options(proxy.Port, maxRetries: 3, timeout: TimeSpan.FromSeconds(20));
        using var store = QdrantStore.Create(options);

        Assert.Empty(await store.ValidateAsync(Ct));
        Assert.Equal(1, upstream.Calls);

        proxy.Inject(ProxyFault.Refuse);
        var before = proxy.Accepted;
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<QdrantException>(() => store.ValidateAsync(Ct));
        clock.Stop();
        var connections = proxy.Accepted - before;
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("Qdrant unavailable: list collections failed (3 retries)", ex.Message);
        Assert.Contains($"Check that Qdrant's gRPC port answers at {options.Url}", ex.Message);
        // Bounded in time. (The call attempts themselves are counted exactly in QdrantConnectionTests; TCP
        // connections are not attempts: the channel reconnects on its own schedule and fails calls fast between.)
        Assert.True(connections >= 1, "the client never tried to connect");
        Assert.True(clock.Elapsed < options.Timeout, $"gave up after {clock.Elapsed}");

        // Qdrant back: the same store answers again once the channel reconnects (its backoff is capped at 10 s).
        proxy.Inject(ProxyFault.None);
        var back = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.Empty(await store.ValidateAsync(Ct));
                break;
            }
            catch (QdrantException again) when (again.IsTransient && back.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100, Ct);
            }
        }
        Assert.Equal(2, upstream.Calls);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"refused: failed after {clock.ElapsedMilliseconds} ms and {connections} TCP connections; answered again {back.ElapsedMilliseconds} ms after Qdrant returned");
    }

    [Fact]
    public async Task A_hung_qdrant_fails_at_the_configured_deadline_with_a_clear_message_and_a_slow_one_still_answers()
    {
        await using var upstream = await FakeQdrantGrpcServer.StartAsync(Ct);
        await using var proxy = new TcpFaultProxy(upstream.Port);
        var options = Options(proxy.Port, maxRetries: 2, timeout: TimeSpan.FromSeconds(1.5));
        using var store = QdrantStore.Create(options);

        proxy.Inject(ProxyFault.Blackhole);
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<QdrantException>(() => store.ValidateAsync(Ct));
        clock.Stop();
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal("Qdrant did not answer list collections within 1.5 s (LegalRag:Qdrant:Timeout).", ex.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));
        Assert.Equal(0, upstream.Calls);

        // Slow but within the deadline: answered. A fresh client, so the hung client's reconnect backoff (tested in the
        // recovery test) is not timed here, and a deadline that leaves the delayed HTTP/2 handshake room on a loaded machine.
        proxy.Inject(ProxyFault.Delay, TimeSpan.FromMilliseconds(100));
        using var slowStore = QdrantStore.Create(Options(proxy.Port, maxRetries: 2, timeout: TimeSpan.FromSeconds(10)));
        Assert.Empty(await slowStore.ValidateAsync(Ct));
        Assert.Equal(1, upstream.Calls);
    }

    [Fact]
    public async Task Nothing_listening_at_all_fails_the_same_bounded_way()
    {
        await using var proxy = new TcpFaultProxy(TcpFaultProxy.ClosedPort());
        var options = Options(proxy.Port, maxRetries: 2, timeout: TimeSpan.FromSeconds(20));
        using var store = QdrantStore.Create(options);
        var ex = await Assert.ThrowsAsync<QdrantException>(() => store.ValidateAsync(Ct));
        // Unavailable, whether the reset came before the call (connect) or during it (seen by gRPC as Internal).
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.StartsWith("Qdrant unavailable: list collections failed (2 retries)", ex.Message);
        Assert.True(proxy.Accepted >= 1, "the client never tried to connect");
    }

    [Fact]
    public void Retry_options_are_bounded_and_validated()
    {
        var errors = new QdrantOptions { Url = "http://127.0.0.1:6334", DenseSize = 4, MaxRetries = 11, RetryBaseDelay = TimeSpan.Zero, Timeout = TimeSpan.FromMinutes(11) }.GetValidationErrors();
        Assert.Contains(errors, e => e.Contains(nameof(QdrantOptions.MaxRetries), StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("RetryBaseDelay 00:00:00 must be positive", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Timeout 00:11:00 must be positive and at most 10 minutes", StringComparison.Ordinal));

        // Reconnecting after an outage starts at the retry delay and never waits longer than 10 s (gRPC's own default is 120 s).
        var channel = QdrantConnection.ChannelOptions(new QdrantOptions { Url = "http://127.0.0.1:6334", DenseSize = 4, RetryBaseDelay = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(TimeSpan.FromMilliseconds(300), channel.InitialReconnectBackoff);
        Assert.Equal(TimeSpan.FromSeconds(10), channel.MaxReconnectBackoff);
    }
}
