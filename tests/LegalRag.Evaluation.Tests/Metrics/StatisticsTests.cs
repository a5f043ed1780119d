using LegalRag.Evaluation.Metrics;

namespace LegalRag.Evaluation.Tests.Metrics;

public sealed class StatisticsTests
{
    [Fact]
    public void Percentile_interpolates_between_closest_ranks()
    {
        double[] values = [40, 10, 30, 20];
        Assert.Equal(25, Statistics.Percentile(values, 50), 12);
        Assert.Equal(38.5, Statistics.Percentile(values, 95), 12); // position 2.85: 30 + 0.85 × 10
        Assert.Equal(10, Statistics.Percentile(values, 0), 12);
        Assert.Equal(40, Statistics.Percentile(values, 100), 12);
        Assert.Equal(7, Statistics.Percentile([7], 99), 12);
        Assert.Equal(0, Statistics.Percentile([], 50), 12);
    }

    [Fact]
    public void SplitMix64_produces_the_reference_sequence()
    {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void Bootstrap_is_deterministic_for_a_seed_and_changes_with_it()
    {
        var values = Enumerable.Range(0, 200).Select(i => (i * 37 % 100) / 100.0).ToArray();
        var series = new Dictionary<string, (IReadOnlyList<double>, Func<IReadOnlyList<double>, double>)>
        {
            ["mean"] = (values, Statistics.Mean),
            ["p50"] = (values, v => Statistics.Percentile(v, 50)),
        };
        var first = Statistics.Bootstrap(series, 500, seed: 42);
        var again = Statistics.Bootstrap(series, 500, seed: 42);
        var other = Statistics.Bootstrap(series, 500, seed: 43);

        Assert.Equal(first["mean"], again["mean"]);
        Assert.Equal(first["p50"], again["p50"]);
        Assert.NotEqual(first["mean"], other["mean"]);
        var mean = Statistics.Mean(values);
        Assert.InRange(mean, first["mean"].Low, first["mean"].High);
        // The interval of a mean of 200 values spread over [0, 1) is a few hundredths wide, not degenerate.
        Assert.InRange(first["mean"].High - first["mean"].Low, 0.02, 0.2);
    }

    [Fact]
    public void Bootstrap_of_a_constant_series_is_that_constant()
    {
        var series = new Dictionary<string, (IReadOnlyList<double>, Func<IReadOnlyList<double>, double>)>
        {
            ["c"] = (Enumerable.Repeat(0.5, 30).ToArray(), Statistics.Mean),
        };
        var interval = Statistics.Bootstrap(series, 100, seed: 1)["c"];
        Assert.Equal(0.5, interval.Low, 12);
        Assert.Equal(0.5, interval.High, 12);
    }
}
