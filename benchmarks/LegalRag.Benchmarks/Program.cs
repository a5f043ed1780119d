using LegalRag.Benchmarks;

// Measurement harnesses, one per area, picked by name:
//   dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- <name> [options]
// Each prints what it measured (medians and percentiles from one run); compare ratios within a
// run, since these machines are noisy.
var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var name = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return name switch
{
    "search" => await SearchLatency.RunAsync(rest, cts.Token),
    "embed" => EmbeddingThroughput.Run(rest),
    "chat" => await ChatBenchmark.RunAsync(rest),
    "load" => await LoadBenchmark.RunAsync(rest, cts.Token),
    "refusal" => await RefusalCalibration.RunAsync(rest),
    "composer" => await ComposerCalibration.RunAsync(rest, cts.Token),
    "parse" => await ParseCensus.RunAsync(rest, cts.Token),
    "asof" => await AsOfLatency.RunAsync(rest, cts.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- <name> [options]");
    Console.Error.WriteLine("  search --data DIR [--corpus NAME] [--questions bgb_dev.json] [--rounds 3]   warm search latency");
    Console.Error.WriteLine("  embed [--chunks N] [--batch N] [--repeats N] [--threads N]                 embedding throughput vs raw ONNX Runtime");
    Console.Error.WriteLine("  chat [--clients 50] [--questions 4] [--think-ms 2000] [--data DIR] [--corpus NAME]   concurrent hub sessions");
    Console.Error.WriteLine("  " + LoadBenchmark.Usage.Replace("\n", "\n  ", StringComparison.Ordinal) + "\n      load tool: hub sessions and REST searches against a server process, memory over time");
    Console.Error.WriteLine("  refusal --data DIR --corpus NAME --set gerlayqa.json [--limit 300]           refusal threshold calibration");
    Console.Error.WriteLine("  composer --data DIR --corpus NAME --set questions.jsonl [--k 6] [--no-cues]     gate grid, answer precision, cue and lead calibration");
    Console.Error.WriteLine("  asof --data DIR --corpus NAME [--lang fr] [--questions FILE] [--days D1,D2] [--rounds 5] [--hash-vectors]  lexical (FTS5, in-memory) and dense latency with and without the as-of filter");
    Console.Error.WriteLine("  parse FOLDER... [--rounds 9] [--lang de]                                      per format: files, provisions, tables, ids, dates, parse speed");
    return 2;
}
