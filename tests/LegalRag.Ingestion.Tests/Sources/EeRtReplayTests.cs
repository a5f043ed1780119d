using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.EeRt;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>ee-rt end to end: the fetcher, the HTTP transport and the connector against a loopback server that answers
/// like the gazette's public API (metadata naming the redaction in force, the redaction's XML).</summary>
public sealed class EeRtReplayTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _folder = new("eert-replay");
    private readonly HttpSourceTransport _transport = new(new SourceTransportOptions { RequestsPerHostInterval = TimeSpan.Zero, RetryDelay = TimeSpan.Zero, MaxAttempts = 1 });
    private ReplayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ReplayServer.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _transport.Dispose();
        _folder.Dispose();
    }

    private Task<FetchReport> FetchAsync(string[] items, Dictionary<string, string>? options = null) =>
        new SourceFetcher(new EeRtSource()).FetchAsync(
            new FetchRequest("ee-rt", _folder.Path),
            new SourceContext(_transport, new SourceSettings(_server.BaseUrl, items, options ?? []), Path.Combine(_folder.Path, "work"), new IngestionLimits()),
            null, Ct);

    private string FilePath(string relative) => Path.Combine(_folder.Path, "files", relative);

    private static string Metadata(long current) => $$$"""{"kehtivId": {{{current}}}, "aktiParameetrid": {"pealkiri": "Testseadus"}}""";

    private static string Act(string text) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <oigusakt xmlns="tyviseadus_1_10.02.2010">
          <metaandmed><lyhend>TS</lyhend><globaalID>200</globaalID></metaandmed>
          <aktinimi><nimi><pealkiri>Testseadus</pealkiri></nimi></aktinimi>
          <sisu><paragrahv id="para1"><paragrahvNr>1</paragrahvNr>
            <loige id="lg1"><loigeNr>1</loigeNr><sisuTekst><tavatekst>{text}</tavatekst></sisuTekst></loige></paragrahv></sisu>
        </oigusakt>
        """;

    [Fact]
    public async Task A_new_redaction_in_force_replaces_the_act_under_the_listed_id()
    {
        _server.Serve("/public-api/api/v1/akt/100", Metadata(200), "application/json")
            .Serve("/public-api/api/v1/akt/200/xml", Act("Esimene sõnastus."));

        var first = await FetchAsync(["100"]);

        Assert.Equal(["100:Added"], first.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(new Uri(_server.BaseUrl, "public-api/api/v1/akt/200/xml").AbsoluteUri, first.Origins["100.xml"].SourceUrl);
        Assert.Contains("Esimene sõnastus.", await File.ReadAllTextAsync(FilePath("100.xml"), Ct));

        var before = _server.Requests.Count;
        var unchanged = await FetchAsync(["100"]);
        Assert.Empty(unchanged.Changes);
        Assert.Contains(_server.Requests.Skip(before), r => r is { Path: "/public-api/api/v1/akt/200/xml", Status: 304 });

        _server.Serve("/public-api/api/v1/akt/100", Metadata(300), "application/json")
            .Serve("/public-api/api/v1/akt/300/xml", Act("Teine sõnastus."));

        var update = await FetchAsync(["100"]);

        Assert.Equal(["100:Changed"], update.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Contains("Teine sõnastus.", await File.ReadAllTextAsync(FilePath("100.xml"), Ct));
    }

    [Fact]
    public async Task The_web_page_at_the_retired_xml_address_is_a_failure_naming_it_not_an_act()
    {
        _server.Serve("/akt/200.xml", "<!DOCTYPE html><html><body><app-root></app-root></body></html>", "text/html");

        var report = await FetchAsync(["200"], new Dictionary<string, string> { ["followCurrent"] = "false", ["xmlPath"] = "akt/{id}.xml" });

        var failure = Assert.Single(report.Failures);
        Assert.Contains("answered with an HTML page", failure.Reason);
        Assert.Empty(report.Changes);
    }

    [Fact]
    public async Task The_sample_act_served_under_the_official_paths_fetches_and_parses()
    {
        var sample = SharedCorpora.Require("corpora/official-samples/ee-rt-xml/22217_Pollumajandusreformi_seadus_terviktekst_2002-06-01.xml");
        _server.Serve("/public-api/api/v1/akt/22217", Metadata(22217), "application/json")
            .Serve("/public-api/api/v1/akt/22217/xml", await File.ReadAllBytesAsync(sample, Ct), "application/xml");

        var report = await FetchAsync(["22217"]);

        Assert.Empty(report.Failures);
        var path = Assert.Single(report.Origins.Keys);
        Assert.Equal("22217.xml", path);
        var file = new SourceFile(FilePath(path), path, await File.ReadAllBytesAsync(FilePath(path), Ct));
        var document = await new XmlParser().ParseAsync(file, new ParseContext("ee-rt", "et", null, null, new IngestionLimits()), Ct);
        Assert.Equal("rt-xml", document.Format);
        Assert.Equal("https://www.riigiteataja.ee/akt/22217", document.Identifier);
        Assert.NotEmpty(document.Provisions);
    }
}
