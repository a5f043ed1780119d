using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LegalRag.Benchmarks;

/// <summary>
/// `legalrag serve` started as its own process on 127.0.0.1 (a free port), configured through LegalRag__* environment
/// variables as an operator would, so its memory is the server's alone and can be read from /proc while the load runs.
/// Its console output goes to a log file, shown when it fails to start.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _logPath;

    private ServerProcess(Process process, Uri address, StreamWriter log, string logPath)
    {
        _process = process;
        Address = address;
        _log = log;
        _logPath = logPath;
    }

    public Uri Address { get; }
    public int ProcessId => _process.Id;

    /// <param name="serverDll">The CLI's legalrag.dll (built by tools/legalrag).</param>
    /// <param name="settings">Configuration keys ("LegalRag:Limits:Burst") and values, passed as environment variables.</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, IReadOnlyDictionary<string, string> settings, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll)) throw new FileNotFoundException($"{serverDll}: no server build; run tools/legalrag --help once (it builds the CLI) or pass --server-dll", serverDll);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var logPath = Path.Combine(Path.GetTempPath(), $"legalrag-load-server-{port}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        foreach (var a in new[] { serverDll, "--data", dataDirectory, "serve", "--urls", address.ToString().TrimEnd('/') }) start.ArgumentList.Add(a);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        void Write(string? line)
        {
            if (line is null) return;
            try
            {
                lock (log) log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the run closed the log.
            }
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, log, logPath);
        try
        {
            await server.WaitReadyAsync(startTimeout, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls /ready (unauthenticated) until the store answers; the store opens before the server listens.</summary>
    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was ready; its output ({_logPath}):\n{Tail()}");
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"the server was not ready within {timeout.TotalSeconds:F0} s; its output ({_logPath}):\n{Tail()}");
            try
            {
                using var response = await http.GetAsync("/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    throw new InvalidOperationException($"the server's store is not ready: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    private string Tail()
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var lines = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', lines.TakeLast(30));
        }
        catch (IOException ex)
        {
            return "(no output: " + ex.Message + ")";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first: the host stops gracefully (flushes its audit log); SIGKILL if it does not within 10 s.
            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
                if (term is not null) await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        // The output events have all been delivered once the process is waited for.
        _process.Dispose();
        lock (_log) _log.Dispose();
        File.Delete(_logPath);
    }
}
