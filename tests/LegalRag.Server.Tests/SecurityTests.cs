using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LegalRag.Server.Security;
using LegalRag.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>Rate and size limits, security headers on every kind of response, refusals in the audit log, no key in any log.</summary>
public sealed class SecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_beyond_the_callers_bucket_gets_fast_429s_with_retry_after_and_other_callers_are_unaffected()
    {
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?>
        {
            ["LegalRag:Limits:RequestsPerSecond"] = "1",
            ["LegalRag:Limits:Burst"] = "5",
        });
        using var reader = host.Client(ServerHost.ReaderKey);
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => reader.GetAsync("/api/me", Ct)));
        clock.Stop();
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        // 5 from the bucket, perhaps one or two refilled while the burst ran; the rest refused, none queued.
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 5, 8);
        Assert.Equal(30, responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without Retry-After"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the burst took {clock.Elapsed.TotalMilliseconds:F0} ms: refusals must not wait");
        Assert.Contains("rate limit exceeded", await refused[0].Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Refusal latency, one at a time on an empty bucket: the figure docs/reliability.md reports.
        var times = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var one = Stopwatch.StartNew();
            using var r = await reader.GetAsync("/api/me", Ct);
            one.Stop();
            if (r.StatusCode == HttpStatusCode.TooManyRequests) times.Add(one.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine($"429: burst of 30 in {clock.Elapsed.TotalMilliseconds:F0} ms; sequential refusals n={times.Count} p50 {times[times.Count / 2]:F2} ms, max {times[^1]:F2} ms");
        Assert.True(times[times.Count / 2] < 100, $"median 429 took {times[times.Count / 2]:F1} ms");

        // Buckets are per caller: the evaluator still gets through while the reader is refused.
        using var evaluator = host.Client(ServerHost.EvaluatorKey);
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync("/api/me", Ct)).StatusCode);

        // Hub invocations draw on the same bucket.
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.EvaluatorKey, Ct);
        var errors = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            try { await hub.InvokeAsync("Reset", Ct); }
            catch (HubException ex) { errors.Add(ex.Message); }
        }
        Assert.Contains(errors, e => e.Contains("rate limit exceeded", StringComparison.Ordinal));

        var audit = await host.AuditLinesAsync(atLeast: refused.Count + times.Count + 1, Ct);
        Assert.Equal(refused.Count + times.Count, audit.Count(a => a.GetProperty("status").GetInt32() == 429 && a.GetProperty("user").GetString() == "alice" && a.GetProperty("path").GetString() == "/api/me"));
        Assert.Contains(audit, a => a.GetProperty("status").GetInt32() == 429 && a.GetProperty("user").GetString() == "eve" && a.GetProperty("transport").GetString() == "hub");
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_an_oversized_hub_message_closes_the_connection()
    {
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?>
        {
            ["LegalRag:Limits:MaxRequestBodyBytes"] = "65536",
            ["LegalRag:Limits:MaxHubMessageBytes"] = "8192",
        });
        using var reader = host.Client(ServerHost.ReaderKey);
        using var large = new StringContent(JsonSerializer.Serialize(new { query = new string('a', 200_000) }), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await reader.PostAsync("/api/search", large, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).StatusCode);

        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await Assert.ThrowsAnyAsync<Exception>(() => hub.AskAsync(new { question = new string('a', 20_000) }, Ct));
        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        Assert.NotNull(reason);

        var audit = await host.AuditLinesAsync(atLeast: 1, Ct);
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "denied" && a.GetProperty("status").GetInt32() == 413 && a.GetProperty("user").GetString() == "alice");
    }

    [Theory]
    [InlineData("LegalRag:Limits:Burst", "0")]
    [InlineData("LegalRag:Limits:RequestsPerSecond", "-5")]
    [InlineData("LegalRag:Limits:MaxRequestBodyBytes", "10")]
    [InlineData("LegalRag:Limits:MaxHubMessageBytes", "999999999")]
    public async Task A_limit_out_of_range_stops_the_start_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { [key] = value })).DisposeAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers()
    {
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Limits:RequestsPerSecond"] = "1", ["LegalRag:Limits:Burst"] = "8" });
        using var anonymous = host.Client(null);
        using var reader = host.Client(ServerHost.ReaderKey);
        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("page", await anonymous.GetAsync("/", Ct)),
            ("script", await anonymous.GetAsync("/app.js", Ct)),
            ("health", await anonymous.GetAsync("/health", Ct)),
            ("401", await anonymous.GetAsync("/api/me", Ct)),
            ("403", await reader.GetAsync("/api/audit", Ct)),
            ("404", await reader.GetAsync("/api/provisions/none/such", Ct)),
            ("api", await reader.GetAsync("/api/me", Ct)),
        };
        HttpResponseMessage limited;
        do limited = await reader.GetAsync("/api/me", Ct); while (limited.StatusCode != HttpStatusCode.TooManyRequests);
        responses.Add(("429", limited));
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            responses.Select(r => r.Response.StatusCode));
        foreach (var (what, response) in responses)
        {
            string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
            Assert.True(Header("Content-Security-Policy") == SecurityHeaders.ContentSecurityPolicy, $"{what}: CSP '{Header("Content-Security-Policy")}'");
            Assert.Equal(("nosniff", "DENY", "no-referrer"), (Header("X-Content-Type-Options"), Header("X-Frame-Options"), Header("Referrer-Policy")));
            Assert.Equal(SecurityHeaders.PermissionsPolicy, Header("Permissions-Policy"));
        }
        var csp = SecurityHeaders.ContentSecurityPolicy;
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        // The page has no inline script or style for the CSP to block.
        var page = await anonymous.GetStringAsync("/", Ct);
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", page);
    }

    [Fact]
    public async Task Refusals_are_appended_to_the_audit_log_with_who_what_and_when()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        const string earlier = "{\"time\":\"2026-01-01T00:00:00+00:00\",\"action\":\"search\",\"user\":\"earlier\",\"role\":\"reader\"}";
        await using var host = await ServerHost.StartAsync(Ct, prepare: corpus =>
        {
            // A log from an earlier run: the server only ever appends to it.
            var path = Path.Combine(corpus.Directory.Path, "audit", "audit.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, earlier + "\n");
            return Task.CompletedTask;
        });
        using var anonymous = host.Client(null);
        using var wrong = host.Client("wrong-key-0123456789abcdef");
        using var reader = host.Client(ServerHost.ReaderKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/corpora?x=1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/search", new { query = "Kaufvertrag", corpus = "intern" }, Ct)).StatusCode);
        await using (var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct))
            await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = "Kaufvertrag", corpus = "intern" }, Ct));

        var audit = await host.AuditLinesAsync(atLeast: 6, Ct);
        Assert.Equal("earlier", audit[0].GetProperty("user").GetString());
        var denied = audit.Where(a => a.GetProperty("action").GetString() == "denied")
            .Select(a => (User: a.GetProperty("user").GetString(), Status: a.GetProperty("status").GetInt32(), Path: a.GetProperty("path").GetString(), Time: a.GetProperty("time").GetDateTimeOffset()))
            .ToList();
        Assert.Equal(
            [("anonymous", 401, "/api/search"), ("anonymous", 401, "/api/corpora"), ("alice", 403, "/api/audit"), ("alice", 403, "/api/search"), ("alice", 403, "/hubs/chat/Ask")],
            denied.Select(d => (d.User, d.Status, d.Path)));
        Assert.All(denied, d => Assert.InRange(d.Time, before, DateTimeOffset.UtcNow));

        await host.App.StopAsync(Ct);
        var lines = File.ReadAllLines(host.AuditPath);
        Assert.Equal(earlier, lines[0]);
        Assert.Equal(audit.Count, lines.Length);
    }

    [Fact]
    public async Task No_configured_key_appears_in_the_servers_logs_or_audit_log()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?>
        {
            // Everything, at every level: an operator turning logging up must not turn secrets out.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        }, logs: logs);
        foreach (var key in new[] { ServerHost.ReaderKey, ServerHost.EvaluatorKey, ServerHost.AdminKey })
        {
            using var http = host.Client(key);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).StatusCode);
            await http.GetAsync("/api/audit", Ct);
            // The key where a browser puts it: the hub's query string.
            using var viaQuery = host.Client(null);
            await viaQuery.PostAsync($"/hubs/chat/negotiate?negotiateVersion=1&access_token={key}", null, Ct);
            await using var hub = await HubConnections.ConnectAsync(host.Address, key, Ct);
            await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
            // A key that is almost right is a secret too.
            using var wrong = host.Client(key + "x");
            await wrong.GetAsync("/api/me", Ct);
        }
        await host.App.StopAsync(Ct);
        var logged = logs.Text();
        Assert.Contains("Microsoft.AspNetCore", logged); // Trace logging did reach the capture
        var audit = File.ReadAllText(host.AuditPath);
        Assert.Contains("\"action\":\"search\"", audit);
        foreach (var key in new[] { ServerHost.ReaderKey, ServerHost.EvaluatorKey, ServerHost.AdminKey })
        {
            Assert.DoesNotContain(key, logged);
            Assert.DoesNotContain(key, audit);
            Assert.DoesNotContain(key, host.Announced.ToString());
        }
    }

    /// <summary>Every message of every category and level, with its exception, as text.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public string Text() => string.Join("\n", _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {(state is IEnumerable<KeyValuePair<string, object?>> values ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}")) : "")}");
        }
    }
}
