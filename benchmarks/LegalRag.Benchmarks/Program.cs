using LegalRag.Benchmarks;

// Benchmarks are picked by name on the command line: `dotnet run -c Release --project benchmarks/LegalRag.Benchmarks -- embed`.
var name = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
switch (name)
{
    case "embed":
        return EmbeddingThroughput.Run(rest);
    default:
        Console.Error.WriteLine("usage: LegalRag.Benchmarks embed [--chunks N] [--batch N] [--repeats N] [--threads N]");
        return 2;
}
