using System.Text.Json;

namespace LegalRag.Embeddings.Tokenizers;

/// <summary>A tokenizer.json "post_processor" for single sequences: adds special tokens like [CLS]/[SEP] or &lt;s&gt;/&lt;/s&gt;.</summary>
internal sealed class SpecialTokenTemplate
{
    private readonly (int Id, int TypeId)[] _prefix;
    private readonly (int Id, int TypeId)[] _suffix;
    private readonly int _sequenceTypeId;

    private SpecialTokenTemplate((int, int)[] prefix, int sequenceTypeId, (int, int)[] suffix)
    {
        _prefix = prefix;
        _sequenceTypeId = sequenceTypeId;
        _suffix = suffix;
    }

    public static SpecialTokenTemplate None { get; } = new([], 0, []);

    /// <summary>BERT's single-sequence layout: [CLS] text [SEP], all segment 0.</summary>
    public static SpecialTokenTemplate Bert(int classificationId, int separatorId) => new([(classificationId, 0)], 0, [(separatorId, 0)]);

    /// <summary>How many ids the template adds around the content.</summary>
    public int AddedCount => _prefix.Length + _suffix.Length;

    public static SpecialTokenTemplate Create(JsonElement config)
    {
        if (config.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        var type = config.RequiredString("type");
        switch (type)
        {
            case "BertProcessing":
            case "RobertaProcessing":
                // Both give "CLS $A SEP" for a single sequence (they differ only for pairs).
                return new SpecialTokenTemplate([(config.GetProperty("cls")[1].GetInt32(), 0)], 0, [(config.GetProperty("sep")[1].GetInt32(), 0)]);
            case "TemplateProcessing":
                return FromTemplate(config);
            default:
                throw new NotSupportedException($"post_processor type '{type}' is not supported");
        }
    }

    private static SpecialTokenTemplate FromTemplate(JsonElement config)
    {
        var specialIds = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (config.TryGetProperty("special_tokens", out var specials))
        {
            foreach (var special in specials.EnumerateObject())
            {
                specialIds[special.Name] = special.Value.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            }
        }

        var prefix = new List<(int, int)>();
        var suffix = new List<(int, int)>();
        var seenSequence = false;
        var sequenceType = 0;
        foreach (var item in config.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("SpecialToken", out var special))
            {
                var name = special.RequiredString("id");
                var typeId = special.OptionalInt("type_id") ?? 0;
                if (!specialIds.TryGetValue(name, out var ids))
                {
                    throw new FormatException($"TemplateProcessing uses special token '{name}' missing from special_tokens");
                }

                (seenSequence ? suffix : prefix).AddRange(ids.Select(id => (id, typeId)));
            }
            else if (item.TryGetProperty("Sequence", out var sequence))
            {
                seenSequence = true;
                sequenceType = sequence.OptionalInt("type_id") ?? 0;
            }
        }

        return new SpecialTokenTemplate(prefix.ToArray(), sequenceType, suffix.ToArray());
    }

    public TokenEncoding Apply(IReadOnlyList<int> content, bool addSpecialTokens)
    {
        if (!addSpecialTokens)
        {
            return new TokenEncoding(content.ToArray(), new int[content.Count].Select(_ => _sequenceTypeId).ToArray());
        }

        var total = _prefix.Length + content.Count + _suffix.Length;
        var ids = new int[total];
        var types = new int[total];
        var i = 0;
        foreach (var (id, type) in _prefix)
        {
            ids[i] = id;
            types[i++] = type;
        }

        foreach (var id in content)
        {
            ids[i] = id;
            types[i++] = _sequenceTypeId;
        }

        foreach (var (id, type) in _suffix)
        {
            ids[i] = id;
            types[i++] = type;
        }

        return new TokenEncoding(ids, types);
    }
}
