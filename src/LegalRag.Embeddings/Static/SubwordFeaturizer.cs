using System.Globalization;
using System.Text;

namespace LegalRag.Embeddings.Static;

/// <summary>
/// Settings of the hashed subword featurizer. They are part of the model: the same text must map to the same rows
/// at training and at serving time, so they are written to the model directory and baked into the ONNX graph as a
/// signature that the loader compares.
/// </summary>
public sealed record FeaturizerSettings
{
    public const string HashedSubwordKind = "hashed-subword";

    /// <summary>Featurizer algorithm; only <see cref="HashedSubwordKind"/> exists.</summary>
    public string Kind { get; init; } = HashedSubwordKind;

    /// <summary>Version of the normalization and hashing rules; bump when they change.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Rows for whole words (hashed, fastText-style, so no vocabulary has to ship with the model).</summary>
    public int WordBuckets { get; init; } = 1 << 17;

    /// <summary>Rows for character n-grams of "&lt;word&gt;".</summary>
    public int NgramBuckets { get; init; } = 1 << 18;

    public int MinN { get; init; } = 3;

    public int MaxN { get; init; } = 6;

    /// <summary>Only the first this many characters of a word produce n-grams: a hostile 1 MB "word" stays cheap.</summary>
    public int MaxWordChars { get; init; } = 40;

    /// <summary>Rows of the feature table without the padding row.</summary>
    public int Rows => WordBuckets + NgramBuckets;

    /// <summary>Checks the settings are usable; the message names what is wrong.</summary>
    public void Validate(string source)
    {
        if (Kind != HashedSubwordKind) throw new InvalidDataException($"{source}: featurizer kind '{Kind}' is not supported (expected '{HashedSubwordKind}')");
        if (Version != 1) throw new InvalidDataException($"{source}: featurizer version {Version} is not supported (this build knows version 1)");
        if (WordBuckets is < 1 or > 1 << 24 || NgramBuckets is < 1 or > 1 << 24)
            throw new InvalidDataException($"{source}: bucket counts must be between 1 and {1 << 24} (word {WordBuckets}, n-gram {NgramBuckets})");
        if (MinN < 1 || MaxN < MinN || MaxN > 12) throw new InvalidDataException($"{source}: n-gram lengths must satisfy 1 <= MinN <= MaxN <= 12 (got {MinN}..{MaxN})");
        if (MaxWordChars is < 1 or > 1000) throw new InvalidDataException($"{source}: MaxWordChars must be between 1 and 1000 (got {MaxWordChars})");
    }

    /// <summary>Integers baked into the ONNX graph; a model directory whose JSON disagrees with its graph is refused.</summary>
    public long[] Signature(int dimensions) => [Version, WordBuckets, NgramBuckets, MinN, MaxN, MaxWordChars, dimensions];
}

/// <summary>
/// Text → bucket rows, the fastText way: every normalized word contributes its own (hashed) row plus one row per
/// character n-gram (lengths MinN..MaxN) of "&lt;word&gt;". Unknown and misspelt words still share n-grams with known
/// ones, which is what lets a model trained on federal law embed any German text. Also the <see cref="ITextEncoder"/>
/// that feeds the exported graph: the ids it returns are the rows the graph gathers.
/// </summary>
public sealed class SubwordFeaturizer : ITextEncoder
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    public SubwordFeaturizer(FeaturizerSettings settings)
    {
        settings.Validate("featurizer settings");
        Settings = settings;
    }

    public FeaturizerSettings Settings { get; }

    /// <summary>The padding row: one past the last feature row; its weight and vector are zero.</summary>
    public int PadId => Settings.Rows;

    /// <summary>
    /// Lower-cased runs of letters and digits. "§" and punctuation separate words; umlauts and ß are kept, since
    /// German distinguishes "Buße" from "Busse" and the n-grams already link inflected forms.
    /// </summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text)
        {
            if (char.IsLetterOrDigit(raw))
            {
                current.Append(char.ToLowerInvariant(raw));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    /// <summary>How many words <see cref="Words"/> would return, without allocating them.</summary>
    public static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord) count++;
            inWord = letter;
        }

        return count;
    }

    /// <summary>Row of a whole word.</summary>
    public int WordRow(string word) => (int)(Hash(word.AsSpan(0, Math.Min(word.Length, Settings.MaxWordChars * 4)), 'w') % (uint)Settings.WordBuckets);

    /// <summary>Appends the rows of one normalized word: its word row first, then its n-gram rows.</summary>
    public void AddWordFeatures(string word, List<int> rows)
    {
        rows.Add(WordRow(word));
        var length = Math.Min(word.Length, Settings.MaxWordChars);
        // "<word>" without allocating it: position -1 is '<', position length is '>'.
        var bounded = length + 2;
        Span<char> buffer = stackalloc char[bounded];
        buffer[0] = '<';
        word.AsSpan(0, length).CopyTo(buffer[1..]);
        buffer[^1] = '>';
        for (var n = Settings.MinN; n <= Settings.MaxN; n++)
        {
            for (var start = 0; start + n <= bounded; start++)
            {
                // The whole "<word>" is the word itself, already present as the word row.
                if (n == bounded) continue;
                rows.Add(Settings.WordBuckets + (int)(Hash(buffer.Slice(start, n), 'n') % (uint)Settings.NgramBuckets));
            }
        }
    }

    /// <summary>Rows of a whole text, words in order.</summary>
    public List<int> Features(string text, int maxFeatures = int.MaxValue)
    {
        var rows = new List<int>();
        var scratch = new List<int>();
        foreach (var word in Words(text))
        {
            scratch.Clear();
            AddWordFeatures(word, scratch);
            // Truncate at a word boundary so a word is never half-represented.
            if (rows.Count + scratch.Count > maxFeatures) break;
            rows.AddRange(scratch);
        }

        return rows;
    }

    public TokenEncoding Encode(string text, int maxTokens)
    {
        var rows = Features(text, maxTokens);
        return new TokenEncoding(rows.ToArray(), new int[rows.Count]);
    }

    /// <summary>FNV-1a over the UTF-16 code units, salted so a word and an identical n-gram land in unrelated buckets.</summary>
    private static uint Hash(ReadOnlySpan<char> text, char salt)
    {
        var hash = FnvOffset;
        hash = (hash ^ salt) * FnvPrime;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Settings.Kind} v{Settings.Version} ({Settings.WordBuckets}+{Settings.NgramBuckets} rows, n={Settings.MinN}..{Settings.MaxN})");
}
