using System.Text.Json;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>The validator must be able to fail: known-bad bodies are rejected with a message naming the member.</summary>
public sealed class JsonSchemaValidatorTests
{
    private static IReadOnlyList<string> ValidateAgainstSpec(string schemaName, string json, bool strict = true)
    {
        var spec = SharedReference.RequireQdrantSpec();
        var validator = spec.Validator(strict);
        using var doc = JsonDocument.Parse(json);
        return validator.Validate(doc.RootElement, validator.Resolve("#/components/schemas/" + schemaName));
    }

    [Fact]
    public void A_well_formed_create_collection_body_passes()
    {
        var errors = ValidateAgainstSpec("CreateCollection",
            """{"vectors":{"dense":{"size":384,"distance":"Cosine"}},"sparse_vectors":{"sparse":{"modifier":"idf"}},"shard_number":2,"replication_factor":2,"write_consistency_factor":1}""");
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("""{"vectors":{"dense":{"size":384,"distance":"cosine"}}}""", "is not one of")]            // enum is case-sensitive
    [InlineData("""{"vectors":{"dense":{"distance":"Cosine"}}}""", "required member 'size'")]
    [InlineData("""{"vectors":{"dense":{"size":0,"distance":"Cosine"}}}""", "below the minimum")]
    [InlineData("""{"vectors":{"dense":{"size":384,"distance":"Cosine"}},"shard_number":"2"}""", "expected integer")]
    [InlineData("""{"vectors":{"dense":{"size":384,"distance":"Cosine"}},"sparse_vectors":{"sparse":{"modifier":"bm25"}}}""", "matches none")]
    public void Malformed_create_collection_bodies_fail(string json, string expected)
    {
        var errors = ValidateAgainstSpec("CreateCollection", json);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_member_fails_only_in_strict_mode()
    {
        const string body = """{"query":[0.1,0.2],"using":"dense","scoreThreshold":0.5,"limit":5}""";
        Assert.Contains(ValidateAgainstSpec("QueryRequest", body, strict: true), e => e.Contains("$.scoreThreshold", StringComparison.Ordinal));
        Assert.Empty(ValidateAgainstSpec("QueryRequest", body, strict: false));
    }

    [Fact]
    public void Filter_rejects_unknown_members_even_when_lax_because_the_spec_says_so()
    {
        var errors = ValidateAgainstSpec("Filter", """{"must_all":[{"key":"corpus","match":{"value":"de"}}]}""", strict: false);
        Assert.Contains(errors, e => e.Contains("additionalProperties: false", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"limit":0}""", "below the minimum")]
    [InlineData("""{"query":{"indices":[-1],"values":[0.5]},"using":"sparse"}""", "matches none")]
    [InlineData("""{"query":{"fusion":"rank"}}""", "matches none")]
    [InlineData("""{"with_payload":{"include":["chunk_id"],"exclude":["text"]}}""", "matches none")]
    public void Malformed_query_bodies_fail(string json, string expected)
    {
        Assert.Contains(ValidateAgainstSpec("QueryRequest", json), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Point_ids_must_be_uuids_or_unsigned_integers()
    {
        Assert.Empty(ValidateAgainstSpec("ExtendedPointId", "\"28e38ef5-6c84-5e2b-8914-fb4d57e7f23c\""));
        Assert.Empty(ValidateAgainstSpec("ExtendedPointId", "42"));
        Assert.NotEmpty(ValidateAgainstSpec("ExtendedPointId", "\"chunk-42\""));
        Assert.NotEmpty(ValidateAgainstSpec("ExtendedPointId", "-1"));
    }

    [Fact]
    public void Nullable_branches_accept_null_and_nothing_else()
    {
        Assert.Empty(ValidateAgainstSpec("QueryRequest", """{"filter":null,"limit":null}"""));
        // "using" is a nullable string; a number is still wrong.
        Assert.NotEmpty(ValidateAgainstSpec("QueryRequest", """{"using":7}"""));
        // PointStruct.vector is required and not nullable.
        Assert.NotEmpty(ValidateAgainstSpec("PointStruct", """{"id":1,"vector":null}"""));
    }

    [Fact]
    public void OneOf_needs_exactly_one_match()
    {
        Assert.Empty(ValidateAgainstSpec("OptimizersStatus", "\"ok\""));
        Assert.Empty(ValidateAgainstSpec("OptimizersStatus", """{"error":"disk full"}"""));
        Assert.NotEmpty(ValidateAgainstSpec("OptimizersStatus", """{"error":"disk full","code":1}"""));
        Assert.NotEmpty(ValidateAgainstSpec("OptimizersStatus", "\"fine\""));
    }

    [Fact]
    public void Unique_items_are_enforced()
    {
        Assert.Contains(ValidateAgainstSpec("MatchAny", """{"any":["de","de"]}"""), e => e.Contains("unique", StringComparison.Ordinal));
    }

    // The two tests below use a schema written here, so they run without the shared spec.

    [Fact]
    public void AllOf_merges_declared_members_for_strict_mode()
    {
        using var spec = JsonDocument.Parse("""
            {"components":{"schemas":{
              "Named":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}},
              "Sized":{"type":"object","properties":{"size":{"type":"integer","format":"uint32"}}},
              "Both":{"allOf":[{"$ref":"#/components/schemas/Named"},{"$ref":"#/components/schemas/Sized"}]}}}}
            """);
        var validator = new JsonSchemaValidator(spec.RootElement, rejectUndeclaredProperties: true);
        var schema = validator.Resolve("#/components/schemas/Both");
        using var good = JsonDocument.Parse("""{"name":"x","size":3}""");
        using var bad = JsonDocument.Parse("""{"name":"x","size":-3,"colour":"red"}""");
        Assert.Empty(validator.Validate(good.RootElement, schema));
        var errors = validator.Validate(bad.RootElement, schema);
        Assert.Contains(errors, e => e.Contains("$.size", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.colour", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_keyword_is_an_error_not_a_silent_pass()
    {
        using var spec = JsonDocument.Parse("""{"components":{"schemas":{"X":{"type":"string","pattern":"^a"}}}}""");
        var validator = new JsonSchemaValidator(spec.RootElement, rejectUndeclaredProperties: true);
        using var instance = JsonDocument.Parse("\"b\"");
        Assert.Throws<NotSupportedException>(() => validator.Validate(instance.RootElement, validator.Resolve("#/components/schemas/X")));
    }
}
