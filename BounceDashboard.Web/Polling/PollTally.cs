using BounceDashboard.Web.Ingest;

namespace BounceDashboard.Web.Polling;

/// <summary>The counts of one poll as it goes, shared by the three readers; <see cref="ToResult"/> at the end.</summary>
public sealed class PollTally
{
    private int _read;
    private int _stored;
    private int _duplicates;
    private int _processed;
    private int _notBounces;
    private int _listed;
    private int _leftAlone;

    /// <summary>A message downloaded (or read from disk) and handed to the ingest: stored anew or found stored.</summary>
    public void Ingested(IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _read++;
        if (result.Duplicate)
        {
            _duplicates++;
        }
        else
        {
            _stored++;
        }
    }

    /// <summary>The messages found in the mailbox at the start of the poll.</summary>
    public void Listed(int count) => _listed += count;

    /// <summary>A message the poll has nothing to do with: gone before it was read, or kept mail seen before.</summary>
    public void LeftAlone() => _leftAlone++;

    /// <summary>Messages read (downloaded, or read from disk) so far.</summary>
    public int Read => _read;

    /// <summary>
    /// Messages listed that the poll has not finished: not yet stored, or stored but not yet moved or deleted. 0 once a
    /// poll ran to its end; what is left waiting when it stops early.
    /// </summary>
    public int Backlog => Math.Max(0, _listed - _processed - _notBounces - _leftAlone);

    /// <summary>A bounce moved to the processed folder or deleted, after its commit.</summary>
    public void Processed() => _processed++;

    /// <summary>Mail that is not a bounce, left in place or moved to the not-bounce folder.</summary>
    public void NotBounce() => _notBounces++;

    public MailboxPollResult ToResult() => new(_read, _stored, _duplicates, _processed, _notBounces);
}
