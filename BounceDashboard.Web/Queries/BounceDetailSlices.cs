using BounceDashboard.Web.Data.Reports;

namespace BounceDashboard.Web.Queries;

/// <summary>
/// Cuts a report period into consecutive time slices of about <c>target</c> bounces each, newest first, from the daily
/// counts of the summary table, so an export can read several slices at once (<see cref="OrderedPrefetch"/>). A day with
/// more bounces than the target is cut into equal stretches of time. The counts are only an estimate (a slice may hold
/// more or fewer rows); the slices always cover the period exactly, each instant in one slice, so no row is lost or
/// read twice whatever the counts say.
/// </summary>
public static class BounceDetailSlices
{
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Plan(
        DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<int, long> bouncesPerDay, int target)
    {
        ArgumentNullException.ThrowIfNull(bouncesPerDay);
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);
        if (to <= from)
        {
            return [];
        }

        // Boundaries from the newest (the period's end) to the oldest (its start), strictly decreasing.
        var cuts = new List<DateTimeOffset> { to };
        long gathered = 0;
        for (var day = BounceReportCell.DayOf(to.AddTicks(-1)); day >= BounceReportCell.DayOf(from); day--)
        {
            var start = Max(BounceReportCell.StartOf(day), from);
            var end = Min(BounceReportCell.StartOf(day + 1), to);
            var amount = bouncesPerDay.GetValueOrDefault(day);
            if (amount > target)
            {
                // The newer days gathered so far make a slice of their own; this day is cut into equal stretches.
                Cut(end);
                gathered = 0;
                var parts = (int)Math.Min((amount + target - 1) / target, (end - start).Ticks);
                var step = (end - start).Ticks / parts;
                for (var i = 1; i < parts; i++)
                {
                    Cut(end.AddTicks(-step * i));
                }

                Cut(start);
                continue;
            }

            gathered += amount;
            if (gathered >= target)
            {
                Cut(start);
                gathered = 0;
            }
        }

        Cut(from);
        var slices = new List<(DateTimeOffset, DateTimeOffset)>(cuts.Count - 1);
        for (var i = 1; i < cuts.Count; i++)
        {
            slices.Add((cuts[i], cuts[i - 1]));
        }

        return slices;

        void Cut(DateTimeOffset at)
        {
            if (at < cuts[^1] && at >= from)
            {
                cuts.Add(at);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
