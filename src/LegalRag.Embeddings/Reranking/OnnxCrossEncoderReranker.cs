using LegalRag.Core.Abstractions;
using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Tokenizers;

namespace LegalRag.Embeddings.Reranking;

public sealed record CrossEncoderOptions
{
    public required string ModelPath { get; init; }
    public required string TokenizerPath { get; init; }
    /// <summary>Query and passage together are cut to this many tokens; the query keeps at most a quarter.</summary>
    public int MaxLength { get; init; } = 512;
    public int BatchSize { get; init; } = 16;
    public OnnxSessionOptions Session { get; init; } = new();
}

/// <summary>
/// A cross-encoder (e.g. bge-reranker) behind <see cref="IReranker"/>: query and passage are read
/// together as one sequence and the model's logit is the relevance score. Pairs are built in the
/// tokenizer family's own layout: BERT "[CLS] q [SEP] p [SEP]" with segment ids, XLM-R
/// "&lt;s&gt; q &lt;/s&gt;&lt;/s&gt; p &lt;/s&gt;".
/// </summary>
public sealed class OnnxCrossEncoderReranker : IReranker, IDisposable
{
    private readonly OnnxSession _session;
    private readonly HfTokenizer _tokenizer;
    private readonly CrossEncoderOptions _options;
    private readonly int _start, _separator, _pad;
    private readonly bool _doubleSeparator, _hasTypeIds;
    private readonly string _outputName;

    public OnnxCrossEncoderReranker(CrossEncoderOptions options, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _options = options;
        if (!File.Exists(options.ModelPath)) throw new FileNotFoundException($"Reranker model not found: {options.ModelPath}", options.ModelPath);
        _tokenizer = HfTokenizer.Load(options.TokenizerPath);
        if (_tokenizer.TokenToId("[CLS]") is { } cls && _tokenizer.TokenToId("[SEP]") is { } sep)
        {
            (_start, _separator, _doubleSeparator) = (cls, sep, false);
        }
        else if (_tokenizer.TokenToId("<s>") is { } s && _tokenizer.TokenToId("</s>") is { } e)
        {
            (_start, _separator, _doubleSeparator) = (s, e, true);
        }
        else
        {
            throw new InvalidDataException($"{options.TokenizerPath}: neither [CLS]/[SEP] nor <s>/</s> in the vocabulary; cannot build cross-encoder pairs");
        }
        _pad = _tokenizer.PadId;
        _session = OnnxSession.Open(options.ModelPath, options.Session, logger);
        var inputs = _session.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        if (!inputs.Contains("input_ids") || !inputs.Contains("attention_mask"))
            throw new InvalidDataException($"{options.ModelPath}: a cross-encoder needs inputs input_ids and attention_mask, it has {string.Join(", ", inputs)}");
        _hasTypeIds = inputs.Contains("token_type_ids");
        _outputName = _session.Outputs[0].Name;
    }

    /// <summary>The ids and segment ids of one (query, passage) pair, truncated to the maximum length.</summary>
    public (int[] Ids, int[] TypeIds) EncodePair(string query, string passage)
    {
        var special = _doubleSeparator ? 4 : 3;
        var room = _options.MaxLength - special;
        var q = _tokenizer.Encode(query, room / 4 + 0, addSpecialTokens: false).Ids;
        var p = _tokenizer.Encode(passage, Math.Max(1, room - q.Length), addSpecialTokens: false).Ids;
        var ids = new List<int>(q.Length + p.Length + special) { _start };
        ids.AddRange(q);
        ids.Add(_separator);
        if (_doubleSeparator) ids.Add(_separator);
        var secondStart = ids.Count;
        ids.AddRange(p);
        ids.Add(_separator);
        var types = new int[ids.Count];
        if (!_doubleSeparator) for (var i = secondStart; i < types.Length; i++) types[i] = 1;
        return (ids.ToArray(), types);
    }

    public Task<IReadOnlyList<double>> ScoreAsync(string query, IReadOnlyList<string> passages, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<double>>(() =>
        {
            var scores = new double[passages.Count];
            for (var start = 0; start < passages.Count; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Enumerable.Range(start, Math.Min(_options.BatchSize, passages.Count - start)).Select(i => EncodePair(query, passages[i])).ToList();
                var length = batch.Max(b => b.Ids.Length);
                var ids = new long[batch.Count * length];
                var mask = new long[batch.Count * length];
                var types = new long[batch.Count * length];
                for (var r = 0; r < batch.Count; r++)
                {
                    for (var t = 0; t < length; t++)
                    {
                        var inside = t < batch[r].Ids.Length;
                        ids[r * length + t] = inside ? batch[r].Ids[t] : _pad;
                        mask[r * length + t] = inside ? 1 : 0;
                        types[r * length + t] = inside ? batch[r].TypeIds[t] : 0;
                    }
                }
                var feeds = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal)
                {
                    ["input_ids"] = OnnxTensor.FromArray(ids, batch.Count, length),
                    ["attention_mask"] = OnnxTensor.FromArray(mask, batch.Count, length),
                };
                if (_hasTypeIds) feeds["token_type_ids"] = OnnxTensor.FromArray(types, batch.Count, length);
                var output = _session.Run(feeds, [_outputName])[_outputName];
                var columns = output.Values.Length / batch.Count;
                for (var r = 0; r < batch.Count; r++)
                {
                    // One logit: the score. Two (not relevant, relevant): their difference, monotone in P(relevant).
                    scores[start + r] = columns == 1 ? output.Values[r] : output.Values[r * columns + columns - 1] - output.Values[r * columns];
                }
            }
            return scores;
        }, cancellationToken);

    public void Dispose() => _session.Dispose();
}
