using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;

namespace LegalRag.Embeddings.Tests.Training;

/// <summary>The hand-written InfoNCE gradients against central finite differences of the loss.</summary>
public sealed class ContrastiveGradientTests
{
    [Fact]
    public void Hand_written_gradients_match_finite_differences()
    {
        var settings = new FeaturizerSettings { WordBuckets = 64, NgramBuckets = 128 };
        const int d = 6;
        var rng = new Random(5);
        float[] Random(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale).ToArray();
        var weights = Random(settings.Rows + 1, 1f).Select(Math.Abs).ToArray();
        weights[^1] = 0;
        var table = Random((settings.Rows + 1) * d, 1f);
        Array.Clear(table, settings.Rows * d, d);
        var model = new StaticEmbeddingModel(settings, d, table, weights, Random(d * d, 1f));
        var f = model.Featurizer;
        var batch = new List<ContrastiveTrainer.Featurized>
        {
            new(f.Features("Kündigung der Wohnung").ToArray(), f.Features("Der Vermieter kann kündigen").ToArray()),
            new(f.Features("Mangel der Kaufsache").ToArray(), f.Features("Der Käufer verlangt Nacherfüllung").ToArray()),
            new(f.Features("Lohn").ToArray(), f.Features("Der Arbeitgeber zahlt die Vergütung").ToArray()),
        };
        var gradW = new float[weights.Length];
        var gradP = new float[d * d];
        ContrastiveTrainer.Step(model, batch, 0.5f, gradW, gradP, computeGradients: true);

        double Loss() => ContrastiveTrainer.Step(model, batch, 0.5f, null, null, computeGradients: false);
        void Check(float[] parameters, int index, float analytic)
        {
            const float h = 1e-2f;
            var saved = parameters[index];
            parameters[index] = saved + h;
            var up = Loss();
            parameters[index] = saved - h;
            var down = Loss();
            parameters[index] = saved;
            var numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic) <= 2e-3 + 0.05 * Math.Abs(numeric), $"index {index}: analytic {analytic}, numeric {numeric}");
        }

        foreach (var row in batch.SelectMany(p => p.QueryBag.Rows.Concat(p.PassageBag.Rows)).Distinct().Take(25)) Check(model.Weights, row, gradW[row]);
        for (var i = 0; i < d * d; i += 5) Check(model.Projection, i, gradP[i]);
        Assert.Contains(gradW, g => Math.Abs(g) > 1e-4);
    }
}
