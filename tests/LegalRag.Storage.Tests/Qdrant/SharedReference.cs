using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// The Qdrant spec under ../shared (located by <c>TestSupport.SharedData</c>). Tests that need it skip with a
/// message saying what is missing.
/// </summary>
internal static class SharedReference
{
    private static readonly Lazy<string?> RootPath = new(FindRoot);
    private static readonly Lazy<OpenApiSpec?> Spec = new(() =>
        QdrantSpecPath is { } path && File.Exists(path) ? OpenApiSpec.Load(path) : null);

    public static string? Root => RootPath.Value;

    public static string? QdrantSpecPath => Root is null ? null : Path.Combine(Root, "reference", "qdrant", "openapi.json");

    /// <summary>The Qdrant OpenAPI spec, or a skip of the calling test when it is not there.</summary>
    public static OpenApiSpec RequireQdrantSpec()
    {
        var spec = Spec.Value;
        Assert.SkipWhen(spec is null,
            $"Qdrant OpenAPI spec not found (looked for {QdrantSpecPath ?? WhereSharedWasSought()}); " +
            "set LEGALRAG_SHARED to the shared folder to run the spec conformance tests.");
        return spec!;
    }

    private static string WhereSharedWasSought() =>
        Environment.GetEnvironmentVariable("LEGALRAG_SHARED") is { Length: > 0 } env
            ? $"shared/reference/qdrant/openapi.json under LEGALRAG_SHARED={env}, which does not exist"
            : "shared/reference/qdrant/openapi.json beside the folder holding LegalRag.sln: no such shared folder";

    private static string? FindRoot() => LegalRag.TestSupport.SharedData.Root;
}
