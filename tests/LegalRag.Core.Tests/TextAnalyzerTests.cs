using LegalRag.Core.Text;
using Xunit;

namespace LegalRag.Core.Tests;

public sealed class TextAnalyzerTests
{
    [Fact]
    public void Folds_diacritics_and_sharp_s()
    {
        Assert.Equal("kundigungsschutz", TextAnalyzer.Normalize("Kündigungsschutz", true));
        Assert.Equal("strasse", TextAnalyzer.Normalize("Straße", true));
        Assert.Equal("propriete", TextAnalyzer.Normalize("Propriété", true));
        Assert.Equal("kündigung", TextAnalyzer.Normalize("Kündigung", false));
    }

    [Fact]
    public void German_inflections_meet_at_one_stem_but_compounds_stay_apart()
    {
        var de = new TextAnalyzer("de");
        Assert.Equal(de.Analyze("Mietverträge")[0], de.Analyze("Mietvertrag")[0]);
        Assert.Equal(de.Analyze("Kündigungen")[0], de.Analyze("Kündigung")[0]);
        Assert.Equal(de.Analyze("Vermieters")[0], de.Analyze("Vermieter")[0]);
        Assert.NotEqual(de.Analyze("Mietvertrag")[0], de.Analyze("Miete")[0]);
    }

    [Fact]
    public void Stopwords_go_numbers_stay()
    {
        var de = new TextAnalyzer("de");
        Assert.Equal(["vermiet", "573a", "kundig"], de.Analyze("Der Vermieter kann nach § 573a kündigen"));
    }

    [Fact]
    public void French_plurals_and_stopwords()
    {
        var fr = new TextAnalyzer("fr");
        Assert.Equal(fr.Analyze("choses"), fr.Analyze("chose"));
        Assert.Equal(["droit", "jouir", "dispos", "chos"], fr.Analyze("droit de jouir et disposer des choses"));
    }

    [Fact]
    public void Plain_options_keep_raw_lowercase_tokens()
    {
        var plain = new TextAnalyzer("de", AnalyzerOptions.Plain);
        Assert.Equal(["der", "vermieter", "kann", "kündigen"], plain.Analyze("Der Vermieter kann kündigen"));
    }

    [Fact]
    public void Overlong_tokens_are_cut()
    {
        var de = new TextAnalyzer("de", AnalyzerOptions.Plain);
        var term = Assert.Single(de.Analyze(new string('a', 5000)));
        Assert.Equal(TextAnalyzer.MaxTokenLength, term.Length);
    }
}
