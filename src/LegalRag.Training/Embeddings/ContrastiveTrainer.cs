using System.Diagnostics;
using System.Numerics.Tensors;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Static;

namespace LegalRag.Training.Embeddings;

/// <summary>A query-like text and the passage it should land near.</summary>
public sealed record TrainingPair(string Query, string Passage);

/// <summary>Stage 2/3 settings: InfoNCE with in-batch negatives over the pooling weights and the projection.</summary>
public sealed record ContrastiveOptions
{
    public int Epochs { get; init; } = 3;

    public int BatchSize { get; init; } = 128;

    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Softmax temperature of the similarity logits.</summary>
    public float Temperature { get; init; } = 0.05f;

    /// <summary>Passages are featurized up to this many rows for training (serving uses the model's own limit).</summary>
    public int MaxPassageFeatures { get; init; } = 3000;

    /// <summary>Share of pairs held out to report a validation loss and in-batch accuracy per epoch.</summary>
    public double ValidationShare { get; init; } = 0.03;
}

/// <summary>Loss and held-out accuracy of one contrastive epoch.</summary>
public sealed record ContrastiveEpoch(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy);

/// <summary>
/// Stage 2 (self-supervised pairs from the corpus) and stage 3 (labelled pairs): trains the per-row pooling weights
/// and the projection so that short query-like texts land near their provisions. The feature table stays as stage 1
/// left it. Symmetric InfoNCE over in-batch negatives; gradients by hand; Adam. Deterministic for a seed (work is
/// split across threads per text, and gradients are summed in a fixed order).
/// </summary>
public static class ContrastiveTrainer
{
    /// <summary>A pair's rows, kept only as bags: all federal law holds 40,000 of them, so no second copy.</summary>
    internal sealed class Featurized(int[] query, int[] passage)
    {
        public RowBag QueryBag { get; } = RowBag.Of(query);

        public RowBag PassageBag { get; } = RowBag.Of(passage);

        public bool IsUsable => QueryBag.Rows.Length > 0 && PassageBag.Rows.Length > 0;
    }

    /// <summary>
    /// A text's rows as distinct rows with their counts. Pooling is a weighted sum, so Σ_f w_f E_f over occurrences
    /// equals Σ_distinct c_f w_f E_f: a passage repeats its common n-grams ("<de", "er>") many times, and each
    /// distinct row costs one vector operation forward and one backward instead of one per occurrence.
    /// </summary>
    internal sealed record RowBag(int[] Rows, float[] Counts)
    {
        public static RowBag Of(int[] rows)
        {
            var sorted = (int[])rows.Clone();
            Array.Sort(sorted);
            var distinct = new List<int>(sorted.Length);
            var counts = new List<float>(sorted.Length);
            foreach (var row in sorted)
            {
                if (distinct.Count > 0 && distinct[^1] == row) counts[^1]++;
                else
                {
                    distinct.Add(row);
                    counts.Add(1);
                }
            }

            return new RowBag(distinct.ToArray(), counts.ToArray());
        }
    }

    public static List<ContrastiveEpoch> Train(StaticEmbeddingModel model, IReadOnlyList<TrainingPair> pairs, ContrastiveOptions options, ulong seed,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var d = model.Dimensions;
        var rng = new Xoshiro(seed ^ 0xC0B7A57UL);
        var featurized = new Featurized[pairs.Count];
        Parallel.For(0, pairs.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            featurized[i] = new Featurized(
                model.Featurizer.Features(pairs[i].Query, options.MaxPassageFeatures).ToArray(),
                model.Featurizer.Features(pairs[i].Passage, options.MaxPassageFeatures).ToArray());
        });
        var usable = featurized.Where(f => f.IsUsable).ToList();
        rng.Shuffle(usable);
        var validationCount = Math.Min(usable.Count / 2, (int)(usable.Count * options.ValidationShare));
        var validation = usable.Take(validationCount).ToList();
        var train = usable.Skip(validationCount).ToList();
        if (train.Count < 2) throw new InvalidOperationException($"contrastive training needs at least 2 usable pairs, got {train.Count}");

        var adamW = new Adam(model.Weights.Length, options.LearningRate);
        var adamP = new Adam(model.Projection.Length, options.LearningRate);
        var gradW = new float[model.Weights.Length];
        var gradP = new float[model.Projection.Length];
        var epochs = new List<ContrastiveEpoch>();
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(train);
            double lossSum = 0;
            var batches = 0;
            for (var start = 0; start + 1 < train.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = train.GetRange(start, Math.Min(options.BatchSize, train.Count - start));
                if (batch.Count < 2) break;
                Array.Clear(gradW);
                Array.Clear(gradP);
                lossSum += Step(model, batch, options.Temperature, gradW, gradP, computeGradients: true);
                batches++;
                adamW.Apply(model.Weights, gradW);
                adamP.Apply(model.Projection, gradP);
                model.Weights[^1] = 0; // the padding row never contributes
            }

            var (validationLoss, accuracy) = Validate(model, validation, options);
            epochs.Add(new ContrastiveEpoch(epoch + 1, lossSum / Math.Max(1, batches), validationLoss, accuracy));
            progress?.Report($"contrastive epoch {epoch + 1}/{options.Epochs}: loss {lossSum / Math.Max(1, batches):F4}, held-out loss {validationLoss:F4}, held-out in-batch accuracy {accuracy:P1} ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        return epochs;
    }

    /// <summary>Loss and top-1 accuracy on held-out pairs, in batches of the training size.</summary>
    public static (double Loss, double Accuracy) Validate(StaticEmbeddingModel model, IReadOnlyList<TrainingPair> pairs, ContrastiveOptions options) =>
        Validate(model, pairs.Select(p => new Featurized(model.Featurizer.Features(p.Query, options.MaxPassageFeatures).ToArray(),
            model.Featurizer.Features(p.Passage, options.MaxPassageFeatures).ToArray())).Where(f => f.IsUsable).ToList(), options);

    private static (double Loss, double Accuracy) Validate(StaticEmbeddingModel model, List<Featurized> validation, ContrastiveOptions options)
    {
        if (validation.Count < 2) return (double.NaN, double.NaN);
        double loss = 0;
        long correct = 0;
        var batches = 0;
        for (var start = 0; start + 1 < validation.Count; start += options.BatchSize)
        {
            var batch = validation.GetRange(start, Math.Min(options.BatchSize, validation.Count - start));
            if (batch.Count < 2) break;
            loss += Step(model, batch, options.Temperature, null, null, computeGradients: false, onCorrect: () => Interlocked.Increment(ref correct));
            batches++;
        }

        return (loss / Math.Max(1, batches), correct / (double)validation.Count);
    }

    /// <summary>Forward (and optionally backward) for one batch; returns the symmetric InfoNCE loss.</summary>
    internal static double Step(StaticEmbeddingModel model, List<Featurized> batch, float temperature, float[]? gradW, float[]? gradP,
        bool computeGradients, Action? onCorrect = null)
    {
        var d = model.Dimensions;
        var b = batch.Count;
        // Texts 0..b-1 are queries, b..2b-1 their passages.
        var texts = new RowBag[2 * b];
        for (var i = 0; i < b; i++)
        {
            texts[i] = batch[i].QueryBag;
            texts[b + i] = batch[i].PassageBag;
        }

        var pooled = new float[2 * b][];
        var normalized = new float[2 * b][];
        var norms = new float[2 * b];
        Parallel.For(0, 2 * b, t =>
        {
            pooled[t] = new float[d];
            var bag = texts[t];
            for (var k = 0; k < bag.Rows.Length; k++)
            {
                var row = bag.Rows[k];
                TensorPrimitives.MultiplyAdd(model.Table.AsSpan(row * d, d), bag.Counts[k] * model.Weights[row], pooled[t], pooled[t]);
            }

            var h = new float[d];
            model.Project(pooled[t], h);
            norms[t] = Math.Max(TensorPrimitives.Norm(h), 1e-12f);
            TensorPrimitives.Divide(h, norms[t], h);
            normalized[t] = h;
        });

        // Similarity logits s[i, j] = q_i · p_j / τ; loss = ½(CE over rows + CE over columns), target the diagonal.
        var logits = new float[b * b];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < b; j++) logits[i * b + j] = TensorPrimitives.Dot(normalized[i], normalized[b + j]) / temperature;
        }

        var rowSoft = new float[b * b];
        var colSoft = new float[b * b];
        double loss = 0;
        for (var i = 0; i < b; i++)
        {
            var row = logits.AsSpan(i * b, b);
            TensorPrimitives.SoftMax(row, rowSoft.AsSpan(i * b, b));
            loss -= Math.Log(Math.Max(rowSoft[i * b + i], 1e-30f));
            if (TensorPrimitives.IndexOfMax(row) == i) onCorrect?.Invoke();
        }

        var column = new float[b];
        var columnSoft = new float[b];
        for (var j = 0; j < b; j++)
        {
            for (var i = 0; i < b; i++) column[i] = logits[i * b + j];
            TensorPrimitives.SoftMax(column, columnSoft);
            for (var i = 0; i < b; i++) colSoft[i * b + j] = columnSoft[i];
            loss -= Math.Log(Math.Max(columnSoft[j], 1e-30f));
        }

        loss /= 2 * b;
        if (!computeGradients) return loss;

        // dL/ds_ij = (rowSoft_ij − δ_ij + colSoft_ij − δ_ij) / (2b).
        var gs = new float[b * b];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < b; j++) gs[i * b + j] = (rowSoft[i * b + j] + colSoft[i * b + j] - (i == j ? 2f : 0f)) / (2f * b * temperature);
        }

        // Gradient w.r.t. each normalized vector, then through the normalization, the projection and the pooling.
        var pooledGrads = new float[2 * b][];
        var projectionGrads = new float[2 * b][];
        var rowGrads = new float[2 * b][];
        Parallel.For(0, 2 * b, t =>
        {
            var g = new float[d];
            if (t < b)
            {
                for (var j = 0; j < b; j++) TensorPrimitives.MultiplyAdd(normalized[b + j], gs[t * b + j], g, g);
            }
            else
            {
                var j = t - b;
                for (var i = 0; i < b; i++) TensorPrimitives.MultiplyAdd(normalized[i], gs[i * b + j], g, g);
            }

            // Through q = h/|h|: dh = (g − q (q·g)) / |h|.
            var q = normalized[t];
            var dot = TensorPrimitives.Dot(q, g);
            TensorPrimitives.MultiplyAdd(q, -dot, g, g);
            TensorPrimitives.Divide(g, norms[t], g);
            projectionGrads[t] = g;

            // Through h = u · P: du_i = Σ_k P[i, k] dh_k.
            var du = new float[d];
            for (var i = 0; i < d; i++) du[i] = TensorPrimitives.Dot(model.Projection.AsSpan(i * d, d), g);
            pooledGrads[t] = du;

            // Through u = Σ_f c_f w_f E_f: dw_f = c_f (E_f · du).
            var bag = texts[t];
            var rg = new float[bag.Rows.Length];
            for (var k = 0; k < bag.Rows.Length; k++) rg[k] = bag.Counts[k] * TensorPrimitives.Dot(model.Table.AsSpan(bag.Rows[k] * d, d), du);
            rowGrads[t] = rg;
        });

        // Fixed-order accumulation keeps the result independent of thread scheduling.
        for (var t = 0; t < 2 * b; t++)
        {
            var rows = texts[t].Rows;
            var rg = rowGrads[t];
            for (var k = 0; k < rows.Length; k++) gradW![rows[k]] += rg[k];
            var u = pooled[t];
            var dh = projectionGrads[t];
            for (var i = 0; i < d; i++)
            {
                if (u[i] != 0) TensorPrimitives.MultiplyAdd(dh, u[i], gradP.AsSpan(i * d, d), gradP.AsSpan(i * d, d));
            }
        }

        return loss;
    }

    /// <summary>Adam over a dense parameter vector.</summary>
    private sealed class Adam(int size, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        private readonly float[] _m = new float[size];
        private readonly float[] _v = new float[size];
        private int _step;

        public void Apply(float[] parameters, float[] gradient)
        {
            _step++;
            var c1 = 1f - MathF.Pow(beta1, _step);
            var c2 = 1f - MathF.Pow(beta2, _step);
            for (var i = 0; i < parameters.Length; i++)
            {
                var g = gradient[i];
                if (g == 0 && _m[i] == 0) continue; // rows never touched stay exactly as they are
                _m[i] = beta1 * _m[i] + (1 - beta1) * g;
                _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;
                parameters[i] -= learningRate * (_m[i] / c1) / (MathF.Sqrt(_v[i] / c2) + epsilon);
            }
        }
    }
}
