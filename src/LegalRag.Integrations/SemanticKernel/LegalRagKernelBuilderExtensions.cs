using LegalRag.Hosting;
using LegalRag.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;

namespace LegalRag.Integrations.SemanticKernel;

public static class LegalRagKernelBuilderExtensions
{
    /// <summary>
    /// Composes LegalRag into the kernel's services through AddLegalRag (the "LegalRag" settings section, validated as
    /// for every host) and adds <see cref="LegalRagPlugin"/> as the plugin "legalrag".
    /// </summary>
    public static IKernelBuilder AddLegalRagPlugin(this IKernelBuilder builder, IConfiguration configuration, LegalRagHostOptions? host = null)
    {
        builder.Services.AddLegalRag(configuration, host);
        builder.Plugins.AddFromType<LegalRagPlugin>(LegalRagPlugin.Name);
        return builder;
    }
}
