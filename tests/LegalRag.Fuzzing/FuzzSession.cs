using System.Diagnostics;
using System.Globalization;
using System.Text;
using LegalRag.Cli.Commands;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Fuzzing;

/// <summary>What one session is to do.</summary>
/// <param name="Budget">Wall clock for the whole session. The scenario pass always runs to its end (it is the fixed
/// coverage of every attack); random mutations fill what is left.</param>
/// <param name="RandomSeed">Seeds the mutations; the same number and seeds give the same inputs.</param>
/// <param name="SharedSamples">The shared official samples folder, when present.</param>
/// <param name="FindingsFolder">Where each finding's input is written (null: nowhere); the input being parsed is
/// also written there as current.bin first, so a crash that ends the process leaves it behind.</param>
/// <param name="Scenarios">Run every attack variant once on every seed before the random phase.</param>
public sealed record FuzzOptions(TimeSpan Budget, int RandomSeed, string? SharedSamples, string? FindingsFolder, bool Scenarios = true)
{
    /// <summary>The short run for CI: the scenario pass on one seed per format, and without the largest variants
    /// of nesting and attributes (a million levels, 30 MB), whose own regression tests pin what they found.</summary>
    public bool QuickScenarios { get; init; }
    /// <summary>The most bytes a repeated slice may add to a seed.</summary>
    public int MaxRepeatBytes { get; init; } = 8 * 1024 * 1024;
    public FuzzLimits Limits { get; init; } = FuzzLimits.Default;
    /// <summary>Stop after this many hangs: each one leaves a thread running until its parse ends.</summary>
    public int MaxHangs { get; init; } = 3;
    public int MaxSharedSeedBytes { get; init; } = SeedCorpus.DefaultMaxSharedSeedBytes;
}

/// <summary>Counts for one format.</summary>
public sealed class FormatTally
{
    public int Iterations { get; set; }
    public int Parsed { get; set; }
    public int Rejected { get; set; }
    public int Findings { get; set; }
    public TimeSpan Time { get; set; }
    public TimeSpan Slowest { get; set; }
    public long LargestHeapGrowth { get; set; }
}

public sealed record FuzzFinding(string Format, string Seed, string Mutation, string Detail, string Signature, string? SavedAs);

public sealed record FuzzReport(IReadOnlyDictionary<string, FormatTally> ByFormat, IReadOnlyDictionary<MutationKind, int> ByMutation,
    IReadOnlyList<FuzzFinding> Findings, int Seeds, TimeSpan Elapsed)
{
    public int Iterations => ByFormat.Values.Sum(t => t.Iterations);

    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Iterations:N0} inputs from {Seeds} seeds in {Elapsed.TotalSeconds:0} s");
        text.AppendLine("format          iterations   parsed  rejected  findings  slowest ms  max heap MiB");
        foreach (var (format, t) in ByFormat.OrderBy(f => f.Key, StringComparer.Ordinal))
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{format,-14} {t.Iterations,11:N0} {t.Parsed,8:N0} {t.Rejected,9:N0} {t.Findings,9:N0} {t.Slowest.TotalMilliseconds,11:N0} {t.LargestHeapGrowth / (1024.0 * 1024),13:N0}");
        text.AppendLine("by mutation: " + string.Join(", ", ByMutation.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value:N0}")));
        var distinct = Findings.GroupBy(f => (f.Format, f.Signature)).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"findings: {Findings.Count} ({distinct.Count} distinct)");
        foreach (var group in distinct)
        {
            var first = group.First();
            text.AppendLine(CultureInfo.InvariantCulture, $"  [{first.Format}] ×{group.Count()} {first.Detail}");
            text.AppendLine(CultureInfo.InvariantCulture, $"      first: seed {first.Seed}, {first.Mutation}{(first.SavedAs is null ? "" : $", input {first.SavedAs}")}");
        }
        return text.ToString();
    }
}

/// <summary>
/// A fuzzing session over every parser the ingestion registers (<see cref="ParserCatalog.All"/>): a scenario pass
/// (every attack variant on every seed), then random mutations until the budget is spent, handing each format an
/// equal share of the time so slow formats (PDF) are not starved by quick ones.
/// </summary>
public sealed class FuzzSession(FuzzOptions options, TextWriter? log = null)
{
    public async Task<FuzzReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("legalrag-fuzz-");
        try
        {
            var canaryToken = "LEGALRAG-FUZZ-CANARY-" + Guid.NewGuid().ToString("N");
            var canaryPath = Path.Combine(work.FullName, "canary.txt");
            await File.WriteAllTextAsync(canaryPath, canaryToken, cancellationToken).ConfigureAwait(false);
            var traversalToken = Guid.NewGuid().ToString("N");
            var mutator = new Mutator(canaryPath, canaryToken, traversalToken, options.MaxRepeatBytes);

            var registry = new ParserRegistry(ParserCatalog.All());
            var runner = new FuzzRunner(registry, Context(), options.Limits, canaryToken, () => TraversalArtifactExists(traversalToken));

            var seeds = await ClassifyAsync(SeedCorpus.Load(options.SharedSamples, options.MaxSharedSeedBytes), runner, cancellationToken).ConfigureAwait(false);
            var byFormat = new SortedDictionary<string, FormatTally>(StringComparer.Ordinal);
            var byMutation = new SortedDictionary<MutationKind, int>();
            var findings = new List<FuzzFinding>();
            var hangs = 0;

            async Task<bool> RunOneAsync(FuzzInput input)
            {
                if (options.FindingsFolder is not null)
                    await File.WriteAllBytesAsync(Path.Combine(options.FindingsFolder, "current.bin"), input.Bytes, cancellationToken).ConfigureAwait(false);
                var outcome = await runner.RunAsync(input, cancellationToken).ConfigureAwait(false);
                if (!byFormat.TryGetValue(input.Seed.Format, out var tally)) byFormat[input.Seed.Format] = tally = new FormatTally();
                tally.Iterations++;
                tally.Time += outcome.Elapsed;
                if (outcome.Elapsed > tally.Slowest) tally.Slowest = outcome.Elapsed;
                tally.LargestHeapGrowth = Math.Max(tally.LargestHeapGrowth, outcome.PeakHeapGrowthBytes);
                byMutation[input.Kind] = byMutation.GetValueOrDefault(input.Kind) + 1;
                switch (outcome.Kind)
                {
                    case OutcomeKind.Parsed: tally.Parsed++; break;
                    case OutcomeKind.Rejected: tally.Rejected++; break;
                    default:
                        tally.Findings++;
                        var saved = Save(input, findings.Count);
                        findings.Add(new FuzzFinding(input.Seed.Format, input.Seed.Name, input.Mutation, outcome.Detail, outcome.Signature, saved));
                        log?.WriteLine($"FINDING [{input.Seed.Format}] {outcome.Detail} ({input.Seed.Name}: {input.Mutation})");
                        if (outcome.Signature.StartsWith("hang", StringComparison.Ordinal)) hangs++;
                        break;
                }
                return hangs < options.MaxHangs;
            }

            if (options.Scenarios)
            {
                // Every attack variant once per seed; blind mutations are left to the random phase.
                var scenarioSeeds = options.QuickScenarios ? seeds.GroupBy(s => s.Format).Select(g => g.First()).ToList() : seeds;
                foreach (var seed in scenarioSeeds)
                    foreach (var kind in Mutator.Applicable(seed).Where(k => k >= MutationKind.DeepNesting))
                        for (var variant = 0; variant < Mutator.Variants(kind); variant++)
                        {
                            if (options.QuickScenarios && kind is MutationKind.DeepNesting or MutationKind.HugeAttribute && variant >= 2) continue;
                            cancellationToken.ThrowIfCancellationRequested();
                            var random = new Random(HashCode.Combine(options.RandomSeed, seed.Name.Length, (int)kind, variant));
                            if (!await RunOneAsync(mutator.Mutate(seed, kind, variant, random)).ConfigureAwait(false)) return Report();
                        }
                log?.WriteLine($"scenario pass done after {clock.Elapsed.TotalSeconds:0} s");
            }

            var formats = seeds.GroupBy(s => s.Format).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var spent = formats.Keys.ToDictionary(f => f, _ => TimeSpan.Zero, StringComparer.Ordinal);
            var rng = new Random(options.RandomSeed);
            var phase = Stopwatch.StartNew();
            var iteration = 0;
            while (clock.Elapsed < options.Budget && !cancellationToken.IsCancellationRequested)
            {
                // The format that has had the least time goes next.
                var format = spent.OrderBy(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;
                var seed = formats[format][rng.Next(formats[format].Count)];
                var kinds = Mutator.Applicable(seed);
                // Blind mutations are cheap and find the most; the attacks keep their share.
                var kind = rng.Next(3) == 0 ? kinds[rng.Next(kinds.Count)] : kinds[rng.Next(Math.Min(5, kinds.Count))];
                var input = mutator.Mutate(seed, kind, rng.Next(Mutator.Variants(kind)), rng);
                if (rng.Next(5) == 0 && kind < MutationKind.DeepNesting && seed.Extension is not ".docx")
                    input = mutator.Mutate(input.Seed with { Bytes = input.Bytes }, MutationKind.FlipBytes, 0, rng) with { Mutation = input.Mutation + " + FlipBytes" };
                var started = phase.Elapsed;
                if (!await RunOneAsync(input).ConfigureAwait(false)) break;
                spent[format] += phase.Elapsed - started;
                if (++iteration % 500 == 0) log?.WriteLine($"{iteration:N0} random inputs, {phase.Elapsed.TotalSeconds:0} s");
            }
            return Report();

            FuzzReport Report() => new(byFormat, byMutation, findings, seeds.Count, clock.Elapsed);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Runs saved inputs (a finding's file, named as the seed was: its extension is what the registry sees)
    /// once each, with the session's parsers and limits.</summary>
    public static async Task<IReadOnlyList<(string File, FuzzOutcome Outcome)>> ReplayAsync(IReadOnlyList<string> files, FuzzLimits limits, CancellationToken cancellationToken)
    {
        var runner = new FuzzRunner(new ParserRegistry(ParserCatalog.All()), Context(), limits, "LEGALRAG-FUZZ-CANARY", () => false);
        var outcomes = new List<(string, FuzzOutcome)>();
        foreach (var file in files)
        {
            var seed = new Seed(Path.GetFileName(file), await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
            outcomes.Add((file, await runner.RunAsync(new FuzzInput(seed, seed.Name, seed.Bytes, MutationKind.Truncate, "replay"), cancellationToken).ConfigureAwait(false)));
        }
        return outcomes;
    }

    /// <summary>The pipeline's limits, except that one external tool run (OCR of a damaged page) may take 20 s, not
    /// 2 min, so a session spends its time on many inputs.</summary>
    public static ParseContext Context() => new("fuzz", "de", null, null, new IngestionLimits { ToolTimeout = TimeSpan.FromSeconds(20) });

    /// <summary>Parses every seed once unmutated: its format is the one the parsers read it as. A seed that does not
    /// parse is still fuzzed (as its parser's format) but reported, since it mostly tests the rejection path.</summary>
    private async Task<List<Seed>> ClassifyAsync(IReadOnlyList<Seed> seeds, FuzzRunner runner, CancellationToken cancellationToken)
    {
        var classified = new List<Seed>();
        foreach (var seed in seeds)
        {
            var outcome = await runner.RunAsync(new FuzzInput(seed, Path.GetFileName(seed.Name), seed.Bytes, MutationKind.Truncate, "none"), cancellationToken).ConfigureAwait(false);
            var format = outcome.Kind == OutcomeKind.Parsed ? outcome.Detail[..outcome.Detail.IndexOf(':')] : seed.Extension.TrimStart('.') + "?";
            if (outcome.Kind != OutcomeKind.Parsed) log?.WriteLine($"seed {seed.Name} does not parse ({outcome.Detail}); fuzzed as {format}");
            classified.Add(seed with { Format = format });
        }
        return classified;
    }

    private string? Save(FuzzInput input, int number)
    {
        if (options.FindingsFolder is null) return null;
        var path = Path.Combine(options.FindingsFolder, $"finding-{number:D3}-{input.Seed.Format}{Path.GetExtension(input.FileName)}");
        File.WriteAllBytes(path, input.Bytes);
        File.WriteAllText(path + ".txt", $"seed: {input.Seed.Name}\nmutation: {input.Mutation}\n");
        return path;
    }

    /// <summary>True when a file named by a traversal entry exists where an extraction could have put it.</summary>
    private static bool TraversalArtifactExists(string token)
    {
        var name = $"legalrag-fuzz-{token}.xml";
        var places = new List<string> { Path.GetTempPath(), "/tmp", Environment.CurrentDirectory, AppContext.BaseDirectory };
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory).Parent; dir is not null && places.Count < 10; dir = dir.Parent) places.Add(dir.FullName);
        return places.Any(p => File.Exists(Path.Combine(p, name)));
    }
}
