using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LegalRag.Hosting.Configuration;

/// <summary>What a host overrides on top of configuration: the CLI's --data and --model, the server's data folder.</summary>
public sealed record LegalRagHostOptions
{
    /// <summary>Overrides LegalRag:DataDirectory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Overrides LegalRag:Embedding:ModelDirectory (a folder from <c>legalrag model train</c>).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>False opens neither the embedding model nor the reranker: for work that never ranks densely
    /// (stats, show, lexical search), which then does not pay for loading them.</summary>
    public bool LoadModels { get; init; } = true;

    /// <summary>A host that answers a query or two and ends (a CLI command): with Search:LexicalIndex "auto" it asks the
    /// store's own lexical index instead of building one in memory. Hosts that serve many queries (server, evaluation) leave it false.</summary>
    public bool OneShot { get; init; }
}

/// <summary>Binds the one "LegalRag" settings tree from configuration and the host's overrides.</summary>
public static class LegalRagConfiguration
{
    public static void Bind(IConfiguration configuration, LegalRagSettings settings, LegalRagHostOptions? host)
    {
        configuration.GetSection(LegalRagSettings.Section).Bind(settings);
        // Environment variables LEGALRAG__DataDirectory arrive without the prefix, at the root; appsettings nest under "LegalRag".
        configuration.Bind(settings);
        if (!string.IsNullOrWhiteSpace(host?.DataDirectory)) settings.DataDirectory = host.DataDirectory;
        if (!string.IsNullOrWhiteSpace(host?.ModelDirectory)) settings.Embedding.ModelDirectory = host.ModelDirectory;
    }

    /// <summary>Bound and validated settings, for a host that needs them while it composes (the server's settings guard).</summary>
    public static LegalRagSettings Load(IConfiguration configuration, LegalRagHostOptions? host = null)
    {
        var settings = new LegalRagSettings();
        Bind(configuration, settings, host);
        SettingsValidation.Validate(settings);
        return settings;
    }
}

/// <summary>Validates the nested settings (Search, Embedding, …), which ValidateDataAnnotations does not walk into.</summary>
internal sealed class NestedSettingsValidator : IValidateOptions<LegalRagSettings>
{
    public ValidateOptionsResult Validate(string? name, LegalRagSettings options)
    {
        var errors = SettingsValidation.Errors(options, nestedOnly: true);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
