using System.Text.Json;

namespace LegalRag.Embeddings.Tokenizers;

/// <summary>
/// A Hugging Face tokenizer loaded from tokenizer.json (or a BERT vocab.txt): WordPiece (BERT family) or Unigram
/// (XLM-R / SentencePiece family), with their normalizers, pre-tokenizers and special-token templates. Truncation
/// keeps the special tokens (as HF tokenizers do) and cuts the content. Thread-safe after loading.
/// WordPiece segmentation comes from Microsoft.ML.Tokenizers (see <see cref="LibraryWordPieceModel"/>). The rest is
/// ours because the library cannot do it: it has no tokenizer.json loader at all, its SentencePiece tokenizer reads
/// only .model protobuf files (so Unigram models in tokenizer.json, their Precompiled/Replace normalizers and Metaspace
/// pre-tokenizer are ours), and its BERT normalizer and pre-tokenizer depart from Hugging Face's ids.
/// </summary>
public sealed class HfTokenizer : ITextEncoder
{
    /// <summary>tokenizer.json files above this size are refused (the largest real ones, XLM-R's, are ~17 MB).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>Characters of one input considered; beyond this the text is cut before tokenizing (it would be truncated anyway).</summary>
    public const int MaxInputChars = 200_000;

    private readonly INormalizer? _normalizer;
    private readonly IPreTokenizer? _preTokenizer;
    private readonly ITokenizerModel _model;
    private readonly SpecialTokenTemplate _template;
    private readonly AddedTokenSplitter _rawAddedTokens;
    private readonly AddedTokenSplitter _normalizedAddedTokens;

    private HfTokenizer(string source, INormalizer? normalizer, IPreTokenizer? preTokenizer, ITokenizerModel model,
        SpecialTokenTemplate template, AddedTokenSplitter raw, AddedTokenSplitter normalized, int padId, int defaultMaxLength)
    {
        Source = source;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _template = template;
        _rawAddedTokens = raw;
        _normalizedAddedTokens = normalized;
        PadId = padId;
        DefaultMaxLength = defaultMaxLength;
    }

    /// <summary>The file the tokenizer came from (for error messages).</summary>
    public string Source { get; }

    public int PadId { get; }

    /// <summary>truncation.max_length from the file, else 512.</summary>
    public int DefaultMaxLength { get; }

    /// <summary>Number of special ids added around a single sequence ([CLS] and [SEP]: 2).</summary>
    public int SpecialTokenCount => _template.AddedCount;

    /// <summary>
    /// Loads tokenizer.json, or a vocab.txt (by its extension) as an uncased BERT vocabulary (<see cref="LoadBertVocab"/>).
    /// Errors name the file and what in it is wrong or unsupported.
    /// </summary>
    public static HfTokenizer Load(string path)
    {
        if (string.Equals(Path.GetExtension(path), ".txt", StringComparison.OrdinalIgnoreCase))
        {
            return LoadBertVocab(path);
        }

        var fullPath = Path.GetFullPath(path);
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Tokenizer file not found: {fullPath}", fullPath);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"Tokenizer file {fullPath} is {info.Length} bytes, over the {MaxFileBytes}-byte limit");
        }

        using var stream = File.OpenRead(fullPath);
        return Load(stream, fullPath);
    }

    public static HfTokenizer Load(Stream json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return FromJson(document.RootElement, source);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"Tokenizer {source} cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A BERT-family tokenizer from a vocab.txt alone (one token per line, the line number is the id), as
    /// sentence-transformers models such as all-MiniLM-L6-v2 ship it: BERT normalization (lowercased and accents
    /// stripped when <paramref name="lowercase"/>), BERT pre-tokenization, WordPiece, and "[CLS] text [SEP]".
    /// </summary>
    public static HfTokenizer LoadBertVocab(string path, bool lowercase = true, int maxLength = 512)
    {
        var fullPath = Path.GetFullPath(path);
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Vocabulary file not found: {fullPath}", fullPath);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"Vocabulary file {fullPath} is {info.Length} bytes, over the {MaxFileBytes}-byte limit");
        }

        try
        {
            // Only the line break ends a token: a vocabulary may hold tokens with spaces at either end.
            var tokens = File.ReadAllText(fullPath).Split('\n').Select(line => line.TrimEnd('\r')).ToList();
            if (tokens.Count > 0 && tokens[^1].Length == 0)
            {
                tokens.RemoveAt(tokens.Count - 1);
            }

            var model = LibraryWordPieceModel.FromVocabLines(tokens);
            int Required(string token) => model.TryGetId(token, out var id) ? id : throw new FormatException($"the vocabulary has no {token}");
            var specials = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }
                .Where(t => model.TryGetId(t, out _))
                .Select(t => new AddedToken(t, Required(t), LeftStrip: false, RightStrip: false));
            return new HfTokenizer(fullPath, new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase),
                new BertPreTokenizer(), model, SpecialTokenTemplate.Bert(Required("[CLS]"), Required("[SEP]")),
                new AddedTokenSplitter(specials), new AddedTokenSplitter([]), Required("[PAD]"), maxLength);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Vocabulary {fullPath} cannot be used: {ex.Message}", ex);
        }
    }

    private static HfTokenizer FromJson(JsonElement root, string source)
    {
        var model = TokenizerModels.Create(root.GetProperty("model"));
        var normalizer = root.TryGetProperty("normalizer", out var n) ? Normalizers.Create(n) : null;
        var preTokenizer = root.TryGetProperty("pre_tokenizer", out var p) ? PreTokenizers.Create(p) : null;
        var template = root.TryGetProperty("post_processor", out var pp) ? SpecialTokenTemplate.Create(pp) : SpecialTokenTemplate.None;

        var raw = new List<AddedToken>();
        var normalized = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                var content = token.RequiredString("content");
                if (content.Length == 0)
                {
                    continue;
                }

                var entry = new AddedToken(content, token.GetProperty("id").GetInt32(),
                    token.OptionalBool("lstrip") ?? false, token.OptionalBool("rstrip") ?? false);
                if (token.OptionalBool("normalized") ?? !(token.OptionalBool("special") ?? false))
                {
                    normalized.Add(entry with { Content = normalizer?.Normalize(content) ?? content });
                }
                else
                {
                    raw.Add(entry);
                }
            }
        }

        var padId = 0;
        if (root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object && padding.OptionalInt("pad_id") is { } configuredPad)
        {
            padId = configuredPad;
        }
        else if (model.TryGetId("[PAD]", out var bertPad))
        {
            padId = bertPad;
        }
        else if (model.TryGetId("<pad>", out var spPad))
        {
            padId = spPad;
        }

        var maxLength = 512;
        if (root.TryGetProperty("truncation", out var truncation) && truncation.ValueKind == JsonValueKind.Object && truncation.OptionalInt("max_length") is { } configuredMax)
        {
            maxLength = configuredMax;
        }

        return new HfTokenizer(source, normalizer, preTokenizer, model, template,
            new AddedTokenSplitter(raw), new AddedTokenSplitter(normalized), padId, maxLength);
    }

    /// <summary>Ids for <paramref name="text"/>, special tokens included, truncated to <paramref name="maxTokens"/> (the file's max_length when null).</summary>
    public TokenEncoding Encode(string text, int? maxTokens = null, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var limit = maxTokens ?? DefaultMaxLength;
        var room = limit - (addSpecialTokens ? _template.AddedCount : 0);
        if (room < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), limit, $"max length {limit} leaves no room for the {_template.AddedCount} special tokens");
        }

        if (text.Length > MaxInputChars)
        {
            // Cut on a code-point boundary.
            var cut = char.IsHighSurrogate(text[MaxInputChars - 1]) ? MaxInputChars - 1 : MaxInputChars;
            text = text[..cut];
        }

        var content = new List<int>();
        var sectionIndex = 0;
        foreach (var section in _rawAddedTokens.Split(text))
        {
            if (content.Count >= room)
            {
                break;
            }

            if (section.TokenId is { } rawId)
            {
                content.Add(rawId);
            }
            else
            {
                var normalized = _normalizer?.Normalize(section.Text) ?? section.Text;
                foreach (var sub in _normalizedAddedTokens.Split(normalized))
                {
                    if (sub.TokenId is { } normalizedId)
                    {
                        content.Add(normalizedId);
                        continue;
                    }

                    var words = _preTokenizer?.Split(sub.Text, sectionIndex) ?? [sub.Text];
                    foreach (var word in words)
                    {
                        if (content.Count >= room)
                        {
                            break;
                        }

                        _model.EncodeWord(word, content);
                    }
                }
            }

            sectionIndex++;
        }

        if (content.Count > room)
        {
            content.RemoveRange(room, content.Count - room);
        }

        return _template.Apply(content, addSpecialTokens);
    }

    TokenEncoding ITextEncoder.Encode(string text, int maxTokens) => Encode(text, maxTokens);

    /// <summary>Encodes and right-pads a batch to its longest member, with attention masks.</summary>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, int? maxTokens = null)
        => TokenizedBatch.Pad(texts.Select(t => Encode(t, maxTokens)).ToArray(), PadId);

    /// <summary>Vocabulary id of a token string, if present.</summary>
    public int? TokenToId(string token) => _model.TryGetId(token, out var id) ? id : null;
}

internal sealed record AddedToken(string Content, int Id, bool LeftStrip, bool RightStrip);

/// <summary>Cuts text around added tokens (e.g. a literal "[MASK]"), which bypass normalization and the model.</summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _tokens;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
        // Longest first, so "[MASK]" wins over a hypothetical "[MAS".
        => _tokens = tokens.OrderByDescending(t => t.Content.Length).ToArray();

    public readonly record struct Section(string Text, int? TokenId);

    public List<Section> Split(string text)
    {
        var sections = new List<Section>();
        if (_tokens.Length == 0)
        {
            if (text.Length > 0)
            {
                sections.Add(new Section(text, null));
            }

            return sections;
        }

        var start = 0;
        var trimNextStart = false;
        for (var i = 0; i < text.Length;)
        {
            var match = Match(text, i);
            if (match is null)
            {
                i++;
                continue;
            }

            AddText(text[start..i], match.LeftStrip, trimNextStart);
            sections.Add(new Section(match.Content, match.Id));
            trimNextStart = match.RightStrip;
            i += match.Content.Length;
            start = i;
        }

        AddText(text[start..], trimEnd: false, trimNextStart);
        return sections;

        void AddText(string piece, bool trimEnd, bool trimStart)
        {
            if (trimEnd)
            {
                piece = piece.TrimEnd();
            }

            if (trimStart)
            {
                piece = piece.TrimStart();
            }

            if (piece.Length > 0)
            {
                sections.Add(new Section(piece, null));
            }
        }
    }

    private AddedToken? Match(string text, int index)
    {
        foreach (var token in _tokens)
        {
            if (string.CompareOrdinal(text, index, token.Content, 0, token.Content.Length) == 0 && index + token.Content.Length <= text.Length)
            {
                return token;
            }
        }

        return null;
    }
}
