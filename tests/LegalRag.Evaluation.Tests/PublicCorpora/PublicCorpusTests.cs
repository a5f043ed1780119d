using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.PublicCorpora;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.Tests.PublicCorpora;

public sealed class PublicCorpusTests
{
    [Fact]
    public void GerLayQa_corpus_becomes_one_BGB_document_with_titled_sections_and_paragraphs()
    {
        var json = """
            [{"id": "§ 7", "content": "Wohnsitz; Begründung und Aufhebung. (1) Wer sich an einem Orte ständig niederlässt, begründet dort seinen Wohnsitz.(2) Der Wohnsitz kann an mehreren Orten bestehen.(3) Der Wohnsitz wird aufgehoben, wenn die Niederlassung aufgegeben wird."},
             {"id": "§ 282", "content": "Schadensersatz statt der Leistung wegen Verletzung einer Pflicht nach § 241 Abs. 2. Verletzt der Schuldner eine Pflicht nach § 241 Abs. 2, kann der Gläubiger Schadensersatz verlangen."},
             {"id": "§ 2249", "content": "Nottestament. (1) Erster Absatz, siehe Absatz (2) unten.(2) Zweiter Absatz.(3) Dritter Absatz.(4)(weggefallen)(5) Fünfter Absatz."},
             {"id": "§ 1", "content": "Beginn der Rechtsfähigkeit. Die Rechtsfähigkeit beginnt mit der Geburt."},
             {"id": "bad", "content": "x"},
             {"content": "no id"},
             {"id": "§ 7", "content": "Doppelt. Zweimal."}]
            """;

        var document = GerLayQaCorpus.Parse(Encoding.UTF8.GetBytes(json), "bgb.json", "gerlayqa");

        Assert.Equal("BGB", document.ActName);
        Assert.Equal("de", document.Language);
        Assert.Equal(["7", "282", "2249", "1"], document.Provisions.Select(p => p.Number));
        Assert.Equal(3, document.Warnings.Count);
        Assert.Contains(document.Warnings, w => w.StartsWith("record 5:", StringComparison.Ordinal));
        Assert.Contains(document.Warnings, w => w.StartsWith("record 7:", StringComparison.Ordinal) && w.Contains("twice"));

        var s7 = document.Provisions[0];
        Assert.Equal("gerlayqa/bgb/s7", s7.Key);
        Assert.Equal("BGB § 7", s7.Citation);
        Assert.Equal(ProvisionKind.Section, s7.Kind);
        Assert.Equal("Wohnsitz; Begründung und Aufhebung", s7.Heading);
        Assert.Equal(["1", "2", "3"], s7.Paragraphs.Select(p => p.Label));
        Assert.Equal("Der Wohnsitz kann an mehreren Orten bestehen.", s7.Paragraphs[1].Text);

        var s282 = document.Provisions[1];
        Assert.Equal("Schadensersatz statt der Leistung wegen Verletzung einer Pflicht nach § 241 Abs. 2", s282.Heading);
        Assert.StartsWith("Verletzt der Schuldner", Assert.Single(s282.Paragraphs).Text);
        Assert.Null(s282.Paragraphs[0].Label);

        var s2249 = document.Provisions[2];
        Assert.Equal(["1", "2", "3", "4", "5"], s2249.Paragraphs.Select(p => p.Label));
        Assert.Equal("Erster Absatz, siehe Absatz (2) unten.", s2249.Paragraphs[0].Text); // "(2)" mid-sentence does not split
        Assert.Equal("(weggefallen)", s2249.Paragraphs[3].Text);
        Assert.Equal([0, 1, 2, 3], document.Provisions.Select(p => p.Ordinal));
    }

    [Fact]
    public void GerLayQa_corpus_that_is_not_an_array_is_an_error()
    {
        var error = Assert.Throws<EvalInputException>(() => GerLayQaCorpus.Parse("{\"a\": 1}"u8.ToArray(), "bgb.json", "c"));
        Assert.Contains("bgb.json", error.Message);
    }

    [Fact]
    public void Coliee_corpus_becomes_the_Civil_Code_with_paragraphs_and_structure_paths()
    {
        var json = """
            {"1": "(1) Private rights must be congruent with the public welfare.\n(2) Rights are exercised in good faith.\n(3) Abuse of rights is not permitted.",
             "3-2": "If the person making a juridical act did not have mental capacity, the act is void.",
             "208": "Deleted\nSubsection 2 Neighboring Relationships",
             "209": "(1) A landowner may use neighboring land as follows, subject to paragraph (1) of the preceding Article:\n(i) to build a wall;\n(ii) to repair a building.\n(2) The neighbor may claim compensation.\nArticles 210 to 212  Deleted",
             "213": "The owner must give notice.",
             "chapter": "not an article"}
            """;

        var document = ColieeCorpus.Parse(Encoding.UTF8.GetBytes(json), "articlesFull.json", "coliee");

        Assert.Equal("Civil Code", document.ActName);
        Assert.Equal("en", document.Language);
        Assert.Equal(["1", "3-2", "208", "209", "213"], document.Provisions.Select(p => p.Number));
        Assert.Single(document.Warnings);

        var a1 = document.Provisions[0];
        Assert.Equal("Civil Code Article 1", a1.Citation);
        Assert.Equal("coliee/civil-code/a1", a1.Key);
        Assert.Equal(["1", "2", "3"], a1.Paragraphs.Select(p => p.Label));
        Assert.Equal("Abuse of rights is not permitted.", a1.Paragraphs[2].Text);

        Assert.Equal("Civil Code Article 3-2", document.Provisions[1].Citation);

        var a208 = document.Provisions[2];
        Assert.True(a208.IsRepealed);
        Assert.DoesNotContain("Subsection", a208.Text);
        Assert.Empty(a208.Path);

        var a209 = document.Provisions[3];
        Assert.Equal(["Subsection 2 Neighboring Relationships"], a209.Path);
        Assert.Equal(["1", "2"], a209.Paragraphs.Select(p => p.Label));
        Assert.Contains("(ii) to repair a building.", a209.Paragraphs[0].Text);
        Assert.DoesNotContain("Deleted", a209.Text);
        Assert.False(a209.IsRepealed);
        Assert.Equal(["Subsection 2 Neighboring Relationships"], document.Provisions[4].Path);
    }
}
