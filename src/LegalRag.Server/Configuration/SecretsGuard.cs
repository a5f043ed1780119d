using Microsoft.Extensions.Configuration.Json;

namespace LegalRag.Server.Configuration;

/// <summary>Refuses to start when an API key or the model's key sits in a configuration file: secrets come from the environment.</summary>
public static class SecretsGuard
{
    private static readonly string[] SecretPrefixes = ["LegalRag:Auth:Keys", "Auth:Keys"];
    private static readonly string[] SecretKeys = ["LegalRag:Llm:ApiKey", "Llm:ApiKey"];

    public static void EnsureNotInFiles(IConfigurationRoot configuration)
    {
        foreach (var provider in configuration.Providers.OfType<JsonConfigurationProvider>())
        {
            var file = provider.Source.Path ?? "appsettings.json";
            foreach (var prefix in SecretPrefixes)
                if (provider.GetChildKeys([], prefix).Any())
                    throw new InvalidOperationException($"{file}: API keys must not be in a configuration file; set them in the environment (LEGALRAG_API_KEYS or LEGALRAG__Auth__Keys__0__Key / __Role)");
            foreach (var key in SecretKeys)
                if (provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
                    throw new InvalidOperationException($"{file}: {key} must not be in a configuration file; set LEGALRAG__Llm__ApiKey in the environment");
        }
    }
}
