using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>An OpenAPI 3.0 document, read-only: finds operations by method and concrete path, and their schemas.</summary>
internal sealed class OpenApiSpec
{
    private readonly JsonDocument _document;
    private readonly List<(Regex Pattern, string Template)> _paths = [];

    private OpenApiSpec(JsonDocument document)
    {
        _document = document;
        foreach (var path in Root.GetProperty("paths").EnumerateObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^}]+\}", "[^/]+") + "$";
            _paths.Add((new Regex(pattern, RegexOptions.CultureInvariant), path.Name));
        }
        // Literal segments beat parameters: "/collections/aliases" is not "/collections/{collection_name}".
        _paths.Sort((a, b) => CountParameters(a.Template).CompareTo(CountParameters(b.Template)));
    }

    public static OpenApiSpec Load(string path) => new(JsonDocument.Parse(File.ReadAllBytes(path)));

    public JsonElement Root => _document.RootElement;

    public JsonSchemaValidator Validator(bool rejectUndeclaredProperties) => new(Root, rejectUndeclaredProperties);

    /// <summary>The operation serving <paramref name="method"/> on a concrete path such as /collections/x/points, or null.</summary>
    public SpecOperation? FindOperation(string method, string concretePath)
    {
        foreach (var (pattern, template) in _paths)
        {
            if (!pattern.IsMatch(concretePath)) continue;
            var item = Root.GetProperty("paths").GetProperty(template);
            if (item.TryGetProperty(method.ToLowerInvariant(), out var operation))
                return new SpecOperation(method.ToUpperInvariant(), template, operation);
        }
        return null;
    }

    private static int CountParameters(string template) => template.Count(c => c == '{');
}

internal sealed record SpecOperation(string Method, string Template, JsonElement Operation)
{
    public string Name => $"{Method} {Template}";

    public JsonElement? RequestBodySchema =>
        Operation.TryGetProperty("requestBody", out var body)
        && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? json.GetProperty("schema") : null;

    public bool RequestBodyRequired =>
        Operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("required", out var r) && r.GetBoolean();

    /// <summary>The JSON schema of the response for a status code: exact ("200"), class ("4XX"), then "default".</summary>
    public JsonElement? ResponseSchema(int status)
    {
        var responses = Operation.GetProperty("responses");
        foreach (var key in new[] { status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{status / 100}XX", "default" })
            if (responses.TryGetProperty(key, out var response)
                && response.TryGetProperty("content", out var content)
                && content.TryGetProperty("application/json", out var json))
                return json.GetProperty("schema");
        return null;
    }

    public IReadOnlyDictionary<string, JsonElement> QueryParameters
    {
        get
        {
            var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (Operation.TryGetProperty("parameters", out var parameters))
                foreach (var p in parameters.EnumerateArray())
                    if (p.GetProperty("in").GetString() == "query")
                        result[p.GetProperty("name").GetString()!] = p.GetProperty("schema");
            return result;
        }
    }
}
