using LegalRag.Embeddings.Onnx;
using LegalRag.Training.OnnxWriter;
using LegalRag.Embeddings.Tokenizers;
using Microsoft.Extensions.AI;

namespace LegalRag.Embeddings.Tests.Embeddings;

/// <summary>
/// The generator over a generated "embedding table" model: last_hidden_state = word[ids] + type[token_type_ids],
/// so the expected pooled vectors can be computed directly from the tokenizer's ids and the tables.
/// </summary>
public sealed class OnnxEmbeddingGeneratorTests
{
    private const int Hidden = 8;
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(TestEnvironment.TestDataPath("unigram-fixture/tokenizer.json"));
    private static readonly float[] WordTable = RandomTable(67 * Hidden, seed: 3);
    private static readonly float[] TypeTable = RandomTable(2 * Hidden, seed: 4);

    private static float[] RandomTable(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static byte[] TableModel(bool withTokenTypes = true, string outputName = "last_hidden_state", bool pooledOutput = false)
    {
        var g = new GraphBuilder("table");
        var ids = g.Input("input_ids", TensorDataType.Int64, "batch", "seq");
        g.Input("attention_mask", TensorDataType.Int64, "batch", "seq");
        var states = g.Gather(g.Initializer("word", WordTable, 67, Hidden), ids);
        if (withTokenTypes)
        {
            var types = g.Input("token_type_ids", TensorDataType.Int64, "batch", "seq");
            states = g.Add(states, g.Gather(g.Initializer("type", TypeTable, 2, Hidden), types));
        }

        if (pooledOutput)
        {
            states = g.ReduceMean(states, [1], keepDims: false);
        }

        g.Output(g.Identity(states, outputName), TensorDataType.Float, pooledOutput ? ["batch", Hidden] : ["batch", "seq", Hidden]);
        return g.Build().ToBytes();
    }

    private static float[] ExpectedMean(string text, bool withTokenTypes = true, bool normalize = true)
    {
        var ids = Tokenizer.Encode(text, 512).Ids;
        var vector = new float[Hidden];
        foreach (var id in ids)
        {
            for (var j = 0; j < Hidden; j++)
            {
                vector[j] += WordTable[id * Hidden + j] + (withTokenTypes ? TypeTable[j] : 0);
            }
        }

        for (var j = 0; j < Hidden; j++)
        {
            vector[j] /= ids.Length;
        }

        if (normalize)
        {
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            for (var j = 0; j < Hidden; j++)
            {
                vector[j] /= norm;
            }
        }

        return vector;
    }

    private static OnnxEmbeddingGenerator Generator(OnnxEmbeddingOptions? options = null, byte[]? model = null, ITextEncoder? encoder = null)
    {
        var session = OnnxSession.Open(model ?? TableModel(), description: "table-model");
        return new OnnxEmbeddingGenerator(session, encoder ?? Tokenizer, options ?? new OnnxEmbeddingOptions { BatchSize = 2 }, ownsSession: true);
    }

    private static readonly string[] Texts =
    [
        "das Gesetz und das Recht, rechts recht Artikel 12.",
        "the law",
        "la loi, l'Article 1.",
        "",
        "seadus ja seadused de wet en het recht",
    ];

    [Fact]
    public async Task Mean_pooled_normalized_vectors_match_the_table_arithmetic_in_input_order()
    {
        using var generator = Generator();
        var embeddings = await generator.GenerateAsync(Texts, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Texts.Length, embeddings.Count);
        for (var i = 0; i < Texts.Length; i++)
        {
            Onnx.ReferenceMath.AssertClose(ExpectedMean(Texts[i]), embeddings[i].Vector.ToArray(), 1e-5f);
            Assert.Equal(1f, MathF.Sqrt(embeddings[i].Vector.ToArray().Sum(v => v * v)), 4);
            Assert.Equal("table-model", embeddings[i].ModelId);
        }

        var tokens = Texts.Sum(t => Tokenizer.Encode(t, 512).Length);
        Assert.Equal(tokens, embeddings.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Cls_pooling_takes_the_first_token_and_normalize_can_be_off()
    {
        using var generator = Generator(new OnnxEmbeddingOptions { Pooling = EmbeddingPooling.Cls, Normalize = false });
        var embedding = (await generator.GenerateAsync(["the law"], cancellationToken: TestContext.Current.CancellationToken))[0];
        var first = Tokenizer.Encode("the law", 512).Ids[0];
        var expected = Enumerable.Range(0, Hidden).Select(j => WordTable[first * Hidden + j] + TypeTable[j]).ToArray();
        Onnx.ReferenceMath.AssertClose(expected, embedding.Vector.ToArray(), 1e-6f);
    }

    [Fact]
    public async Task Query_and_passage_prefixes_are_prepended_by_input_kind()
    {
        using var generator = Generator(new OnnxEmbeddingOptions { QueryPrefix = "the law ", PassagePrefix = "de wet " });
        var ct = TestContext.Current.CancellationToken;

        var query = (await generator.GenerateAsync(["recht"], EmbeddingInputKind.QueryOptions(), ct))[0];
        var passage = (await generator.GenerateAsync(["recht"], EmbeddingInputKind.PassageOptions(), ct))[0];
        var unspecified = (await generator.GenerateAsync(["recht"], cancellationToken: ct))[0];

        Onnx.ReferenceMath.AssertClose(ExpectedMean("the law recht"), query.Vector.ToArray(), 1e-5f);
        Onnx.ReferenceMath.AssertClose(ExpectedMean("de wet recht"), passage.Vector.ToArray(), 1e-5f);
        Assert.Equal(passage.Vector.ToArray(), unspecified.Vector.ToArray());

        var bad = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingInputKind.PropertyName] = "question" } };
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], bad, ct));
    }

    [Fact]
    public async Task Model_without_token_type_ids_and_with_a_pooled_output_works()
    {
        using var withoutTypes = Generator(model: TableModel(withTokenTypes: false));
        var a = (await withoutTypes.GenerateAsync(["the law"], cancellationToken: TestContext.Current.CancellationToken))[0];
        Onnx.ReferenceMath.AssertClose(ExpectedMean("the law", withTokenTypes: false), a.Vector.ToArray(), 1e-5f);

        using var pooled = Generator(model: TableModel(outputName: "sentence_embedding", pooledOutput: true));
        var b = (await pooled.GenerateAsync(["the law"], cancellationToken: TestContext.Current.CancellationToken))[0];
        Onnx.ReferenceMath.AssertClose(ExpectedMean("the law"), b.Vector.ToArray(), 1e-5f);
    }

    [Fact]
    public async Task Generator_built_from_file_paths_reports_metadata()
    {
        var modelPath = Path.Combine(Path.GetTempPath(), $"table-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(modelPath, TableModel(), TestContext.Current.CancellationToken);
        try
        {
            using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions
            {
                ModelPath = modelPath,
                TokenizerPath = TestEnvironment.TestDataPath("unigram-fixture/tokenizer.json"),
                ModelId = "table",
                Dimensions = Hidden,
                ExecutionProvider = ExecutionProvider.Cpu,
                IntraOpThreads = 1,
            });

            var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
            Assert.NotNull(metadata);
            Assert.Equal("table", metadata.DefaultModelId);
            Assert.Equal(Hidden, metadata.DefaultModelDimensions);
            Assert.Same(generator, generator.GetService<OnnxEmbeddingGenerator>());

            var vector = await generator.GenerateVectorAsync("the law", cancellationToken: TestContext.Current.CancellationToken);
            Onnx.ReferenceMath.AssertClose(ExpectedMean("the law"), vector.ToArray(), 1e-5f);
        }
        finally
        {
            File.Delete(modelPath);
        }
    }

    [Fact]
    public async Task Empty_input_gives_empty_result()
    {
        using var generator = Generator();
        Assert.Empty(await generator.GenerateAsync([], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Misconfiguration_is_reported_with_the_model_name()
    {
        var dims = Assert.Throws<ArgumentException>(() => Generator(new OnnxEmbeddingOptions { Dimensions = 384 }));
        Assert.Contains("8-dimensional", dims.Message);

        var g = new GraphBuilder("odd");
        var pixels = g.Input("pixel_values", TensorDataType.Float, "batch", 3);
        g.Output(g.Mul(pixels, g.Scalar(1f)), TensorDataType.Float, "batch", 3);
        var session = OnnxSession.Open(g.Build().ToBytes(), description: "vision-model");
        using (session)
        {
            var input = Assert.Throws<NotSupportedException>(() => new OnnxEmbeddingGenerator(session, Tokenizer, new OnnxEmbeddingOptions()));
            Assert.Contains("pixel_values", input.Message);
            Assert.Contains("vision-model", input.Message);
        }

        Assert.Throws<FileNotFoundException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions
        {
            ModelPath = "/nonexistent/model.onnx",
            TokenizerPath = TestEnvironment.TestDataPath("unigram-fixture/tokenizer.json"),
        }));
    }

    [Fact]
    public async Task Cancellation_is_observed_between_batches()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var encoder = new CancellingEncoder(Tokenizer, cts, cancelAfter: Texts.Length);
        using var generator = Generator(new OnnxEmbeddingOptions { BatchSize = 1 }, encoder: encoder);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(Texts, cancellationToken: cts.Token));
        Assert.Equal(Texts.Length, encoder.Calls);
    }

    [Fact]
    public async Task Requested_dimensions_must_match_the_model()
    {
        using var generator = Generator();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 3 }, TestContext.Current.CancellationToken));
    }

    /// <summary>Hand-written encoder that cancels once every text is encoded, i.e. after the generator started but before any batch ran.</summary>
    private sealed class CancellingEncoder(ITextEncoder inner, CancellationTokenSource cts, int cancelAfter) : ITextEncoder
    {
        public int Calls { get; private set; }

        public int PadId => inner.PadId;

        public TokenEncoding Encode(string text, int maxTokens)
        {
            if (++Calls == cancelAfter)
            {
                cts.Cancel();
            }

            return inner.Encode(text, maxTokens);
        }
    }
}
