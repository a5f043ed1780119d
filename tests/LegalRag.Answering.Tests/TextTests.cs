using LegalRag.Answering.History;
using LegalRag.Answering.Languages;
using LegalRag.Answering.Text;
using LegalRag.Answering.Verification;
using Xunit;

namespace LegalRag.Answering.Tests;

public sealed class TextTests
{
    [Theory]
    [InlineData("Darf mein Vermieter wegen Eigenbedarf kündigen?", "de")]
    [InlineData("Mon propriétaire peut-il résilier le bail pour occuper le logement?", "fr")]
    [InlineData("Mag mijn verhuurder de huur opzeggen wegens eigen gebruik?", "nl")]
    [InlineData("Can my landlord terminate the lease because he needs the flat himself?", "en")]
    [InlineData("Kas üürileandja võib üürilepingu üles öelda, kui ta vajab korterit ise?", "et")]
    public void Detects_the_question_language(string question, string expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(question));

    [Fact]
    public void Falls_back_when_nothing_tells_the_language() =>
        Assert.Equal("de", LanguageDetector.Detect("§ 573", fallback: "de"));

    [Fact]
    public void Sentences_do_not_end_at_legal_abbreviations_or_ordinals()
    {
        var text = "Die Frist nach Abs. 2 Nr. 3 beträgt z. B. drei Monate ab dem 18. Lebensjahr. Sie verlängert sich nach § 5 Satz 1. Danach gilt Art. 7 entsprechend.";
        var sentences = SentenceSplitter.Split(text).Select(s => s.Text).ToList();
        Assert.Equal(
            ["Die Frist nach Abs. 2 Nr. 3 beträgt z. B. drei Monate ab dem 18. Lebensjahr.", "Sie verlängert sich nach § 5 Satz 1.", "Danach gilt Art. 7 entsprechend."],
            sentences);
        Assert.All(SentenceSplitter.Split(text), s => Assert.Equal(s.Text, text.Substring(s.Start, s.Text.Length)));
    }

    [Fact]
    public void Claims_keep_markers_that_follow_the_period_and_wait_for_the_next_sentence()
    {
        var splitter = new ClaimSplitter();
        var claims = new List<ClaimSplitter.Claim>();
        foreach (var piece in new[] { "Der Vermieter kann kün", "digen. [1] Der Mie", "ter kann widersprechen [", "2].\nEnde." })
            claims.AddRange(splitter.Push(piece));
        Assert.Equal(["Der Vermieter kann kündigen. [1]", "Der Mieter kann widersprechen [2]."], claims.Select(c => c.Text));
        Assert.Equal("\n", claims[1].Separator);
        Assert.Equal("Ende.", splitter.Flush()?.Text);
    }

    [Fact]
    public void A_short_follow_up_carries_the_previous_query_terms()
    {
        var history = new[] { new ChatTurn("Darf mein Vermieter wegen Eigenbedarf kündigen?", "Darf mein Vermieter wegen Eigenbedarf kündigen?", "…") };
        var rewritten = FollowUpRewriter.Rewrite("Und welche Fristen gelten dafür?", "de", history);
        Assert.StartsWith("Und welche Fristen gelten dafür?", rewritten);
        Assert.Contains("Eigenbedarf", rewritten);
        Assert.Contains("Vermieter", rewritten);
        // A question that stands on its own is left alone.
        Assert.Equal("Welche Pflichten hat der Verkäufer beim Kaufvertrag einer Sache?",
            FollowUpRewriter.Rewrite("Welche Pflichten hat der Verkäufer beim Kaufvertrag einer Sache?", "de", history));
    }
}
