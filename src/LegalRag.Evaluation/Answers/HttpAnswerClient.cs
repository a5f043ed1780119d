using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LegalRag.Evaluation.Answers;

/// <summary>
/// Asks a running server: <c>POST {server}/api/ask</c> with <c>{"question", "corpus"}</c>, expecting
/// <c>{"answer", "citations": [{"citation", "provisionId", "quote"}], "refused"}</c>.
/// Responses are read up to a size bound and validated, so a wrong endpoint fails with a clear message.
/// </summary>
public sealed class HttpAnswerClient : IAnswerClient
{
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <param name="http">A client owned by the caller (its timeout applies to each question).</param>
    /// <param name="server">The server's base address, e.g. http://127.0.0.1:5000.</param>
    public HttpAnswerClient(HttpClient http, Uri server)
    {
        if (server.Scheme is not ("http" or "https")) throw new ArgumentException($"server address {server} must be http or https", nameof(server));
        _http = http;
        _endpoint = new Uri(server, "/api/ask");
    }

    public Uri Endpoint => _endpoint;

    public async Task<AnswerResult> AskAsync(string question, string? corpus, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string?> { ["question"] = question, ["corpus"] = corpus };
        if (asOf is { } day) fields["asOf"] = day.ToString(Core.Text.IsoDay.Format, System.Globalization.CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(fields);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var snippet = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 300));
            throw new HttpRequestException($"{_endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {snippet}");
        }
        return Parse(bytes, _endpoint.ToString());
    }

    /// <summary>Parses an answer response body; public so other transports and tests share one reading of the contract.</summary>
    public static AnswerResult Parse(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid(source, "expected a JSON object");
            var answer = root.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
            var refused = root.TryGetProperty("refused", out var r) && r.ValueKind is JsonValueKind.True;
            if (root.TryGetProperty("refused", out r) && r.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Invalid(source, "\"refused\" must be true or false");
            var citations = new List<AnswerCitation>();
            if (root.TryGetProperty("citations", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array) throw Invalid(source, "\"citations\" must be an array");
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) throw Invalid(source, "each citation must be an object");
                    citations.Add(new AnswerCitation(
                        StringOrEmpty(item, "citation"), OptionalString(item, "provisionId"), OptionalString(item, "quote"),
                        OptionalDay(item, "validFrom", source), OptionalDay(item, "validTo", source)));
                }
            }
            return new AnswerResult(answer, citations, refused);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"not valid JSON ({ex.Message})");
        }
    }

    private static string StringOrEmpty(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateOnly? OptionalDay(JsonElement item, string name, string source)
    {
        if (!item.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String && Core.Text.IsoDay.TryParse(v.GetString(), name, out var day, out _) && day is not null) return day;
        throw Invalid(source, $"citation \"{name}\" must be a date YYYY-MM-DD or null, not {v.GetRawText()}");
    }

    private static InvalidDataException Invalid(string source, string reason) => new($"answer from {source}: {reason}");

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) throw new InvalidDataException($"answer response larger than {MaxResponseBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
