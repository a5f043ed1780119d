using LegalRag.Embeddings.Static;
using LegalRag.Training.Embeddings;

namespace LegalRag.Embeddings.Tests.Training;

/// <summary>A small, readable, generated statute: every provision is a few sentences built from real legal vocabulary.</summary>
internal static class TrainingFixtures
{
    private static readonly string[] Parties = ["Der Mieter", "Der Vermieter", "Der Käufer", "Der Verkäufer", "Der Arbeitgeber", "Der Arbeitnehmer", "Der Schuldner", "Der Gläubiger"];

    private static readonly string[] Duties =
    [
        "kann den Vertrag fristlos kündigen", "muss die Miete pünktlich zahlen", "hat Anspruch auf Ersatz des Schadens",
        "darf die Sache zurückbehalten", "muss den Mangel unverzüglich anzeigen", "kann vom Vertrag zurücktreten",
        "schuldet die vereinbarte Vergütung", "hat die Kaution anzulegen", "muss die Wohnung renovieren", "kann Nacherfüllung verlangen",
    ];

    private static readonly string[] Conditions =
    [
        "wenn ein wichtiger Grund vorliegt", "sofern die Frist abgelaufen ist", "nachdem er schriftlich gemahnt wurde",
        "soweit nichts anderes vereinbart ist", "wenn der Mangel erheblich ist", "bevor das Arbeitsverhältnis endet",
    ];

    private static readonly string[] Topics = ["Kündigung", "Mängelhaftung", "Schadensersatz", "Rücktritt", "Vergütung", "Kaution", "Verzug", "Nacherfüllung"];

    /// <summary><paramref name="count"/> provisions, deterministic.</summary>
    public static List<TrainingProvision> Provisions(int count = 240)
    {
        var list = new List<TrainingProvision>(count);
        for (var i = 0; i < count; i++)
        {
            var topic = Topics[i % Topics.Length];
            var sentences = new List<string>();
            for (var s = 0; s < 4; s++)
            {
                var k = i * 7 + s * 3;
                sentences.Add($"{Parties[k % Parties.Length]} {Duties[(k / 2) % Duties.Length]}, {Conditions[(k / 3) % Conditions.Length]}.");
            }

            list.Add(new TrainingProvision(i % 2 == 0 ? "BGB" : "HGB", $"§ {i + 1} {topic} des {Parties[i % Parties.Length].Split(' ')[1]}s", string.Join(" ", sentences)));
        }

        return list;
    }

    /// <summary>Small tables and one thread: fast, and bit-for-bit reproducible.</summary>
    public static StaticTrainingOptions SmallOptions(ulong seed = 7) => new()
    {
        Dimensions = 16,
        Seed = seed,
        Featurizer = new FeaturizerSettings { WordBuckets = 512, NgramBuckets = 2048 },
        SkipGram = new SkipGramOptions { Epochs = 2, Threads = 1, MinCount = 2 },
        Contrastive = new ContrastiveOptions { Epochs = 2, BatchSize = 32 },
        MinimumTokens = 1_000,
        MinimumProvisions = 20,
    };

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "legalrag-train-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
