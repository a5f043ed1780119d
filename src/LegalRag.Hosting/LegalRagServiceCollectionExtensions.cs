using LegalRag.Answering;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting.Configuration;
using LegalRag.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LegalRag.Hosting;

/// <summary>The one composition root of every host: the CLI, the chat server and the evaluation.</summary>
public static class LegalRagServiceCollectionExtensions
{
    /// <summary>
    /// Binds the "LegalRag" settings (validated at start, nested settings included) and registers
    /// <see cref="LegalRagStack"/> with what it opens: <see cref="ILegalStore"/>, <see cref="SearchService"/>,
    /// <see cref="AnswerService"/> and the <see cref="DefaultRetrievalMode"/>. Open them with
    /// <see cref="InitializeLegalRagAsync"/> (a generic host does it at start through a hosted service).
    /// </summary>
    public static IServiceCollection AddLegalRag(this IServiceCollection services, IConfiguration configuration, LegalRagHostOptions? host = null)
    {
        host ??= new LegalRagHostOptions();
        services.AddSingleton(host);
        services.AddOptions<LegalRagSettings>()
            .Configure(settings => LegalRagConfiguration.Bind(configuration, settings, host))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LegalRagSettings>, NestedSettingsValidator>());
        services.AddSingleton<LegalRagStack>();
        // The stack owns these and disposes them; disposing them twice (here and by the container) is harmless.
        services.AddSingleton<ILegalStore>(sp => sp.GetRequiredService<LegalRagStack>().Store);
        services.AddSingleton(sp => sp.GetRequiredService<LegalRagStack>().Search);
        services.AddSingleton(sp => sp.GetRequiredService<LegalRagStack>().Answers);
        services.AddSingleton(sp => sp.GetRequiredService<LegalRagStack>().DefaultMode);
        services.AddHostedService<LegalRagStartup>();
        return services;
    }

    /// <summary>Validates the settings and opens the stack; a bad setting or an unusable store or model fails here, with the key or file named.</summary>
    public static async Task<LegalRagStack> InitializeLegalRagAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new SettingsException(string.Join("; ", ex.Failures));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several option types failed at once: report every failure.
            throw new SettingsException(string.Join("; ", ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)));
        }
        var stack = services.GetRequiredService<LegalRagStack>();
        await stack.OpenAsync(cancellationToken).ConfigureAwait(false);
        return stack;
    }
}

/// <summary>Opens the stack when a generic host starts, before it serves anything.</summary>
internal sealed class LegalRagStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.InitializeLegalRagAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
