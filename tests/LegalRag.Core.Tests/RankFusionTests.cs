using LegalRag.Core.Text;
using LegalRag.Retrieval.Fusion;
using LegalRag.Retrieval.Snippets;
using Xunit;

namespace LegalRag.Core.Tests;

public sealed class RankFusionTests
{
    [Fact]
    public void Rrf_matches_a_hand_computed_example()
    {
        // k = 60. a: 1/61 + 1/63; b: 1/62 + 1/61; c: 1/63; d: 1/62.
        var fused = RankFusion.Rrf([["a", "b", "c"], ["b", "d", "a"]], k: 60);
        Assert.Equal(["b", "a", "d", "c"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 61 + 1.0 / 63, fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void Rrf_ties_break_by_first_appearance()
    {
        var fused = RankFusion.Rrf([["x"], ["y"]]);
        Assert.Equal(["x", "y"], fused.Select(f => f.Key));
    }

    [Fact]
    public void Normalized_fusion_min_max_scales_each_list()
    {
        // list1: a=10 → 1, b=5 → 0 ; list2: b=0.9 → 1, c=0.5 → 0.
        var fused = RankFusion.Normalized([[("a", 10.0), ("b", 5.0)], [("b", 0.9), ("c", 0.5)]]);
        Assert.Equal(["a", "b", "c"], fused.Select(f => f.Key));
        Assert.Equal(1.0, fused[0].Score, 12);
        Assert.Equal(1.0, fused[1].Score, 12);
        Assert.Equal(0.0, fused[2].Score, 12);
    }

    [Fact]
    public void Snippets_mark_inflected_hits_and_window_around_them()
    {
        var text = new string('x', 10) + " " + string.Join(" ", Enumerable.Repeat("Füllwort", 60)) + " Die Kündigungen des Vermieters sind schriftlich.";
        var snippet = SnippetBuilder.Build(text, "Kündigung Vermieter", new TextAnalyzer("de"), 120);
        Assert.StartsWith("… ", snippet);
        Assert.Contains("**Kündigungen**", snippet);
        Assert.Contains("**Vermieters**", snippet);
        Assert.True(snippet.Length < 140);
    }
}
