using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace BounceDashboard.Web.Queries;

/// <summary>
/// Reads consecutive parts of one ordered result on several connections at once and yields their rows in the parts'
/// order: while the caller consumes part k, parts k+1 .. k+window-1 are already being read into bounded buffers. A
/// long export then uses more than one core for the database reads and the row materialisation, which is where its time
/// goes, and memory stays bounded by <c>window x capacity</c> rows however many parts there are.
/// </summary>
public static class OrderedPrefetch
{
    /// <summary>Rows handed from a part's reader to the consumer at once (one channel operation for this many rows).</summary>
    internal const int BatchSize = 256;

    /// <summary>
    /// The rows of every part, part after part. <paramref name="readPart"/> is called for at most
    /// <paramref name="window"/> parts at a time, each on its own task; a part's reader is started only when a part before
    /// it has been consumed, so no more than <paramref name="window"/> buffers of about <paramref name="capacity"/> rows
    /// ever hold rows. An error in any part ends the enumeration with that error; stopping early cancels the readers and
    /// waits for them.
    /// </summary>
    public static IAsyncEnumerable<TRow> StreamAsync<TPart, TRow>(
        IReadOnlyList<TPart> parts,
        Func<TPart, CancellationToken, IAsyncEnumerable<TRow>> readPart,
        int window,
        int capacity,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readPart);
        return StreamCoreAsync<TPart, TRow>(
            parts,
            async (part, batch, ct) =>
            {
                await foreach (var row in readPart(part, ct).WithCancellation(ct))
                {
                    await batch.AddAsync(row, ct);
                }
            },
            window,
            capacity,
            cancellationToken);
    }

    /// <summary>
    /// As the other overload, for parts read synchronously (a database reader whose async calls are synchronous
    /// underneath): each part is enumerated on a task of its own, so the caller's thread never blocks.
    /// </summary>
    public static IAsyncEnumerable<TRow> StreamAsync<TPart, TRow>(
        IReadOnlyList<TPart> parts,
        Func<TPart, CancellationToken, IEnumerable<TRow>> readPart,
        int window,
        int capacity,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readPart);
        return StreamCoreAsync<TPart, TRow>(
            parts,
            async (part, batch, ct) =>
            {
                foreach (var row in readPart(part, ct))
                {
                    await batch.AddAsync(row, ct);
                }
            },
            window,
            capacity,
            cancellationToken);
    }

    private static async IAsyncEnumerable<TRow> StreamCoreAsync<TPart, TRow>(
        IReadOnlyList<TPart> parts,
        Func<TPart, Batch<TRow>, CancellationToken, Task> readPart,
        int window,
        int capacity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new Queue<(ChannelReader<TRow[]> Batches, Task Reader)>();
        var next = 0;
        try
        {
            while (next < parts.Count && started.Count < window)
            {
                started.Enqueue(Start(parts[next++]));
            }

            while (started.TryDequeue(out var current))
            {
                await foreach (var batch in current.Batches.ReadAllAsync(cancellationToken))
                {
                    foreach (var row in batch)
                    {
                        yield return row;
                    }
                }

                if (next < parts.Count)
                {
                    started.Enqueue(Start(parts[next++]));
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var (_, reader) in started)
            {
                // The readers end on the cancellation; their errors were already surfaced through the channel or don't matter now.
                await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        (ChannelReader<TRow[]>, Task) Start(TPart part)
        {
            // Small capacities (tests) keep their exact bound: batches of one row.
            var batchSize = Math.Min(BatchSize, capacity);
            var channel = Channel.CreateBounded<TRow[]>(new BoundedChannelOptions(Math.Max(1, capacity / batchSize)) { SingleReader = true, SingleWriter = true });
            var reader = Task.Run(
                async () =>
                {
                    var batch = new Batch<TRow>(channel.Writer, batchSize);
                    try
                    {
                        await readPart(part, batch, stop.Token);
                        await batch.FlushAsync(stop.Token);
                        channel.Writer.Complete();
                    }
                    catch (Exception ex)
                    {
                        // The rows read before the error still reach the consumer, then the error does.
                        await batch.FlushAsync(stop.Token).AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        channel.Writer.Complete(ex);
                    }
                },
                CancellationToken.None);
            return (channel.Reader, reader);
        }
    }

    /// <summary>Collects a reader's rows into arrays of a fixed size (the last one shorter) and hands each full one on.</summary>
    private sealed class Batch<TRow>(ChannelWriter<TRow[]> batches, int size)
    {
        private readonly List<TRow> _rows = new(size);

        public ValueTask AddAsync(TRow row, CancellationToken cancellationToken)
        {
            _rows.Add(row);
            return _rows.Count == size ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_rows.Count == 0)
            {
                return ValueTask.CompletedTask;
            }

            var full = _rows.ToArray();
            _rows.Clear();
            return batches.WriteAsync(full, cancellationToken);
        }
    }
}
