namespace BounceDashboard.Web.Data.Seeding;

/// <summary>Writes rows in bulk, one transaction per call, tables in the order given (parents first).</summary>
public interface IBulkInserter : IAsyncDisposable
{
    Task WriteAsync(IReadOnlyList<BulkRows> batch, CancellationToken cancellationToken);

    /// <summary>Runs once after the last batch (statistics, checkpoint).</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>Rows for one table.</summary>
public sealed record BulkRows(BulkTable Table, IReadOnlyList<object?[]> Rows);
