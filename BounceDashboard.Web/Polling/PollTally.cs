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

    /// <summary>A bounce moved to the processed folder or deleted, after its commit.</summary>
    public void Processed() => _processed++;

    /// <summary>Mail that is not a bounce, left in place or moved to the not-bounce folder.</summary>
    public void NotBounce() => _notBounces++;

    public MailboxPollResult ToResult() => new(_read, _stored, _duplicates, _processed, _notBounces);
}
