using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegalRag.Server.Tests.Support;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>Issue 14, history over REST: a provision's versions and the word diff of two, with the panel's access rule and audit.</summary>
public sealed class ProvisionVersionsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<ServerHost> StartAsync() => ServerHost.StartAsync(Ct, prepare: c => VersionedProvisions.AddAsync(c, Ct));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Fact]
    public async Task The_versions_of_a_provision_are_listed_oldest_first_by_any_version_id_or_the_provision_id()
    {
        await using var host = await StartAsync();
        using var http = host.Client(ServerHost.ReaderKey);

        foreach (var id in new[] { VersionedProvisions.BaseKey, VersionedProvisions.FirstKey, VersionedProvisions.CurrentKey })
        {
            var (status, body) = await GetAsync(http, "/api/provision-versions/" + id);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(VersionedProvisions.BaseKey, body.GetProperty("provisionId").GetString());
            Assert.Equal("Code civil, art. 910", body.GetProperty("citation").GetString());
            Assert.Equal(Today, body.GetProperty("today").GetString());
            Assert.Equal(VersionedProvisions.CurrentKey, body.GetProperty("current").GetString());
            var versions = body.GetProperty("versions").EnumerateArray().ToList();
            Assert.Equal([VersionedProvisions.FirstKey, VersionedProvisions.SecondKey, VersionedProvisions.CurrentKey], versions.Select(v => v.GetProperty("provisionId").GetString()));
            Assert.Equal(["1804-03-13", "2006-07-01", "2011-05-19"], versions.Select(v => v.GetProperty("validFrom").GetString()));
            Assert.Equal(["2006-07-01", "2011-05-19"], versions.Take(2).Select(v => v.GetProperty("validTo").GetString()));
            // An open end is written as null, not left out.
            Assert.Equal(JsonValueKind.Null, versions[2].GetProperty("validTo").ValueKind);
            Assert.Equal([VersionedProvisions.FirstAct, VersionedProvisions.SecondAct, VersionedProvisions.CurrentAct], versions.Select(v => v.GetProperty("changedBy").GetString()));
            Assert.Equal([false, false, true], versions.Select(v => v.GetProperty("inForce").GetBoolean()));
            Assert.All(versions, v => Assert.False(v.GetProperty("repealed").GetBoolean()));
        }

        // A provision with one version lists it; GET /api/provisions gives a listed version's own text.
        var (_, stable) = await GetAsync(http, "/api/provision-versions/" + VersionedProvisions.StableKey);
        Assert.Equal([VersionedProvisions.StableKey], stable.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("provisionId").GetString()));
        var (_, first) = await GetAsync(http, "/api/provisions/" + VersionedProvisions.FirstKey);
        Assert.EndsWith("une ordonnance royale.", first.GetProperty("paragraphs")[0].GetProperty("text").GetString());

        var (missing, problem) = await GetAsync(http, "/api/provision-versions/cc-versions/code-civil/a999");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("no provision 'cc-versions/code-civil/a999'", problem.GetProperty("detail").GetString());

        var audit = await host.AuditLinesAsync(5, Ct);
        var listed = audit.Where(a => a.GetProperty("action").GetString() == "provision-versions").ToList();
        Assert.Equal(4, listed.Count);
        Assert.All(listed, a => Assert.Equal(("alice", "reader", "rest"), (a.GetProperty("user").GetString(), a.GetProperty("role").GetString(), a.GetProperty("transport").GetString())));
        Assert.Equal(VersionedProvisions.BaseKey, listed[0].GetProperty("provisions")[0].GetString());
    }

    [Fact]
    public async Task The_diff_of_two_versions_by_id_or_by_day_gives_the_changed_words_and_refuses_what_names_none()
    {
        await using var host = await StartAsync();
        using var http = host.Client(ServerHost.ReaderKey);

        var (status, diff) = await GetAsync(http, $"/api/provision-diff?from={Uri.EscapeDataString(VersionedProvisions.FirstKey)}&to={Uri.EscapeDataString(VersionedProvisions.SecondKey)}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(diff.GetProperty("changed").GetBoolean());
        Assert.Equal("Code civil, art. 910", diff.GetProperty("citation").GetString());
        Assert.Equal(VersionedProvisions.FirstKey, diff.GetProperty("from").GetProperty("provisionId").GetString());
        Assert.Equal("2006-07-01", diff.GetProperty("to").GetProperty("validFrom").GetString());
        Assert.Equal(VersionedProvisions.SecondAct, diff.GetProperty("to").GetProperty("changedBy").GetString());
        var segments = diff.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("op").GetString(), s.GetProperty("text").GetString())).ToList();
        Assert.Equal(3, segments.Count);
        Assert.Equal("equal", segments[0].Item1);
        Assert.Equal([("delete", "une ordonnance royale."), ("insert", "un décret.")], segments.Skip(1));

        // Days pick the version in force (with id naming the provision, or a version id on the other side); the same version twice is unchanged.
        var (_, byDay) = await GetAsync(http, $"/api/provision-diff?id={VersionedProvisions.BaseKey}&from=1900-01-01&to=2010-12-31");
        Assert.Equal((VersionedProvisions.FirstKey, VersionedProvisions.SecondKey), (byDay.GetProperty("from").GetProperty("provisionId").GetString(), byDay.GetProperty("to").GetProperty("provisionId").GetString()));
        var (_, mixed) = await GetAsync(http, $"/api/provision-diff?from=2011-05-19&to={VersionedProvisions.CurrentKey}");
        Assert.False(mixed.GetProperty("changed").GetBoolean());
        Assert.Equal(["equal"], mixed.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("op").GetString()));

        async Task Refused(HttpStatusCode expected, string query, string detail)
        {
            var (code, body) = await GetAsync(http, "/api/provision-diff?" + query);
            Assert.Equal(expected, code);
            Assert.Equal(detail, body.GetProperty("detail").GetString());
        }
        await Refused(HttpStatusCode.BadRequest, $"from={VersionedProvisions.FirstKey}",
            "from and to are required: each a version id (as GET /api/provision-versions/{id} lists them) or a day YYYY-MM-DD");
        await Refused(HttpStatusCode.BadRequest, "from=1900-01-01&to=2010-01-01", "from and to are both days: name the provision with id (e.g. id=fr/code-civil/a910)");
        await Refused(HttpStatusCode.BadRequest, "from=bad&to=2010-01-01", "from must be a version id (as GET /api/provision-versions/{id} lists them) or a day written YYYY-MM-DD, not 'bad'");
        await Refused(HttpStatusCode.BadRequest, $"from={VersionedProvisions.FirstKey}&to={VersionedProvisions.StableKey}",
            $"to '{VersionedProvisions.StableKey}' is not a version of Code civil, art. 910 ('{VersionedProvisions.BaseKey}'): from and to must be versions of the same provision");
        await Refused(HttpStatusCode.BadRequest, $"from={VersionedProvisions.FirstKey}&to=2010-02-30",
            "to must be a version id of Code civil, art. 910 or a day written YYYY-MM-DD (e.g. 2010-01-01), not '2010-02-30'");
        await Refused(HttpStatusCode.NotFound, $"from=1700-01-01&to={VersionedProvisions.FirstKey}", "no version of Code civil, art. 910 is in force on 1700-01-01");
        await Refused(HttpStatusCode.NotFound, $"from={VersionedProvisions.BaseKey}@1999-01-01&to={VersionedProvisions.FirstKey}",
            $"Code civil, art. 910 has no version '{VersionedProvisions.BaseKey}@1999-01-01'");
        await Refused(HttpStatusCode.NotFound, $"from=cc-versions/code-civil/a999&to={VersionedProvisions.FirstKey}", "no provision 'cc-versions/code-civil/a999'");
        await Refused(HttpStatusCode.NotFound, $"id={VersionedProvisions.BaseKey}&from={VersionedProvisions.BaseKey}@1999-01-01&to={VersionedProvisions.FirstKey}",
            $"Code civil, art. 910 has no version '{VersionedProvisions.BaseKey}@1999-01-01'");

        var audit = await host.AuditLinesAsync(3, Ct);
        var diffs = audit.Where(a => a.GetProperty("action").GetString() == "provision-diff").ToList();
        Assert.Equal(3, diffs.Count);
        Assert.Equal([VersionedProvisions.FirstKey, VersionedProvisions.SecondKey], diffs[0].GetProperty("provisions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(VersionedProvisions.Corpus, diffs[0].GetProperty("corpus").GetString());
    }

    [Fact]
    public async Task A_provision_of_a_corpus_the_caller_may_not_read_has_no_versions_and_no_diff_for_them()
    {
        await using var host = await StartAsync();
        using var reader = host.Client(ServerHost.ReaderKey);
        using var evaluator = host.Client(ServerHost.EvaluatorKey);
        const string Internal = "intern/kaufg/s433";

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(reader, "/api/provision-versions/" + Internal)).Status);
        var (status, problem) = await GetAsync(reader, $"/api/provision-diff?from={Internal}&to={Internal}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"no provision '{Internal}'", problem.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(evaluator, "/api/provision-versions/" + Internal)).Status);
        var (allowed, same) = await GetAsync(evaluator, $"/api/provision-diff?from={Internal}&to={Internal}");
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.False(same.GetProperty("changed").GetBoolean());

        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/provision-versions/" + VersionedProvisions.BaseKey, Ct)).StatusCode);
    }
}
