using LegalRag.Benchmarks;

// Measurement harnesses, one per subcommand; each prints medians/percentiles from one run.
return args.FirstOrDefault() switch
{
    "chat" => await ChatBenchmark.RunAsync(args[1..]),
    "refusal" => await RefusalCalibration.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: LegalRag.Benchmarks chat [--clients 50] [--questions 4] [--data DIR] | refusal --data DIR --corpus NAME --set gerlayqa.json");
    return 2;
}
