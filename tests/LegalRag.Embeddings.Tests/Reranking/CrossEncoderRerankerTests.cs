using LegalRag.Training.OnnxWriter;
using LegalRag.Embeddings.Reranking;

namespace LegalRag.Embeddings.Tests.Reranking;

public sealed class CrossEncoderRerankerTests
{
    /// <summary>
    /// A cross-encoder-shaped graph with a known answer: logit = Σ_t mask_t · w[id_t], where w is 1 for
    /// the token "miete" and 0 elsewhere. The passage with more "miete" must score higher, by exactly that count.
    /// </summary>
    private static string WriteModel(string dir, int vocab, int mieteId, bool withTypeIds)
    {
        var g = new GraphBuilder("cross-encoder");
        var ids = g.Input("input_ids", TensorDataType.Int64, new TensorDim(null, "batch"), new TensorDim(null, "seq"));
        var mask = g.Input("attention_mask", TensorDataType.Int64, new TensorDim(null, "batch"), new TensorDim(null, "seq"));
        if (withTypeIds) g.Input("token_type_ids", TensorDataType.Int64, new TensorDim(null, "batch"), new TensorDim(null, "seq"));
        var w = new float[vocab];
        w[mieteId] = 1;
        var weights = g.Initializer("w", w, vocab);
        var perToken = g.Gather(weights, ids);
        var masked = g.Mul(perToken, g.Cast(mask, TensorDataType.Float));
        var logit = g.ReduceSum(masked, [1], keepDims: true);
        g.Identity(logit, "logits");
        g.Output("logits", TensorDataType.Float, new TensorDim(null, "batch"), 1);
        var path = Path.Combine(dir, "reranker.onnx");
        g.Build().Save(path);
        return path;
    }

    [Fact]
    public async Task Scores_pairs_through_onnx_runtime_and_ranks_the_relevant_passage_first()
    {
        var tokenizerPath = TestEnvironment.RequireSharedFile("models/tokenizers/all-MiniLM-L6-v2/tokenizer.json");
        var tokenizer = LegalRag.Embeddings.Tokenizers.HfTokenizer.Load(tokenizerPath);
        var dir = Directory.CreateTempSubdirectory("reranker").FullName;
        try
        {
            var word = "rent";
            var wordId = tokenizer.TokenToId(word)!.Value;
            var model = WriteModel(dir, 30522, wordId, withTypeIds: true);
            using var reranker = new OnnxCrossEncoderReranker(new CrossEncoderOptions { ModelPath = model, TokenizerPath = tokenizerPath, BatchSize = 2 });

            var scores = await reranker.ScoreAsync("rent", ["the tenant pays rent and more rent", "the buyer pays the price", "rent"], TestContext.Current.CancellationToken);
            // The query's "rent" counts once in every pair; the passages add 2, 0 and 1.
            Assert.Equal([3.0, 1.0, 2.0], scores);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Pairs_use_bert_layout_with_segment_ids_and_respect_the_length_limit()
    {
        var tokenizerPath = TestEnvironment.RequireSharedFile("models/tokenizers/all-MiniLM-L6-v2/tokenizer.json");
        var tokenizer = LegalRag.Embeddings.Tokenizers.HfTokenizer.Load(tokenizerPath);
        var dir = Directory.CreateTempSubdirectory("reranker").FullName;
        try
        {
            var model = WriteModel(dir, 30522, 0, withTypeIds: true);
            using var reranker = new OnnxCrossEncoderReranker(new CrossEncoderOptions { ModelPath = model, TokenizerPath = tokenizerPath, MaxLength = 16 });
            var (ids, types) = reranker.EncodePair("landlord", string.Join(' ', Enumerable.Repeat("tenant", 50)));
            Assert.Equal(16, ids.Length);
            Assert.Equal(tokenizer.TokenToId("[CLS]"), ids[0]);
            Assert.Equal(tokenizer.TokenToId("[SEP]"), ids[^1]);
            Assert.Equal(0, types[1]);
            Assert.Equal(1, types[^1]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_missing_model_is_a_clear_error()
    {
        var tokenizerPath = TestEnvironment.RequireSharedFile("models/tokenizers/all-MiniLM-L6-v2/tokenizer.json");
        var ex = Assert.Throws<FileNotFoundException>(() => new OnnxCrossEncoderReranker(new CrossEncoderOptions { ModelPath = "/nonexistent/reranker.onnx", TokenizerPath = tokenizerPath }));
        Assert.Contains("/nonexistent/reranker.onnx", ex.Message);
    }
}
