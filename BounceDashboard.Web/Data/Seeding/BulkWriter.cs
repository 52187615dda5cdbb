namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Buffers rows per table and hands them to an <see cref="IBulkInserter"/> when a buffer is full. Every table is
/// flushed together, in the order the tables were first used, so parents always reach the database before the
/// rows that point at them.
/// </summary>
public sealed class BulkWriter(IBulkInserter inserter, int batchSize = BulkWriter.DefaultBatchSize)
{
    public const int DefaultBatchSize = 100_000;

    private readonly List<(BulkTable Table, List<object?[]> Rows)> _buffers = [];
    private readonly Dictionary<BulkTable, List<object?[]>> _byTable = [];
    private readonly Dictionary<BulkTable, long> _counts = [];

    /// <summary>Rows written per table so far (flushed or buffered).</summary>
    public IReadOnlyDictionary<BulkTable, long> Counts => _counts;

    /// <summary>Registers tables in parent-first order before any row is added.</summary>
    public void Register(params BulkTable[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var table in tables)
        {
            Buffer(table);
        }
    }

    public async ValueTask AddAsync(BulkTable table, object?[] row, CancellationToken cancellationToken)
    {
        var buffer = Buffer(table);
        buffer.Add(row);
        _counts[table] = _counts.GetValueOrDefault(table) + 1;
        if (buffer.Count >= batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = _buffers.Where(b => b.Rows.Count > 0).Select(b => new BulkRows(b.Table, b.Rows.ToArray())).ToList();
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var (_, rows) in _buffers)
        {
            rows.Clear();
        }

        await inserter.WriteAsync(batch, cancellationToken);
    }

    private List<object?[]> Buffer(BulkTable table)
    {
        if (!_byTable.TryGetValue(table, out var rows))
        {
            rows = new List<object?[]>(Math.Min(batchSize, 4096));
            _byTable.Add(table, rows);
            _buffers.Add((table, rows));
        }

        return rows;
    }
}
