using System.Diagnostics;
using System.Globalization;
using System.Text;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Tokenizers;
using LegalRag.Training.OnnxWriter;

namespace LegalRag.Benchmarks;

/// <summary>
/// `embed`: chunks/s through <see cref="OnnxEmbeddingGenerator"/> against ONNX Runtime's raw Run on the same graph and
/// batches. The graph has multilingual-e5-small's encoder shape (12 layers, hidden 384, 12 heads, FFN 1536) with
/// random weights from a fixed seed and a 30,522-token vocabulary; every chunk fills all 128 positions. The overhead
/// is everything the generator adds: tokenizing, sorting, padding, tensor setup, output copy, pooling, normalizing.
/// </summary>
public static class EmbeddingThroughput
{
    private const int Vocab = 30522;
    private const int HiddenSize = 384;
    private const int Layers = 12;
    private const int Heads = 12;
    private const int Intermediate = 1536;
    private const int MaxPositions = 512;
    private const int SequenceLength = 128;

    public static int Run(string[] args)
    {
        var chunks = IntArg(args, "--chunks", 128);
        var batchSize = IntArg(args, "--batch", 32);
        var repeats = IntArg(args, "--repeats", 5);
        var threads = IntArg(args, "--threads", 0);

        Console.WriteLine($"ONNX Runtime {typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version} (package); {Environment.ProcessorCount} logical cores, intra-op threads {(threads == 0 ? "ORT default" : threads)}");

        var build = Stopwatch.StartNew();
        var model = E5SmallShapedModel(seed: 20240601);
        Console.WriteLine($"generated e5-small-shaped graph: {model.Length / (1024 * 1024)} MB in {build.Elapsed.TotalSeconds:F1} s");

        var tokenizerPath = TokenizerPath(out var tokenizerNote);
        Console.WriteLine($"tokenizer: {tokenizerNote}");
        var tokenizer = HfTokenizer.Load(tokenizerPath);
        var texts = LegalishTexts(chunks, seed: 7);

        var sessionOptions = new OnnxSessionOptions { IntraOpThreads = threads };
        using var session = OnnxSession.Open(model, sessionOptions, description: "e5-small-shaped");
        var options = new OnnxEmbeddingOptions { BatchSize = batchSize, MaxLength = SequenceLength, PassagePrefix = "passage: ", Pooling = EmbeddingPooling.Mean };
        using var generator = new OnnxEmbeddingGenerator(session, tokenizer, options);

        // Raw: the same token ids the generator will produce, pre-batched into tensors outside the timed loop.
        var encodings = texts.Select(t => tokenizer.Encode("passage: " + t, SequenceLength)).ToArray();
        var short128 = encodings.Count(e => e.Length < SequenceLength);
        if (short128 > 0)
        {
            Console.WriteLine($"warning: {short128} chunks are shorter than {SequenceLength} tokens");
        }

        var batches = encodings.Chunk(batchSize).Select(b => TokenizedBatch.Pad(b, tokenizer.PadId)).ToArray();
        var tensors = batches.Select(b => new Dictionary<string, OnnxTensor>
        {
            ["input_ids"] = OnnxTensor.FromArray(b.InputIds, b.BatchSize, b.SequenceLength),
            ["attention_mask"] = OnnxTensor.FromArray(b.AttentionMask, b.BatchSize, b.SequenceLength),
            ["token_type_ids"] = OnnxTensor.FromArray(b.TokenTypeIds, b.BatchSize, b.SequenceLength),
        }).ToArray();

        // Wall time and process CPU time of one pass. CPU time is the figure to trust on a shared, loaded machine:
        // it does not count time other processes held the cores (with ORT's default spinning threads it does count
        // spin-waits, so compare CPU figures at --threads 1).
        (double Wall, double Cpu) Measure(Action action)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            var wall = watch.Elapsed.TotalSeconds;
            return (wall, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        }

        (double Wall, double Cpu) RawOnce() => Measure(() =>
        {
            foreach (var inputs in tensors)
            {
                session.Run(inputs, ["last_hidden_state"]);
            }
        });

        (double Wall, double Cpu) GeneratorOnce() => Measure(() =>
        {
            var result = generator.GenerateAsync(texts).GetAwaiter().GetResult();
            if (result.Count != texts.Length)
            {
                throw new InvalidOperationException("generator returned the wrong number of embeddings");
            }
        });

        // Warm-up (first runs allocate arenas and pick kernels), then alternate so drift hits both sides alike.
        RawOnce();
        GeneratorOnce();
        var raw = new List<(double Wall, double Cpu)>();
        var generated = new List<(double Wall, double Cpu)>();
        for (var r = 0; r < repeats; r++)
        {
            raw.Add(RawOnce());
            generated.Add(GeneratorOnce());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  repeat {r + 1}/{repeats}: raw {raw[^1].Wall:F2} s wall / {raw[^1].Cpu:F2} s cpu, generator {generated[^1].Wall:F2} s wall / {generated[^1].Cpu:F2} s cpu"));
        }

        var rawWall = Median(raw.Select(m => m.Wall).ToList());
        var generatorWall = Median(generated.Select(m => m.Wall).ToList());
        var rawCpu = Median(raw.Select(m => m.Cpu).ToList());
        var generatorCpu = Median(generated.Select(m => m.Cpu).ToList());
        var tokenizeOnly = Median(Enumerable.Range(0, 3).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            foreach (var text in texts)
            {
                tokenizer.Encode("passage: " + text, SequenceLength);
            }

            return watch.Elapsed.TotalSeconds;
        }).ToList());

        Console.WriteLine();
        Console.WriteLine($"| measure ({chunks} chunks x {SequenceLength} tokens, batch {batchSize}, median of {repeats}) | wall s | chunks/s (wall) | cpu s | chunks per cpu-s |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Row("ONNX Runtime raw Run", rawWall, rawCpu, chunks));
        Console.WriteLine(Row("OnnxEmbeddingGenerator end to end", generatorWall, generatorCpu, chunks));
        Console.WriteLine(Row("of which tokenization alone", tokenizeOnly, tokenizeOnly, chunks));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overhead ratio (generator / raw - 1): wall {(generatorWall / rawWall - 1) * 100:F1}%, cpu {(generatorCpu / rawCpu - 1) * 100:F1}% (target < 10%)"));
        return 0;
    }

    private static string Row(string name, double wall, double cpu, int chunks) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {wall:F3} | {chunks / wall:F1} | {cpu:F3} | {chunks / cpu:F1} |");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>The real MiniLM/BERT uncased WordPiece tokenizer (30,522 ids) from shared/ when present, else a synthetic one.</summary>
    private static string TokenizerPath(out string note)
    {
        var root = FindRepositoryRoot();
        var shared = Environment.GetEnvironmentVariable("LEGALRAG_SHARED") is { Length: > 0 } configured ? configured : Path.Combine(root, "..", "shared");
        var real = Path.Combine(shared, "models", "tokenizers", "all-MiniLM-L6-v2", "tokenizer.json");
        if (File.Exists(real))
        {
            note = real;
            return Path.GetFullPath(real);
        }

        // Synthetic WordPiece vocabulary of the same size: [PAD] [UNK] [CLS] [SEP], letters, then "wN" words.
        var vocab = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]" };
        vocab.AddRange("abcdefghijklmnopqrstuvwxyz0123456789.,;:§()".Select(c => c.ToString()));
        vocab.AddRange("abcdefghijklmnopqrstuvwxyz".Select(c => "##" + c));
        for (var i = 0; vocab.Count < Vocab; i++)
        {
            vocab.Add(Words[i % Words.Length] + (i < Words.Length ? "" : "##" + i.ToString(CultureInfo.InvariantCulture)));
        }

        var json = new StringBuilder("{\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},");
        json.Append("\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",3],\"cls\":[\"[CLS]\",2]},");
        json.Append("\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{");
        json.AppendJoin(',', vocab.Distinct().Select((t, i) => $"\"{t}\":{i}"));
        json.Append("}}}");
        var path = Path.Combine(Path.GetTempPath(), "legalrag-bench-wordpiece.json");
        File.WriteAllText(path, json.ToString());
        note = "synthetic WordPiece (shared/ not found)";
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LegalRag.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }

    private static readonly string[] Words =
    [
        "der", "die", "das", "vermieter", "mieter", "vertrag", "gesetz", "absatz", "satz", "frist", "kündigung", "schaden",
        "ersatz", "pflicht", "recht", "anspruch", "gläubiger", "schuldner", "leistung", "zahlung", "eigentum", "besitz",
        "the", "court", "shall", "party", "contract", "article", "law", "person", "data", "processing", "controller",
        "le", "contrat", "loi", "article", "code", "civil", "obligation", "de", "wet", "artikel", "overeenkomst", "seadus",
    ];

    /// <summary>Chunks of ~220 words (well over 128 tokens) drawn from a fixed legal word list.</summary>
    private static string[] LegalishTexts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var words = Enumerable.Range(0, 220).Select(i => Words[random.Next(Words.Length)] + (i % 17 == 16 ? "." : ""));
            return "§ " + random.Next(1, 2400).ToString(CultureInfo.InvariantCulture) + " " + string.Join(' ', words);
        }).ToArray();
    }

    /// <summary>A BERT-style encoder graph with multilingual-e5-small's dimensions and random weights.</summary>
    public static byte[] E5SmallShapedModel(int seed)
    {
        var random = new Random(seed);
        float[] Weights(int count, float scale = 0.02f)
        {
            var values = new float[count];
            for (var i = 0; i < values.Length; i++)
            {
                // Sum of uniforms ~ normal enough for a throughput test; scale as BERT's initializer range.
                values[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2 * scale;
            }

            return values;
        }

        float[] Filled(int count, float value) => Enumerable.Repeat(value, count).ToArray();

        const int headSize = HiddenSize / Heads;
        var g = new GraphBuilder("e5_small_shaped");
        var ids = g.Input("input_ids", TensorDataType.Int64, "batch", "sequence");
        var mask = g.Input("attention_mask", TensorDataType.Int64, "batch", "sequence");
        var types = g.Input("token_type_ids", TensorDataType.Int64, "batch", "sequence");

        // Position ids 0..sequence-1 from the runtime shape: Shape -> Gather(1) -> Range.
        var sequence = g.Gather(g.Node("Shape", [ids])[0], g.Initializer("dim1", [1L]), axis: 0);
        var positions = g.Node("Range", [g.Initializer("zero", [0L]), g.Node("Squeeze", [sequence])[0], g.Initializer("step", [1L])])[0];

        var x = g.Add(g.Add(
                g.Gather(g.Initializer("word_embeddings", Weights(Vocab * HiddenSize), Vocab, HiddenSize), ids),
                g.Gather(g.Initializer("position_embeddings", Weights(MaxPositions * HiddenSize), MaxPositions, HiddenSize), positions)),
            g.Gather(g.Initializer("token_type_embeddings", Weights(2 * HiddenSize), 2, HiddenSize), types));
        x = g.LayerNormalization(x, g.Initializer("emb_ln_g", Filled(HiddenSize, 1f), HiddenSize), g.Initializer("emb_ln_b", Filled(HiddenSize, 0f), HiddenSize), epsilon: 1e-12f);

        // Additive mask [batch, 1, 1, sequence]: 0 for tokens, -10000 for padding.
        var maskFloat = g.Cast(mask, TensorDataType.Float);
        var maskBias = g.Unsqueeze(g.Mul(g.Sub(g.Scalar(1f), maskFloat), g.Scalar(-10000f)), 1, 2);

        for (var layer = 0; layer < Layers; layer++)
        {
            string Dense(string input, int inSize, int outSize, string name) =>
                g.Add(g.MatMul(input, g.Initializer($"l{layer}_{name}_w", Weights(inSize * outSize), inSize, outSize)),
                    g.Initializer($"l{layer}_{name}_b", Filled(outSize, 0f), outSize));

            string Heads4(string t) => g.Reshape(t, 0, 0, Heads, headSize);

            var q = g.Transpose(Heads4(Dense(x, HiddenSize, HiddenSize, "q")), 0, 2, 1, 3);
            var k = g.Transpose(Heads4(Dense(x, HiddenSize, HiddenSize, "k")), 0, 2, 3, 1);
            var v = g.Transpose(Heads4(Dense(x, HiddenSize, HiddenSize, "v")), 0, 2, 1, 3);
            var scores = g.Add(g.Mul(g.MatMul(q, k), g.Scalar(1f / MathF.Sqrt(headSize))), maskBias);
            var context = g.Reshape(g.Transpose(g.MatMul(g.Softmax(scores, -1), v), 0, 2, 1, 3), 0, 0, HiddenSize);
            x = g.LayerNormalization(g.Add(x, Dense(context, HiddenSize, HiddenSize, "o")),
                g.Initializer($"l{layer}_ln1_g", Filled(HiddenSize, 1f), HiddenSize), g.Initializer($"l{layer}_ln1_b", Filled(HiddenSize, 0f), HiddenSize), epsilon: 1e-12f);
            var ffn = Dense(g.Gelu(Dense(x, HiddenSize, Intermediate, "ffn_in")), Intermediate, HiddenSize, "ffn_out");
            x = g.LayerNormalization(g.Add(x, ffn),
                g.Initializer($"l{layer}_ln2_g", Filled(HiddenSize, 1f), HiddenSize), g.Initializer($"l{layer}_ln2_b", Filled(HiddenSize, 0f), HiddenSize), epsilon: 1e-12f);
        }

        g.Output(g.Identity(x, "last_hidden_state"), TensorDataType.Float, "batch", "sequence", HiddenSize);
        return g.Build().ToBytes();
    }
}
