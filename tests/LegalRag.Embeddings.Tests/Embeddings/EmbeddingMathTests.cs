namespace LegalRag.Embeddings.Tests.Embeddings;

public sealed class EmbeddingMathTests
{
    // Two rows, three positions, hidden 2. Row 0 has a padding position, row 1 is all padding.
    private static readonly float[] Hidden = [1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10];
    private static readonly long[] Mask = [1, 1, 0, 0, 0, 0];

    [Fact]
    public void Mean_pooling_averages_only_unmasked_positions()
    {
        var pooled = new float[2];
        EmbeddingMath.Pool(Hidden, Mask, row: 0, sequenceLength: 3, hidden: 2, EmbeddingPooling.Mean, pooled);
        Assert.Equal([2f, 3f], pooled);
    }

    [Fact]
    public void Mean_pooling_of_a_fully_masked_row_is_zero()
    {
        var pooled = new float[] { 9, 9 };
        EmbeddingMath.Pool(Hidden, Mask, row: 1, sequenceLength: 3, hidden: 2, EmbeddingPooling.Mean, pooled);
        Assert.Equal([0f, 0f], pooled);
    }

    [Fact]
    public void Cls_pooling_takes_the_first_position_of_the_row()
    {
        var pooled = new float[2];
        EmbeddingMath.Pool(Hidden, Mask, row: 1, sequenceLength: 3, hidden: 2, EmbeddingPooling.Cls, pooled);
        Assert.Equal([5f, 6f], pooled);
    }

    [Fact]
    public void L2_normalization_gives_unit_length_and_leaves_zero_alone()
    {
        var vector = new float[] { 3, 4 };
        EmbeddingMath.NormalizeL2(vector);
        Assert.Equal(0.6f, vector[0], 6);
        Assert.Equal(0.8f, vector[1], 6);

        var zero = new float[3];
        EmbeddingMath.NormalizeL2(zero);
        Assert.Equal(new float[3], zero);
    }

    [Fact]
    public void Destination_size_must_match_hidden()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingMath.Pool(Hidden, Mask, 0, 3, 2, EmbeddingPooling.Mean, new float[3]));
    }
}
