using System.Text;
using LegalRag.Ingestion.Parsers.Versions;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Versions;

public sealed class VersionsJsonlParserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string File3 = """
        {"article": "Article 229", "path": "Livre Ier/Titre VI/Article 229.md", "valid_from": "1976-01-01", "valid_to": "2005-01-01", "changed_by": "Modifié par Décret 75-1122", "text": "Le divorce peut être prononcé en cas :\n\n- soit de consentement mutuel ;"}
        {"article": "Article 229", "path": "Livre Ier/Titre VI/Article 229.md", "valid_from": "2005-01-01", "valid_to": null, "changed_by": "Modifié par Loi n°2003-516", "text": "Le divorce peut être prononcé en cas :\n\n- soit d'acceptation du principe de la rupture du mariage ;"}
        {"article": "Article 1", "path": "Titre préliminaire/Article 1.md", "valid_from": "1803-03-15", "valid_to": null, "changed_by": "Créé par Loi 1803-03-05", "text": "Les lois sont exécutoires."}
        """;

    private static SourceFile File(string text, string name = "versions.jsonl") => new("/x/" + name, name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Every_line_is_a_version_and_an_article_with_several_is_keyed_by_their_starts()
    {
        var parser = new VersionsJsonlParser();
        Assert.True(parser.CanParse(File(File3)));
        Assert.False(parser.CanParse(File("{\"a\": 1}")));
        var document = await parser.ParseAsync(File(File3), new ParseContext("cc", "fr", "Code civil", null, new IngestionLimits()), Ct);
        Assert.Equal(["cc/code-civil/a229@1976-01-01", "cc/code-civil/a229@2005-01-01", "cc/code-civil/a1"], document.Provisions.Select(p => p.Key));
        var later = document.Provisions[1];
        Assert.Equal(("Code civil, art. 229", new DateOnly(2005, 1, 1), (DateOnly?)null, "Modifié par Loi n°2003-516"), (later.Citation, later.ValidFrom!.Value, later.ValidTo, later.ChangedBy));
        Assert.Equal(["Livre Ier", "Titre VI"], later.Path);
        Assert.Equal(2, later.Paragraphs.Count);
        Assert.Equal("Code civil", document.Title);
    }

    [Fact]
    public async Task Bad_lines_are_refused_with_their_number_and_an_act_must_be_named()
    {
        var parser = new VersionsJsonlParser();
        var context = new ParseContext("cc", "fr", "Code civil", null, new IngestionLimits());
        var bad = await Assert.ThrowsAsync<DocumentRejectedException>(() => parser.ParseAsync(File(File3 + "\n{\"article\": \"Article 2\", \"valid_from\": \"15/03/1803\", \"text\": \"x\"}"), context, Ct));
        Assert.Contains("line 4", bad.Message);
        Assert.Contains("valid_from", bad.Message);
        var noAct = await Assert.ThrowsAsync<DocumentRejectedException>(() => parser.ParseAsync(File(File3), new ParseContext("cc", "fr", null, null, new IngestionLimits()), Ct));
        Assert.Contains("--act", noAct.Message);
        var named = await parser.ParseAsync(File(File3.Replace("{\"article\"", "{\"act\": \"Code civil\", \"article\"")), new ParseContext("cc", "fr", null, null, new IngestionLimits()), Ct);
        Assert.Equal("Code civil", named.Title);
    }
}
