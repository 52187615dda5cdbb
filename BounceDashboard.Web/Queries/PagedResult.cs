namespace BounceDashboard.Web.Queries;

/// <summary>One page of a list and the size of the whole list (ardalis ListContributorsQueryService).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>A zero-based page request; the size is clamped so a page cannot ask for the whole table.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public int Skip => Math.Max(0, Page) * Take;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}
