using LegalRag.Embeddings.Onnx;
using LegalRag.Embeddings.Tokenizers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LegalRag.Embeddings;

/// <summary>Settings of <see cref="OnnxEmbeddingGenerator"/>.</summary>
public sealed record OnnxEmbeddingOptions
{
    /// <summary>The .onnx model file.</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>The model's tokenizer.json (not needed when a text encoder is passed in).</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>Identifier reported in metadata and on each embedding; defaults to the model file name.</summary>
    public string? ModelId { get; init; }

    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Prepended to queries, e.g. "query: " for E5 models.</summary>
    public string QueryPrefix { get; init; } = "";

    /// <summary>Prepended to passages (the default input kind), e.g. "passage: " for E5 models.</summary>
    public string PassagePrefix { get; init; } = "";

    /// <summary>Scale every embedding to unit length (cosine similarity becomes a dot product).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Expected embedding size; checked against the model. Null accepts whatever the model produces.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Tokens per text, special tokens included; longer texts are truncated.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Texts per model run. Texts are sorted by length first so a batch pads little.</summary>
    public int BatchSize { get; init; } = 32;

    public int IntraOpThreads { get; init; }

    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>Model output holding token vectors [batch, seq, hidden] or pooled vectors [batch, hidden]. Null: "last_hidden_state", else "sentence_embedding", else the first output.</summary>
    public string? OutputName { get; init; }

}

/// <summary>
/// Text embeddings from a local ONNX model through ONNX Runtime: tokenize, sort by length, batch, run, pool with the
/// attention mask, L2-normalize. Model inputs are discovered from the session: input_ids, attention_mask and, when
/// the model has it, token_type_ids; the ids come from an <see cref="ITextEncoder"/> so a different featurizer can
/// drive a differently trained graph.
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    private readonly OnnxSession _session;
    private readonly bool _ownsSession;
    private readonly ITextEncoder _encoder;
    private readonly OnnxEmbeddingOptions _options;
    private readonly string _outputName;
    private readonly string _modelId;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _dimensions;

    /// <summary>Loads the runtime, model and tokenizer named in <paramref name="options"/>.</summary>
    public OnnxEmbeddingGenerator(OnnxEmbeddingOptions options, ILogger? logger = null)
        : this(Open(options, logger), options)
    {
    }

    private OnnxEmbeddingGenerator((OnnxSession Session, HfTokenizer Tokenizer) opened, OnnxEmbeddingOptions options)
        : this(opened.Session, opened.Tokenizer, options, ownsSession: true)
    {
    }

    /// <summary>Uses an open session and an encoder of the caller's choosing (e.g. a hashed-bucket featurizer).</summary>
    public OnnxEmbeddingGenerator(OnnxSession session, ITextEncoder encoder, OnnxEmbeddingOptions options, bool ownsSession = false)
    {
        _session = session;
        _encoder = encoder;
        _options = options;
        _ownsSession = ownsSession;
        if (options.BatchSize < 1 || options.MaxLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BatchSize and MaxLength must be positive");
        }

        foreach (var input in session.Inputs)
        {
            if (input.Name is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw new NotSupportedException(
                    $"Model {session.Description} takes input '{input.Name}'; the embedding generator feeds only {InputIds}, {AttentionMask} and {TokenTypeIds}");
            }

            if (input.ElementType != TensorElementType.Int64)
            {
                throw new NotSupportedException($"Model {session.Description} input '{input.Name}' is {input.ElementType}; int64 is expected");
            }
        }

        if (session.Inputs.All(i => i.Name != InputIds))
        {
            throw new NotSupportedException($"Model {session.Description} has no '{InputIds}' input");
        }

        var names = session.Outputs.Select(o => o.Name).ToList();
        _outputName = options.OutputName
            ?? (names.Contains("last_hidden_state") ? "last_hidden_state" : names.Contains("sentence_embedding") ? "sentence_embedding" : names.FirstOrDefault())
            ?? throw new NotSupportedException($"Model {session.Description} has no outputs");
        var output = session.Outputs.FirstOrDefault(o => o.Name == _outputName)
            ?? throw new ArgumentException($"Model {session.Description} has no output '{_outputName}' (outputs: {string.Join(", ", names)})");

        var declared = output.Dimensions.Count is 2 or 3 && output.Dimensions[^1] > 0 ? (int)output.Dimensions[^1] : 0;
        if (declared > 0 && options.Dimensions is { } expected && expected != declared)
        {
            throw new ArgumentException($"Model {session.Description} produces {declared}-dimensional embeddings, configuration expects {expected}");
        }

        _dimensions = declared > 0 ? declared : options.Dimensions ?? 0;
        _modelId = options.ModelId ?? Path.GetFileNameWithoutExtension(session.Description);
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", null, _modelId, _dimensions > 0 ? _dimensions : null);
    }

    /// <summary>Embedding size (0 until known when the model declares it symbolically).</summary>
    public int Dimensions => _dimensions;

    public ExecutionProvider ActiveExecutionProvider => _session.ActiveExecutionProvider;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"Text {i} of the batch is null", nameof(values));
            }
        }

        if (options?.Dimensions is { } requested && _dimensions > 0 && requested != _dimensions)
        {
            throw new ArgumentException($"Model {_modelId} produces {_dimensions}-dimensional embeddings; {requested} were requested");
        }

        var prefix = InputKind(options) == EmbeddingInputKind.Query ? _options.QueryPrefix : _options.PassagePrefix;
        // ONNX Runtime's Run is synchronous and CPU-bound: keep it off the caller's thread.
        return await Task.Run(() => Generate(texts, prefix, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(string[] texts, string prefix, CancellationToken cancellationToken)
    {
        var encodings = new TokenEncoding[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            encodings[i] = _encoder.Encode(prefix.Length == 0 ? texts[i] : prefix + texts[i], _options.MaxLength);
        }

        // Sorting by length before batching keeps padding (wasted compute) small.
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => encodings[i].Length).ToArray();
        var vectors = new float[texts.Length][];
        long tokenCount = 0;
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)).ToArray();
            var batch = TokenizedBatch.Pad(rows.Select(i => encodings[i]).ToArray(), _encoder.PadId);
            tokenCount += rows.Sum(i => (long)encodings[i].Length);
            var pooled = RunBatch(batch);
            for (var r = 0; r < rows.Length; r++)
            {
                vectors[rows[r]] = pooled[r];
            }
        }

        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = _modelId, CreatedAt = created }))
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        return result;
    }

    /// <summary>One model run for a padded batch; returns one pooled (and normalized) vector per row.</summary>
    internal float[][] RunBatch(TokenizedBatch batch)
    {
        var tensors = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var input in _session.Inputs)
        {
            var data = input.Name switch
            {
                InputIds => batch.InputIds,
                AttentionMask => batch.AttentionMask,
                _ => batch.TokenTypeIds,
            };
            tensors[input.Name] = OnnxTensor.FromArray(data, batch.BatchSize, batch.SequenceLength);
        }

        var output = _session.Run(tensors, [_outputName])[_outputName];
        return Pool(output, batch);
    }

    private float[][] Pool(OnnxOutput output, TokenizedBatch batch)
    {
        var shape = output.Shape;
        var alreadyPooled = shape.Count == 2;
        if (!(alreadyPooled || shape.Count == 3) || shape[0] != batch.BatchSize || (!alreadyPooled && shape[1] != batch.SequenceLength))
        {
            throw new InvalidDataException(
                $"Model {_session.Description} output '{_outputName}' has shape [{string.Join(", ", shape)}]; expected [{batch.BatchSize}, {batch.SequenceLength}, hidden] or [{batch.BatchSize}, hidden]");
        }

        var hidden = (int)shape[^1];
        if (_dimensions == 0)
        {
            _dimensions = hidden;
        }
        else if (hidden != _dimensions)
        {
            throw new InvalidDataException($"Model {_session.Description} produced {hidden}-dimensional vectors, expected {_dimensions}");
        }

        var result = new float[batch.BatchSize][];
        for (var row = 0; row < batch.BatchSize; row++)
        {
            var vector = new float[hidden];
            if (alreadyPooled)
            {
                output.Values.AsSpan(row * hidden, hidden).CopyTo(vector);
            }
            else
            {
                EmbeddingMath.Pool(output.Values, batch.AttentionMask, row, batch.SequenceLength, hidden, _options.Pooling, vector);
            }

            if (_options.Normalize)
            {
                EmbeddingMath.NormalizeL2(vector);
            }

            result[row] = vector;
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _dimensions > 0 && _metadata.DefaultModelDimensions is null
                ? new EmbeddingGeneratorMetadata("onnxruntime", null, _modelId, _dimensions)
                : _metadata;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(_session) ? _session : null;
    }

    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }

    private static string InputKind(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is { } properties && properties.TryGetValue(EmbeddingInputKind.PropertyName, out var value) && value is not null)
        {
            var kind = value.ToString();
            return kind switch
            {
                EmbeddingInputKind.Query or EmbeddingInputKind.Passage => kind,
                _ => throw new ArgumentException($"{EmbeddingInputKind.PropertyName} must be '{EmbeddingInputKind.Query}' or '{EmbeddingInputKind.Passage}', not '{kind}'"),
            };
        }

        return EmbeddingInputKind.Passage;
    }

    /// <summary>Tokenizer first: a bad tokenizer path then fails before any native session exists.</summary>
    private static (OnnxSession, HfTokenizer) Open(OnnxEmbeddingOptions options, ILogger? logger)
    {
        var tokenizer = LoadTokenizer(options);
        return (OpenSession(options, logger), tokenizer);
    }

    private static OnnxSession OpenSession(OnnxEmbeddingOptions options, ILogger? logger)
    {
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new ArgumentException("OnnxEmbeddingOptions.ModelPath is not set", nameof(options));
        }

        return OnnxSession.Open(options.ModelPath,
            new OnnxSessionOptions { IntraOpThreads = options.IntraOpThreads, ExecutionProvider = options.ExecutionProvider }, logger);
    }

    private static HfTokenizer LoadTokenizer(OnnxEmbeddingOptions options) =>
        HfTokenizer.Load(options.TokenizerPath ?? throw new ArgumentException("OnnxEmbeddingOptions.TokenizerPath is not set", nameof(options)));
}
