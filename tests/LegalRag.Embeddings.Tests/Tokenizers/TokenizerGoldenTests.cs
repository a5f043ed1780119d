using System.Text.Json;
using LegalRag.Embeddings.Tokenizers;

namespace LegalRag.Embeddings.Tests.Tokenizers;

/// <summary>
/// Token ids against golden lists computed offline with transformers.js (tools/tokenizer-golden). The goldens are
/// full sequences; truncation expectations follow HF semantics (keep the special tokens, cut the content).
/// </summary>
public sealed class TokenizerGoldenTests
{
    private const string MiniLmTokenizer = "models/tokenizers/all-MiniLM-L6-v2/tokenizer.json";

    public sealed record GoldenCase(string Lang, string Text, int[] Ids, string[] Tokens)
    {
        public override string ToString() => $"{Lang}: {(Text.Length > 40 ? Text[..40] + "…" : Text)}";
    }

    private static IReadOnlyList<GoldenCase> ReadGolden(string fileName)
    {
        using var stream = File.OpenRead(TestEnvironment.TestDataPath(fileName));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(
            c.GetProperty("lang").GetString()!,
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()!).ToArray())).ToArray();
    }

    public static TheoryData<int> WordPieceCases() => new(Enumerable.Range(0, ReadGolden("wordpiece-minilm-golden.json").Count));

    public static TheoryData<int> UnigramCases() => new(Enumerable.Range(0, ReadGolden("unigram-fixture-golden.json").Count));

    private static HfTokenizer UnigramFixture => HfTokenizer.Load(TestEnvironment.TestDataPath("unigram-fixture/tokenizer.json"));

    [Theory]
    [MemberData(nameof(WordPieceCases))]
    public void WordPiece_ids_match_transformers_js(int index)
    {
        var tokenizer = HfTokenizer.Load(TestEnvironment.RequireSharedFile(MiniLmTokenizer));
        var golden = ReadGolden("wordpiece-minilm-golden.json")[index];
        var encoding = tokenizer.Encode(golden.Text, maxTokens: 10_000);
        Assert.True(golden.Ids.SequenceEqual(encoding.Ids),
            $"[{golden.Lang}] {golden.Text}\nexpected {string.Join(",", golden.Ids)}\nactual   {string.Join(",", encoding.Ids)}\ntokens   {string.Join(" ", golden.Tokens)}");
        Assert.All(encoding.TypeIds, t => Assert.Equal(0, t));
    }

    [Theory]
    [MemberData(nameof(UnigramCases))]
    public void Unigram_ids_match_transformers_js(int index)
    {
        var golden = ReadGolden("unigram-fixture-golden.json")[index];
        var encoding = UnigramFixture.Encode(golden.Text, maxTokens: 10_000);
        Assert.True(golden.Ids.SequenceEqual(encoding.Ids),
            $"[{golden.Lang}] {golden.Text}\nexpected {string.Join(",", golden.Ids)}\nactual   {string.Join(",", encoding.Ids)}\ntokens   {string.Join(" ", golden.Tokens)}");
    }

    [Theory]
    [MemberData(nameof(WordPieceCases))]
    public void Vocab_txt_alone_gives_the_golden_ids(int index)
    {
        // Pretrained model folders (legalrag model import) carry vocab.txt, not tokenizer.json.
        var tokenizer = HfTokenizer.LoadBertVocab(TestEnvironment.RequireSharedFile("models/tokenizers/all-MiniLM-L6-v2/vocab.txt"));
        var golden = ReadGolden("wordpiece-minilm-golden.json")[index];
        var encoding = tokenizer.Encode(golden.Text, maxTokens: 10_000);
        Assert.True(golden.Ids.SequenceEqual(encoding.Ids),
            $"[{golden.Lang}] {golden.Text}\nexpected {string.Join(",", golden.Ids)}\nactual   {string.Join(",", encoding.Ids)}");
        Assert.Equal(tokenizer.TokenToId("[PAD]"), tokenizer.PadId);
    }

    [Fact]
    public void A_vocab_txt_with_CRLF_line_ends_gives_the_same_ids()
    {
        // The SentenceTransformers packages ship vocab.txt with Windows line ends.
        var lines = File.ReadAllText(TestEnvironment.RequireSharedFile("models/tokenizers/all-MiniLM-L6-v2/vocab.txt")).Replace("\r", "").Split('\n');
        var path = Path.Combine(Path.GetTempPath(), $"vocab-crlf-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, string.Join("\r\n", lines));
        try
        {
            var tokenizer = HfTokenizer.Load(path);
            foreach (var golden in ReadGolden("wordpiece-minilm-golden.json"))
            {
                Assert.Equal(golden.Ids, tokenizer.Encode(golden.Text, maxTokens: 10_000).Ids);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_vocab_without_CLS_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "[PAD]\n[UNK]\n[SEP]\nlaw\n");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.LoadBertVocab(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("[CLS]", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncation_keeps_CLS_and_SEP_and_cuts_the_content()
    {
        var tokenizer = HfTokenizer.Load(TestEnvironment.RequireSharedFile(MiniLmTokenizer));
        var golden = ReadGolden("wordpiece-minilm-golden.json").First(c => c.Ids.Length > 20);

        var truncated = tokenizer.Encode(golden.Text, maxTokens: 8);

        int[] expected = [.. golden.Ids[..7], golden.Ids[^1]];
        Assert.Equal(expected, truncated.Ids);
        Assert.Equal(tokenizer.TokenToId("[CLS]"), truncated.Ids[0]);
        Assert.Equal(tokenizer.TokenToId("[SEP]"), truncated.Ids[^1]);
    }

    [Fact]
    public void File_max_length_is_the_default_truncation()
    {
        var tokenizer = HfTokenizer.Load(TestEnvironment.RequireSharedFile(MiniLmTokenizer));
        Assert.Equal(128, tokenizer.DefaultMaxLength);
        var longText = string.Join(' ', Enumerable.Repeat("contract", 500));
        Assert.Equal(128, tokenizer.Encode(longText).Length);
    }

    [Fact]
    public void Unigram_truncation_keeps_s_and_end_s()
    {
        var golden = ReadGolden("unigram-fixture-golden.json").First(c => c.Ids.Length > 10);
        var truncated = UnigramFixture.Encode(golden.Text, maxTokens: 5);
        Assert.Equal([golden.Ids[0], golden.Ids[1], golden.Ids[2], golden.Ids[3], golden.Ids[^1]], truncated.Ids);
    }

    [Fact]
    public void Batch_is_right_padded_with_a_matching_attention_mask()
    {
        var tokenizer = UnigramFixture;
        var batch = tokenizer.EncodeBatch(["the law", "das Gesetz und das Recht", ""]);

        Assert.Equal(3, batch.BatchSize);
        Assert.Equal(7, batch.SequenceLength);
        Assert.Equal(tokenizer.TokenToId("<pad>"), tokenizer.PadId);
        Assert.Equal([0L, 5, 6, 2, 1, 1, 1], batch.InputIds[..7]);
        Assert.Equal([1L, 1, 1, 1, 0, 0, 0], batch.AttentionMask[..7]);
        Assert.Equal([1L, 1, 1, 1, 1, 1, 1], batch.AttentionMask[7..14]);
        Assert.Equal([0L, 2, 1, 1, 1, 1, 1], batch.InputIds[14..]);
        Assert.Equal([1L, 1, 0, 0, 0, 0, 0], batch.AttentionMask[14..]);
    }

    [Fact]
    public void Precompiled_approximation_maps_spaces_drops_controls_and_applies_NFKC()
    {
        var normalizer = new PrecompiledApproximation();
        Assert.Equal("fi ABC x y", normalizer.Normalize("\uFB01\u00A0\uFF21\uFF22\uFF23\u0007 x\u3000y"));
        Assert.Equal("a\uFF5Eb", normalizer.Normalize("a\uFF5Eb"));
    }

    [Fact]
    public void Missing_and_broken_tokenizer_files_fail_with_the_file_name()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json");
        var notFound = Assert.Throws<FileNotFoundException>(() => HfTokenizer.Load(missing));
        Assert.Contains(missing, notFound.Message);

        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        File.WriteAllText(broken, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(broken));
            Assert.Contains(broken, error.Message);
            Assert.Contains("BPE", error.Message);

            File.WriteAllText(broken, "{ not json");
            Assert.Contains(broken, Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(broken)).Message);
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
