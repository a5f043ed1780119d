using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.RateLimiting;
using LegalRag.Server.Security;
using LegalRag.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// The server-wide capacity (LegalRag:Limits:MaxConcurrentRequests, MaxQueuedRequests, QueueTimeoutMs): when every place is
/// taken and the queue is full, searches and answers get 503 with Retry-After at once, the queue never holds more than its
/// bound, probes still answer, and what waited is served once places free up.
/// </summary>
public sealed class CapacityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Limits(int places, int queue, int queueTimeoutMs) => new()
    {
        ["LegalRag:Limits:MaxConcurrentRequests"] = places.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LegalRag:Limits:MaxQueuedRequests"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LegalRag:Limits:QueueTimeoutMs"] = queueTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The per-caller bucket out of the way: this test is about the server-wide bound.
        ["LegalRag:Limits:RequestsPerSecond"] = "100000",
        ["LegalRag:Limits:Burst"] = "100000",
    };

    [Fact]
    public async Task A_saturated_server_refuses_searches_and_answers_fast_with_503_and_keeps_its_queue_bounded()
    {
        await using var host = await ServerHost.StartAsync(Ct, Limits(places: 2, queue: 3, queueTimeoutMs: 60_000));
        var capacity = host.App.Services.GetRequiredService<ServerCapacity>();
        using var reader = host.Client(ServerHost.ReaderKey);
        using var admin = host.Client(ServerHost.AdminKey);
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);

        // Every place taken (as long answers would), then the queue filled by real requests that wait.
        var held = new List<RateLimitLease>();
        for (var i = 0; i < 2; i++) held.Add(await capacity.AcquireAsync(Ct));
        Assert.All(held, l => Assert.True(l.IsAcquired));
        var waiting = Enumerable.Range(0, 3).Select(_ => reader.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).ToList();
        await WaitUntilAsync(() => capacity.Snapshot().Queued == 3);

        // A burst beyond the queue: every request refused at once, none queued.
        var clock = Stopwatch.StartNew();
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? reader.PostAsJsonAsync("/api/search", new { query = "Kündigung Mietvertrag" }, Ct)
            : reader.PostAsJsonAsync("/api/ask", new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct)));
        clock.Stop();
        Assert.All(burst, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(burst, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without Retry-After"));
        Assert.Contains("at capacity", await burst[0].Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the refused burst took {clock.Elapsed.TotalMilliseconds:F0} ms: refusals must not wait");
        Assert.Equal(3, capacity.Snapshot().Queued);

        // Refusal latency one at a time (the figure docs/reliability.md reports).
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var one = Stopwatch.StartNew();
            using var r = await reader.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct);
            one.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            times.Add(one.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine($"503: burst of 20 in {clock.Elapsed.TotalMilliseconds:F0} ms; sequential refusals p50 {times[times.Count / 2]:F2} ms, max {times[^1]:F2} ms");
        Assert.True(times[times.Count / 2] < 100, $"median 503 took {times[times.Count / 2]:F1} ms");

        // A hub question hears it as an error of that question; the session stays open.
        var error = await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct));
        Assert.Contains("at capacity", error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);

        // Probes and cheap reads take no place: they answer while the server is full.
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ready", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/provisions/fixture/mietg/s573", Ct)).StatusCode);

        // The operator sees it in the runtime figures.
        var runtime = JsonDocument.Parse(await admin.GetStringAsync("/api/runtime", Ct)).RootElement.GetProperty("capacity");
        Assert.Equal((2, 2, 3, 3), (runtime.GetProperty("limit").GetInt32(), runtime.GetProperty("inFlight").GetInt32(), runtime.GetProperty("queued").GetInt32(), runtime.GetProperty("queueLimit").GetInt32()));
        Assert.Equal(20 + 30 + 1, runtime.GetProperty("refused").GetInt64());

        // Places free: what waited is served, and new work is accepted again.
        foreach (var lease in held) lease.Dispose();
        var served = await Task.WhenAll(waiting);
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var items = await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
        Assert.Equal("done", items[^1].GetProperty("type").GetString());
        Assert.Equal((0, 0), (capacity.Snapshot().InFlight, capacity.Snapshot().Queued));
    }

    [Fact]
    public async Task A_request_that_waited_the_queue_timeout_gets_503_instead_of_waiting_longer()
    {
        await using var host = await ServerHost.StartAsync(Ct, Limits(places: 1, queue: 10, queueTimeoutMs: 300));
        var capacity = host.App.Services.GetRequiredService<ServerCapacity>();
        using var reader = host.Client(ServerHost.ReaderKey);
        using var held = await capacity.AcquireAsync(Ct);
        var clock = Stopwatch.StartNew();
        using var response = await reader.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct);
        clock.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 250, 5000);
        Assert.Equal(0, capacity.Snapshot().Queued);
    }

    [Fact]
    public async Task Without_configuration_the_server_allows_four_places_per_core_and_a_bounded_queue()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var snapshot = host.App.Services.GetRequiredService<ServerCapacity>().Snapshot();
        Assert.Equal((4 * Environment.ProcessorCount, 256), (snapshot.Limit, snapshot.QueueLimit));
    }

    [Theory]
    [InlineData("LegalRag:Limits:MaxConcurrentRequests", "-1")]
    [InlineData("LegalRag:Limits:MaxQueuedRequests", "-1")]
    [InlineData("LegalRag:Limits:QueueTimeoutMs", "0")]
    public async Task A_capacity_setting_out_of_range_stops_the_start_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { [key] = value })).DisposeAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(10, Ct);
        }
    }
}
