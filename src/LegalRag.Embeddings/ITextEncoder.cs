namespace LegalRag.Embeddings;

/// <summary>Token ids of one text (special tokens included) and their segment ids, before padding.</summary>
public sealed record TokenEncoding(int[] Ids, int[] TypeIds)
{
    public int Length => Ids.Length;
}

/// <summary>
/// Turns text into the integer ids a model's input_ids/token_type_ids expect. The Hugging Face tokenizer is one
/// implementation; a model that takes hashed word buckets instead plugs in its own featurizer here, and the
/// embedding generator stays the same (it pads, builds attention masks and feeds the session).
/// </summary>
public interface ITextEncoder
{
    /// <summary>Id used for padding positions (masked out by the attention mask).</summary>
    int PadId { get; }

    /// <summary>Encodes one text, truncated so that the result (special tokens included) has at most <paramref name="maxTokens"/> ids.</summary>
    TokenEncoding Encode(string text, int maxTokens);
}

/// <summary>A right-padded batch: row-major [BatchSize, SequenceLength] int64 arrays, ready to wrap as tensors.</summary>
public sealed class TokenizedBatch
{
    private TokenizedBatch(int batchSize, int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds)
    {
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    public long[] InputIds { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    public long[] TokenTypeIds { get; }

    /// <summary>Pads every encoding to the longest one (at least 1 so tensors never have a zero dimension).</summary>
    public static TokenizedBatch Pad(IReadOnlyList<TokenEncoding> encodings, int padId)
    {
        var batch = encodings.Count;
        var length = Math.Max(1, encodings.Count == 0 ? 1 : encodings.Max(e => e.Length));
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var types = new long[batch * length];
        Array.Fill(ids, padId);
        for (var row = 0; row < batch; row++)
        {
            var encoding = encodings[row];
            var offset = row * length;
            for (var i = 0; i < encoding.Length; i++)
            {
                ids[offset + i] = encoding.Ids[i];
                mask[offset + i] = 1;
                types[offset + i] = encoding.TypeIds[i];
            }
        }

        return new TokenizedBatch(batch, length, ids, mask, types);
    }
}
