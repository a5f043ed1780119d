using System.Diagnostics;
using System.Globalization;
using LegalRag.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LegalRag.Benchmarks;

/// <summary>
/// N concurrent chat sessions against the real server on loopback, extractive mode: each client opens
/// a hub connection (<see cref="HubSession"/>, the .NET SignalR client), then all ask their questions at once, one after the
/// other per client. Reports time to first streamed token and to the complete answer (p50, p95, max)
/// and errors, from one run.
/// <c>dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- chat --clients 50 [--questions 4] [--data DIR] [--corpus NAME]</c>
/// </summary>
public static class ChatBenchmark
{
    /// <summary>German lay questions about civil law (the BGB corpora); each client cycles through them from its own offset.</summary>
    internal static readonly string[] Questions =
    [
        "Darf mein Vermieter wegen Eigenbedarf kündigen?",
        "Wann verjährt ein Anspruch auf Kaufpreiszahlung?",
        "Welche Rechte habe ich, wenn die gekaufte Sache einen Mangel hat?",
        "Ab wann ist man volljährig und voll geschäftsfähig?",
        "Kann ich einen Vertrag wegen arglistiger Täuschung anfechten?",
        "Wie lange ist die Kündigungsfrist für einen Mietvertrag über Wohnraum?",
        "Wer haftet für Schäden, die ein Hund verursacht?",
        "Muss ich als Erbe die Schulden des Verstorbenen bezahlen?",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = int.Parse(RefusalCalibration.Arg(args, "--clients") ?? "50", CultureInfo.InvariantCulture);
        var perClient = int.Parse(RefusalCalibration.Arg(args, "--questions") ?? "4", CultureInfo.InvariantCulture);
        var data = Path.GetFullPath(RefusalCalibration.Arg(args, "--data") ?? "data");
        var corpus = RefusalCalibration.Arg(args, "--corpus");
        // Think time between a session's questions (a person reading the answer), jittered ±50 %; 0 = back-to-back stress.
        var thinkMs = int.Parse(RefusalCalibration.Arg(args, "--think-ms") ?? "0", CultureInfo.InvariantCulture);
        if (!File.Exists(Path.Combine(data, "legalrag.db")))
        {
            Console.Error.WriteLine($"no store at {data}: ingest a corpus first (tools/quickstart.sh, or legalrag eval import-corpus …) or pass --data");
            return 2;
        }
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var audit = Path.Combine(Path.GetTempPath(), $"legalrag-bench-audit-{Guid.NewGuid():N}.jsonl");
        var app = await LegalRagServer.CreateAsync(new ServerStartOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDirectory = data,
            Announce = TextWriter.Null,
            Settings = new Dictionary<string, string?>
            {
                ["LegalRag:Auth:Keys:0:Key"] = key, ["LegalRag:Auth:Keys:0:Role"] = "reader", ["LegalRag:Auth:Keys:0:Name"] = "bench",
                ["LegalRag:AuditLogPath"] = audit, ["LegalRag:Llm:Endpoint"] = null, ["Logging:LogLevel:Default"] = "Warning",
                // All sessions share one key: the per-caller rate limit would measure itself, not the server.
                ["LegalRag:Limits:RequestsPerSecond"] = "1000000", ["LegalRag:Limits:Burst"] = "1000000",
            },
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        try
        {
            // Warm-up: JIT, SQLite page cache, connection pools.
            await using (var warm = await HubSession.ConnectAsync(address, key, CancellationToken.None))
                foreach (var q in Questions) await warm.AskAsync(q, corpus, CancellationToken.None);

            var sessions = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => HubSession.ConnectAsync(address, key, CancellationToken.None)));
            var firstToken = new List<double>();
            var complete = new List<double>();
            var errors = new List<string>();
            var gate = new TaskCompletionSource();
            var wall = Stopwatch.StartNew();
            var runs = sessions.Select((s, i) => Task.Run(async () =>
            {
                await gate.Task;
                var random = new Random(i);
                // Sessions do not all press Enter in the same millisecond when they think between questions.
                if (thinkMs > 0) await Task.Delay(random.Next(thinkMs));
                for (var n = 0; n < perClient; n++)
                {
                    if (n > 0 && thinkMs > 0) await Task.Delay(thinkMs / 2 + random.Next(thinkMs));
                    try
                    {
                        var (ttft, total) = await s.AskAsync(Questions[(i + n) % Questions.Length], corpus, CancellationToken.None);
                        lock (complete) { firstToken.Add(ttft); complete.Add(total); }
                    }
                    catch (Exception ex) { lock (errors) errors.Add(ex.Message); }
                }
            })).ToList();
            wall.Restart();
            gate.SetResult();
            await Task.WhenAll(runs);
            var seconds = wall.Elapsed.TotalSeconds;
            foreach (var s in sessions) await s.DisposeAsync();

            Console.WriteLine($"chat benchmark: {clients} concurrent hub clients × {perClient} questions, think time {(thinkMs > 0 ? $"{thinkMs} ms ±50 %" : "none (back-to-back)")}, extractive, loopback, {Environment.ProcessorCount} cores, corpus {corpus ?? "(all)"} in {data}");
            Console.WriteLine($"{"metric",-22} {"p50 ms",9} {"p95 ms",9} {"max ms",9}");
            Console.WriteLine($"{"time to first token",-22} {Pct(firstToken, 50),9:F1} {Pct(firstToken, 95),9:F1} {Pct(firstToken, 100),9:F1}");
            Console.WriteLine($"{"time to full answer",-22} {Pct(complete, 50),9:F1} {Pct(complete, 95),9:F1} {Pct(complete, 100),9:F1}");
            Console.WriteLine($"answers {complete.Count}, errors {errors.Count}, {complete.Count / seconds:F1} answers/s");
            foreach (var e in errors.Distinct().Take(5)) Console.WriteLine("  error: " + e);
            return errors.Count == 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            File.Delete(audit);
        }
    }

    private static double Pct(List<double> values, int p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
