using System.Collections.Concurrent;

namespace LegalRag.Retrieval.Search;

/// <summary>
/// A thread-safe memo that is dropped whole once it has taken <see cref="Limit"/> additions: a long-running server sees
/// the whole corpus in time, so what is cached per provision must be bounded, and dropping everything at once costs one
/// recomputation per popular entry instead of bookkeeping on every hit (no LRU lists, no locks on reads).
/// </summary>
public sealed class ClearingCache<TKey, TValue>(int limit) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _items = new();

    // ConcurrentDictionary.Count takes every lock; an approximate count of additions is enough for a bound.
    private int _additions;

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "the limit must be positive");

    /// <summary>The cached value, else <paramref name="create"/>'s (two callers racing on one key may both compute it).</summary>
    public TValue GetOrAdd<TState>(TKey key, TState state, Func<TKey, TState, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_items.TryGetValue(key, out var value)) return value;
        if (Interlocked.Increment(ref _additions) > Limit)
        {
            _items.Clear();
            Interlocked.Exchange(ref _additions, 0);
        }
        return _items[key] = create(key, state);
    }

    /// <summary>Entries now held (for tests; takes every lock).</summary>
    public int Count => _items.Count;
}
