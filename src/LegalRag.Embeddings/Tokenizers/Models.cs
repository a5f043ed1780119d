using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace LegalRag.Embeddings.Tokenizers;

/// <summary>A tokenizer.json "model": maps one pre-tokenized word to vocabulary ids.</summary>
internal interface ITokenizerModel
{
    int UnknownId { get; }

    bool TryGetId(string token, out int id);

    void EncodeWord(string word, List<int> ids);
}

internal static class TokenizerModels
{
    public static ITokenizerModel Create(JsonElement config)
    {
        var type = config.OptionalString("type") ?? (config.TryGetProperty("continuing_subword_prefix", out _) ? "WordPiece" : null);
        return type switch
        {
            "WordPiece" => LibraryWordPieceModel.FromConfig(config),
            "Unigram" => UnigramModel.FromConfig(config),
            _ => throw new NotSupportedException($"model type '{type ?? "(none)"}' is not supported (WordPiece and Unigram are)"),
        };
    }
}

/// <summary>
/// BERT WordPiece through Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/>: greedy longest-match-first,
/// "##" continuation pieces, [UNK] for a word with an unmatchable remainder or over max_input_chars_per_word.
/// The library gets one word at a time, already normalized and split by our <see cref="BertNormalizer"/> and
/// <see cref="BertPreTokenizer"/>, because its own BERT front end departs from Hugging Face's where our golden ids
/// check it: it deletes tabs and newlines instead of turning them into spaces, splits words with a \w pattern that
/// keeps "_" attached and silently drops symbols ("+", "$", "€", "°"), and recomposes text with NFC after stripping
/// accents, which turns decomposed Hangul back into syllables the vocabulary lacks.
/// </summary>
internal sealed class LibraryWordPieceModel : ITokenizerModel
{
    private readonly WordPieceTokenizer _tokenizer;
    private readonly Dictionary<string, int> _vocab;

    private LibraryWordPieceModel(WordPieceTokenizer tokenizer, Dictionary<string, int> vocab)
    {
        _tokenizer = tokenizer;
        _vocab = vocab;
        UnknownId = tokenizer.UnknownTokenId;
    }

    public int UnknownId { get; }

    /// <summary>The "model" object of a tokenizer.json: its vocab becomes the one-token-per-line list the library reads.</summary>
    public static LibraryWordPieceModel FromConfig(JsonElement config)
    {
        var byId = new SortedDictionary<int, string>();
        foreach (var entry in config.GetProperty("vocab").EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (!byId.TryAdd(id, entry.Name))
            {
                throw new FormatException($"WordPiece vocab gives id {id} to both '{byId[id]}' and '{entry.Name}'");
            }
        }

        // The library numbers tokens by line, so the ids must run 0..n-1 without gaps.
        var expected = 0;
        foreach (var id in byId.Keys)
        {
            if (id != expected++)
            {
                throw new FormatException($"WordPiece vocab ids are not contiguous: id {expected - 1} is missing");
            }
        }

        return Create(byId.Values.ToList(), config.OptionalString("unk_token") ?? "[UNK]",
            config.OptionalString("continuing_subword_prefix") ?? "##", config.OptionalInt("max_input_chars_per_word") ?? 100);
    }

    /// <summary>A BERT vocab.txt (one token per line, the line number is the id), as sentence-transformers models ship it.</summary>
    public static LibraryWordPieceModel FromVocabLines(IReadOnlyList<string> tokens, string unknownToken = "[UNK]") =>
        Create(tokens, unknownToken, "##", 100);

    private static LibraryWordPieceModel Create(IReadOnlyList<string> tokens, string unknownToken, string prefix, int maxInputCharsPerWord)
    {
        var vocab = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var text = new StringBuilder();
        for (var id = 0; id < tokens.Count; id++)
        {
            var token = tokens[id];
            if (token.Length == 0 || token.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new FormatException($"WordPiece token {id} is empty or contains a line break");
            }

            // A duplicate keeps its first id, as Hugging Face's vocab loading does.
            vocab.TryAdd(token, id);
            text.Append(token).Append('\n');
        }

        if (!vocab.ContainsKey(unknownToken))
        {
            throw new FormatException($"WordPiece unk_token '{unknownToken}' is not in the vocabulary");
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        var tokenizer = WordPieceTokenizer.Create(stream, new WordPieceOptions
        {
            UnknownToken = unknownToken,
            ContinuingSubwordPrefix = prefix,
            MaxInputCharsPerWord = maxInputCharsPerWord,
        });
        return new LibraryWordPieceModel(tokenizer, vocab);
    }

    public bool TryGetId(string token, out int id) => _vocab.TryGetValue(token, out id);

    public void EncodeWord(string word, List<int> ids) =>
        // The word is already normalized and pre-tokenized (see the type summary): the library only segments it.
        ids.AddRange(_tokenizer.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
}

/// <summary>
/// SentencePiece Unigram: the segmentation of the word maximizing the summed piece log-probabilities (Viterbi over
/// a lattice of every vocabulary piece matching at every position). A character no piece covers becomes
/// &lt;unk&gt; with score min-10, and runs of &lt;unk&gt; fuse into one.
/// </summary>
internal sealed class UnigramModel : ITokenizerModel
{
    private const double UnknownPenalty = 10.0;

    private readonly Dictionary<string, int> _ids;
    private readonly double[] _scores;
    private readonly TrieNode _root = new();

    private UnigramModel(List<(string Piece, double Score)> vocab, int unknownId)
    {
        _ids = new Dictionary<string, int>(vocab.Count, StringComparer.Ordinal);
        _scores = new double[vocab.Count];
        for (var i = 0; i < vocab.Count; i++)
        {
            _ids.TryAdd(vocab[i].Piece, i);
            _scores[i] = vocab[i].Score;
            Insert(vocab[i].Piece, i);
        }

        UnknownId = unknownId;
        UnknownScore = _scores.Min() - UnknownPenalty;
        _scores[unknownId] = UnknownScore;
    }

    public int UnknownId { get; }

    private double UnknownScore { get; }

    public static UnigramModel FromConfig(JsonElement config)
    {
        if (config.OptionalBool("byte_fallback") == true)
        {
            throw new NotSupportedException("Unigram byte_fallback is not supported");
        }

        var vocab = new List<(string, double)>();
        foreach (var entry in config.GetProperty("vocab").EnumerateArray())
        {
            vocab.Add((entry[0].GetString() ?? "", entry[1].GetDouble()));
        }

        var unk = config.OptionalInt("unk_id") ?? throw new FormatException("Unigram model has no unk_id");
        if (unk < 0 || unk >= vocab.Count)
        {
            throw new FormatException($"Unigram unk_id {unk} is outside the vocabulary (size {vocab.Count})");
        }

        return new UnigramModel(vocab, unk);
    }

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public void EncodeWord(string word, List<int> ids)
    {
        var runes = word.EnumerateRunes().Select(r => r.Value).ToArray();
        var n = runes.Length;
        if (n == 0)
        {
            return;
        }

        // Lattice nodes ending at each position, in insertion order; ties keep the first-inserted best (as
        // SentencePiece and the HF implementations do), so the order of insertion matters.
        var endingAt = new List<Node>[n + 1];
        for (var i = 0; i <= n; i++)
        {
            endingAt[i] = [];
        }

        var beginningAt = new List<Node>[n + 1];
        for (var i = 0; i <= n; i++)
        {
            beginningAt[i] = [];
        }

        var bos = new Node(-1, 0, 0, 0);
        endingAt[0].Add(bos);
        for (var begin = 0; begin < n; begin++)
        {
            var hasSingle = false;
            var node = _root;
            for (var end = begin; end < n; end++)
            {
                if (node.Children is null || !node.Children.TryGetValue(runes[end], out node))
                {
                    break;
                }

                if (node.PieceId >= 0)
                {
                    var lattice = new Node(node.PieceId, begin, end + 1 - begin, _scores[node.PieceId]);
                    beginningAt[begin].Add(lattice);
                    endingAt[end + 1].Add(lattice);
                    hasSingle |= end == begin;
                }
            }

            if (!hasSingle)
            {
                var unknown = new Node(UnknownId, begin, 1, UnknownScore);
                beginningAt[begin].Add(unknown);
                endingAt[begin + 1].Add(unknown);
            }
        }

        var eos = new Node(-1, n, 0, 0);
        beginningAt[n].Add(eos);

        for (var pos = 0; pos <= n; pos++)
        {
            foreach (var right in beginningAt[pos])
            {
                Node? best = null;
                var bestScore = 0.0;
                foreach (var left in endingAt[pos])
                {
                    var score = left.BacktraceScore + right.Score;
                    if (best is null || score > bestScore)
                    {
                        best = left;
                        bestScore = score;
                    }
                }

                right.Previous = best;
                right.BacktraceScore = bestScore;
            }
        }

        var path = new List<int>();
        for (var node = eos.Previous; node is not null && node != bos; node = node.Previous)
        {
            path.Add(node.PieceId);
        }

        path.Reverse();
        var previousUnknown = false;
        foreach (var id in path)
        {
            var unknown = id == UnknownId;
            if (!(unknown && previousUnknown))
            {
                ids.Add(id);
            }

            previousUnknown = unknown;
        }
    }

    private void Insert(string piece, int id)
    {
        var node = _root;
        foreach (var rune in piece.EnumerateRunes())
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(rune.Value, out var child))
            {
                child = new TrieNode();
                node.Children[rune.Value] = child;
            }

            node = child;
        }

        if (node.PieceId < 0)
        {
            node.PieceId = id;
        }
    }

    private sealed class TrieNode
    {
        public Dictionary<int, TrieNode>? Children;
        public int PieceId = -1;
    }

    private sealed class Node(int pieceId, int position, int length, double score)
    {
        public int PieceId { get; } = pieceId;

        public int Position { get; } = position;

        public int Length { get; } = length;

        public double Score { get; } = score;

        public double BacktraceScore { get; set; }

        public Node? Previous { get; set; }
    }
}
