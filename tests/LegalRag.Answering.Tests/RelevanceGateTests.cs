using LegalRag.Answering.Extractive;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using Xunit;

namespace LegalRag.Answering.Tests;

/// <summary>The relevance gate alone, per language, on hand-made sources: refuses what the provisions do not speak to.</summary>
public sealed class RelevanceGateTests
{
    private static AnswerSource Source(string language, string heading, string text) =>
        new(1, new StoredProvision($"{language}/x/1", language, language, "X", "X", "x.md", new Provision
        {
            Key = $"{language}/x/1",
            Kind = ProvisionKind.Article,
            Number = "1",
            Heading = heading,
            Citation = "X Art. 1",
            Paragraphs = [new ProvisionParagraph(null, text)],
        }), 12, "X Art. 1", null);

    [Theory]
    [InlineData("de", "Darf mein Vermieter wegen Eigenbedarf kündigen?", "Kündigung des Vermieters", "Der Vermieter kann kündigen, wenn er die Räume als Wohnung für sich benötigt (Eigenbedarf).", true)]
    [InlineData("de", "Wann spielt die Nationalmannschaft gegen Frankreich?", "Kündigung des Vermieters", "Der Vermieter kann kündigen, wenn er die Räume als Wohnung für sich benötigt (Eigenbedarf).", false)]
    [InlineData("fr", "Le bailleur doit-il entretenir le logement loué ?", "Obligations du bailleur", "Le bailleur est obligé d'entretenir la chose louée en état de servir à l'usage pour lequel elle a été louée.", true)]
    [InlineData("fr", "Quel temps fera-t-il demain à Lyon ?", "Obligations du bailleur", "Le bailleur est obligé d'entretenir la chose louée en état de servir à l'usage pour lequel elle a été louée.", false)]
    [InlineData("nl", "Mag de verhuurder de huur opzeggen wegens dringend eigen gebruik?", "Opzegging van de huur", "De verhuurder kan de huurovereenkomst opzeggen indien hij het verhuurde dringend nodig heeft voor eigen gebruik.", true)]
    [InlineData("nl", "Hoe laat vertrekt de trein naar Amsterdam?", "Opzegging van de huur", "De verhuurder kan de huurovereenkomst opzeggen indien hij het verhuurde dringend nodig heeft voor eigen gebruik.", false)]
    public void Answers_what_the_provisions_speak_to_and_refuses_the_rest_in_each_language(string language, string question, string heading, string text, bool relevant)
    {
        var verdict = new RelevanceGate().Evaluate(question, [Source(language, heading, text)], citationMatch: false);
        Assert.True(verdict.Relevant == relevant, $"{verdict.Reason} (weight {verdict.MatchedWeight}, coverage {verdict.Coverage:P0})");
    }

    [Fact]
    public void French_is_answered_at_the_calibrated_weight_that_the_dutch_threshold_refuses()
    {
        const string question = "Le preneur doit-il payer le loyer ?";
        var source = Source("fr", "", "Le preneur est tenu de payer le prix du bail aux termes convenus, et de restituer la chose louée.");
        var french = new RelevanceGate().Evaluate(question, [source], false);
        Assert.InRange(french.MatchedWeight, 6, 7.99);
        Assert.True(french.Relevant, french.Reason);
        // The same match under Dutch's stricter threshold (8) is refused: the calibrated threshold is what lets it through.
        var dutchThreshold = new RelevanceOptions().MinMatchedWeightByLanguage["nl"];
        Assert.Equal(8, dutchThreshold);
        var general = new RelevanceGate(new RelevanceOptions { MinMatchedWeight = dutchThreshold, MinMatchedWeightByLanguage = new Dictionary<string, double>(), ShortQuestionCoverage = 1.1 }).Evaluate(question, [source], false);
        Assert.False(general.Relevant, general.Reason);
    }

    [Fact]
    public void Reports_topic_terms_without_the_generic_ones_and_a_question_in_another_language()
    {
        var verdict = new RelevanceGate().Evaluate("Welche Rechte habe ich bei Eigenbedarf nach dem Gesetz?",
            [Source("de", "", "Das Gesetz gibt dem Vermieter Rechte bei Eigenbedarf.")], false);
        Assert.True(verdict.ContentWeight < verdict.MatchedWeight, $"content {verdict.ContentWeight}, all {verdict.MatchedWeight}");
        Assert.False(verdict.LanguageMismatch);
        var english = new RelevanceGate().Evaluate("What rights does the landlord have under this law?", [Source("de", "", "Das Gesetz gibt dem Vermieter Rechte.")], false);
        Assert.True(english.LanguageMismatch);
    }
}
