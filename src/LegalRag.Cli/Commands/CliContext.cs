using System.CommandLine;
using LegalRag.Cli.Configuration;
using LegalRag.Hosting;
using LegalRag.Hosting.Configuration;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Core.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LegalRag.Cli.Commands;

/// <summary>Options every command shares, and the container each invocation builds through AddLegalRag.</summary>
public static class CliContext
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data folder of the embedded store (overrides LegalRag:DataDirectory and LEGALRAG__DataDirectory)",
        Recursive = true,
    };

    public static readonly Option<string?> ModelOption = new("--model")
    {
        Description = "Embedding model folder (from 'legalrag model train' or 'legalrag model import'), instead of LegalRag:Embedding",
        Recursive = true,
    };

    /// <summary>--data and --model of this invocation, as overrides of the configuration.</summary>
    /// <param name="oneShot">True for a command that asks a query or two (the store's own lexical index answers it);
    /// false for one that runs many (evaluation), which builds the in-memory lexical index (Search:LexicalIndex auto).</param>
    public static LegalRagHostOptions HostOptions(ParseResult parse, bool loadModels = true, bool oneShot = true) => new()
    {
        DataDirectory = parse.GetValue(DataOption),
        ModelDirectory = parse.GetValue(ModelOption),
        LoadModels = loadModels,
        OneShot = oneShot,
    };

    /// <summary>The container of one invocation: the same AddLegalRag the server uses, logging on stderr (stdout carries results).</summary>
    public static ServiceProvider Services(LegalRagHostOptions host)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("LegalRag", LogLevel.Information)
            .AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = LoggerColorBehavior.Disabled; })
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddLegalRag(CliConfiguration.Build(), host);
        return services.BuildServiceProvider();
    }

    /// <summary>The validated settings of this invocation, without opening anything.</summary>
    public static LegalRagSettings Settings(ParseResult parse) => Settings(HostOptions(parse, loadModels: false));

    public static LegalRagSettings Settings(LegalRagHostOptions host)
    {
        using var services = Services(host);
        try
        {
            return services.GetRequiredService<IOptions<LegalRagSettings>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new SettingsException(string.Join("; ", ex.Failures));
        }
    }

    /// <summary>Builds this invocation's container and opens the stack (settings validated, model, store, search, answers).</summary>
    public static async Task<CliServices> OpenAsync(LegalRagHostOptions host, CancellationToken cancellationToken)
    {
        var services = Services(host);
        try
        {
            var stack = await services.InitializeLegalRagAsync(cancellationToken);
            return new CliServices(services, stack);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public static Task<CliServices> OpenAsync(ParseResult parse, CancellationToken cancellationToken, bool loadModels = true, bool oneShot = true) =>
        OpenAsync(HostOptions(parse, loadModels, oneShot), cancellationToken);

    public static ParserRegistry Parsers(LegalRagSettings settings) => new(ParserCatalog.All(ParserCatalog.PdfEngine(settings.Ingestion.PdfTextLayer)));

    public static IngestionPipeline Pipeline(ILegalStore store, LegalRagSettings settings) =>
        new(Parsers(settings), store, new StructureChunker(new ChunkingOptions { MaxChars = settings.Chunking.MaxChars }));
}

/// <summary>One invocation's opened services; disposing it closes the store and the models.</summary>
public sealed class CliServices(ServiceProvider provider, LegalRagStack stack) : IAsyncDisposable
{
    public LegalRagStack Stack { get; } = stack;
    public IServiceProvider Provider => provider;
    public LegalRagSettings Settings => Stack.Settings;
    public ILogger Logger { get; } = provider.GetRequiredService<ILoggerFactory>().CreateLogger("LegalRag.Cli");

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}

/// <summary>Every parser, in the order they are asked: content-sniffing formats before text formats.</summary>
public static class ParserCatalog
{
    public static IEnumerable<IDocumentParser> All(Ingestion.Parsers.Pdf.PdfTextEngine pdfEngine = Ingestion.Parsers.Pdf.PdfTextEngine.PdfPig)
    {
        yield return new Ingestion.Parsers.Pdf.PdfParser(textEngine: pdfEngine);
        yield return new Ingestion.Parsers.Docx.DocxParser();
        yield return new Ingestion.Parsers.Html.HtmlParser();
        yield return new Ingestion.Parsers.Xml.XmlParser();
        yield return new Ingestion.Parsers.Versions.VersionsJsonlParser();
        yield return new MarkdownStatuteParser();
    }

    /// <summary>The setting Ingestion:PdfTextLayer ("pdfpig" | "poppler", validated at start) as the parser's engine.</summary>
    public static Ingestion.Parsers.Pdf.PdfTextEngine PdfEngine(string setting) =>
        string.Equals(setting, "poppler", StringComparison.OrdinalIgnoreCase)
            ? Ingestion.Parsers.Pdf.PdfTextEngine.Poppler
            : Ingestion.Parsers.Pdf.PdfTextEngine.PdfPig;
}

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran, but some files failed (ingest) or a gate failed (eval compare).</summary>
    public const int PartialFailure = 1;
    public const int Usage = 2;
    /// <summary>A publisher (or another service the command needs) could not be reached; nothing was changed.</summary>
    public const int Unavailable = 3;
}
