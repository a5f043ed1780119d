using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;

namespace LegalRag.Embeddings.Tests.Training;

public sealed class SubwordFeaturizerTests
{
    private static readonly SubwordFeaturizer Featurizer = new(new FeaturizerSettings());

    [Fact]
    public void Words_are_lower_cased_runs_of_letters_and_digits()
    {
        Assert.Equal(["der", "vermieter", "kann", "nach", "573", "abs", "2", "kündigen"], SubwordFeaturizer.Words("Der Vermieter kann nach § 573 Abs. 2 kündigen."));
    }

    [Theory]
    [InlineData("Der Vermieter kann nach § 573 Abs. 2 kündigen.")]
    [InlineData("")]
    [InlineData("  ...§§ ")]
    [InlineData("Buße-Geld/ÄNDERUNG2024x")]
    public void Counting_words_agrees_with_splitting_them(string text)
    {
        Assert.Equal(SubwordFeaturizer.Words(text).Count, SubwordFeaturizer.CountWords(text));
    }

    [Fact]
    public void A_word_yields_its_word_row_and_one_row_per_ngram()
    {
        var rows = new List<int>();
        Featurizer.AddWordFeatures("miete", rows);
        // "<miete>" has 7 characters: n-grams of length 3..6 number 5 + 4 + 3 + 2 = 14 (the whole "<miete>" is length 7, not included).
        Assert.Equal(1 + 14, rows.Count);
        Assert.InRange(rows[0], 0, Featurizer.Settings.WordBuckets - 1);
        Assert.All(rows.Skip(1), r => Assert.InRange(r, Featurizer.Settings.WordBuckets, Featurizer.Settings.Rows - 1));
    }

    [Fact]
    public void Inflected_forms_share_ngrams()
    {
        var a = new List<int>();
        var b = new List<int>();
        Featurizer.AddWordFeatures("kündigung", a);
        Featurizer.AddWordFeatures("kündigungen", b);
        Assert.NotEqual(a[0], b[0]);
        Assert.True(a.Skip(1).Intersect(b.Skip(1)).Count() >= 10);
    }

    [Fact]
    public void Same_text_gives_same_rows_and_truncation_stops_at_a_word_boundary()
    {
        var text = "Der Mieter muss die Miete zahlen";
        Assert.Equal(Featurizer.Features(text), Featurizer.Features(text));
        var all = Featurizer.Features(text);
        var cut = Featurizer.Features(text, all.Count - 1);
        var firstWords = Featurizer.Features("Der Mieter muss die Miete");
        Assert.Equal(firstWords, cut);
    }

    [Fact]
    public void A_hostile_long_word_produces_bounded_features()
    {
        var rows = new List<int>();
        Featurizer.AddWordFeatures(new string('x', 1_000_000), rows);
        Assert.True(rows.Count < 200, $"{rows.Count} rows for one word");
    }

    [Fact]
    public void Encode_returns_rows_and_the_pad_row_is_past_the_table()
    {
        var encoding = Featurizer.Encode("Miete", 100);
        Assert.Equal(Featurizer.Features("Miete"), encoding.Ids);
        Assert.Equal(Featurizer.Settings.Rows, Featurizer.PadId);
    }
}
