using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LegalRag.Benchmarks;

/// <summary>
/// The server's memory and load at one moment: from /proc/&lt;pid&gt;/status and /stat (when the server runs on this machine)
/// and from its admin endpoint /api/runtime (GC heap, capacity queue) when an admin key is known. Missing sources stay null.
/// </summary>
public sealed record ServerSample(
    double Seconds, long? RssBytes, long? RssAnonBytes, long? RssFileBytes, double? CpuPercent,
    long? GcHeapBytes, long? GcCommittedBytes, int? Gen2Collections, int? InFlight, int? Queued, long? Refused);

/// <summary>Samples the server every interval while the load runs.</summary>
public sealed class ServerSampler
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly int? _pid;
    private readonly HttpClient? _admin;
    private readonly List<ServerSample> _samples = [];
    private double? _lastCpuSeconds;
    private double _lastWall;

    public ServerSampler(int? pid, HttpClient? admin)
    {
        _pid = pid is { } p && File.Exists($"/proc/{p}/status") ? p : null;
        _admin = admin;
    }

    public bool HasProcess => _pid is not null;
    public bool HasRuntime => _admin is not null;
    public IReadOnlyList<ServerSample> Samples => _samples;

    public async Task RunAsync(TimeSpan interval, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do _samples.Add(await SampleAsync(clock.Elapsed.TotalSeconds, cancellationToken));
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    public async Task<ServerSample> SampleAsync(double seconds, CancellationToken cancellationToken)
    {
        long? rss = null, anon = null, file = null;
        double? cpu = null;
        if (_pid is { } pid)
        {
            foreach (var line in await File.ReadAllLinesAsync($"/proc/{pid}/status", cancellationToken))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = Kb(line);
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) file = Kb(line);
            }
            // Fields 14 and 15 (utime, stime) follow the command name in parentheses, which may hold spaces.
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", cancellationToken);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpuSeconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
            if (_lastCpuSeconds is { } last && seconds > _lastWall) cpu = (cpuSeconds - last) / (seconds - _lastWall) * 100;
            _lastCpuSeconds = cpuSeconds;
            _lastWall = seconds;
        }
        long? heap = null, committed = null, refused = null;
        int? gen2 = null, inFlight = null, queued = null;
        if (_admin is not null)
        {
            try
            {
                using var response = await _admin.GetAsync("/api/runtime", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                    var r = json.RootElement;
                    heap = r.GetProperty("gcHeapBytes").GetInt64();
                    committed = r.GetProperty("gcCommittedBytes").GetInt64();
                    gen2 = r.GetProperty("gen2Collections").GetInt32();
                    var capacity = r.GetProperty("capacity");
                    inFlight = capacity.GetProperty("inFlight").GetInt32();
                    queued = capacity.GetProperty("queued").GetInt32();
                    refused = capacity.GetProperty("refused").GetInt64();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // A missed sample under overload is itself a finding; the row shows it empty.
            }
        }
        return new ServerSample(seconds, rss, anon, file, cpu, heap, committed, gen2, inFlight, queued, refused);
    }

    /// <summary>An HTTP client with the admin key for /api/runtime (sampling must not queue behind the load's connections).</summary>
    public static HttpClient AdminClient(Uri server, string adminKey)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return http;
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>Steady-state growth: the least-squares slope of a series over the second half of the run (the first half warms caches up).</summary>
public static class Growth
{
    /// <summary>MB per minute, or null with fewer than 4 points.</summary>
    public static double? SlopeMbPerMinute(IReadOnlyList<(double Seconds, long Bytes)> series)
    {
        if (series.Count < 4) return null;
        var mx = series.Average(p => p.Seconds);
        var my = series.Average(p => (double)p.Bytes);
        var sxx = series.Sum(p => (p.Seconds - mx) * (p.Seconds - mx));
        if (sxx <= 0) return null;
        var sxy = series.Sum(p => (p.Seconds - mx) * (p.Bytes - my));
        return sxy / sxx * 60 / (1024 * 1024);
    }

    public static List<(double Seconds, long Bytes)> SecondHalf(IReadOnlyList<ServerSample> samples, Func<ServerSample, long?> value)
    {
        if (samples.Count == 0) return [];
        var middle = (samples[0].Seconds + samples[^1].Seconds) / 2;
        return samples.Where(s => s.Seconds >= middle && value(s) is not null).Select(s => (s.Seconds, value(s)!.Value)).ToList();
    }
}
