using Grpc.Core;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// A call Qdrant refused or could not serve, naming the operation and the collection. By the time this
/// surfaces the gRPC channel has already retried what it may (<see cref="QdrantOptions.MaxRetries"/>).
/// </summary>
public sealed class QdrantException(string message, string operation, string? collection, StatusCode statusCode, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What the store was doing, e.g. "upsert points".</summary>
    public string Operation { get; } = operation;
    public string? Collection { get; } = collection;
    /// <summary>The gRPC status Qdrant (or the channel) answered with.</summary>
    public StatusCode StatusCode { get; } = statusCode;
    /// <summary>Whether trying again later could help (Qdrant down, overloaded, or too slow).</summary>
    public bool IsTransient => StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.DeadlineExceeded;
}

/// <summary>The configuration disagrees with itself or with what the Qdrant server holds.</summary>
public sealed class QdrantConfigurationException(string message) : Exception(message);
