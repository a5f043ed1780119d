using System.Globalization;
using LegalRag.Fuzzing;

// The long fuzzing run: dotnet run -c Release --project tests/LegalRag.Fuzzing -- --seconds 600 [--seed N]
//   [--shared ../shared/corpora/official-samples] [--out DIR] [--no-scenarios] [--max-seed-kb 160]
// Exit code 0 when nothing was found, 1 when something was (each finding's input is saved under --out), 2 on usage errors.
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int? IntOption(string name) => Option(name) is { } v && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
if (args.Contains("--help") || args.Any(a => a.StartsWith("--", StringComparison.Ordinal)
        && a is not ("--seconds" or "--seed" or "--shared" or "--out" or "--no-scenarios" or "--max-seed-kb" or "--replay")))
{
    Console.Error.WriteLine("usage: LegalRag.Fuzzing [--seconds 60] [--seed N] [--shared DIR] [--out DIR] [--no-scenarios] [--max-seed-kb 160]");
    Console.Error.WriteLine("       LegalRag.Fuzzing --replay FILE...   (runs saved inputs once each and prints the outcome)");
    return 2;
}

if (args.Contains("--replay"))
{
    var outcomes = await FuzzSession.ReplayAsync(args.SkipWhile(a => a != "--replay").Skip(1).ToList(), FuzzLimits.Default, cts.Token);
    foreach (var (file, outcome) in outcomes)
        Console.WriteLine($"{file}: {outcome.Kind} in {outcome.Elapsed.TotalMilliseconds:N0} ms, heap +{outcome.PeakHeapGrowthBytes / (1024 * 1024):N0} MiB: {outcome.Detail}");
    return outcomes.Any(o => o.Outcome.Kind == OutcomeKind.Finding) ? 1 : 0;
}

var shared = Option("--shared") ?? DefaultSharedSamples();
var output = Option("--out");
if (output is not null) Directory.CreateDirectory(output);
var options = new FuzzOptions(TimeSpan.FromSeconds(IntOption("--seconds") ?? 60), IntOption("--seed") ?? Environment.TickCount, shared, output,
    Scenarios: !args.Contains("--no-scenarios"))
{
    MaxSharedSeedBytes = (IntOption("--max-seed-kb") ?? SeedCorpus.DefaultMaxSharedSeedBytes / 1024) * 1024,
};
Console.WriteLine($"seed {options.RandomSeed}; shared samples: {shared ?? "none (../shared absent)"}");
var report = await new FuzzSession(options, Console.Out).RunAsync(cts.Token);
Console.Write(report.Format());
return report.Findings.Count == 0 ? 0 : 1;

// The official samples in the shared data folder: LEGALRAG_SHARED, else ../shared beside the folder holding LegalRag.sln.
static string? DefaultSharedSamples()
{
    var shared = Environment.GetEnvironmentVariable("LEGALRAG_SHARED");
    if (string.IsNullOrWhiteSpace(shared))
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln")))
            {
                shared = Path.Combine(dir.FullName, "..", "shared");
                break;
            }
    }
    var samples = shared is null ? null : Path.GetFullPath(Path.Combine(shared, "corpora", "official-samples"));
    return samples is not null && Directory.Exists(samples) ? samples : null;
}
