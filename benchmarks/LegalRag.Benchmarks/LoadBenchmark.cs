using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace LegalRag.Benchmarks;

/// <summary>
/// The load tool: N hub sessions (each asking, reading the answer, thinking, asking again) and M REST search workers
/// (back to back) against one server on loopback for a fixed time. The server runs as its own process (`legalrag serve`,
/// extractive, its per-caller rate limit raised for the run) or is a running one (--url). Reports throughput,
/// p50/p95/p99 of first token, full answer and REST latency, errors by kind, and the server's memory over time with its
/// growth over the second half; checks targets when asked (--expect-*), exiting 1 when one is missed.
/// </summary>
public static class LoadBenchmark
{
    public const string Usage =
        "load [--sessions 50] [--think-ms 2000] [--rest-workers 0] [--duration-s 60] [--warmup-s 10] [--corpus NAME] [--questions FILE.jsonl]\n" +
        "       (--data DIR [--server-dll legalrag.dll] [--set Key=Value]... | --url URL --key KEY [--admin-key KEY] [--pid PID])\n" +
        "       [--sample-s 2] [--timeout-ms 30000] [--k 10] [--label NAME] [--json FILE]\n" +
        "       [--expect-zero-errors] [--expect-full-p95-ms N] [--expect-ttft-p95-ms N] [--expect-rest-rps N] [--expect-rest-p95-ms N] [--expect-no-growth]";

    /// <summary>Steady state holds when the fitted growth over the second half stays within this share of the mean, or this many MB.</summary>
    public const double GrowthTolerance = 0.02;
    public const double GrowthToleranceMb = 8;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        LoadOptions options;
        IReadOnlyList<string> questions;
        try
        {
            options = LoadOptions.Parse(args);
            questions = LoadQuestions(options.QuestionsPath);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("load: " + ex.Message);
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        ServerProcess? server = null;
        var audit = Path.Combine(Path.GetTempPath(), $"legalrag-load-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            Uri address;
            string key;
            string? adminKey;
            int? pid;
            if (options.Url is null)
            {
                key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                adminKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                var settings = new Dictionary<string, string>
                {
                    ["LegalRag:Auth:Keys:0:Key"] = key, ["LegalRag:Auth:Keys:0:Role"] = "reader", ["LegalRag:Auth:Keys:0:Name"] = "load",
                    ["LegalRag:Auth:Keys:1:Key"] = adminKey, ["LegalRag:Auth:Keys:1:Role"] = "admin", ["LegalRag:Auth:Keys:1:Name"] = "load-sampler",
                    ["LegalRag:AuditLogPath"] = audit,
                    // Every session shares one key: the per-caller bucket is raised for the run (not removed), or it would measure itself.
                    ["LegalRag:Limits:RequestsPerSecond"] = "1000000", ["LegalRag:Limits:Burst"] = "1000000",
                    ["Logging:LogLevel:Default"] = "Warning",
                };
                foreach (var (k, v) in options.Settings) settings[k] = v;
                Console.Error.WriteLine($"load: starting the server ({options.ServerDll}) over {options.DataDirectory} …");
                server = await ServerProcess.StartAsync(options.ServerDll, options.DataDirectory!, settings, TimeSpan.FromMinutes(5), cancellationToken);
                address = server.Address;
                pid = server.ProcessId;
            }
            else
            {
                address = options.Url;
                key = options.Key!;
                adminKey = options.AdminKey;
                pid = options.Pid;
            }

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, options.RestWorkers), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
            using var rest = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs) };
            rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var admin = adminKey is null ? null : ServerSampler.AdminClient(address, adminKey);

            var me = JsonDocument.Parse(await rest.GetStringAsync("/api/me", cancellationToken)).RootElement;
            var answerMode = me.GetProperty("answerMode").GetString();
            if (answerMode != "extractive") Console.Error.WriteLine($"load: warning: the server answers in mode '{answerMode}', not extractive (LegalRag:Llm:Endpoint is set)");
            if (pid is null && admin is not null)
                pid = JsonDocument.Parse(await admin.GetStringAsync("/api/runtime", cancellationToken)).RootElement.GetProperty("processId").GetInt32();
            var sampler = new ServerSampler(pid, admin);

            await WarmUpAsync(address, key, rest, questions, options, cancellationToken);

            var result = await MeasureAsync(address, key, rest, questions, options, sampler, cancellationToken);
            var report = Report(options, result, sampler, address, answerMode);
            if (options.JsonPath is not null)
                await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }), cancellationToken);
            return report.TargetsMissed.Count == 0 ? 0 : 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException or HttpRequestException)
        {
            Console.Error.WriteLine("load: " + ex.Message);
            return 2;
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            File.Delete(audit);
        }
    }

    /// <summary>Questions, one per line of a JSON-lines question set ("question" field, as in evals/everyday); else the chat benchmark's own.</summary>
    private static IReadOnlyList<string> LoadQuestions(string? path)
    {
        if (path is null) return ChatBenchmark.Questions;
        if (!File.Exists(path)) throw new ArgumentException($"{path}: no such question file");
        var list = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("question", out var q) && q.GetString() is { Length: > 0 } text) list.Add(text);
                else throw new ArgumentException($"{path}:{lineNumber}: no \"question\" field");
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"{path}:{lineNumber}: not JSON ({ex.Message})");
            }
        }
        if (list.Count == 0) throw new ArgumentException($"{path}: no questions");
        return list;
    }

    /// <summary>JIT, SQLite's page cache and connection pools: every question once over each transport the run uses, within the warm-up time.</summary>
    private static async Task WarmUpAsync(Uri address, string key, HttpClient rest, IReadOnlyList<string> questions, LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.WarmupSeconds <= 0) return;
        var until = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(options.WarmupSeconds);
        await using var session = await HubSession.ConnectAsync(address, key, cancellationToken);
        for (var i = 0; i < questions.Count && until.Elapsed < limit; i++)
        {
            if (options.Sessions > 0) await session.AskAsync(questions[i], options.Corpus, cancellationToken);
            if (options.RestWorkers > 0) (await rest.PostAsJsonAsync("/api/search", SearchBody(questions[i], options), cancellationToken)).Dispose();
        }
        Console.Error.WriteLine($"load: warmed up in {until.Elapsed.TotalSeconds:F1} s");
    }

    private static object SearchBody(string query, LoadOptions options) => new { query, corpus = options.Corpus, k = options.K };

    private sealed class Measured
    {
        public readonly List<double> FirstToken = [];
        public readonly List<double> FullAnswer = [];
        public readonly List<double> Rest = [];
        public readonly ConcurrentDictionary<string, int> Errors = new(StringComparer.Ordinal);
        public double Seconds;
        public double ClientCpuPercent;
        public string LoadBefore = "";
        public string LoadAfter = "";

        public void Error(string kind) => Errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    private static async Task<Measured> MeasureAsync(Uri address, string key, HttpClient rest, IReadOnlyList<string> questions, LoadOptions options, ServerSampler sampler, CancellationToken cancellationToken)
    {
        var measured = new Measured { LoadBefore = LoadAverage() };
        var sessions = new HubSession?[options.Sessions];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Sessions), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                sessions[i] = await HubSession.ConnectAsync(address, key, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
            {
                measured.Error("hub: connect failed: " + ex.GetType().Name);
            }
        });
        Console.Error.WriteLine($"load: {sessions.Count(s => s is not null)} hub sessions connected; running {options.DurationSeconds} s …");

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var sampling = sampler.RunAsync(TimeSpan.FromSeconds(options.SampleSeconds), clock, stopSampling.Token);
        var deadline = TimeSpan.FromSeconds(options.DurationSeconds);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;

        var workers = new List<Task>();
        for (var i = 0; i < sessions.Length; i++)
        {
            var index = i;
            if (sessions[index] is { } session) workers.Add(Task.Run(() => SessionLoopAsync(session, index, questions, options, clock, deadline, measured, cancellationToken), cancellationToken));
        }
        for (var j = 0; j < options.RestWorkers; j++)
        {
            var worker = j;
            workers.Add(Task.Run(() => RestLoopAsync(rest, worker, questions, options, clock, deadline, measured, cancellationToken), cancellationToken));
        }
        await Task.WhenAll(workers);
        measured.Seconds = clock.Elapsed.TotalSeconds;
        measured.ClientCpuPercent = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds / measured.Seconds * 100;
        measured.LoadAfter = LoadAverage();
        await stopSampling.CancelAsync();
        await sampling;
        foreach (var s in sessions) if (s is not null) await s.DisposeAsync();
        return measured;
    }

    /// <summary>One person: waits a moment (sessions do not all press Enter together), then asks, reads, thinks ±50 %, asks again.</summary>
    private static async Task SessionLoopAsync(HubSession session, int index, IReadOnlyList<string> questions, LoadOptions options, Stopwatch clock, TimeSpan deadline, Measured measured, CancellationToken cancellationToken)
    {
        var random = new Random(index);
        if (options.ThinkMs > 0 && !await ThinkAsync(random.Next(options.ThinkMs), clock, deadline, cancellationToken)) return;
        for (var n = 0; clock.Elapsed < deadline; n++)
        {
            // Sessions walk the question list from spread-out starting points, so the server sees many different questions at once.
            var question = questions[(index * 37 + n) % questions.Count];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.TimeoutMs);
            try
            {
                var timing = await session.AskAsync(question, options.Corpus, timeout.Token);
                lock (measured) { measured.FirstToken.Add(timing.FirstTokenMs); measured.FullAnswer.Add(timing.TotalMs); }
            }
            catch (HubException ex)
            {
                measured.Error("hub: " + HubErrorKind(ex.Message));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                measured.Error($"hub: no answer within {options.TimeoutMs} ms");
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.WebSockets.WebSocketException)
            {
                measured.Error("hub: connection lost (" + ex.GetType().Name + ")");
                try
                {
                    await session.ReconnectAsync(cancellationToken);
                }
                catch (Exception again) when (again is HttpRequestException or IOException or InvalidOperationException)
                {
                    measured.Error("hub: reconnect failed");
                    return;
                }
            }
            if (options.ThinkMs > 0 && !await ThinkAsync(options.ThinkMs / 2 + random.Next(options.ThinkMs), clock, deadline, cancellationToken)) return;
        }
    }

    /// <summary>Waits, but not past the end of the run; false when the run ended meanwhile.</summary>
    private static async Task<bool> ThinkAsync(int milliseconds, Stopwatch clock, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var left = deadline - clock.Elapsed;
        if (left <= TimeSpan.FromMilliseconds(milliseconds))
        {
            if (left > TimeSpan.Zero) await Task.Delay(left, cancellationToken);
            return false;
        }
        await Task.Delay(milliseconds, cancellationToken);
        return true;
    }

    private static string HubErrorKind(string message)
    {
        if (message.Contains("at capacity", StringComparison.Ordinal)) return "server at capacity (503)";
        if (message.Contains("rate limit", StringComparison.Ordinal)) return "rate limit (429)";
        var at = message.IndexOf("HubException: ", StringComparison.Ordinal);
        var text = at >= 0 ? message[(at + "HubException: ".Length)..] : message;
        return text.Length > 80 ? text[..80] : text;
    }

    /// <summary>Back to back, no think time: what the REST API serves at this many connections.</summary>
    private static async Task RestLoopAsync(HttpClient rest, int worker, IReadOnlyList<string> questions, LoadOptions options, Stopwatch clock, TimeSpan deadline, Measured measured, CancellationToken cancellationToken)
    {
        for (var n = 0; clock.Elapsed < deadline; n++)
        {
            var query = questions[(worker * 53 + n) % questions.Count];
            var started = clock.Elapsed.TotalMilliseconds;
            try
            {
                using var response = await rest.PostAsJsonAsync("/api/search", SearchBody(query, options), cancellationToken);
                // Read the whole body: the client sees its results only then.
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var ms = clock.Elapsed.TotalMilliseconds - started;
                if (response.StatusCode == HttpStatusCode.OK) lock (measured) measured.Rest.Add(ms);
                else measured.Error($"rest: HTTP {(int)response.StatusCode}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                measured.Error($"rest: no answer within {options.TimeoutMs} ms");
            }
            catch (HttpRequestException ex)
            {
                measured.Error("rest: connection error (" + (ex.HttpRequestError) + ")");
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>What the run measured, as printed and as written to --json.</summary>
    public sealed record LoadReport(
        string Label, int Sessions, int ThinkMs, int RestWorkers, double Seconds, string? Corpus, int Cores, string LoadAverageBefore, string LoadAverageAfter,
        double ClientCpuPercent, string AnswerMode, Percentiles FirstToken, Percentiles FullAnswer, double AnswersPerSecond,
        Percentiles Rest, double RestPerSecond, IReadOnlyDictionary<string, int> Errors, int ErrorCount,
        double? RssAnonGrowthMbPerMinute, double? GcHeapGrowthMbPerMinute, double? GcCommittedGrowthMbPerMinute, bool? SteadyMemory, IReadOnlyList<ServerSample> Samples,
        IReadOnlyList<string> TargetsMet, IReadOnlyList<string> TargetsMissed);

    public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
    {
        public static Percentiles Of(IReadOnlyList<double> values) => new(values.Count,
            Measurement.Percentile(values, 50), Measurement.Percentile(values, 95), Measurement.Percentile(values, 99), values.Count == 0 ? double.NaN : values.Max());
    }

    private static LoadReport Report(LoadOptions options, Measured m, ServerSampler sampler, Uri address, string? answerMode)
    {
        var first = Percentiles.Of(m.FirstToken);
        var full = Percentiles.Of(m.FullAnswer);
        var rest = Percentiles.Of(m.Rest);
        var samples = sampler.Samples;
        var anonHalf = Growth.SecondHalf(samples, s => s.RssAnonBytes);
        // The GC heap as the last collection left it is a sawtooth (tens of MB between gen0 collections), so its slope is for
        // reading; the verdict takes what the GC holds from the system (committed), which a leak raises and churn does not.
        var heapHalf = Growth.SecondHalf(samples, s => s.GcHeapBytes);
        var committedHalf = Growth.SecondHalf(samples, s => s.GcCommittedBytes);
        var anonSlope = Growth.SlopeMbPerMinute(anonHalf);
        var heapSlope = Growth.SlopeMbPerMinute(heapHalf);
        var committedSlope = Growth.SlopeMbPerMinute(committedHalf);
        bool? steady = null;
        if (anonSlope is not null || committedSlope is not null)
        {
            static bool Within(double? slope, List<(double Seconds, long Bytes)> half)
            {
                if (slope is null) return true;
                var minutes = (half[^1].Seconds - half[0].Seconds) / 60;
                var meanMb = half.Average(p => p.Bytes) / (1024.0 * 1024);
                return slope.Value * minutes <= Math.Max(GrowthTolerance * meanMb, GrowthToleranceMb);
            }
            steady = Within(anonSlope, anonHalf) && Within(committedSlope, committedHalf);
        }
        var errorCount = m.Errors.Values.Sum();

        var met = new List<string>();
        var missed = new List<string>();
        void Check(bool asked, bool ok, string what) { if (asked) (ok ? met : missed).Add(what); }
        Check(options.ExpectZeroErrors, errorCount == 0, $"zero errors (got {errorCount})");
        Check(options.ExpectFullP95Ms is not null, full.Count > 0 && full.P95 < options.ExpectFullP95Ms, $"full answer p95 < {options.ExpectFullP95Ms} ms (got {full.P95:F1})");
        Check(options.ExpectTtftP95Ms is not null, first.Count > 0 && first.P95 <= options.ExpectTtftP95Ms, $"first token p95 ≤ {options.ExpectTtftP95Ms} ms (got {first.P95:F1})");
        Check(options.ExpectRestRps is not null, m.Rest.Count / m.Seconds >= options.ExpectRestRps, $"REST ≥ {options.ExpectRestRps} req/s (got {m.Rest.Count / m.Seconds:F0})");
        Check(options.ExpectRestP95Ms is not null, rest.Count > 0 && rest.P95 < options.ExpectRestP95Ms, $"REST p95 < {options.ExpectRestP95Ms} ms (got {rest.P95:F1})");
        Check(options.ExpectNoGrowth, steady == true, $"no memory growth at steady state (anon RSS {Fmt(anonSlope)} MB/min, GC committed {Fmt(committedSlope)} MB/min)");

        var report = new LoadReport(options.Label ?? "load", options.Sessions, options.ThinkMs, options.RestWorkers, m.Seconds, options.Corpus, Environment.ProcessorCount,
            m.LoadBefore, m.LoadAfter, m.ClientCpuPercent, answerMode ?? "?", first, full, m.FullAnswer.Count / m.Seconds, rest, m.Rest.Count / m.Seconds,
            new SortedDictionary<string, int>(m.Errors, StringComparer.Ordinal), errorCount, anonSlope, heapSlope, committedSlope, steady, samples, met, missed);
        Print(report, address, sampler);
        return report;
    }

    private static string Fmt(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";
    private static string Mb(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture) : "–";

    private static void Print(LoadReport r, Uri address, ServerSampler sampler)
    {
        Console.WriteLine($"load '{r.Label}': {r.Sessions} hub sessions (think {(r.ThinkMs > 0 ? $"{r.ThinkMs} ms ±50 %" : "none")}) + {r.RestWorkers} REST search workers, " +
            $"{r.Seconds:F0} s, {r.AnswerMode}, corpus {r.Corpus ?? "(all)"}, server {address}, {r.Cores} cores; load average {r.LoadAverageBefore} → {r.LoadAverageAfter}; load tool CPU {r.ClientCpuPercent:F0} %");
        Console.WriteLine($"{"metric",-22} {"count",8} {"per s",8} {"p50 ms",9} {"p95 ms",9} {"p99 ms",9} {"max ms",9}");
        void Row(string name, Percentiles p, double rate)
        {
            if (p.Count > 0) Console.WriteLine($"{name,-22} {p.Count,8} {rate,8:F1} {p.P50,9:F1} {p.P95,9:F1} {p.P99,9:F1} {p.Max,9:F1}");
        }
        Row("hub first token", r.FirstToken, r.AnswersPerSecond);
        Row("hub full answer", r.FullAnswer, r.AnswersPerSecond);
        Row("REST search", r.Rest, r.RestPerSecond);
        Console.WriteLine($"errors: {r.ErrorCount}");
        foreach (var (kind, count) in r.Errors) Console.WriteLine($"  {count,7}  {kind}");

        if (r.Samples.Count > 0)
        {
            Console.WriteLine($"server memory over time ({(sampler.HasProcess ? "/proc" : "no /proc")}{(sampler.HasRuntime ? " + /api/runtime" : "")}; MB):");
            Console.WriteLine($"{"t s",6} {"RSS",7} {"anon",7} {"file",7} {"GC heap",8} {"GC comm",8} {"gen2",5} {"CPU %",6} {"busy",5} {"queued",7} {"refused",8}");
            var step = Math.Max(1, (int)Math.Ceiling(r.Samples.Count / 24.0));
            for (var i = 0; i < r.Samples.Count; i++)
            {
                if (i % step != 0 && i != r.Samples.Count - 1) continue;
                var s = r.Samples[i];
                Console.WriteLine($"{s.Seconds,6:F0} {Mb(s.RssBytes),7} {Mb(s.RssAnonBytes),7} {Mb(s.RssFileBytes),7} {Mb(s.GcHeapBytes),8} {Mb(s.GcCommittedBytes),8} " +
                    $"{s.Gen2Collections?.ToString(CultureInfo.InvariantCulture) ?? "–",5} {(s.CpuPercent is { } c ? c.ToString("F0", CultureInfo.InvariantCulture) : "–"),6} " +
                    $"{s.InFlight?.ToString(CultureInfo.InvariantCulture) ?? "–",5} {s.Queued?.ToString(CultureInfo.InvariantCulture) ?? "–",7} {s.Refused?.ToString(CultureInfo.InvariantCulture) ?? "–",8}");
            }
            Console.WriteLine($"growth over the second half: anon RSS {Fmt(r.RssAnonGrowthMbPerMinute)} MB/min, GC committed {Fmt(r.GcCommittedGrowthMbPerMinute)} MB/min, GC heap (sawtooth) {Fmt(r.GcHeapGrowthMbPerMinute)} MB/min → " +
                (r.SteadyMemory switch { true => "steady", false => "growing", null => "not measured" }) +
                $" (steady: fitted growth ≤ {GrowthTolerance:P0} of the mean or {GrowthToleranceMb} MB)");
        }
        foreach (var t in r.TargetsMet) Console.WriteLine("target met:    " + t);
        foreach (var t in r.TargetsMissed) Console.WriteLine("target MISSED: " + t);
        // One machine-readable row per run for benchmarks/load-targets.sh.
        Console.WriteLine(string.Join('|', "RESULT", r.Label, r.Sessions, r.RestWorkers, r.Seconds.ToString("F0", CultureInfo.InvariantCulture),
            r.AnswersPerSecond.ToString("F1", CultureInfo.InvariantCulture), P(r.FirstToken.P95), P(r.FullAnswer.P95), r.RestPerSecond.ToString("F0", CultureInfo.InvariantCulture), P(r.Rest.P95),
            r.ErrorCount, Fmt(r.RssAnonGrowthMbPerMinute), Fmt(r.GcCommittedGrowthMbPerMinute), r.TargetsMissed.Count == 0 ? (r.TargetsMet.Count > 0 ? "met" : "-") : "MISSED"));
    }

    private static string P(double value) => double.IsNaN(value) ? "–" : value.ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>The load tool's options, checked before anything starts: a bad value is named with its reason.</summary>
public sealed record LoadOptions
{
    public int Sessions { get; init; } = 50;
    public int ThinkMs { get; init; } = 2000;
    public int RestWorkers { get; init; }
    public int DurationSeconds { get; init; } = 60;
    public int WarmupSeconds { get; init; } = 10;
    public int SampleSeconds { get; init; } = 2;
    public int TimeoutMs { get; init; } = 30_000;
    public int K { get; init; } = 10;
    public string? Corpus { get; init; }
    public string? QuestionsPath { get; init; }
    public string? DataDirectory { get; init; }
    public string ServerDll { get; init; } = "";
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public Uri? Url { get; init; }
    public string? Key { get; init; }
    public string? AdminKey { get; init; }
    public int? Pid { get; init; }
    public string? Label { get; init; }
    public string? JsonPath { get; init; }
    public bool ExpectZeroErrors { get; init; }
    public double? ExpectFullP95Ms { get; init; }
    public double? ExpectTtftP95Ms { get; init; }
    public double? ExpectRestRps { get; init; }
    public double? ExpectRestP95Ms { get; init; }
    public bool ExpectNoGrowth { get; init; }

    private static readonly HashSet<string> Flags = ["--expect-zero-errors", "--expect-no-growth"];

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (Flags.Contains(name)) { flags.Add(name); continue; }
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"'{name}': expected an option with a value");
            var value = args[++i];
            if (name == "--set")
            {
                var eq = value.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new ArgumentException($"--set '{value}': expected Key=Value, e.g. LegalRag:Limits:MaxConcurrentRequests=16");
                settings[value[..eq]] = value[(eq + 1)..];
            }
            else values[name] = value;
        }
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "--sessions", "--think-ms", "--rest-workers", "--duration-s", "--warmup-s", "--sample-s", "--timeout-ms", "--k", "--corpus", "--questions",
            "--data", "--server-dll", "--url", "--key", "--admin-key", "--pid", "--label", "--json",
            "--expect-full-p95-ms", "--expect-ttft-p95-ms", "--expect-rest-rps", "--expect-rest-p95-ms",
        };
        foreach (var name in values.Keys) if (!known.Contains(name)) throw new ArgumentException($"unknown option '{name}'");

        int Int(string name, int fallback, int min, int max)
        {
            if (!values.TryGetValue(name, out var text)) return fallback;
            if (!int.TryParse(text, CultureInfo.InvariantCulture, out var v) || v < min || v > max) throw new ArgumentException($"{name} '{text}': expected a whole number from {min} to {max}");
            return v;
        }
        double? Number(string name)
        {
            if (!values.TryGetValue(name, out var text)) return null;
            if (!double.TryParse(text, CultureInfo.InvariantCulture, out var v) || v <= 0) throw new ArgumentException($"{name} '{text}': expected a positive number");
            return v;
        }

        var url = values.GetValueOrDefault("--url");
        var data = values.GetValueOrDefault("--data");
        if ((url is null) == (data is null)) throw new ArgumentException("give either --data DIR (the tool starts the server) or --url URL --key KEY (a running server)");
        Uri? uri = null;
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")) throw new ArgumentException($"--url '{url}': expected http://host:port");
            if (!values.ContainsKey("--key")) throw new ArgumentException("--url needs --key (a reader key of that server)");
            if (settings.Count > 0) throw new ArgumentException("--set configures a server the tool starts; with --url configure the running server");
        }
        else if (!File.Exists(Path.Combine(data!, "legalrag.db")))
        {
            throw new ArgumentException($"--data {data}: no legalrag.db there; ingest a corpus first (tools/legalrag --data {data} ingest --corpus de-bundesrecht)");
        }

        var options = new LoadOptions
        {
            Sessions = Int("--sessions", 50, 0, 10_000),
            ThinkMs = Int("--think-ms", 2000, 0, 600_000),
            RestWorkers = Int("--rest-workers", 0, 0, 1000),
            DurationSeconds = Int("--duration-s", 60, 1, 86_400),
            WarmupSeconds = Int("--warmup-s", 10, 0, 3600),
            SampleSeconds = Int("--sample-s", 2, 1, 3600),
            TimeoutMs = Int("--timeout-ms", 30_000, 100, 600_000),
            K = Int("--k", 10, 1, 100),
            Corpus = values.GetValueOrDefault("--corpus"),
            QuestionsPath = values.GetValueOrDefault("--questions"),
            DataDirectory = data is null ? null : Path.GetFullPath(data),
            ServerDll = Path.GetFullPath(values.GetValueOrDefault("--server-dll") ?? DefaultServerDll()),
            Settings = settings,
            Url = uri,
            Key = values.GetValueOrDefault("--key"),
            AdminKey = values.GetValueOrDefault("--admin-key"),
            Pid = values.ContainsKey("--pid") ? Int("--pid", 0, 1, int.MaxValue) : null,
            Label = values.GetValueOrDefault("--label"),
            JsonPath = values.GetValueOrDefault("--json"),
            ExpectZeroErrors = flags.Contains("--expect-zero-errors"),
            ExpectNoGrowth = flags.Contains("--expect-no-growth"),
            ExpectFullP95Ms = Number("--expect-full-p95-ms"),
            ExpectTtftP95Ms = Number("--expect-ttft-p95-ms"),
            ExpectRestRps = Number("--expect-rest-rps"),
            ExpectRestP95Ms = Number("--expect-rest-p95-ms"),
        };
        if (options.Sessions == 0 && options.RestWorkers == 0) throw new ArgumentException("nothing to run: --sessions and --rest-workers are both 0");
        return options;
    }

    /// <summary>The CLI's build in this checkout (tools/legalrag builds it), found from the working directory upwards.</summary>
    private static string DefaultServerDll()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln")))
                return Path.Combine(dir.FullName, "src", "LegalRag.Cli", "bin", "Release", "net10.0", "legalrag.dll");
        return "src/LegalRag.Cli/bin/Release/net10.0/legalrag.dll";
    }
}
