using Xunit;
using LegalRag.Retrieval.Search;

namespace LegalRag.Retrieval.Tests.Search;

public sealed class ClearingCacheTests
{
    [Fact]
    public void A_cached_value_is_computed_once()
    {
        var cache = new ClearingCache<string, int>(10);
        var calls = 0;
        Assert.Equal(3, cache.GetOrAdd("abc", 0, (k, _) => { calls++; return k.Length; }));
        Assert.Equal(3, cache.GetOrAdd("abc", 0, (k, _) => { calls++; return -1; }));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void The_addition_past_the_limit_drops_everything_before_it()
    {
        var cache = new ClearingCache<int, int>(3);
        for (var i = 0; i < 3; i++) cache.GetOrAdd(i, 0, (k, _) => k);
        Assert.Equal(3, cache.Count);
        cache.GetOrAdd(3, 0, (k, _) => k);
        Assert.Equal(1, cache.Count);
        // Dropped entries are computed again.
        var recomputed = false;
        cache.GetOrAdd(0, 0, (k, _) => { recomputed = true; return k; });
        Assert.True(recomputed);
    }

    [Fact]
    public void Many_threads_keep_it_bounded_and_get_right_values()
    {
        var cache = new ClearingCache<int, int>(100);
        Parallel.For(0, 10_000, i => Assert.Equal(i * 2, cache.GetOrAdd(i, 2, (k, factor) => k * factor)));
        // Threads that counted before a clear may add just after it: a few over the limit, never unbounded.
        Assert.InRange(cache.Count, 1, 200);
    }

    [Fact]
    public void A_limit_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClearingCache<int, int>(0));
}
