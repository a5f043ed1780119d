using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LegalRag.Hosting.Configuration;
using LegalRag.Server.Auth;
using LegalRag.Server.Configuration;
using LegalRag.Storage.Qdrant;
using LegalRag.TestSupport;
using Microsoft.Extensions.Configuration;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace LegalRag.Server.Tests;

/// <summary>
/// Docker cannot run here, so the Dockerfile and docker-compose.yml are kept in step with the project by
/// reading them: the image installs every run-time package tools/setup.sh installs, restores every project
/// the CLI builds from, and runs as non-root; every compose service that runs <c>serve</c> gives every
/// setting the server requires at start, and those settings pass the server's own start-up validation.
/// </summary>
public sealed partial class DeploymentConsistencyTests
{
    private static string RepoFile(string relative) => Path.Combine(Repository.Root, relative);

    #region Dockerfile

    /// <summary>The instructions of the Dockerfile's last stage (the image that runs), continuation lines joined.</summary>
    private static IReadOnlyList<string> Stage(int fromEnd)
    {
        var stages = new List<List<string>>();
        foreach (var instruction in Instructions())
        {
            if (instruction.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)) stages.Add([]);
            if (stages.Count > 0) stages[^1].Add(instruction);
        }
        Assert.True(stages.Count > fromEnd, $"Dockerfile: expected at least {fromEnd + 1} stages, found {stages.Count}");
        return stages[^(fromEnd + 1)];
    }

    private static IEnumerable<string> Instructions()
    {
        var current = "";
        foreach (var raw in File.ReadAllLines(RepoFile("Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0) continue;
            current += (current.Length > 0 ? " " : "") + line.TrimEnd('\\').Trim();
            if (line.EndsWith('\\')) continue;
            yield return current;
            current = "";
        }
        if (current.Length > 0) yield return current;
    }

    /// <summary>The packages named by tools/setup.sh in <c>runtime_packages=(...)</c>.</summary>
    private static IReadOnlyList<string> SetupRuntimePackages()
    {
        var match = RuntimePackagesRegex().Match(File.ReadAllText(RepoFile("tools/setup.sh")));
        Assert.True(match.Success, "tools/setup.sh: no runtime_packages=(...) list; the image's packages are checked against it");
        return match.Groups["list"].Value.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"^runtime_packages=\((?<list>[^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex RuntimePackagesRegex();

    [Fact]
    public void The_image_installs_every_runtime_package_that_setup_installs()
    {
        var runtime = SetupRuntimePackages();
        Assert.Contains("poppler-utils", runtime); // the list is the real one, not an empty match
        Assert.Contains("tesseract-ocr-deu", runtime);

        var installed = Stage(0)
            .Where(i => i.StartsWith("RUN ", StringComparison.Ordinal))
            .SelectMany(i => i.Split("&&"))
            .Select(command => command.Trim())
            .Where(command => command.Contains("apt-get install", StringComparison.Ordinal))
            .SelectMany(command => command[(command.IndexOf("install", StringComparison.Ordinal) + "install".Length)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(word => !word.StartsWith('-'))
            .ToHashSet(StringComparer.Ordinal);

        var missing = runtime.Where(p => !installed.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"Dockerfile: the runtime stage does not install {string.Join(", ", missing)} (tools/setup.sh runtime_packages)");
    }

    [Fact]
    public void The_image_runs_as_a_non_root_user()
    {
        var user = Stage(0).LastOrDefault(i => i.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        var name = user["USER ".Length..].Trim();
        Assert.DoesNotContain(name.Split(':')[0], new[] { "root", "0" });
    }

    [Fact]
    public void The_image_restores_every_project_the_cli_is_built_from()
    {
        var build = Stage(1);
        var restoreAt = build.ToList().FindIndex(i => i.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restoreAt > 0, "Dockerfile: the build stage has no `dotnet restore`");
        var copiedBeforeRestore = build.Take(restoreAt).Where(i => i.StartsWith("COPY ", StringComparison.Ordinal)).ToList();

        var projects = ProjectClosure("src/LegalRag.Cli/LegalRag.Cli.csproj");
        Assert.Contains("src/LegalRag.Storage/LegalRag.Storage.csproj", projects);
        var missing = projects.Where(p => !copiedBeforeRestore.Any(c => c.Contains(" " + p + " ", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, $"Dockerfile: the restore layer does not copy {string.Join(", ", missing)}; restore would fail");
    }

    [Fact]
    public void The_image_publishes_for_linux_x64_and_needs_no_natives_fetched_by_hand()
    {
        var text = File.ReadAllText(RepoFile("Dockerfile"));
        // ONNX Runtime's native library comes with its NuGet package for the runtime identifier published.
        Assert.Matches(@"dotnet publish [^\n]*-r linux-x64", text);
        Assert.Matches(@"dotnet restore [^\n]*-r linux-x64", text);
        Assert.DoesNotContain(".native", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch-onnxruntime", text, StringComparison.Ordinal);
    }

    /// <summary>A project and every project it references, transitively, with the files they import (props), as
    /// repository-relative paths: restore reads them all.</summary>
    private static IReadOnlyList<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current)) continue;
            var folder = Path.GetDirectoryName(RepoFile(current))!;
            var xml = XDocument.Load(RepoFile(current));
            foreach (var reference in xml.Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
            foreach (var import in xml.Descendants("Import").Select(i => i.Attribute("Project")?.Value).OfType<string>().Where(i => !i.Contains('$', StringComparison.Ordinal)))
            {
                var full = Path.GetFullPath(Path.Combine(folder, import));
                seen.Add(Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
        }
        return seen.ToList();
    }

    #endregion

    #region docker-compose.yml

    private sealed record ComposeService(string Name, YamlMappingNode Node)
    {
        public IReadOnlyList<string> Sequence(string key) =>
            Node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode items
                ? items.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList()
                : [];

        public IReadOnlyDictionary<string, string> Environment =>
            Node.Children.TryGetValue(new YamlScalarNode("environment"), out var value) && value is YamlMappingNode map
                ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>();

        public YamlNode? this[string key] => Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    /// <summary>docker-compose.yml with anchors and merge keys (<c>&lt;&lt;: *x</c>) resolved, as compose reads it.</summary>
    private static (IReadOnlyList<ComposeService> Services, YamlMappingNode Root) Compose()
    {
        using var reader = new StringReader(File.ReadAllText(RepoFile("docker-compose.yml")));
        var stream = new YamlStream();
        stream.Load(reader);
        var root = (YamlMappingNode)Merged(stream.Documents[0].RootNode);
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return (services.Children.Select(s => new ComposeService(((YamlScalarNode)s.Key).Value!, (YamlMappingNode)s.Value)).ToList(), root);
    }

    /// <summary>YAML merge keys resolved: the merged mappings first, then the mapping's own keys, which win.</summary>
    private static YamlNode Merged(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var result = new YamlMappingNode();
                var merge = new YamlScalarNode("<<");
                if (map.Children.TryGetValue(merge, out var sources))
                    foreach (var source in sources is YamlSequenceNode many ? many.Children : [sources])
                        foreach (var (key, value) in ((YamlMappingNode)Merged(source)).Children)
                            result.Children[key] = value;
                foreach (var (key, value) in map.Children)
                    if (!key.Equals(merge)) result.Children[key] = Merged(value);
                return result;
            case YamlSequenceNode sequence:
                return new YamlSequenceNode(sequence.Children.Select(Merged));
            default:
                return node;
        }
    }

    private static IReadOnlyList<ComposeService> ServerServices()
    {
        var servers = Compose().Services.Where(s => s.Sequence("command").FirstOrDefault() == "serve").ToList();
        Assert.Contains(servers, s => s.Name == "legalrag-server");
        return servers;
    }

    /// <summary>Compose's interpolation: <c>${VAR:-default}</c> gives the default, a required or plain <c>${VAR}</c> a test value.</summary>
    private static string Interpolate(string value, IReadOnlyDictionary<string, string> testValues) =>
        InterpolationRegex().Replace(value, m =>
            testValues.TryGetValue(m.Groups["name"].Value, out var given) ? given
            : m.Groups["op"].Value == ":-" ? m.Groups["rest"].Value
            : "test-value");

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<rest>[^}]*))?\}")]
    private static partial Regex InterpolationRegex();

    /// <summary>Every [Required] setting of a settings tree, as configuration paths ("LegalRag:DataDirectory").
    /// Lists (the API keys) are left out: their entries are required only when given.</summary>
    private static IEnumerable<string> RequiredSettings(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var path = $"{prefix}:{property.Name}";
            if (property.GetCustomAttribute<RequiredAttribute>() is not null) yield return path;
            var child = property.PropertyType;
            if (child.IsClass && child != typeof(string) && child.Namespace?.StartsWith("LegalRag.", StringComparison.Ordinal) == true
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(child))
                foreach (var nested in RequiredSettings(child, path)) yield return nested;
        }
    }

    [Fact]
    public void Every_server_service_gives_every_setting_the_server_requires_at_start()
    {
        foreach (var service in ServerServices())
        {
            var environment = service.Environment;
            var given = environment.Keys.Select(k => k.Replace("__", ":", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var qdrant = string.Equals(environment.GetValueOrDefault("LegalRag__Store__Provider"), "qdrant", StringComparison.OrdinalIgnoreCase);

            var required = RequiredSettings(typeof(LegalRagSettings), LegalRagSettings.Section)
                .Concat(RequiredSettings(typeof(ServerSettings), ServerSettings.Section))
                // The Qdrant settings are checked at start only when Qdrant is the store; then the vector size
                // must be given too, as it has to match the model (QdrantOptions says there is no sensible default).
                .Where(path => qdrant || !path.StartsWith("LegalRag:Qdrant:", StringComparison.Ordinal))
                .Concat(qdrant ? ["LegalRag:Qdrant:DenseSize"] : [])
                .Append("LegalRag:Store:Provider")
                .Distinct()
                .ToList();
            Assert.Contains("LegalRag:DataDirectory", required);
            var missing = required.Where(path => !given.Contains(path)).ToList();
            Assert.True(missing.Count == 0, $"docker-compose.yml service {service.Name}: no value for {string.Join(", ", missing)}");
            // It binds beyond the container's loopback, which the server allows only with API keys.
            Assert.True(environment.ContainsKey(ApiKeyRegistry.EnvironmentVariable), $"docker-compose.yml service {service.Name}: API keys come from {ApiKeyRegistry.EnvironmentVariable}");
        }
    }

    [Fact]
    public void Every_server_service_passes_the_servers_own_settings_validation()
    {
        var testKeys = new Dictionary<string, string>(StringComparer.Ordinal) { ["LEGALRAG_API_KEYS"] = "compose-test-key-0123456789:admin" };
        foreach (var service in ServerServices())
        {
            var values = service.Environment.ToDictionary(e => e.Key, e => Interpolate(e.Value, testKeys), StringComparer.Ordinal);
            // The environment-variable configuration source: "__" separates sections.
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
                .Build();

            var settings = LegalRagConfiguration.Load(configuration);
            var server = new ServerSettings();
            configuration.GetSection(ServerSettings.Section).Bind(server);
            SettingsValidation.Validate(server);
            var keys = ApiKeyRegistry.ParseEnvironment(values[ApiKeyRegistry.EnvironmentVariable]);
            Assert.Equal(1, new ApiKeyRegistry(keys).Count);
            Assert.Equal("/data", settings.DataDirectory);
            if (!settings.Store.IsQdrant) continue;

            settings.Qdrant.ThrowIfInvalid(); // what the store checks before it connects
            var url = new Uri(settings.Qdrant.Url);
            Assert.Equal(QdrantOptions.GrpcPort, url.Port);
            var (services, _) = Compose();
            var target = services.SingleOrDefault(s => s.Name == url.Host);
            Assert.True(target is not null, $"docker-compose.yml service {service.Name}: Qdrant Url {url} names no service of this file");
            Assert.StartsWith("qdrant/qdrant:", ((YamlScalarNode)target["image"]!).Value);
            Assert.Equal(target.Sequence("profiles"), service.Sequence("profiles"));
        }
    }

    [Fact]
    public void The_server_is_published_on_loopback_with_a_ready_check_and_a_data_volume()
    {
        var (_, root) = Compose();
        var declaredVolumes = ((YamlMappingNode)root.Children[new YamlScalarNode("volumes")]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        foreach (var service in ServerServices())
        {
            var ports = service.Sequence("ports");
            Assert.NotEmpty(ports);
            Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p));
            var healthcheck = (YamlMappingNode)service["healthcheck"]!;
            Assert.Contains("/ready", string.Join(" ", ((YamlSequenceNode)healthcheck.Children[new YamlScalarNode("test")]).Children.Select(c => ((YamlScalarNode)c).Value)));
            var dataDirectory = service.Environment.GetValueOrDefault("LegalRag__DataDirectory");
            Assert.True(dataDirectory is not null, $"docker-compose.yml service {service.Name}: no LegalRag__DataDirectory");
            var dataVolume = service.Sequence("volumes").Select(v => v.Split(':')).SingleOrDefault(v => v.Length >= 2 && v[1] == dataDirectory);
            Assert.True(dataVolume is not null, $"docker-compose.yml service {service.Name}: no volume on its data folder");
            Assert.Contains(dataVolume[0], declaredVolumes);
        }
    }

    [Fact]
    public void The_cluster_profile_runs_the_server_against_the_three_qdrant_nodes_over_grpc()
    {
        var (services, _) = Compose();
        var cluster = services.Where(s => s.Sequence("profiles").Contains("qdrant-cluster")).ToList();
        var nodes = cluster.Where(s => s["image"] is YamlScalarNode { Value: { } image } && image.StartsWith("qdrant/qdrant:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, nodes.Count);
        var server = Assert.Single(cluster, s => s.Sequence("command").FirstOrDefault() == "serve");
        Assert.Equal("qdrant", server.Environment["LegalRag__Store__Provider"]);
        var dependsOn = ((YamlMappingNode)server["depends_on"]!).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        Assert.All(nodes, node => Assert.Contains(node.Name, dependsOn));
        // The node LegalRag calls publishes its gRPC port to the host's loopback as well (for the CLI outside compose).
        var called = nodes.Single(n => new Uri(server.Environment["LegalRag__Qdrant__Url"]).Host == n.Name);
        Assert.Contains("127.0.0.1:6334:6334", called.Sequence("ports"));
    }

    #endregion
}
