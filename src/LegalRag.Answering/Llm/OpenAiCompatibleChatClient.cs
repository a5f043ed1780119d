using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;

namespace LegalRag.Answering.Llm;

/// <summary>
/// Our adapter from <see cref="IChatClient"/> to the OpenAI SDK's chat client, pointed at any
/// OpenAI-compatible endpoint. Text only: the answer path needs no tools or images. The SDK's own
/// retries are off: a failing endpoint should fall back to the extractive answer at once, not after
/// three back-offs.
/// </summary>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly LlmOptions _options;
    private readonly ChatClientMetadata _metadata;

    public OpenAiCompatibleChatClient(LlmOptions options, HttpClient? httpClient = null)
    {
        _options = options;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.BaseAddress(),
            NetworkTimeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (httpClient is not null) clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        // Local servers take any key; the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        _client = new ChatClient(options.Model, new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata("openai-compatible", clientOptions.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var completion = await _client.CompleteChatAsync(Convert(messages), Convert(options), cancellationToken).ConfigureAwait(false);
        var text = string.Concat(completion.Value.Content.Select(p => p.Text));
        return new ChatResponse(new AiChatMessage(AiChatRole.Assistant, text))
        {
            ModelId = completion.Value.Model,
            ResponseId = completion.Value.Id,
            FinishReason = completion.Value.FinishReason == OpenAI.Chat.ChatFinishReason.Length ? Microsoft.Extensions.AI.ChatFinishReason.Length : Microsoft.Extensions.AI.ChatFinishReason.Stop,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = _client.CompleteChatStreamingAsync(Convert(messages), Convert(options), cancellationToken);
        await foreach (var update in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var text = string.Concat(update.ContentUpdate.Select(p => p.Text));
            if (text.Length == 0) continue;
            yield return new ChatResponseUpdate(AiChatRole.Assistant, text) { ModelId = update.Model, ResponseId = update.CompletionId };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The SDK client owns no unmanaged state; an injected HttpClient belongs to its caller.
    }

    private ChatCompletionOptions Convert(ChatOptions? options)
    {
        var result = new ChatCompletionOptions
        {
            Temperature = options?.Temperature ?? _options.Temperature,
            MaxOutputTokenCount = options?.MaxOutputTokens ?? _options.MaxOutputTokens,
        };
        if (options?.TopP is { } topP) result.TopP = topP;
        if (options?.StopSequences is { } stops) foreach (var s in stops) result.StopSequences.Add(s);
        return result;
    }

    private static List<OpenAiChatMessage> Convert(IEnumerable<AiChatMessage> messages)
    {
        var list = new List<OpenAiChatMessage>();
        foreach (var m in messages)
        {
            var text = m.Text;
            if (m.Role == AiChatRole.System) list.Add(new SystemChatMessage(text));
            else if (m.Role == AiChatRole.Assistant) list.Add(new AssistantChatMessage(text));
            else if (m.Role == AiChatRole.User) list.Add(new UserChatMessage(text));
            else throw new NotSupportedException($"chat role '{m.Role}' is not used by the answer service");
        }
        return list;
    }
}
