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
    /// <summary>
    /// The rows of every part, part after part. <paramref name="readPart"/> is called for at most
    /// <paramref name="window"/> parts at a time, each on its own task; a part's reader is started only when a part before
    /// it has been consumed, so no more than <paramref name="window"/> buffers ever hold rows. An error in any part ends
    /// the enumeration with that error; stopping early cancels the readers and waits for them.
    /// </summary>
    public static async IAsyncEnumerable<TRow> StreamAsync<TPart, TRow>(
        IReadOnlyList<TPart> parts,
        Func<TPart, CancellationToken, IAsyncEnumerable<TRow>> readPart,
        int window,
        int capacity,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(readPart);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        if (parts.Count == 1 || window == 1)
        {
            // Nothing to overlap: read in place, without buffers or tasks.
            foreach (var part in parts)
            {
                await foreach (var row in readPart(part, cancellationToken).WithCancellation(cancellationToken))
                {
                    yield return row;
                }
            }

            yield break;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new Queue<(ChannelReader<TRow> Rows, Task Reader)>();
        var next = 0;
        try
        {
            while (next < parts.Count && started.Count < window)
            {
                started.Enqueue(Start(parts[next++]));
            }

            while (started.TryDequeue(out var current))
            {
                await foreach (var row in current.Rows.ReadAllAsync(cancellationToken))
                {
                    yield return row;
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

        (ChannelReader<TRow>, Task) Start(TPart part)
        {
            var channel = Channel.CreateBounded<TRow>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
            var reader = Task.Run(
                async () =>
                {
                    try
                    {
                        await foreach (var row in readPart(part, stop.Token).WithCancellation(stop.Token))
                        {
                            await channel.Writer.WriteAsync(row, stop.Token);
                        }

                        channel.Writer.Complete();
                    }
                    catch (Exception ex)
                    {
                        channel.Writer.Complete(ex);
                    }
                },
                CancellationToken.None);
            return (channel.Reader, reader);
        }
    }
}
