using System.Text.Encodings.Web;
using System.Text.Json;

namespace LegalRag.Cli.Output;

/// <summary>Stable machine output: camelCase names, UTF-8 text unescaped (§, ä stay readable), one document per call.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static void Write<T>(T value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
        Console.Out.Flush();
    }
}
