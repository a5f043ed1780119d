using System.Text.Json;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>Checks recorded requests and handwritten fixtures against the Qdrant OpenAPI spec.</summary>
internal static class SpecConformance
{
    /// <summary>Every problem of one request: unknown operation, bad query parameter, body not matching its schema.</summary>
    public static IReadOnlyList<string> Problems(OpenApiSpec spec, RecordedRequest request)
    {
        var problems = new List<string>();
        var operation = spec.FindOperation(request.Method, request.Path);
        if (operation is null) return [$"{request.Method} {request.Path}: no such operation in the spec"];
        var validator = spec.Validator(rejectUndeclaredProperties: true);

        var parameters = operation.QueryParameters;
        foreach (var (name, value) in request.QueryValues)
        {
            if (!parameters.TryGetValue(name, out var schema))
            {
                problems.Add($"{operation.Name}: query parameter '{name}' is not in the spec");
                continue;
            }
            var asJson = QueryValueAsJson(validator, schema, value);
            using var doc = JsonDocument.Parse(asJson);
            problems.AddRange(validator.Validate(doc.RootElement, schema).Select(e => $"{operation.Name} ?{name}={value}: {e}"));
        }

        var bodySchema = operation.RequestBodySchema;
        if (request.Body is { Length: > 0 } body)
        {
            if (bodySchema is null) problems.Add($"{operation.Name}: sends a body, but the operation takes none");
            else
            {
                using var doc = JsonDocument.Parse(body);
                problems.AddRange(validator.Validate(doc.RootElement, bodySchema.Value).Select(e => $"{operation.Name} body {e}"));
            }
        }
        else if (operation.RequestBodyRequired)
        {
            problems.Add($"{operation.Name}: the spec requires a body, none was sent");
        }
        return problems;
    }

    public static void AssertAllConform(OpenApiSpec spec, IEnumerable<RecordedRequest> requests)
    {
        var problems = requests.SelectMany(r => Problems(spec, r)).Distinct().ToList();
        Assert.True(problems.Count == 0, "Requests that do not match the Qdrant spec:\n" + string.Join("\n", problems));
    }

    /// <summary>Checks a handwritten response against the spec's schema for that operation and status; returns it.</summary>
    public static string ValidResponse(OpenApiSpec spec, string method, string concretePath, int status, string json)
    {
        var operation = spec.FindOperation(method, concretePath) ?? throw new InvalidOperationException($"No operation {method} {concretePath} in the spec.");
        var schema = operation.ResponseSchema(status) ?? throw new InvalidOperationException($"{operation.Name} has no JSON response for {status}.");
        using var doc = JsonDocument.Parse(json);
        var errors = spec.Validator(rejectUndeclaredProperties: true).Validate(doc.RootElement, schema);
        Assert.True(errors.Count == 0, $"Fixture for {operation.Name} ({status}) does not match the spec:\n" + string.Join("\n", errors));
        return json;
    }

    private static string QueryValueAsJson(JsonSchemaValidator validator, JsonElement schema, string value)
    {
        var resolved = schema.TryGetProperty("$ref", out var r) ? validator.Resolve(r.GetString()!) : schema;
        var type = resolved.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type switch
        {
            "boolean" => value is "true" or "false" ? value : JsonSerializer.Serialize(value),
            "integer" or "number" => long.TryParse(value, out _) ? value : JsonSerializer.Serialize(value),
            // anyOf schemas such as ReadConsistency (integer or enum string): a number if it reads as one.
            null when long.TryParse(value, out _) => value,
            _ => JsonSerializer.Serialize(value),
        };
    }
}
