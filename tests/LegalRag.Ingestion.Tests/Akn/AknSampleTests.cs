using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Akn;

/// <summary>Every real Akoma Ntoso sample in ../shared/corpora/official-samples/akn parses (skips when ../shared is absent).</summary>
public sealed class AknSampleTests
{
    private const string Folder = "corpora/official-samples/akn";

    private static async Task<LegalDocument> ParseSampleAsync(string prefix)
    {
        var folder = SharedCorpora.Require(Folder);
        var path = Directory.GetFiles(folder, prefix + "*.xml").Single();
        var file = new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        return await new XmlParser().ParseAsync(file, ParseContext.For("akn", "en"), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Every_sample_parses_as_akn_with_provisions_and_unique_keys()
    {
        var folder = SharedCorpora.Require(Folder);
        var files = Directory.GetFiles(folder, "*.xml");
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            var file = new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
            var doc = await new XmlParser().ParseAsync(file, ParseContext.For("akn", "en"), TestContext.Current.CancellationToken);
            Assert.True(doc.Format == "akn", $"{file.RelativePath}: read as {doc.Format}");
            Assert.True(doc.Provisions.Count > 0, $"{file.RelativePath}: no provisions");
            Assert.True(doc.Provisions.Select(p => p.Key).Distinct().Count() == doc.Provisions.Count, $"{file.RelativePath}: duplicate keys");
            Assert.All(doc.Provisions, p => Assert.False(string.IsNullOrWhiteSpace(p.Text) && p.Notes.Count == 0, $"{file.RelativePath}: {p.Citation} is empty"));
        }
    }

    [Fact]
    public async Task Normattiva_copyright_law_has_its_articles_with_ids_and_amendment_notes_kept_apart()
    {
        var doc = await ParseSampleAsync("it-normattiva");
        Assert.Equal("it", doc.Language);
        Assert.Equal("Legge 633/1941", doc.Abbreviation);
        var articles = doc.Provisions.Where(p => p.Kind == ProvisionKind.Article).ToList();
        Assert.True(articles.Count > 250, $"{articles.Count} articles");
        Assert.All(articles, a => Assert.StartsWith("/akn/it/act/legge/stato/1941-04-22/633#art_", a.Identifier, StringComparison.Ordinal));
        Assert.Contains(articles, a => a.Number == "12-bis");
        Assert.DoesNotContain(doc.Provisions, p => p.Text.Contains("AGGIORNAMENTO", StringComparison.Ordinal));
        Assert.Contains(doc.Provisions, p => p.Notes.Any(n => n.StartsWith("AGGIORNAMENTO", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LegalDocML_de_regulation_has_18_sections_under_its_abschnitte()
    {
        var doc = await ParseSampleAsync("de-legaldocml");
        Assert.Equal("AuslZuschlV", doc.Abbreviation);
        Assert.Equal("eli/bund/bgbl-1/2025/145", doc.Identifier);
        var sections = doc.Provisions.Where(p => p.Kind == ProvisionKind.Section).ToList();
        Assert.Equal(Enumerable.Range(1, 18).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), sections.Select(s => s.Number));
        Assert.Equal("AuslZuschlV § 10", sections[9].Citation);
        Assert.Contains(sections[9].Notes, n => n.Contains("§ 10 Abs. 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Finlex_fee_schedule_keeps_its_tables()
    {
        var doc = await ParseSampleAsync("fi-finlex");
        Assert.Equal("fi", doc.Language);
        var tables = doc.Provisions.Sum(p => p.Text.Split('\n').Count(line => line.StartsWith("| ---", StringComparison.Ordinal)));
        Assert.Equal(37, tables);
        Assert.Contains(doc.Provisions, p => p.Text.Contains("| Hakemusmaksu sähköistä järjestelmää käyttäen | 430 € |", StringComparison.Ordinal));
    }
}
