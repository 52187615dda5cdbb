using System.Threading.Channels;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// Buffers rows per table and hands full batches to an <see cref="IBulkInserter"/> running on its own task, so the
/// database writes while the caller produces the next batch (at most two batches wait). Every table is flushed
/// together, in the order the tables were registered. Call <see cref="CompleteAsync"/> once at the end.
/// </summary>
public sealed class BulkWriter
{
    public const int DefaultBatchSize = 100_000;

    private readonly int _batchSize;
    private readonly List<(BulkTable Table, List<object?[]> Rows)> _buffers = [];
    private readonly Dictionary<BulkTable, List<object?[]>> _byTable = [];
    private readonly Dictionary<BulkTable, long> _counts = [];
    private readonly Channel<IReadOnlyList<BulkRows>> _batches =
        Channel.CreateBounded<IReadOnlyList<BulkRows>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });

    private readonly Task _consumer;

    public BulkWriter(IBulkInserter inserter, CancellationToken cancellationToken, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(inserter);
        _batchSize = batchSize;
        _consumer = Task.Run(() => ConsumeAsync(inserter, cancellationToken), cancellationToken);
    }

    /// <summary>Rows written per table so far (flushed or buffered).</summary>
    public IReadOnlyDictionary<BulkTable, long> Counts => _counts;

    /// <summary>Registers tables in the order they are written, before any row is added.</summary>
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
        if (buffer.Count >= _batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is buffered and waits until the database has everything.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        _batches.Writer.TryComplete();
        await _consumer;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = _buffers.Where(b => b.Rows.Count > 0).Select(b => new BulkRows(b.Table, b.Rows.ToArray())).ToList();
        foreach (var (_, rows) in _buffers)
        {
            rows.Clear();
        }

        if (batch.Count > 0)
        {
            // Throws the inserter's own exception if it failed (the channel is completed with it).
            await _batches.Writer.WriteAsync(batch, cancellationToken);
        }
    }

    private async Task ConsumeAsync(IBulkInserter inserter, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in _batches.Reader.ReadAllAsync(cancellationToken))
            {
                await inserter.WriteAsync(batch, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            _batches.Writer.TryComplete(ex);
            throw;
        }
    }

    private List<object?[]> Buffer(BulkTable table)
    {
        if (!_byTable.TryGetValue(table, out var rows))
        {
            rows = new List<object?[]>(Math.Min(_batchSize, 4096));
            _byTable.Add(table, rows);
            _buffers.Add((table, rows));
        }

        return rows;
    }
}
