using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.EeRt;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>ee-rt: act ids in, the redaction in force resolved through the metadata service, the act's XML out;
/// the HTML page the gazette answers at retired addresses refused; the real sample act fetched and parsed.</summary>
public sealed class EeRtSourceTests : IDisposable
{
    private static readonly Uri Gazette = new("http://rt.test/");
    private readonly TempDirectory _work = new("eert");
    private readonly EeRtSource _source = new();

    public void Dispose() => _work.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SourceContext Context(InMemoryTransport transport, string[] items, Dictionary<string, string>? options = null) =>
        new(transport, new SourceSettings(Gazette, items, options ?? []), _work.Path, new IngestionLimits());

    /// <summary>The metadata service's answer for a redaction id: the redaction in force and the act's title.</summary>
    private static string Metadata(long current, string title) =>
        $$$"""{"kehtivId": {{{current}}}, "grupiId": 159176, "aktiParameetrid": {"pealkiri": "{{{title}}}", "lyhend": "TS", "kehtivKehtetus": false}}""";

    [Fact]
    public async Task Each_listed_id_is_resolved_to_the_redaction_in_force_and_keyed_by_the_listed_id()
    {
        var transport = new InMemoryTransport()
            .Serve("http://rt.test/public-api/api/v1/akt/100?leiaKehtiv=true", Metadata(111042025003, "Testseadus"))
            .Serve("http://rt.test/public-api/api/v1/akt/22217?leiaKehtiv=true", Metadata(22217, "Põllumajandusreformi seadus"));

        var items = await _source.ListAsync(Context(transport, ["100", " 22217 ", "100"]), Ct);

        Assert.Equal(
            [
                new SourceItem("100", new Uri("http://rt.test/public-api/api/v1/akt/111042025003/xml"), "Testseadus"),
                new SourceItem("22217", new Uri("http://rt.test/public-api/api/v1/akt/22217/xml"), "Põllumajandusreformi seadus"),
            ],
            items);
        Assert.All(items, i => Assert.True(i.IsAct));
    }

    [Fact]
    public async Task Without_followCurrent_the_listed_redactions_are_taken_as_they_are_at_the_configured_path()
    {
        var transport = new InMemoryTransport();
        var options = new Dictionary<string, string> { ["followCurrent"] = "false", ["xmlPath"] = "akt/{id}.xml" };

        var items = await _source.ListAsync(Context(transport, ["22217"], options), Ct);

        Assert.Equal([new SourceItem("22217", new Uri("http://rt.test/akt/22217.xml"))], items);
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData(new string[0], null, null, "list the acts' ids")]
    [InlineData(new[] { "VÕS" }, null, null, "item 'VÕS' is not a Riigi Teataja act id")]
    [InlineData(new[] { "../1" }, null, null, "item '../1' is not a Riigi Teataja act id")]
    [InlineData(new[] { "1" }, "xmlPath", "akt/latest.xml", "has no {id}")]
    [InlineData(new[] { "1" }, "followCurrent", "yes", "write \"true\" or \"false\"")]
    public async Task A_selection_or_option_that_cannot_work_is_refused_before_anything_is_fetched(string[] items, string? option, string? value, string reason)
    {
        var transport = new InMemoryTransport();
        var options = option is null ? null : new Dictionary<string, string> { [option] = value! };

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(transport, items, options), Ct));

        Assert.Contains(reason, error.Message);
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData("""{"aktiParameetrid": {"pealkiri": "X"}}""", "no usable kehtivId")]
    [InlineData("""{"kehtivId": "../../etc"}""", "no usable kehtivId")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("<!doctype html><html><body>app</body></html>", "not JSON")]
    public async Task Metadata_without_the_redaction_in_force_is_bad_content_naming_the_act_and_address(string metadata, string reason)
    {
        var transport = new InMemoryTransport().Serve("http://rt.test/public-api/api/v1/akt/5?leiaKehtiv=true", metadata);

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(transport, ["5"]), Ct));

        Assert.Contains("ee-rt act 5 metadata (http://rt.test/public-api/api/v1/akt/5?leiaKehtiv=true)", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task An_unknown_act_is_unavailable()
    {
        await Assert.ThrowsAsync<SourceUnavailableException>(() => _source.ListAsync(Context(new InMemoryTransport(), ["5"]), Ct));
    }

    private const string Act = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oigusakt xmlns="tyviseadus_1_10.02.2010">
          <metaandmed><lyhend>TS</lyhend><kehtivus><kehtivuseAlgus>2010-01-01+02:00</kehtivuseAlgus></kehtivus><globaalID>100</globaalID></metaandmed>
          <aktinimi><nimi><pealkiri>Testseadus</pealkiri></nimi></aktinimi>
          <sisu>
            <paragrahv id="para1"><paragrahvNr>1</paragrahvNr><paragrahvPealkiri>Seaduse ülesanne</paragrahvPealkiri>
              <loige id="lg1"><loigeNr>1</loigeNr><sisuTekst><tavatekst>Seadus reguleerib testimist.</tavatekst></sisuTekst></loige>
            </paragrahv>
          </sisu>
        </oigusakt>
        """;

    private static SourceItem Item(string id) => new(id, new Uri($"http://rt.test/public-api/api/v1/akt/{id}/xml"));

    [Fact]
    public async Task The_act_xml_becomes_one_file_named_by_the_key_that_the_riigi_teataja_parser_reads()
    {
        var download = _work.File("100.xml", Act);

        var unpacked = await _source.UnpackAsync(Item("100"), download, Context(new InMemoryTransport(), ["100"]), Ct);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal("100.xml", file.RelativePath);
        var document = await ParseAsync(file);
        Assert.Equal("rt-xml", document.Format);
        Assert.Equal("https://www.riigiteataja.ee/akt/100", document.Identifier);
        Assert.Equal("TS § 1", Assert.Single(document.Provisions).Citation);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><head><title>Riigi Teataja</title></head><body><app-root></app-root></body></html>", "answered with an HTML page")]
    [InlineData("<html><body>Riigi Teataja</body></html>", "answered with an HTML page")]
    [InlineData("<dokumente doknr=\"BJNR001950896\"/>", "the root element is <dokumente>, not <oigusakt>")]
    [InlineData("<oigusakt><metaandmed>", "not well-formed XML")]
    public async Task A_download_that_is_not_an_act_is_bad_content_naming_the_item(string body, string reason)
    {
        var download = _work.File("5.xml", body);

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item("5"), download, Context(new InMemoryTransport(), ["5"]), Ct));

        Assert.Contains("ee-rt 5 (http://rt.test/public-api/api/v1/akt/5/xml)", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Offline_the_listed_redactions_are_read_from_a_folder_laid_out_like_the_api_paths()
    {
        _work.File("from/public-api/api/v1/akt/100/xml", Act);
        var context = new SourceContext(new FolderSourceTransport(Path.Combine(_work.Path, "from")),
            new SourceSettings(new Uri("https://www.riigiteataja.ee/"), ["100"], new Dictionary<string, string> { ["followCurrent"] = "false" }),
            Path.Combine(_work.Path, "work"), new IngestionLimits());

        var report = await new SourceFetcher(_source).FetchAsync(new FetchRequest("ee-rt", Path.Combine(_work.Path, "corpus")), context, null, Ct);

        Assert.Empty(report.Failures);
        Assert.Equal(["100:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal("https://www.riigiteataja.ee/public-api/api/v1/akt/100/xml", report.Origins["100.xml"].SourceUrl);
    }

    [Fact]
    public async Task The_sample_act_fetched_from_its_official_path_unpacks_to_a_file_the_parser_reads()
    {
        var sample = SharedCorpora.Require("corpora/official-samples/ee-rt-xml/22217_Pollumajandusreformi_seadus_terviktekst_2002-06-01.xml");
        // A redaction of a superseded series resolves to itself.
        var transport = new InMemoryTransport()
            .Serve("http://rt.test/public-api/api/v1/akt/22217?leiaKehtiv=true", Metadata(22217, "Põllumajandusreformi seadus"))
            .Serve("http://rt.test/public-api/api/v1/akt/22217/xml", await File.ReadAllBytesAsync(sample, Ct));
        var context = Context(transport, ["22217"]);

        var item = Assert.Single(await _source.ListAsync(context, Ct));
        var download = Path.Combine(_work.Path, "downloads", "22217.xml");
        await transport.DownloadAsync(new DownloadRequest(item.Url, download), Ct);
        var unpacked = await _source.UnpackAsync(item, download, context, Ct);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal("22217.xml", file.RelativePath);
        var document = await ParseAsync(file);
        Assert.Equal("rt-xml", document.Format);
        Assert.Equal("https://www.riigiteataja.ee/akt/22217", document.Identifier);
        Assert.NotEmpty(document.Provisions);
    }

    private static async Task<Core.Domain.LegalDocument> ParseAsync(UnpackedFile file)
    {
        var source = new SourceFile("/unpacked/" + file.RelativePath, file.RelativePath, file.Content);
        var parser = new ParserRegistry([new XmlParser()]).Find(source);
        Assert.NotNull(parser);
        return await parser.ParseAsync(source, new ParseContext("ee-rt", "et", null, null, new IngestionLimits()), Ct);
    }
}
