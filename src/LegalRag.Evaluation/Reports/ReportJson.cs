using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.Reports;

/// <summary>Reads and writes <c>report.json</c>.</summary>
public static class ReportJson
{
    public const long MaxReportBytes = 1024L * 1024 * 1024;

    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Letters such as ä and é stay readable in diffs; the file is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A retriever may hand back a non-finite score; the report must still be written.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        RespectRequiredConstructorParameters = true,
        MaxDepth = 32,
    };

    public static string Serialize(EvalReport report) => JsonSerializer.Serialize(report, Options);

    public static async Task WriteAsync(EvalReport report, string path, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        // Replace in one step so a reader (a CI job, a browser) never sees half a report.
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<EvalReport> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await QuestionSetFiles.ReadBoundedAsync(path, MaxReportBytes, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path);
    }

    public static EvalReport Parse(byte[] json, string fileName)
    {
        EvalReport? report;
        try
        {
            report = JsonSerializer.Deserialize<EvalReport>(json, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            throw new EvalInputException($"{fileName}: not an evaluation report{where}: {ex.Message}");
        }
        if (report is null) throw new EvalInputException($"{fileName}: not an evaluation report (null)");
        if (!report.Schema.StartsWith("legalrag.eval-report/", StringComparison.Ordinal))
            throw new EvalInputException($"{fileName}: schema \"{report.Schema}\" is not an evaluation report");
        return report;
    }
}
