using System.Diagnostics;
using System.Text.RegularExpressions;
using LegalRag.Embeddings;
using LegalRag.Embeddings.Static;

namespace LegalRag.Training.Embeddings;

/// <summary>One provision of the training corpus.</summary>
public sealed record TrainingProvision(string Act, string Heading, string Text);

/// <summary>Everything <see cref="StaticModelTrainer"/> needs besides the corpus.</summary>
public sealed record StaticTrainingOptions
{
    /// <summary>Embedding size (the feature table's width and the projection's).</summary>
    public int Dimensions { get; init; } = 128;

    public ulong Seed { get; init; } = 42;

    public FeaturizerSettings Featurizer { get; init; } = new();

    public SkipGramOptions SkipGram { get; init; } = new();

    /// <summary>Stage 2: self-supervised heading/act/first-sentence pairs from the corpus.</summary>
    public bool SelfSupervised { get; init; } = true;

    public ContrastiveOptions Contrastive { get; init; } = new();

    /// <summary>At most this many corpus pairs in stage 2 (one per provision, sampled when there are more).</summary>
    public int MaxSelfSupervisedPairs { get; init; } = 40_000;

    /// <summary>Stage 3: labelled question → provision pairs; empty skips the stage.</summary>
    public IReadOnlyList<TrainingPair> LabelledPairs { get; init; } = [];

    /// <summary>Each labelled pair is seen this many times per epoch (they are few beside the corpus pairs).</summary>
    public int LabelledRepeat { get; init; } = 3;

    /// <summary>Below this many words of running text, training refuses: vectors would be noise.</summary>
    public long MinimumTokens { get; init; } = 20_000;

    public int MinimumProvisions { get; init; } = 50;

    /// <summary>Rows fed per text when serving.</summary>
    public int MaxFeatures { get; init; } = 8192;
}

/// <summary>What the training report records: data size, time, loss per epoch, throughput, peak memory.</summary>
public sealed record StaticTrainingReport
{
    public string Corpus { get; init; } = "";
    public string Language { get; init; } = "";
    public int Provisions { get; init; }
    public long Tokens { get; init; }
    public int Vocabulary { get; init; }
    public int Dimensions { get; init; }
    public int Rows { get; init; }
    public ulong Seed { get; init; }
    public int Threads { get; init; }
    public double SkipGramSeconds { get; init; }

    /// <summary>Of <see cref="SkipGramSeconds"/>: tokenizing, counting and featurizing the vocabulary.</summary>
    public double SkipGramPreparationSeconds { get; init; }

    /// <summary>Stage 1 tokens per CPU second (all threads together).</summary>
    public double TokensPerCpuSecond { get; init; }

    /// <summary>Skip-gram epochs run (the token budget cuts them on a large corpus).</summary>
    public int SkipGramEpochs { get; init; }

    /// <summary>Minimum word count applied (grows with the corpus).</summary>
    public int MinCount { get; init; }
    public double TokensPerSecond { get; init; }
    public double[] SkipGramLossPerEpoch { get; init; } = [];
    public int SelfSupervisedPairs { get; init; }
    public int LabelledPairs { get; init; }
    public double ContrastiveSeconds { get; init; }
    public IReadOnlyList<ContrastiveEpoch> ContrastiveEpochs { get; init; } = [];
    public double TotalSeconds { get; init; }

    /// <summary>CPU time of the whole process (user + system) when the report was taken: wall time lies on a shared machine.</summary>
    public double CpuSeconds { get; init; }
    public long PeakWorkingSetBytes { get; init; }
}

/// <summary>Thrown when the corpus cannot train a model; the message says what is missing and the minimum needed.</summary>
public sealed class TrainingDataException(string message) : Exception(message);

/// <summary>
/// Trains a <see cref="StaticEmbeddingModel"/> from provisions alone: stage 1 skip-gram over all texts, stage 2
/// contrastive training on pairs the corpus itself provides (heading → text, act + heading → text, first sentence →
/// rest), and optionally stage 3 on labelled pairs.
/// </summary>
public static partial class StaticModelTrainer
{
    public static (StaticEmbeddingModel Model, StaticTrainingReport Report) Train(IReadOnlyList<TrainingProvision> provisions, string corpus, string language,
        StaticTrainingOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var (stage1Model, stage1Report) = TrainStage1(provisions, corpus, language, options, progress, cancellationToken);
        return FineTune(stage1Model, stage1Report, provisions, options, progress, cancellationToken);
    }

    /// <summary>Stage 1 only: the table from skip-gram, smooth-inverse-frequency weights, identity projection.</summary>
    public static (StaticEmbeddingModel Model, StaticTrainingReport Report) TrainStage1(IReadOnlyList<TrainingProvision> provisions, string corpus, string language,
        StaticTrainingOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (options.Dimensions is < 8 or > 1024) throw new ArgumentOutOfRangeException(nameof(options), $"dimensions must be between 8 and 1024, got {options.Dimensions}");
        var texts = provisions.Select(p => $"{p.Heading}\n{p.Text}").Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        var tokens = texts.Sum(t => (long)SubwordFeaturizer.CountWords(t));
        if (texts.Count < options.MinimumProvisions || tokens < options.MinimumTokens)
        {
            throw new TrainingDataException(
                $"corpus '{corpus}' is too small to train on: {texts.Count:N0} provisions with {tokens:N0} words; at least {options.MinimumProvisions:N0} provisions and {options.MinimumTokens:N0} words are needed. Ingest more text (e.g. a whole code or all federal law) first.");
        }

        var featurizer = new SubwordFeaturizer(options.Featurizer);
        var stage1 = SkipGramTrainer.Train(featurizer, texts, options.Dimensions, options.SkipGram, options.Seed, progress, cancellationToken);
        texts.Clear();

        // Initial pooling weights: smooth inverse frequency (a / (a + p)), so function words and common n-grams
        // count little even before stage 2.
        const float a = 1e-4f;
        var weights = new float[options.Featurizer.Rows + 1];
        for (var r = 0; r < options.Featurizer.Rows; r++) weights[r] = a / (a + stage1.RowFrequencies[r]);
        var model = new StaticEmbeddingModel(options.Featurizer, options.Dimensions, stage1.Table, weights, StaticEmbeddingModel.IdentityProjection(options.Dimensions));
        var report = new StaticTrainingReport
        {
            Corpus = corpus,
            Language = language,
            Provisions = provisions.Count,
            Tokens = stage1.Tokens,
            Vocabulary = stage1.VocabularySize,
            Dimensions = options.Dimensions,
            Rows = options.Featurizer.Rows,
            Seed = options.Seed,
            Threads = Math.Max(1, options.SkipGram.Threads),
            SkipGramSeconds = Math.Round(stage1.Seconds, 2),
            SkipGramPreparationSeconds = stage1.PreparationSeconds,
            SkipGramEpochs = stage1.Epochs,
            TokensPerCpuSecond = stage1.TokensPerCpuSecond,
            MinCount = stage1.MinCount,
            TokensPerSecond = Math.Round(stage1.TokensPerSecond),
            SkipGramLossPerEpoch = stage1.EpochLosses.Select(l => Math.Round(l, 5)).ToArray(),
            TotalSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            CpuSeconds = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 1),
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
        };
        return (model, report);
    }

    /// <summary>
    /// Stages 2 and 3 on a copy of <paramref name="stage1"/> (its table is shared, never written): self-supervised
    /// corpus pairs when <see cref="StaticTrainingOptions.SelfSupervised"/>, plus the labelled pairs.
    /// </summary>
    public static (StaticEmbeddingModel Model, StaticTrainingReport Report) FineTune(StaticEmbeddingModel stage1, StaticTrainingReport stage1Report,
        IReadOnlyList<TrainingProvision> provisions, StaticTrainingOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var model = new StaticEmbeddingModel(stage1.Featurizer.Settings, stage1.Dimensions, stage1.Table, (float[])stage1.Weights.Clone(), (float[])stage1.Projection.Clone());
        IReadOnlyList<ContrastiveEpoch> epochs = [];
        var selfPairs = options.SelfSupervised ? SelfSupervisedPairs(provisions, options.MaxSelfSupervisedPairs, options.Seed) : [];
        var pairs = new List<TrainingPair>(selfPairs);
        for (var i = 0; i < options.LabelledRepeat; i++) pairs.AddRange(options.LabelledPairs);
        if (pairs.Count >= 2 && options.Contrastive.Epochs > 0)
        {
            progress?.Report($"contrastive: {selfPairs.Count:N0} corpus pairs, {options.LabelledPairs.Count:N0} labelled pairs");
            epochs = ContrastiveTrainer.Train(model, pairs, options.Contrastive, options.Seed, progress, cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (model, stage1Report with
        {
            SelfSupervisedPairs = selfPairs.Count,
            LabelledPairs = options.LabelledPairs.Count,
            ContrastiveSeconds = Math.Round(seconds, 2),
            ContrastiveEpochs = epochs,
            TotalSeconds = Math.Round(stage1Report.TotalSeconds + seconds, 2),
            CpuSeconds = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 1),
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
        });
    }

    /// <summary>
    /// One pair per provision, its kind drawn at random: heading → text, act + heading → text, or first sentence →
    /// heading + rest. One per provision keeps two views of the same provision out of one batch (a false negative).
    /// </summary>
    public static List<TrainingPair> SelfSupervisedPairs(IReadOnlyList<TrainingProvision> provisions, int maxPairs, ulong seed)
    {
        var rng = new Xoshiro(seed ^ 0x5E1FUL);
        var pairs = new List<TrainingPair>();
        foreach (var p in provisions)
        {
            var heading = CleanHeading(p.Heading);
            var text = p.Text.Trim();
            if (SubwordFeaturizer.Words(text).Count < 8) continue; // repealed stubs ("(weggefallen)") teach nothing
            var sentences = SplitFirstSentence(text);
            var choices = new List<TrainingPair>(3);
            if (heading.Length > 0)
            {
                choices.Add(new TrainingPair(heading, text));
                if (p.Act.Length > 0) choices.Add(new TrainingPair($"{p.Act} {heading}", text));
            }

            if (sentences is { } split) choices.Add(new TrainingPair(split.First, $"{p.Heading}\n{split.Remainder}"));
            if (choices.Count > 0) pairs.Add(choices[rng.NextInt(choices.Count)]);
        }

        if (pairs.Count > maxPairs)
        {
            rng.Shuffle(pairs);
            pairs.RemoveRange(maxPairs, pairs.Count - maxPairs);
        }

        return pairs;
    }

    /// <summary>"§ 573 Ordentliche Kündigung des Vermieters" → "Ordentliche Kündigung des Vermieters".</summary>
    public static string CleanHeading(string heading) => NumberPrefix().Replace(heading.Trim(), "").Trim();

    private static (string First, string Remainder)? SplitFirstSentence(string text)
    {
        var match = SentenceEnd().Match(text);
        if (!match.Success) return null;
        var first = text[..(match.Index + 1)].Trim();
        var rest = text[(match.Index + match.Length)..].Trim();
        return SubwordFeaturizer.Words(first).Count >= 4 && SubwordFeaturizer.Words(rest).Count >= 8 ? (first, rest) : null;
    }

    [GeneratedRegex(@"^(§+|Art\.?|Artikel|Article|Anlage)\s*[\w.]*\s*", RegexOptions.IgnoreCase)]
    private static partial Regex NumberPrefix();

    // A full stop after a lower-case letter and before whitespace + capital: avoids "Abs. 2" and "Nr. 3".
    [GeneratedRegex(@"(?<=\p{Ll}{3})\.\s+(?=[\p{Lu}(])")]
    private static partial Regex SentenceEnd();
}
