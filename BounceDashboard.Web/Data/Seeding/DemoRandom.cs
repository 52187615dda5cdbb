using System.Diagnostics.CodeAnalysis;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>Seeded randomness for the demo data: the same seed gives the same database.</summary>
[SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Demo data must be reproducible from a seed; nothing here is secret.")]
internal sealed class DemoRandom(int seed)
{
    private readonly Random _random = new(seed);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public double NextDouble() => _random.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An exponentially distributed duration with the given mean, capped.</summary>
    public TimeSpan Exponential(TimeSpan mean, TimeSpan max)
    {
        var value = -Math.Log(1 - _random.NextDouble()) * mean.Ticks;
        return TimeSpan.FromTicks((long)Math.Min(value, max.Ticks));
    }

    /// <summary>A uniformly drawn instant in [from, to).</summary>
    public DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        from + TimeSpan.FromTicks((long)(_random.NextDouble() * (to - from).Ticks));
}

/// <summary>Picks items by integer weight in O(log n).</summary>
internal sealed class WeightedPicker<T>
{
    private readonly T[] _items;
    private readonly int[] _cumulative;

    public WeightedPicker(IEnumerable<(T Item, int Weight)> weighted)
    {
        var list = weighted.Where(w => w.Weight > 0).ToList();
        _items = list.Select(w => w.Item).ToArray();
        _cumulative = new int[list.Count];
        var total = 0;
        for (var i = 0; i < list.Count; i++)
        {
            total += list[i].Weight;
            _cumulative[i] = total;
        }
    }

    public T Pick(DemoRandom random)
    {
        var x = random.Next(_cumulative[^1]);
        var index = Array.BinarySearch(_cumulative, x + 1);
        return _items[index >= 0 ? index : ~index];
    }
}
