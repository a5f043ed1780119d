using LegalRag.Server.Configuration;
using LegalRag.Server.Tests.Support;
using LegalRag.TestSupport;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>Start-up rules: secrets only from the environment, a development key on loopback only, settings validated.</summary>
public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Api_keys_in_a_configuration_file_stop_the_server()
    {
        using var dir = new TempDirectory("secrets");
        var file = dir.File("appsettings.json", """{"LegalRag": {"Auth": {"Keys": [{"Key": "committed-key-0123456789", "Role": "admin"}]}}}""");
        var config = new ConfigurationBuilder().AddJsonFile(file).Build();
        var ex = Assert.Throws<InvalidOperationException>(() => SecretsGuard.EnsureNotInFiles(config));
        Assert.Contains("must not be in a configuration file", ex.Message);

        var llm = new ConfigurationBuilder().AddJsonFile(dir.File("llm.json", """{"LegalRag": {"Llm": {"ApiKey": "sk-committed"}}}""")).Build();
        Assert.Throws<InvalidOperationException>(() => SecretsGuard.EnsureNotInFiles(llm));
    }

    [Fact]
    public async Task Without_keys_a_development_key_is_printed_and_works_on_loopback()
    {
        await using var host = await ServerHost.StartAsync(Ct, withKeys: false);
        var announced = host.Announced.ToString();
        Assert.Contains($"LegalRag chat service listening on {host.Address.ToString().TrimEnd('/')}", announced);
        var key = System.Text.RegularExpressions.Regex.Match(announced, "loopback only\\): ([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.Contains($"/#key={key}", announced);
        using var http = host.Client(key);
        var me = await http.GetStringAsync("/api/me", Ct);
        Assert.Contains("\"role\":\"admin\"", me);
    }

    [Fact]
    public async Task Without_keys_a_public_address_is_refused()
    {
        using var dir = new TempDirectory("public");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => LegalRagServer.CreateAsync(new ServerStartOptions
        {
            Urls = "http://0.0.0.0:0",
            Settings = new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = dir.Path },
            Announce = TextWriter.Null,
        }, Ct));
        Assert.Contains("only listens on loopback", ex.Message);
    }

    [Fact]
    public async Task Invalid_settings_fail_at_start_with_the_key_named()
    {
        using var dir = new TempDirectory("invalid");
        var ex = await Assert.ThrowsAsync<LegalRag.Hosting.Configuration.SettingsException>(() => LegalRagServer.CreateAsync(new ServerStartOptions
        {
            Urls = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = dir.Path, ["LegalRag:Answering:RetrieveK"] = "0", ["LegalRag:Auth:Keys:0:Key"] = "short", ["LegalRag:Auth:Keys:0:Role"] = "reader" },
            Announce = TextWriter.Null,
        }, Ct));
        Assert.Contains("LegalRag:Answering:RetrieveK", ex.Message);
    }
}
