using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.QuestionSets;

public sealed class PublicQuestionSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GerLayQa_file_of_any_name_becomes_questions_with_BGB_gold()
    {
        using var temp = new TempFolder();
        var path = temp.File("bgb_heldout.json", """
            [{"Question_text": "Mein  Vermieter\n will kündigen, weil sein Sohn einzieht.", "Paragraphs": ["§ 573", "§ 574", "§ 573"]},
             {"Question_text": "Wie hoch darf die Kaution sein?", "Paragraphs": ["§ 551"]}]
            """);

        var set = await QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Auto, Ct);

        Assert.Equal(QuestionSetFormat.GerLayQa, set.Format);
        Assert.Equal(["bgb_heldout-0001", "bgb_heldout-0002"], set.Questions.Select(q => q.Id));
        Assert.Equal(["BGB § 573", "BGB § 574"], set.Questions[0].GoldCitations);
        Assert.Equal("Mein Vermieter will kündigen, weil sein Sohn einzieht.", set.Questions[0].Question);
        Assert.All(set.Questions, q => Assert.Equal("de", q.Language));
    }

    [Fact]
    public async Task GerLayQa_bad_record_is_named()
    {
        using var temp = new TempFolder();
        var path = temp.File("dev.json", """[{"Question_text": "ok", "Paragraphs": ["§ 1"]}, {"Question_text": "no gold"}, 5]""");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.GerLayQa, Ct));
        Assert.Contains("dev.json: record 2: missing field \"Paragraphs\"", error.Message);
        Assert.Contains("dev.json: record 3: expected an object", error.Message);
    }

    [Fact]
    public async Task GerLayQa_invalid_json_names_the_line()
    {
        using var temp = new TempFolder();
        var path = temp.File("dev.json", "[\n{\"Question_text\": \"x\",\n \"Paragraphs\": [\"§ 1\"\n]");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.GerLayQa, Ct));
        Assert.Contains("dev.json: line", error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    private const string ColieeSample = """
        <?xml version="1.0" encoding="UTF-8"?>
        <dataset>
        <pair id="H99-01-A" label="Y">
        <t1>
        Article 398-2 (1) A mortgage may be created for the purpose of securing unspecified claims.
        (2) The scope of claims secured must be limited by paragraph (1) of Article 398.
        Article 5 (1) A minor must obtain the consent of the legal representative.
        </t1>
        <t2>
        Can a revolving mortgage secure   any claim whatsoever?
        </t2>
        </pair>
        <pair id="R07-02-B" label="N">
        <t1>Article 5 (1) A minor must obtain consent.</t1>
        <t2>A minor needs no consent to receive a gift.</t2>
        </pair>
        </dataset>
        """;

    [Fact]
    public async Task Coliee_gold_is_the_article_lines_of_t1_and_the_question_is_t2()
    {
        using var temp = new TempFolder();
        var path = temp.File("riteval_H99_en.xml", ColieeSample);

        var set = await QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Auto, Ct);

        Assert.Equal(QuestionSetFormat.Coliee, set.Format);
        var first = set.Questions[0];
        Assert.Equal("H99-01-A", first.Id);
        Assert.Equal(["Civil Code Article 398-2", "Civil Code Article 5"], first.GoldCitations); // "paragraph (1) of Article 398" is not a gold line
        Assert.Equal("Can a revolving mortgage secure any claim whatsoever?", first.Question);
        Assert.Equal("en", first.Language);
        Assert.Equal(["year:H99"], first.Tags);
        Assert.Equal(["year:R07"], set.Questions[1].Tags);
    }

    [Fact]
    public async Task Coliee_folder_reads_every_xml_file_in_name_order()
    {
        using var temp = new TempFolder();
        temp.File("coliee/riteval_B.xml", """<dataset><pair id="B-1"><t1>Article 2 text</t1><t2>q b</t2></pair></dataset>""");
        temp.File("coliee/riteval_A.xml", """<dataset><pair id="A-1"><t1>Article 1 text</t1><t2>q a</t2></pair></dataset>""");
        temp.File("coliee/articlesFull.json", "{}");

        var set = await QuestionSetLoader.LoadAsync(Path.Combine(temp.Path, "coliee"), QuestionSetFormat.Auto, Ct);

        Assert.Equal(["A-1", "B-1"], set.Questions.Select(q => q.Id));
        Assert.Equal(2, set.SourceFiles.Count);
    }

    [Fact]
    public async Task Coliee_malformed_xml_and_incomplete_pairs_are_named()
    {
        using var temp = new TempFolder();
        var broken = temp.File("broken.xml", "<dataset>\n<pair id=\"x\">\n<t1>Article 1</t2>\n</dataset>");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(broken, QuestionSetFormat.Coliee, Ct));
        Assert.Contains("broken.xml: line 3", error.Message);

        var incomplete = temp.File("incomplete.xml", "<dataset>\n<pair id=\"H30-1-2\"><t1>Article 1 x</t1></pair>\n<pair id=\"H30-1-3\"><t1>no article here</t1><t2>q</t2></pair>\n</dataset>");
        error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(incomplete, QuestionSetFormat.Coliee, Ct));
        Assert.Contains("incomplete.xml: line 2 (pair \"H30-1-2\"): <pair> needs a <t1>", error.Message);
        Assert.Contains("incomplete.xml: line 3 (pair \"H30-1-3\"): <t1> has no line starting with \"Article N\"", error.Message);
    }

    [Fact]
    public async Task Coliee_refuses_a_dtd()
    {
        using var temp = new TempFolder();
        var path = temp.File("dtd.xml", "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><dataset><pair id=\"1\"><t1>Article 1 &a;</t1><t2>q</t2></pair></dataset>");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Coliee, Ct));
        Assert.Contains("dtd.xml", error.Message);
    }

    [Fact]
    public async Task Unknown_extension_asks_for_a_format()
    {
        using var temp = new TempFolder();
        var path = temp.File("set.csv", "id,question");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Auto, Ct));
        Assert.Contains("--format", error.Message);
    }
}
