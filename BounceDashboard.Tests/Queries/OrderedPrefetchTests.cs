using System.Runtime.CompilerServices;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

/// <summary>The export's parallel, ordered reading and its slicing of a period.</summary>
public sealed class OrderedPrefetchTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 9, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 1)]
    [InlineData(8, 100)]
    public async Task StreamAsync_ShouldYieldEveryPartInOrder_WhenPartsAreReadAtOnce(int window, int capacity)
    {
        var parts = Enumerable.Range(0, 12).ToList();

        var rows = await OrderedPrefetch.StreamAsync(parts, (part, ct) => Rows(part, 50, ct), window, capacity).ToListAsync();

        Assert.Equal(parts.SelectMany(p => Enumerable.Range(0, 50).Select(i => p * 1000 + i)), rows);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(2, 20_000)]
    [InlineData(4, 1)]
    public async Task StreamAsync_ShouldYieldEveryPartInOrderInBatches_WhenPartsAreReadSynchronously(int window, int capacity)
    {
        var parts = Enumerable.Range(0, 12).ToList();

        // 700 rows a part: several full batches of 256 and a short last one.
        var rows = await OrderedPrefetch.StreamAsync(parts, (part, _) => Enumerable.Range(0, 700).Select(i => part * 1000 + i), window, capacity).ToListAsync();

        Assert.Equal(parts.SelectMany(p => Enumerable.Range(0, 700).Select(i => p * 1000 + i)), rows);
    }

    [Fact]
    public async Task StreamAsync_ShouldNeverReadMorePartsAtOnceThanTheWindow_WhenTheConsumerIsSlow()
    {
        var running = 0;
        var most = 0;
        async IAsyncEnumerable<int> Tracked(int part, [EnumeratorCancellation] CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            try
            {
                await foreach (var row in Rows(part, 20, ct))
                {
                    yield return row;
                }
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        var count = 0;
        await foreach (var _ in OrderedPrefetch.StreamAsync(Enumerable.Range(0, 10).ToList(), Tracked, window: 3, capacity: 5))
        {
            count++;
            await Task.Yield();
        }

        Assert.Equal(200, count);
        Assert.InRange(most, 1, 3);
    }

    [Fact]
    public async Task StreamAsync_ShouldEndWithThePartsError_WhenAPartFails()
    {
        static async IAsyncEnumerable<int> Failing(int part, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var row in Rows(part, 10, ct))
            {
                yield return row;
            }

            if (part == 2)
            {
                throw new InvalidOperationException("disk gone");
            }
        }

        var seen = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var row in OrderedPrefetch.StreamAsync(Enumerable.Range(0, 5).ToList(), Failing, window: 2, capacity: 4))
            {
                seen.Add(row);
            }
        });

        Assert.Equal("disk gone", error.Message);
        Assert.Equal(30, seen.Count);
    }

    [Fact]
    public async Task StreamAsync_ShouldCancelTheReaders_WhenTheConsumerStopsEarly()
    {
        var cancelled = 0;
        async IAsyncEnumerable<int> Endless(int part, [EnumeratorCancellation] CancellationToken ct)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Task.Delay(1, ct);
                    yield return part * 1000 + i;
                }
            }
            finally
            {
                Interlocked.Increment(ref cancelled);
            }
        }

        var first = await OrderedPrefetch.StreamAsync(Enumerable.Range(0, 4).ToList(), Endless, window: 3, capacity: 2).Take(5).ToListAsync();

        Assert.Equal([0, 1, 2, 3, 4], first);
        Assert.Equal(3, cancelled);
    }

    [Fact]
    public void Plan_ShouldCoverThePeriodNewestFirst_WhenDaysAreQuiet()
    {
        var perDay = Enumerable.Range(0, 7).ToDictionary(d => DayNumber(Monday.AddDays(d)), _ => 3L);

        var slices = BounceDetailSlices.Plan(Monday.AddHours(5), Monday.AddDays(7).AddHours(-2), perDay, target: 6);

        AssertCovers(slices, Monday.AddHours(5), Monday.AddDays(7).AddHours(-2));
        Assert.Equal(4, slices.Count);
        Assert.Equal((Monday.AddDays(5), Monday.AddDays(7).AddHours(-2)), slices[0]);
    }

    [Fact]
    public void Plan_ShouldCutABusyDayIntoStretches_WhenItHoldsMoreThanTheTarget()
    {
        var perDay = new Dictionary<int, long> { [DayNumber(Monday)] = 1, [DayNumber(Monday.AddDays(1))] = 100, [DayNumber(Monday.AddDays(2))] = 1 };

        var slices = BounceDetailSlices.Plan(Monday, Monday.AddDays(3), perDay, target: 25);

        AssertCovers(slices, Monday, Monday.AddDays(3));
        Assert.Equal(6, slices.Count);
        Assert.Equal(4, slices.Count(s => s.From >= Monday.AddDays(1) && s.To <= Monday.AddDays(2)));
    }

    [Fact]
    public void Plan_ShouldGiveOneSlice_WhenNothingIsCounted()
    {
        var slices = BounceDetailSlices.Plan(Monday, Monday.AddDays(30), new Dictionary<int, long>(), target: 10);

        Assert.Equal([(Monday, Monday.AddDays(30))], slices);
        Assert.Empty(BounceDetailSlices.Plan(Monday, Monday, new Dictionary<int, long>(), target: 10));
    }

    private static void AssertCovers(IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> slices, DateTimeOffset from, DateTimeOffset to)
    {
        Assert.Equal(to, slices[0].To);
        Assert.Equal(from, slices[^1].From);
        for (var i = 0; i < slices.Count; i++)
        {
            Assert.True(slices[i].From < slices[i].To);
            if (i > 0)
            {
                Assert.Equal(slices[i - 1].From, slices[i].To);
            }
        }
    }

    private static int DayNumber(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);

    private static async IAsyncEnumerable<int> Rows(int part, int count, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 7 == 0)
            {
                await Task.Yield();
            }

            ct.ThrowIfCancellationRequested();
            yield return part * 1000 + i;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
