using System.Text.Json;
using System.Text.Json.Serialization;

namespace LegalRag.Retrieval.Ranking;

/// <summary>Scores a candidate's feature vector; higher ranks first.</summary>
public interface IRanker
{
    /// <summary>What the model is, recorded in eval reports: file name and hash.</summary>
    string Id { get; }

    /// <summary>The retrieval mode the model was trained on; its features mean something only there.</summary>
    string Mode { get; }

    double Score(ReadOnlySpan<float> features);
}

/// <summary>One regression tree. Internal node i tests <c>x[Feature[i]] &lt;= Threshold[i]</c> and goes to
/// <c>Left[i]</c> when true, else <c>Right[i]</c>; a negative child c is leaf ~c.</summary>
public sealed record RegressionTreeModel(int[] Feature, float[] Threshold, int[] Left, int[] Right, double[] Leaf, double Weight = 1.0);

/// <summary>The file format of a trained ranker (ranker.&lt;mode&gt;.json): boosted trees over <see cref="RankingFeatures"/>.</summary>
public sealed record TreeEnsembleModel
{
    public const int CurrentFormat = 1;
    public int Format { get; init; } = CurrentFormat;
    public required string Mode { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
    public double Bias { get; init; }
    public required IReadOnlyList<RegressionTreeModel> Trees { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TreeEnsembleModel FromJson(string json, string source)
    {
        TreeEnsembleModel? model;
        try
        {
            model = JsonSerializer.Deserialize<TreeEnsembleModel>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not a ranker model ({ex.Message})", ex);
        }
        if (model is null) throw new InvalidDataException($"{source}: empty ranker model");
        if (model.Format != CurrentFormat) throw new InvalidDataException($"{source}: ranker format {model.Format}, this version reads {CurrentFormat}");
        // A model names the features it was trained on; they are mapped onto this version's by name, so a version that
        // adds a feature still runs the rankers trained before it (which simply never test the new one).
        var index = new int[model.Features.Count];
        for (var f = 0; f < index.Length; f++)
        {
            index[f] = IndexOf(RankingFeatures.Names, model.Features[f]);
            if (index[f] < 0)
                throw new InvalidDataException($"{source}: trained on feature '{model.Features[f]}', which this version does not compute; retrain it with 'legalrag model train-ranker'");
        }
        foreach (var (tree, i) in model.Trees.Select((t, i) => (t, i)))
        {
            var n = tree.Feature.Length;
            if (tree.Threshold.Length != n || tree.Left.Length != n || tree.Right.Length != n || tree.Leaf.Length != n + 1)
                throw new InvalidDataException($"{source}: tree {i} is malformed (node and leaf counts disagree)");
            foreach (var c in tree.Left.Concat(tree.Right))
                if (c >= n || ~c > n) throw new InvalidDataException($"{source}: tree {i} points outside itself");
            if (tree.Feature.Any(f => f < 0 || f >= model.Features.Count))
                throw new InvalidDataException($"{source}: tree {i} tests a feature that does not exist");
        }
        if (index.Select((to, from) => to == from).All(same => same)) return model;
        return model with
        {
            Features = RankingFeatures.Names,
            Trees = model.Trees.Select(t => t with { Feature = t.Feature.Select(f => index[f]).ToArray() }).ToList(),
        };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}

/// <summary>Evaluates a boosted tree ensemble: the sum of the trees' leaf values plus the bias.</summary>
public sealed class TreeEnsembleRanker(TreeEnsembleModel model, string id) : IRanker
{
    public string Id { get; } = id;
    public string Mode => model.Mode;

    public static TreeEnsembleRanker Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ranker model not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        var model = TreeEnsembleModel.FromJson(System.Text.Encoding.UTF8.GetString(bytes), path);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        return new TreeEnsembleRanker(model, $"{Path.GetFileName(path)} sha256:{hash}");
    }

    /// <summary>The ranker file for a mode inside a model folder: ranker.hybrid.json, ranker.lexical.json.</summary>
    public static string FileFor(string directory, string mode) => Path.Combine(directory, $"ranker.{mode}.json");

    public double Score(ReadOnlySpan<float> features)
    {
        var score = model.Bias;
        foreach (var tree in model.Trees)
        {
            if (tree.Feature.Length == 0) { score += tree.Weight * tree.Leaf[0]; continue; }
            var node = 0;
            while (node >= 0)
                node = features[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
            score += tree.Weight * tree.Leaf[~node];
        }
        return score;
    }
}
