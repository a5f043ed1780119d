using LegalRag.Storage.Qdrant;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>Options and clients wired to a <see cref="FakeQdrantHandler"/>, with retries fast enough for tests.</summary>
internal static class TestQdrant
{
    public const string Url = "http://qdrant.test:6333";

    public static QdrantOptions Options(int denseSize = 4, Action<QdrantOptions>? configure = null)
    {
        var options = new QdrantOptions
        {
            Url = Url,
            DenseSize = denseSize,
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            Timeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    public static QdrantClient Client(FakeQdrantHandler handler, QdrantOptions? options = null) =>
        new(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, options ?? Options());
}
