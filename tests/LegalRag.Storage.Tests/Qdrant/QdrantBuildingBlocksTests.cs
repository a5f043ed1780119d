using LegalRag.Core.Abstractions;
using LegalRag.Core.Text;
using LegalRag.Storage.Qdrant;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

public sealed class PointIdsTests
{
    [Fact]
    public void Uuid_v5_matches_the_rfc_4122_reference_value()
    {
        // uuid5(NAMESPACE_DNS, "python.org") as given by Python's uuid module, an independent implementation.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), PointIds.UuidV5(dns, "python.org"));
    }

    [Fact]
    public void Chunk_ids_are_stable_distinct_and_non_negative()
    {
        Assert.Equal(new Guid("28e38ef5-6c84-5e2b-8914-fb4d57e7f23c"), PointIds.Chunk("de-test", "de-test/bgb/§573", 0));
        Assert.Equal(PointIds.ChunkId("de-test", "de-test/bgb/§573", 0), PointIds.ChunkId("de-test", "de-test/bgb/§573", 0));
        var ids = Enumerable.Range(0, 1000).Select(i => PointIds.ChunkId("de-test", "de-test/bgb/§573", i)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id >= 0));
        Assert.NotEqual(PointIds.Chunk("de-a", "k", 0), PointIds.Chunk("de-b", "k", 0));
        Assert.NotEqual(PointIds.Provision("de", "k"), PointIds.Document("de", "k"));
    }
}

public sealed class SparseTermEncoderTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Term_index_is_fnv1a_32(string term, uint expected) => Assert.Equal(expected, SparseTermEncoder.TermIndex(term));

    [Fact]
    public void Indices_are_the_hashed_terms_of_the_shared_analyzer()
    {
        var encoder = new SparseTermEncoder(headingWeight: 0);
        const string text = "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat.";
        var expected = new TextAnalyzer("de").Analyze(text).Distinct().Select(SparseTermEncoder.TermIndex).Order().ToArray();

        var vector = encoder.EncodeDocument("de", "", text);

        Assert.Equal(expected, vector.Indices);
        Assert.Equal(vector.Indices.Length, vector.Values.Length);
        Assert.True(vector.Indices.Zip(vector.Indices.Skip(1)).All(p => p.First < p.Second), "indices must be ascending and unique");
        // The query side shares the vocabulary: "Kündigung" and "kündigen" meet only if the analyzer stems them alike.
        var query = encoder.EncodeQuery(LexicalQuery.AllTerms("Vermieter kündigen", "de"));
        Assert.All(query.Indices, i => Assert.Contains(i, vector.Indices));
        Assert.All(query.Values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Weights_saturate_with_term_frequency_and_headings_count_more()
    {
        var encoder = new SparseTermEncoder(k1: 1.2, b: 0, headingWeight: 2);
        var once = encoder.EncodeDocument("de", "", "Miete");
        var thrice = encoder.EncodeDocument("de", "", "Miete Miete Miete");
        var inHeading = encoder.EncodeDocument("de", "Miete", "Miete");

        Assert.Equal(1f, once.Values.Single(), 5);                            // tf 1: (1·2.2)/(1+1.2)
        Assert.Equal(3 * 2.2f / 4.2f, thrice.Values.Single(), 5);              // tf 3, saturating below k1+1
        Assert.True(thrice.Values.Single() < 2.2f);
        Assert.Equal(3 * 2.2f / 4.2f, inHeading.Values.Single(), 5);           // heading counts twice: tf 1 + 2
    }

    [Fact]
    public void Longer_chunks_weigh_each_occurrence_less()
    {
        var encoder = new SparseTermEncoder(averageLength: 10, headingWeight: 0);
        var shortChunk = encoder.EncodeDocument("de", "", "Mietvertrag Vermieter");
        var longChunk = encoder.EncodeDocument("de", "", "Mietvertrag " + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"wort{i}")));
        var index = SparseTermEncoder.TermIndex(new TextAnalyzer("de").Analyze("Mietvertrag").Single());

        Assert.True(Weight(shortChunk, index) > Weight(longChunk, index));
    }

    [Fact]
    public void Stopword_only_text_has_an_empty_vector()
    {
        Assert.Equal(0, new SparseTermEncoder().EncodeQuery(LexicalQuery.AllTerms("und der die das", "de")).Count);
    }

    private static float Weight(SparseTerms vector, uint index) => vector.Values[Array.IndexOf(vector.Indices, index)];
}

public sealed class QdrantOptionsTests
{
    [Fact]
    public void Valid_options_pass()
    {
        Assert.Empty(new QdrantOptions { DenseSize = 384 }.GetValidationErrors());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new QdrantOptions
        {
            Url = "localhost:6333",
            DenseSize = 0,
            ReplicationFactor = 1,
            WriteConsistencyFactor = 2,
            CollectionPrefix = "legal rag/",
            SparseVectorName = "dense",
            ReadConsistency = "most",
            Timeout = TimeSpan.Zero,
        };

        var errors = options.GetValidationErrors();

        Assert.Contains(errors, e => e.Contains("DenseSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("cannot exceed ReplicationFactor", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("CollectionPrefix", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("must differ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ReadConsistency", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Timeout", StringComparison.Ordinal));
        var ex = Assert.Throws<QdrantConfigurationException>(options.ThrowIfInvalid);
        Assert.Contains(QdrantOptions.SectionName, ex.Message);
    }

    [Fact]
    public void The_rest_port_is_refused_with_the_grpc_port_named()
    {
        var errors = new QdrantOptions { Url = "http://qdrant:6333", DenseSize = 384 }.GetValidationErrors();

        Assert.Contains(errors, e => e.Contains("6333", StringComparison.Ordinal) && e.Contains("gRPC, on port 6334", StringComparison.Ordinal));
        Assert.Empty(new QdrantOptions { Url = "http://qdrant:6334", DenseSize = 384 }.GetValidationErrors());
    }

    [Fact]
    public void A_store_cannot_be_built_from_invalid_options()
    {
        Assert.Throws<QdrantConfigurationException>(() => QdrantStore.Create(new QdrantOptions { DenseSize = 0 }));
    }
}
