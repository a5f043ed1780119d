using System.Globalization;
using System.Text.Json;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// A validator for the JSON Schema dialect of OpenAPI 3.0 as the Qdrant spec uses it: $ref into the same
/// document, type, format (uint/uint8/uint32/uint64/int64 as range-checked integers, float/double as numbers,
/// uuid, uri, date-time), properties, required, additionalProperties, items, enum, nullable, anyOf, oneOf,
/// allOf, minimum, maximum, minItems, minLength, uniqueItems. A keyword it does not know throws, so a
/// spec that outgrows it fails loudly instead of passing silently.
/// <para>
/// Two readings are deliberate. <c>{"nullable": true}</c> with no other constraint accepts only null:
/// the spec writes optional members as <c>anyOf: [{$ref: X}, {nullable: true}]</c>, and reading that
/// branch as "anything" would make every optional member unchecked. With
/// <c>rejectUndeclaredProperties</c>, an object schema that lists properties and says nothing about
/// additionalProperties rejects members it does not list: that is what catches a misspelt field name,
/// which Qdrant would otherwise silently ignore.
/// </para>
/// </summary>
internal sealed class JsonSchemaValidator(JsonElement documentRoot, bool rejectUndeclaredProperties)
{
    private static readonly HashSet<string> Annotations =
        ["description", "example", "examples", "default", "deprecated", "title", "readOnly", "writeOnly", "externalDocs", "xml"];

    private static readonly HashSet<string> Assertions =
    [
        "$ref", "type", "format", "properties", "required", "additionalProperties", "items", "enum", "nullable",
        "anyOf", "oneOf", "allOf", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "uniqueItems",
    ];

    public IReadOnlyList<string> Validate(JsonElement instance, JsonElement schema)
    {
        var errors = new List<string>();
        Validate(instance, schema, "$", errors, null);
        return errors;
    }

    /// <summary>Resolves "#/components/schemas/Name" (any JSON pointer into this document).</summary>
    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException($"Only same-document references are supported, not '{reference}'.");
        var current = documentRoot;
        foreach (var raw in reference[2..].Split('/'))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            if (!current.TryGetProperty(segment, out current))
                throw new InvalidOperationException($"Reference '{reference}' does not resolve (no '{segment}').");
        }
        return current;
    }

    private void Validate(JsonElement instance, JsonElement schema, string path, List<string> errors, HashSet<string>? siblingProperties)
    {
        if (schema.ValueKind == JsonValueKind.True) return;
        if (schema.ValueKind == JsonValueKind.False) { errors.Add($"{path}: no value is allowed here"); return; }
        if (schema.ValueKind != JsonValueKind.Object) throw new InvalidOperationException($"Schema at {path} is not an object.");

        foreach (var keyword in schema.EnumerateObject())
            if (!Assertions.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
                throw new NotSupportedException($"Schema keyword '{keyword.Name}' (at instance {path}) is not supported by this validator.");

        // In OpenAPI 3.0 a $ref replaces its schema; siblings are annotations only.
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Validate(instance, Resolve(reference.GetString()!), path, errors, siblingProperties);
            return;
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        var constraintCount = schema.EnumerateObject().Count(p => Assertions.Contains(p.Name) && p.Name != "nullable");
        if (instance.ValueKind == JsonValueKind.Null)
        {
            if (nullable) return;
            if (schema.TryGetProperty("type", out _) || schema.TryGetProperty("enum", out _))
            {
                errors.Add($"{path}: null is not allowed");
                return;
            }
        }
        else if (nullable && constraintCount == 0)
        {
            errors.Add($"{path}: expected null, got {Describe(instance)}");
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !CheckType(instance, type.GetString()!, path, errors)) return;
        if (schema.TryGetProperty("format", out var format)) CheckFormat(instance, format.GetString()!, path, errors);
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, instance)))
            errors.Add($"{path}: {Describe(instance)} is not one of [{string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}]");
        CheckRanges(instance, schema, path, errors);

        if (instance.ValueKind == JsonValueKind.Object && HasObjectKeywords(schema))
            CheckObject(instance, schema, path, errors, siblingProperties);
        if (instance.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in instance.EnumerateArray()) Validate(item, items, $"{path}[{i++}]", errors, null);
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            // Members declared by any branch are declared for all of them (strict mode must not reject them).
            var declared = new HashSet<string>(siblingProperties ?? [], StringComparer.Ordinal);
            foreach (var branch in allOf.EnumerateArray()) CollectDeclared(branch, declared);
            foreach (var branch in allOf.EnumerateArray()) Validate(instance, branch, path, errors, declared);
        }
        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var failures = BranchFailures(instance, anyOf, path, siblingProperties);
            if (failures.All(f => f.Count > 0))
                errors.Add($"{path}: matches none of {failures.Count} anyOf alternatives; closest: {Closest(failures, path)}");
        }
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var failures = BranchFailures(instance, oneOf, path, siblingProperties);
            var matches = failures.Count(f => f.Count == 0);
            if (matches == 0)
                errors.Add($"{path}: matches none of {failures.Count} oneOf alternatives; closest: {Closest(failures, path)}");
            else if (matches > 1)
                errors.Add($"{path}: matches {matches} oneOf alternatives, exactly one is required");
        }
    }

    /// <summary>The failing branch most likely meant: one whose type fitted (errors lie deeper), then the fewest errors.</summary>
    private static string Closest(List<List<string>> failures, string path)
    {
        var typeMismatch = $"{path}: expected ";
        var best = failures
            .OrderBy(f => f.Any(e => e.StartsWith(typeMismatch, StringComparison.Ordinal) || e.StartsWith($"{path}: null", StringComparison.Ordinal)) ? 1 : 0)
            .ThenBy(f => f.Count)
            .First();
        return string.Join("; ", best);
    }

    private List<List<string>> BranchFailures(JsonElement instance, JsonElement branches, string path, HashSet<string>? siblingProperties)
    {
        var result = new List<List<string>>();
        foreach (var branch in branches.EnumerateArray())
        {
            var branchErrors = new List<string>();
            Validate(instance, branch, path, branchErrors, siblingProperties);
            result.Add(branchErrors);
        }
        return result;
    }

    private static bool HasObjectKeywords(JsonElement schema) =>
        schema.TryGetProperty("properties", out _) || schema.TryGetProperty("required", out _) || schema.TryGetProperty("additionalProperties", out _);

    private void CollectDeclared(JsonElement schema, HashSet<string> declared)
    {
        if (schema.TryGetProperty("$ref", out var reference)) schema = Resolve(reference.GetString()!);
        if (schema.TryGetProperty("properties", out var properties))
            foreach (var p in properties.EnumerateObject()) declared.Add(p.Name);
        if (schema.TryGetProperty("allOf", out var allOf))
            foreach (var branch in allOf.EnumerateArray()) CollectDeclared(branch, declared);
    }

    private void CheckObject(JsonElement instance, JsonElement schema, string path, List<string> errors, HashSet<string>? siblingProperties)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                if (!instance.TryGetProperty(name, out _)) errors.Add($"{path}: required member '{name}' is missing");

        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var member in instance.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
            {
                Validate(member.Value, memberSchema, memberPath, errors, null);
                continue;
            }
            if (siblingProperties?.Contains(member.Name) == true) continue;
            if (hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False) errors.Add($"{memberPath}: member is not allowed (additionalProperties: false)");
                else if (additional.ValueKind != JsonValueKind.True) Validate(member.Value, additional, memberPath, errors, null);
            }
            else if (rejectUndeclaredProperties && properties.ValueKind == JsonValueKind.Object)
            {
                errors.Add($"{memberPath}: member is not declared by the schema (a misspelt field would be ignored by the server)");
            }
        }
    }

    private static bool CheckType(JsonElement instance, string type, string path, List<string> errors)
    {
        var ok = type switch
        {
            "object" => instance.ValueKind == JsonValueKind.Object,
            "array" => instance.ValueKind == JsonValueKind.Array,
            "string" => instance.ValueKind == JsonValueKind.String,
            "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "number" => instance.ValueKind == JsonValueKind.Number,
            "integer" => instance.ValueKind == JsonValueKind.Number && IsIntegral(instance),
            _ => throw new NotSupportedException($"Schema type '{type}' is not supported."),
        };
        if (!ok) errors.Add($"{path}: expected {type}, got {Describe(instance)}");
        return ok;
    }

    private static bool IsIntegral(JsonElement number) =>
        number.TryGetInt64(out _) || number.TryGetUInt64(out _)
        || (number.TryGetDecimal(out var d) && decimal.Truncate(d) == d && !number.GetRawText().Contains('.') && !number.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase));

    private static void CheckFormat(JsonElement instance, string format, string path, List<string> errors)
    {
        switch (format)
        {
            case "float":
            case "double":
                break; // "type: number" already checked it
            case "uint8": CheckIntegerRange(instance, 0, byte.MaxValue, format, path, errors); break;
            case "uint32": CheckIntegerRange(instance, 0, uint.MaxValue, format, path, errors); break;
            case "uint":
            case "uint64":
                if (instance.ValueKind == JsonValueKind.Number && !instance.TryGetUInt64(out _))
                    errors.Add($"{path}: {instance.GetRawText()} is not a {format} (unsigned 64-bit integer)");
                break;
            case "int64":
                if (instance.ValueKind == JsonValueKind.Number && !instance.TryGetInt64(out _))
                    errors.Add($"{path}: {instance.GetRawText()} is not an int64");
                break;
            case "uuid":
                if (instance.ValueKind == JsonValueKind.String && !Guid.TryParse(instance.GetString(), out _))
                    errors.Add($"{path}: '{instance.GetString()}' is not a UUID");
                break;
            case "uri":
                if (instance.ValueKind == JsonValueKind.String && !Uri.TryCreate(instance.GetString(), UriKind.Absolute, out _))
                    errors.Add($"{path}: '{instance.GetString()}' is not an absolute URI");
                break;
            case "date-time":
                if (instance.ValueKind == JsonValueKind.String && !DateTimeOffset.TryParse(instance.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    errors.Add($"{path}: '{instance.GetString()}' is not a date-time");
                break;
            case "partial-date-time":
                // Qdrant's own format: a date-time that may lack the zone, e.g. "2025-01-31T10:00:00".
                if (instance.ValueKind == JsonValueKind.String && !DateTime.TryParse(instance.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    errors.Add($"{path}: '{instance.GetString()}' is not a (partial) date-time");
                break;
            default:
                throw new NotSupportedException($"Schema format '{format}' is not supported.");
        }
    }

    private static void CheckIntegerRange(JsonElement instance, long min, long max, string format, string path, List<string> errors)
    {
        if (instance.ValueKind != JsonValueKind.Number) return;
        if (!instance.TryGetInt64(out var value) || value < min || value > max)
            errors.Add($"{path}: {instance.GetRawText()} is not a {format} ({min}..{max})");
    }

    private static void CheckRanges(JsonElement instance, JsonElement schema, string path, List<string> errors)
    {
        if (instance.ValueKind == JsonValueKind.Number)
        {
            var value = instance.GetDouble();
            if (schema.TryGetProperty("minimum", out var min) && value < min.GetDouble())
                errors.Add($"{path}: {instance.GetRawText()} is below the minimum {min.GetRawText()}");
            if (schema.TryGetProperty("maximum", out var max) && value > max.GetDouble())
                errors.Add($"{path}: {instance.GetRawText()} is above the maximum {max.GetRawText()}");
        }
        if (instance.ValueKind == JsonValueKind.Array)
        {
            var count = instance.GetArrayLength();
            if (schema.TryGetProperty("minItems", out var minItems) && count < minItems.GetInt32())
                errors.Add($"{path}: {count} items, at least {minItems.GetInt32()} required");
            if (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32())
                errors.Add($"{path}: {count} items, at most {maxItems.GetInt32()} allowed");
            if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
            {
                var items = instance.EnumerateArray().ToList();
                for (var i = 0; i < items.Count; i++)
                    for (var j = i + 1; j < items.Count; j++)
                        if (JsonElement.DeepEquals(items[i], items[j]))
                        {
                            errors.Add($"{path}: items {i} and {j} are equal, but items must be unique");
                            i = items.Count;
                            break;
                        }
            }
        }
        if (instance.ValueKind == JsonValueKind.String)
        {
            var length = instance.GetString()!.Length;
            if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32())
                errors.Add($"{path}: string of length {length}, at least {minLength.GetInt32()} required");
            if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32())
                errors.Add($"{path}: string of length {length}, at most {maxLength.GetInt32()} allowed");
        }
    }

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.String => $"string \"{Truncate(instance.GetString()!)}\"",
        JsonValueKind.Number => $"number {instance.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {instance.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => $"array of {instance.GetArrayLength()}",
        _ => "object",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
